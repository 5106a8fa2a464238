import { describe, expect, it } from "vitest";
import { backupSignIn, notReadReason, readSignInActivities } from "../../../src/check/sign-in";
import type { CompiledTenant } from "../../../src/core/desired";
import { GraphRequestError } from "../../../src/errors";
import type { GraphClient, TenantConnection } from "../../../src/graph/types";

const APP = "f4d9654f-0305-4072-878c-8bf266dfe146";
const error = (status: number, code: string, message = "no") =>
  new GraphRequestError({ status, code, message, method: "GET", path: "/beta/reports/x" });

/** A connection whose Graph answers `list` with `reply` and records the paths asked. */
function connection(reply: (path: string) => unknown[], graphBaseUrl?: string) {
  const paths: string[] = [];
  const graph = {
    list: (path: string) => {
      paths.push(path);
      return Promise.resolve().then(() => reply(path));
    },
  } as unknown as GraphClient;
  const c: TenantConnection = { tenantId: "t", graph, compliance: { invoke: () => Promise.resolve([]) }, graphBaseUrl };
  return { c, paths };
}

describe("readSignInActivities", () => {
  it("asks the beta report at the Graph root, filtered on each appId, and keeps the last sign-in", async () => {
    const { c, paths } = connection(
      () => [{ appId: APP, lastSignInActivity: { lastSignInDateTime: "2026-11-20T00:00:00Z" } }],
      "https://graph.example",
    );
    const reads = await readSignInActivities(c, [APP]);
    expect(paths).toEqual([
      `https://graph.example/beta/reports/servicePrincipalSignInActivities?$filter=${encodeURIComponent(
        `appId eq '${APP}'`,
      )}`,
    ]);
    expect(reads.get(APP)).toEqual({ read: true, lastSignInDateTime: "2026-11-20T00:00:00Z" });
  });
  it("no entry (or another app's) means no sign-in; the public cloud when no root is given", async () => {
    const { c, paths } = connection(() => [{ appId: "other", lastSignInActivity: { lastSignInDateTime: "x" } }]);
    expect((await readSignInActivities(c, [APP])).get(APP)).toEqual({ read: true });
    expect(paths[0]).toMatch(/^https:\/\/graph\.microsoft\.com\/beta\//);
  });
  it("a Graph error is why it was not read, never a failure; any other error propagates", async () => {
    const refused = connection(() => {
      throw error(403, "Authorization_RequestDenied");
    });
    expect((await readSignInActivities(refused.c, [APP])).get(APP)).toEqual({
      read: false,
      notRead: "needs AuditLog.Read.All: grant it to the deploying app (403 Authorization_RequestDenied)",
    });
    const bug = connection(() => {
      throw new TypeError("bug");
    });
    await expect(readSignInActivities(bug.c, [APP])).rejects.toThrow("bug");
  });
});

describe("notReadReason", () => {
  it("names the licence, the permission, or beta's absence", () => {
    expect(notReadReason(error(403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant"))).toMatch(
      /^needs Entra ID P1 or P2/,
    );
    expect(notReadReason(error(403, "Forbidden", "The tenant lacks a premium license"))).toMatch(/^needs Entra ID P1/);
    expect(notReadReason(error(403, "AccessDenied"))).toMatch(/^needs AuditLog\.Read\.All/);
    expect(notReadReason(error(404, "ResourceNotFound"))).toMatch(/not available here \(404 ResourceNotFound\)$/);
    expect(notReadReason(error(400, "BadRequest"))).toMatch(/not available here \(400 BadRequest\)$/);
    expect(notReadReason(error(503, "ServiceUnavailable"))).toBe(
      "the sign-in activity report failed (503 ServiceUnavailable)",
    );
  });
});

describe("backupSignIn", () => {
  const compiled = (controlId: string) =>
    ({
      resources: [{ type: "application", controlId, properties: { displayName: "Veeam Backup for M365" } }],
    }) as unknown as CompiledTenant;
  const apps = [{ appId: APP, displayName: "veeam backup for m365" }];
  it("the APP01 app's read, found by display name (case-insensitive)", () => {
    const reads = new Map([[APP, { read: true as const, lastSignInDateTime: "2026-11-20T00:00:00Z" }]]);
    expect(backupSignIn(compiled("APP01"), apps, reads)).toEqual({
      appId: APP,
      lastSignInDateTime: "2026-11-20T00:00:00Z",
    });
    const refused = new Map([[APP, { read: false as const, notRead: "needs X" }]]);
    expect(backupSignIn(compiled("APP01"), apps, refused)).toEqual({ appId: APP, notRead: "needs X" });
  });
  it("nothing when APP01 is not in the baseline or its app is not registered", () => {
    const reads = new Map([[APP, { read: true as const }]]);
    expect(backupSignIn(compiled("APP02"), apps, reads)).toBeUndefined();
    expect(backupSignIn(compiled("APP01"), [], reads)).toBeUndefined();
  });
});
