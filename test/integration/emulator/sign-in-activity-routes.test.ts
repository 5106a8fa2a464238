/**
 * The emulator's `GET /beta/reports/servicePrincipalSignInActivities` (issue 19): beta only, `$filter=appId eq`,
 * AuditLog.Read.All, Entra ID P1
 * (https://learn.microsoft.com/graph/api/reportroot-list-serviceprincipalsigninactivities?view=graph-rest-beta).
 */
import { afterEach, describe, expect, it } from "vitest";
import type { RunningEmulator, TenantSeed } from "../../../src/emulator";
import { accessToken, CLIENT_ID, CONTOSO, expectGraphError, raw, startTestEmulator } from "./harness";

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const BACKUP = "f4d9654f-0305-4072-878c-8bf266dfe146";
const OTHER = "83f45296-fb8f-4aaa-a399-ac51084e02b7";
const activity = (appId: string, at: string) => ({
  id: Buffer.from(appId).toString("base64"),
  appId,
  lastSignInActivity: { lastSignInDateTime: at, lastSignInRequestId: "0f251de7-e611-41fb-bed0-6eb650757e72" },
});
const servicePrincipalSignInActivities = [
  activity(OTHER, "2026-11-01T00:00:00Z"),
  activity(BACKUP, "2026-11-20T00:00:00Z"),
];
const PATH = "/reports/servicePrincipalSignInActivities";

async function start(seed: Partial<TenantSeed>, permissions: string[]) {
  emu = await startTestEmulator({ tenants: [{ ...CONTOSO, ...seed }], behaviour: { conditionalAccessIntervalMs: 0 } });
  emu.consent(CONTOSO.tenantId, CLIENT_ID, permissions);
  return accessToken(emu, CONTOSO.tenantId);
}

describe("GET /beta/reports/servicePrincipalSignInActivities", () => {
  it("filters on appId; served on beta only (v1.0 has no such report)", async () => {
    const token = await start({ collections: { servicePrincipalSignInActivities } }, ["AuditLog.Read.All"]);
    const filter = encodeURIComponent(`appId eq '${BACKUP}'`);
    const r = await raw(emu!, "GET", `/beta${PATH}?$filter=${filter}`, { token });
    expect(r.status, r.text).toBe(200);
    const body = r.json<{ value: { appId: string; lastSignInActivity: { lastSignInDateTime: string } }[] }>();
    expect(body.value.map((a) => [a.appId, a.lastSignInActivity.lastSignInDateTime])).toEqual([
      [BACKUP, "2026-11-20T00:00:00Z"],
    ]);
    const all = await raw(emu!, "GET", `/beta${PATH}`, { token });
    expect(all.json<{ value: unknown[] }>().value).toHaveLength(2);
    expect((await raw(emu!, "GET", `/v1.0${PATH}`, { token })).status).toBe(501);
  });

  it("needs AuditLog.Read.All (403 AccessDenied) and Entra ID P1 (403 …NonPremiumTenant…)", async () => {
    const token = await start({ collections: { servicePrincipalSignInActivities } }, ["Application.Read.All"]);
    expectGraphError(await raw(emu!, "GET", `/beta${PATH}`, { token }), 403, "AccessDenied");
    await emu!.close();
    const free = await start({ skus: [], collections: { servicePrincipalSignInActivities } }, ["AuditLog.Read.All"]);
    const r = await raw(emu!, "GET", `/beta${PATH}`, { token: free });
    expectGraphError(r, 403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant");
  });
});
