/**
 * The emulator's routes behind `promote`: sign-in logs (`GET /auditLogs/signIns` with `$filter=createdDateTime ge`,
 * paging, AuditLog.Read.All, Entra ID P1) and Conditional Access What If
 * (`POST /beta/identity/conditionalAccess/evaluate`,
 * users, groups through membership, roles, All, report-only and disabled policies, Policy.Read.All).
 */
import { afterEach, describe, expect, it } from "vitest";
import type { RunningEmulator, TenantSeed } from "../../../src/emulator";
import { signIn } from "../../support/sign-ins";
import { accessToken, CLIENT_ID, CONTOSO, expectGraphError, raw, startTestEmulator } from "./harness";

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const ALEX = "alex@contoso.onmicrosoft.com";
const BG = "bg@contoso.onmicrosoft.com";
const GA = "62e90394-69f5-4237-9190-012177145e10";

/** A CA policy seed with the given user condition. */
function policy(displayName: string, users: Record<string, string[]>, state = "enabled") {
  return {
    displayName,
    state,
    conditions: { users, applications: { includeApplications: ["All"] }, clientAppTypes: ["all"] },
    grantControls: { operator: "OR", builtInControls: ["mfa"] },
  };
}

async function start(seed: Partial<TenantSeed>, permissions?: string[]) {
  emu = await startTestEmulator({
    tenants: [{ ...CONTOSO, ...seed }],
    behaviour: { pageSize: 2, conditionalAccessIntervalMs: 0 },
  });
  if (permissions) emu.consent(CONTOSO.tenantId, CLIENT_ID, permissions);
  return accessToken(emu, CONTOSO.tenantId);
}

