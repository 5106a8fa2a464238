/** The emulator's OData subset: filter parsing (eq, ne, startswith, in, and, quote escaping), select and paging. */
import { describe, expect, it } from "vitest";
import { page, parseFilter, query, select } from "../../../src/emulator/odata";

const items = [
  { id: "1", displayName: "Alpha", appId: "a-1", mailNickname: "alpha", securityEnabled: true },
  { id: "2", displayName: "alpha two", appId: "a-2", mailNickname: "alpha2", securityEnabled: false },
  { id: "3", displayName: "O'Brien", appId: "b-3", mailNickname: "obrien", securityEnabled: true },
];
const ids = (filter: string) => {
  const found = query(new URL(`https://localhost/v1.0/groups?$filter=${encodeURIComponent(filter)}`), items);
  if (!Array.isArray(found)) throw new Error(`unexpected reply ${JSON.stringify(found)}`);
  return found.map((o) => o["id"]);
};

describe("$filter", () => {
  it("eq is case-insensitive on strings, as directory comparisons are", () => {
    expect(ids("displayName eq 'ALPHA'")).toEqual(["1"]);
    expect(ids("appId eq 'a-2'")).toEqual(["2"]);
  });
  it("startswith, in, and, booleans", () => {
    expect(ids("startswith(displayName,'alpha')")).toEqual(["1", "2"]);
    expect(ids("displayName in ('Alpha','O''Brien','nobody')")).toEqual(["1", "3"]);
    expect(ids("startswith(displayName,'alpha') and securityEnabled eq true")).toEqual(["1"]);
    expect(ids("mailNickname ne 'alpha'")).toEqual(["2", "3"]);
  });
  it("'' inside a literal is one quote, and ' and ' inside quotes does not split", () => {
    expect(ids("displayName eq 'O''Brien'")).toEqual(["3"]);
    expect(typeof parseFilter("displayName eq 'this and that'")).toBe("function");
  });
  it("anything else is 400 Request_UnsupportedQuery", () => {
    const reply = parseFilter("length(displayName) gt 3");
    expect(typeof reply).toBe("object");
    expect(reply).toMatchObject({ status: 400, body: { error: { code: "Request_UnsupportedQuery" } } });
  });
});

describe("$select and paging", () => {
  it("select keeps the chosen properties (and the id)", () => {
    expect(select(items[0]!, "displayName")).toEqual({ id: "1", displayName: "Alpha" });
    expect(select(items[0]!, null)).toBe(items[0]);
  });
  it("pages with an absolute nextLink that keeps the query and adds $skiptoken; the last page has none", () => {
    const first = page(new URL("https://localhost:8443/v1.0/groups?$filter=x"), items, 2, "ctx");
    expect(first["value"]).toHaveLength(2);
    const next = new URL(first["@odata.nextLink"]);
    expect(next.origin).toBe("https://localhost:8443");
    expect(next.searchParams.get("$filter")).toBe("x");
    const second = page(next, items, 2, "ctx");
    expect(second["value"].map((o: { id: string }) => o.id)).toEqual(["3"]);
    expect(second["@odata.nextLink"]).toBeUndefined();
  });
  it("$top limits the page", () => {
    expect(page(new URL("https://localhost/v1.0/groups?$top=1"), items, 100, "ctx")["value"]).toHaveLength(1);
  });
});
