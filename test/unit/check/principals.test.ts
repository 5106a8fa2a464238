import { describe, expect, it } from "vitest";
import type * as Graph from "@microsoft/microsoft-graph-types";
import { policyPrincipalIds, principalReads, withPrincipals } from "../../../src/check/principals";
import type { BatchResult } from "../../../src/graph/types";

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const policy = (users: Graph.ConditionalAccessUsers): Graph.ConditionalAccessPolicy => ({ conditions: { users } });

describe("the users and groups live CA policies name by id", () => {
  it("collects ids from include/exclude users and groups, without All, GuestsOrExternalUsers or duplicates", () => {
    const ids = policyPrincipalIds([
      policy({ includeUsers: ["All"], excludeUsers: [id(2), id(1)], excludeGroups: [id(9)] }),
      policy({ includeUsers: ["GuestsOrExternalUsers", id(1)], includeGroups: [id(9), id(8)] }),
    ]);
    expect(ids).toEqual({ users: [id(1), id(2)], groups: [id(8), id(9)] });
  });
  it("reads them in chunks of 15 ids per filter", () => {
    const reads = principalReads({ users: Array.from({ length: 31 }, (_, i) => id(i)), groups: [id(99)] });
    expect(reads.map((r) => r.id)).toEqual([
      "principals:users:0",
      "principals:users:1",
      "principals:users:2",
      "principals:groups:0",
    ]);
    expect(decodeURIComponent(reads[2]!.url)).toBe(`/users?$filter=id in ('${id(30)}')&$select=id,userPrincipalName`);
    expect(principalReads({ users: [], groups: [] })).toEqual([]);
  });
  it("adds what was found to the known objects, each id once", () => {
    const results = new Map<string, BatchResult>([
      ["principals:users:0", { ok: true, status: 200, body: { value: [{ id: id(1) }, { id: id(2) }] } }],
      ["principals:groups:0", { ok: true, status: 200, body: { value: [{ id: id(3) }] } }],
    ]);
    expect(withPrincipals([{ id: id(1) }], results, "users").map((u) => u.id)).toEqual([id(1), id(2)]);
    expect(withPrincipals<Graph.Group>([], results, "groups").map((g) => g.id)).toEqual([id(3)]);
  });
});