describe("GET /auditLogs/signIns", () => {
  const signIns = [signIn(ALEX, 1, {}), signIn(ALEX, 3, {}), signIn(BG, 5, {}), signIn(BG, 20, {})];

  it("filters on createdDateTime ge, newest first, in pages with an absolute nextLink", async () => {
    const token = await start({ collections: { signIns } }, ["AuditLog.Read.All"]);
    const since = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const first = await raw(emu!, "GET", `/v1.0/auditLogs/signIns?$filter=createdDateTime ge ${since}`, { token });
    expect(first.status, first.text).toBe(200);
    const page1 = first.json<{ value: { createdDateTime: string }[]; "@odata.nextLink": string }>();
    expect(page1.value).toHaveLength(2);
    expect(page1.value[0]!.createdDateTime > page1.value[1]!.createdDateTime).toBe(true);
    const next = new URL(page1["@odata.nextLink"]);
    const second = await raw(emu!, "GET", `${next.pathname}${next.search}`, { token });
    const page2 = second.json<{ value: { userPrincipalName: string }[]; "@odata.nextLink"?: string }>();
    expect(page2.value.map((s) => s.userPrincipalName)).toEqual([BG]);
    expect(page2["@odata.nextLink"]).toBeUndefined();
  });

  it("needs AuditLog.Read.All (403) and Entra ID P1 (403 Authentication_RequestFromNonPremium…)", async () => {
    const token = await start({ collections: { signIns } }, ["Policy.Read.All"]);
    expectGraphError(await raw(emu!, "GET", "/v1.0/auditLogs/signIns", { token }), 403, "AccessDenied");
    await emu!.close();
    const free = await start({ skus: [], collections: { signIns } }, ["AuditLog.Read.All"]);
    const r = await raw(emu!, "GET", "/v1.0/auditLogs/signIns", { token: free });
    expectGraphError(r, 403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant");
  });
});

describe("POST /beta/identity/conditionalAccess/evaluate", () => {
  const seed: Partial<TenantSeed> = {
    users: [{ userPrincipalName: ALEX }, { userPrincipalName: BG }],
    groups: [{ displayName: "Break-glass", members: [BG] }],
  };

  async function evaluate(policies: ReturnType<typeof policy>[], upn: string, extra: Record<string, unknown> = {}) {
    const token = await start({ ...seed, collections: { conditionalAccessPolicies: policies } }, ["Policy.Read.All"]);
    const t = emu!.tenant(CONTOSO.tenantId);
    const group = String(t.collections.groups[0]!["id"]);
    const userId = String(t.collections.users.find((u) => u["userPrincipalName"] === upn)!["id"]);
    const body = {
      conditionalAccessWhatIfSubject: { "@odata.type": "#microsoft.graph.userSubject", userId },
      conditionalAccessContext: {
        "@odata.type": "#microsoft.graph.applicationContext",
        includeApplications: ["797f4846-ba00-4fd7-ba43-dac1f8f63013"],
      },
      conditionalAccessWhatIfConditions: {},
      ...extra,
    };
    return { token, group, body, userId };
  }

  it("excludes through group membership; All, report-only and disabled policies answer as What If does", async () => {
    const { token, body } = await evaluate([], BG);
    const group = String(emu!.tenant(CONTOSO.tenantId).collections.groups[0]!["id"]);
    emu!
      .tenant(CONTOSO.tenantId)
      .collections.conditionalAccessPolicies.push(
        { id: "p1", ...policy("All, group excluded", { includeUsers: ["All"], excludeGroups: [group] }) },
        { id: "p2", ...policy("All, report-only", { includeUsers: ["All"] }, "enabledForReportingButNotEnforced") },
        { id: "p3", ...policy("All, disabled", { includeUsers: ["All"] }, "disabled") },
        { id: "p4", ...policy("Group included", { includeGroups: [group] }) },
      );
    const r = await raw(emu!, "POST", "/beta/identity/conditionalAccess/evaluate", { token, body });
    expect(r.status, r.text).toBe(200);
    const value = r.json<{ value: Record<string, unknown>[] }>().value;
    expect(value.map((v) => [v["displayName"], v["policyApplies"], v["analysisReasons"]])).toEqual([
      ["All, group excluded", false, "users"],
      ["All, report-only", true, "notSet"],
      ["All, disabled", false, "policyNotEnabled"],
      ["Group included", true, "notSet"],
    ]);
    expect(value[1]!["@odata.type"]).toBe("#microsoft.graph.whatIfAnalysisResult");
    expect(value[1]!["state"]).toBe("enabledForReportingButNotEnforced");
    const only = await raw(emu!, "POST", "/beta/identity/conditionalAccess/evaluate", {
      token,
      body: { ...body, appliedPoliciesOnly: true },
    });
    expect(only.json<{ value: { displayName: string }[] }>().value.map((v) => v.displayName)).toEqual([
      "All, report-only",
      "Group included",
    ]);
  });

  it("includes through directory roles, and a member outside the group is not excluded by it", async () => {
    const { token, body, userId } = await evaluate([], ALEX);
    const t = emu!.tenant(CONTOSO.tenantId);
    t.collections.roleAssignments.push({ id: "ra", principalId: userId, roleDefinitionId: GA, directoryScopeId: "/" });
    const group = String(t.collections.groups[0]!["id"]);
    t.collections.conditionalAccessPolicies.push(
      { id: "p1", ...policy("Admins", { includeRoles: [GA] }) },
      { id: "p2", ...policy("All but break-glass", { includeUsers: ["All"], excludeGroups: [group] }) },
    );
    const r = await raw(emu!, "POST", "/beta/identity/conditionalAccess/evaluate", { token, body });
    expect(r.json<{ value: { policyApplies: boolean }[] }>().value.map((v) => v.policyApplies)).toEqual([true, true]);
  });

  it("is beta only, refuses a subject without userId, and needs Policy.Read.All", async () => {
    const { token, body } = await evaluate([], BG);
    expectGraphError(
      await raw(emu!, "POST", "/v1.0/identity/conditionalAccess/evaluate", { token, body }),
      501,
      "NotImplemented",
    );
    const bad = { ...body, conditionalAccessWhatIfSubject: { "@odata.type": "#microsoft.graph.userSubject" } };
    expectGraphError(
      await raw(emu!, "POST", "/beta/identity/conditionalAccess/evaluate", { token, body: bad }),
      400,
      "Request_BadRequest",
    );
    await emu!.close();
    const narrow = await start(seed, ["User.Read.All"]);
    const r = await raw(emu!, "POST", "/beta/identity/conditionalAccess/evaluate", { token: narrow, body });
    expectGraphError(r, 403, "AccessDenied");
  });
});
