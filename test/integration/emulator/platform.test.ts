/**
 * Graph platform behaviour: error bodies and request ids exactly as Graph writes them, 501 for unknown
 * routes, OData filters/select/top and absolute nextLinks, `$batch`, eventual consistency, the identity
 * resource-unit bucket and the conditional-access limit as the request log records them.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../../src/emulator";
import type { TenantConnection } from "../../../src/graph";
import { accessToken, clientFor, CONTOSO, expectGraphError, failure, raw, useTestEmulator } from "./harness";

let emulator: RunningEmulator;
let client: TenantConnection;
let token: string;

useTestEmulator({ behaviour: { conditionalAccessIntervalMs: 0 } }, (e, c) => {
  emulator = e;
  client = c;
});
beforeAll(async () => {
  token = await accessToken(emulator);
});
beforeEach(() =>
  emulator.setOptions({
    pageSize: 100,
    consistencyDelayMs: 0,
    resourceUnitsPerSecond: 0,
    conditionalAccessIntervalMs: 0,
  }),
);

const group = (name: string) => ({
  displayName: name,
  mailEnabled: false,
  securityEnabled: true,
  mailNickname: name.toLowerCase().replace(/[^a-z0-9]/g, ""),
});

describe("errors", () => {
  it("404 Request_ResourceNotFound with innerError date/request-id/client-request-id and a matching request-id header", async () => {
    const r = await raw(emulator, "GET", "/v1.0/groups/00000000-0000-0000-0000-00000000dead", {
      token,
      headers: { "client-request-id": "11111111-aaaa-bbbb-cccc-222222222222" },
    });
    const error = expectGraphError(r, 404, "Request_ResourceNotFound");
    expect(error["message"]).toBe(
      "Resource '00000000-0000-0000-0000-00000000dead' does not exist or one of its queried reference-property objects are not present.",
    );
    expect(error["innerError"]["client-request-id"]).toBe("11111111-aaaa-bbbb-cccc-222222222222");
    expect(r.headers["client-request-id"]).toBe("11111111-aaaa-bbbb-cccc-222222222222");
  });

  it("an unknown route answers 501 naming the method and path, through the client too", async () => {
    const r = await raw(emulator, "GET", "/v1.0/deviceManagement/managedDevices", { token });
    expect(r.status).toBe(501);
    expect(r.json()["error"]["message"]).toContain("GET /v1.0/deviceManagement/managedDevices");
    const e = await failure(client.graph.get("/me/drive"));
    expect(e.status).toBe(501);
    expect(emulator.requestLog().some((l) => l.route === "unimplemented" && l.path === "/v1.0/me/drive")).toBe(true);
  });

  it("an unsupported filter is 400 Request_UnsupportedQuery", async () => {
    const r = await raw(emulator, "GET", `/v1.0/groups?$filter=${encodeURIComponent("length(displayName) gt 3")}`, {
      token,
    });
    expectGraphError(r, 400, "Request_UnsupportedQuery");
  });
});

describe("OData queries and paging", () => {
  beforeAll(async () => {
    for (let i = 0; i < 7; i++) await client.graph.create("/groups", group(`Paging ${i}`));
    await client.graph.create("/groups", group("O'Brien team"));
  });

  it("eq, startswith, in, and, quote escaping; $select and $top", async () => {
    expect(await client.graph.list("/groups?$filter=startswith(displayName,'Paging ')")).toHaveLength(7);
    expect(
      await client.graph.list(`/groups?$filter=${encodeURIComponent("displayName in ('Paging 1','Paging 5','nope')")}`),
    ).toHaveLength(2);
    expect(
      await client.graph.list(
        `/groups?$filter=${encodeURIComponent("startswith(displayName,'Paging') and mailNickname eq 'paging3'")}`,
      ),
    ).toHaveLength(1);
    expect(
      await client.graph.list<{ displayName: string }>(
        `/groups?$filter=${encodeURIComponent("displayName eq 'O''Brien team'")}`,
      ),
    ).toMatchObject([{ displayName: "O'Brien team" }]);
    const selected = await client.graph.get<{ value: Record<string, unknown>[] }>("/groups?$select=displayName&$top=2");
    expect(selected.value).toHaveLength(2);
    // Only the selected property (the emulator also keeps the id).
    expect(Object.keys(selected.value[0]!).filter((k) => k !== "id")).toEqual(["displayName"]);
  });

  it("pages with an absolute https @odata.nextLink carrying the query, and the client follows it", async () => {
    emulator.setOptions({ pageSize: 3 });
    const first = (
      await raw(emulator, "GET", "/v1.0/groups?$filter=startswith(displayName,'Paging')", { token })
    ).json();
    expect(first["@odata.context"]).toMatch(/^https:\/\/localhost:\d+\/v1\.0\/\$metadata#groups/);
    expect(first["value"]).toHaveLength(3);
    const next = new URL(first["@odata.nextLink"] as string);
    expect(next.origin).toBe(emulator.url);
    expect(next.searchParams.get("$filter")).toBe("startswith(displayName,'Paging')");
    expect(next.searchParams.get("$skiptoken")).toBeTruthy();
    const all = await client.graph.list<{ displayName: string }>("/groups?$filter=startswith(displayName,'Paging')");
    expect(all.map((g) => g.displayName).sort()).toEqual(Array.from({ length: 7 }, (_, i) => `Paging ${i}`));
  });
});

describe("$batch", () => {
  it("answers each request as its route would, with id, status, headers and body", async () => {
    const body = {
      requests: [
        { id: "1", method: "GET", url: "/organization?$select=id,displayName" },
        { id: "2", method: "GET", url: "/groups/00000000-0000-0000-0000-00000000beef" },
        { id: "3", method: "GET", url: "/nothing/here" },
      ],
    };
    const r = await raw(emulator, "POST", "/v1.0/$batch", { token, body });
    expect(r.status).toBe(200);
    const byId = new Map(
      (r.json()["responses"] as { id: string; status: number; headers: Record<string, string>; body: unknown }[]).map(
        (x) => [x.id, x],
      ),
    );
    expect(byId.get("1")).toMatchObject({
      status: 200,
      body: { value: [{ id: CONTOSO.tenantId, displayName: "Contoso Ltd" }] },
    });
    expect(byId.get("1")!.headers).toBeTypeOf("object");
    expect(byId.get("2")).toMatchObject({ status: 404, body: { error: { code: "Request_ResourceNotFound" } } });
    expect(byId.get("3")!.status).toBe(501);
  });

  it("refuses more than 20 requests and duplicate ids with 400", async () => {
    const many = {
      requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: "GET", url: "/organization" })),
    };
    expectGraphError(await raw(emulator, "POST", "/v1.0/$batch", { token, body: many }), 400, "BadRequest");
    const twice = {
      requests: [
        { id: "a", method: "GET", url: "/organization" },
        { id: "a", method: "GET", url: "/users" },
      ],
    };
    expect((await raw(emulator, "POST", "/v1.0/$batch", { token, body: twice })).status).toBe(400);
    const results = await client.graph.batch(
      Array.from({ length: 25 }, (_, i) => ({ id: `r${i}`, url: "/organization?$select=id" })),
    );
    expect([...results.values()].every((x) => x.ok)).toBe(true);
  });
});

describe("eventual consistency", () => {
  it("a new object is 404 by id during the delay, then visible; the client's retry rides it out", async () => {
    emulator.setOptions({ consistencyDelayMs: 400 });
    const created = (await raw(emulator, "POST", "/v1.0/groups", { token, body: group("Fresh group") })).json();
    expect(created["createdDateTime"]).toMatch(/^\d{4}-\d\d-\d\dT/);
    expectGraphError(
      await raw(emulator, "GET", `/v1.0/groups/${created["id"]}`, { token }),
      404,
      "Request_ResourceNotFound",
    );
    const viaClient = await client.graph.create<{ id: string }>("/groups", group("Fresh group 2"));
    expect((await client.graph.get<{ id: string }>(`/groups/${viaClient.id}`)).id).toBe(viaClient.id);
    expect(emulator.requestLog().some((l) => l.path === `/v1.0/groups/${viaClient.id}` && l.status === 404)).toBe(true);
  });
});

describe("eventual consistency per kind", () => {
  it("an application can be visible by id while its appId cannot yet back a service principal", async () => {
    emulator.setOptions({ consistencyDelays: { applications: 0, appIdBacking: 400 } });
    const app = (
      await raw(emulator, "POST", "/v1.0/applications", { token, body: { displayName: "Replicating app" } })
    ).json();
    expect((await raw(emulator, "GET", `/v1.0/applications/${app["id"]}`, { token })).status).toBe(200);
    const early = await raw(emulator, "POST", "/v1.0/servicePrincipals", { token, body: { appId: app["appId"] } });
    const error = expectGraphError(early, 400, "Request_BadRequest");
    expect(error["message"]).toBe(
      `The appId '${app["appId"]}' of the service principal does not reference a valid application object.`,
    );
    expect(error["details"]).toEqual([expect.objectContaining({ code: "NoBackingApplicationObject" })]);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(
      (await raw(emulator, "POST", "/v1.0/servicePrincipals", { token, body: { appId: app["appId"] } })).status,
    ).toBe(201);
    emulator.setOptions({ consistencyDelays: {} });
  });
});

describe("throttling", () => {
  it("the identity resource-unit bucket answers 429 with Retry-After when exhausted", async () => {
    emulator.setOptions({ resourceUnitsPerSecond: 1, resourceUnitsBurst: 2 });
    const statuses: number[] = [];
    let retryAfter: string | string[] | undefined;
    for (let i = 0; i < 4; i++) {
      const r = await raw(emulator, "GET", "/v1.0/organization", { token });
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers["retry-after"];
    }
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it("conditional access: the second call within 1 s is 429 without Retry-After; paced client calls are logged ≥ 1 s apart", async () => {
    emulator.setOptions({ conditionalAccessIntervalMs: 1000 });
    const first = await raw(emulator, "GET", "/v1.0/identity/conditionalAccess/policies", { token });
    const second = await raw(emulator, "GET", "/v1.0/identity/conditionalAccess/namedLocations", { token });
    expect(first.status).toBe(200);
    expectGraphError(second, 429, "TooManyRequests");
    expect(second.headers["retry-after"]).toBeUndefined();
    const paced = await clientFor(emulator, CONTOSO, { conditionalAccessIntervalMs: 1000 });
    const since = Date.now();
    await paced.graph.list("/identity/conditionalAccess/policies");
    await paced.graph.create("/identity/conditionalAccess/namedLocations", {
      "@odata.type": "#microsoft.graph.countryNamedLocation",
      displayName: "Blocked countries",
      countriesAndRegions: ["KP"],
      includeUnknownCountriesAndRegions: false,
    });
    await paced.graph.list("/identity/conditionalAccess/namedLocations");
    const times = emulator
      .requestLog()
      .filter((l) => l.time >= since && l.tenantId === CONTOSO.tenantId && l.route.startsWith("conditionalAccess."))
      .map((l) => l.time);
    expect(times.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(990);
    await paced.close?.();
  });
});
