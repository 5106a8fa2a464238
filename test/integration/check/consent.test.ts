/**
 * `check` with exactly the permissions the README lists for it (docs/permissions.md, from the controls'
 * metadata), against an emulator that enforces them: the list is sufficient, and a tenant whose consent
 * lacks one fails alone with an error naming it and the fix.
 */
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCheck } from "../../../src/check";
import { controlInfo } from "../../../src/check/targets";
import { checkPermissions } from "../../../src/controls/permissions";
import { renderMarkdown, renderTerminal } from "../../../src/report";
import { CONSENT_HEADING } from "../../../src/report/consent";
import { checkReportSchema } from "../../../src/report/json-schema";
import { readSeeds, startEmulator, type RunningEmulator } from "../../../src/emulator";
import { loadAllTenants, type LoadedTenant } from "../../../src/tenant";
import { consentTo, emulatorTargets } from "../../support/emulator";
import { testAppPem } from "../../support/graph-connect";
import { REPO } from "../../support/repo";

let emu: RunningEmulator;
let tenants: LoadedTenant[];
beforeEach(async () => {
  emu = await startEmulator({ tenants: readSeeds(join(REPO, "test/fixtures/tenants")), behaviour: { latencyMs: 5 } });
  tenants = loadAllTenants(REPO, "2026-11-23");
  const pem = await testAppPem();
  for (const t of tenants) emu.registerClientCertificate(t.compiled.tenantId, t.stack.config.deployment.clientId, pem);
});
afterEach(() => emu.close());

/** Admin consent in `tenant` for every permission `check` needs except `without`. */
function consent(tenant: LoadedTenant, ...without: string[]): void {
  consentTo(
    emu,
    tenant.compiled.tenantId,
    tenant.stack.config.deployment.clientId,
    checkPermissions().filter((p) => !without.includes(p.value)),
  );
}

async function check() {
  const targets = emulatorTargets(emu, tenants, await testAppPem());
  return runCheck(targets, {
    concurrency: 8,
    controls: controlInfo(),
    baselineVersion: "test",
    now: new Date("2026-11-23T12:00:00Z"),
  });
}

describe("check with the documented permissions only", () => {
  it("the read permissions in docs/permissions.md are enough: no request is refused", async () => {
    for (const t of tenants) consent(t);
    const report = await check();
    expect(report.summary).toEqual({ tenants: 2, compliant: 1, drifted: 1, errors: 0 });
    const refused = emu.requestLog().filter((l) => l.status === 401 || l.status === 403);
    // Only the backup app's sign-in activity, which needs the optional AuditLog.Read.All (docs/permissions.md,
    // "Optional, `check`"), is refused; it is reported as not read and the tenant is still checked (issue 19).
    const SIGN_INS = "reports.servicePrincipalSignInActivities";
    expect(refused.filter((l) => l.route !== SIGN_INS)).toEqual([]);
    const withApp = report.tenants.filter((t) => t.backupSignIn);
    expect(withApp.length).toBeGreaterThan(0);
    expect(refused.filter((l) => l.route === SIGN_INS)).toHaveLength(withApp.length);
    for (const t of withApp) expect(t.backupSignIn!.notRead).toMatch(/^needs AuditLog\.Read\.All/);
  });

  it("a tenant lacking one Graph permission fails alone, and its error names the permission and the fix", async () => {
    consent(tenants[0]!, "SecurityEvents.Read.All");
    consent(tenants[1]!);
    const report = await check();
    const [lacking, fine] = report.tenants;
    expect(lacking!.status).toBe("error");
    expect(lacking!.error).toContain(
      "the deploying app lacks a permission in this tenant: SecurityEvents.Read.All (Microsoft Graph) for GET /security/secureScores, GET /security/secureScoreControlProfiles. Grant it (admin consent",
    );
    expect(fine!.status).not.toBe("error");
  });

  it("a tenant lacking Exchange.ManageAsApp is told so", async () => {
    for (const t of tenants) consent(t, "Exchange.ManageAsApp");
    const report = await check();
    expect(report.summary.errors).toBe(2);
    for (const t of report.tenants) expect(t.error).toContain("Exchange.ManageAsApp (Office 365 Exchange Online)");
    // Nothing was written while failing.
    expect(
      emu
        .requestLog()
        .filter(
          (l) =>
            !(
              l.method === "GET" ||
              l.route === "batch" ||
              l.route.startsWith("token") ||
              /^compliance:Get-/.test(l.route)
            ),
        ),
    ).toEqual([]);
  });

  it("a tenant lacking several permissions is told all of them at once, each with the calls that needed it", async () => {
    consent(tenants[0]!, "Policy.Read.All", "SecurityEvents.Read.All", "Exchange.ManageAsApp");
    consent(tenants[1]!);
    const report = await check();
    const error = report.tenants[0]!.error!;
    expect(error).toContain(
      "the deploying app lacks 3 permissions in this tenant: Policy.Read.All (Microsoft Graph) for GET /identity/conditionalAccess/policies, GET /policies/identitySecurityDefaultsEnforcementPolicy, GET /policies/authorizationPolicy; ",
    );
    expect(error).toContain(
      "; SecurityEvents.Read.All (Microsoft Graph) for GET /security/secureScores, GET /security/secureScoreControlProfiles; ",
    );
    expect(error).toContain(
      "; Exchange.ManageAsApp (Office 365 Exchange Online) for POST /InvokeCommand (Get-ComplianceTag), POST /InvokeCommand (Get-RetentionCompliancePolicy), POST /InvokeCommand (Get-RetentionComplianceRule). Grant them (admin consent",
    );
    // The report carries them as data (schema-valid), and the summary groups the fleet's gaps by permission.
    expect(report.tenants[0]!.missingPermissions).toEqual([
      "Exchange.ManageAsApp (Office 365 Exchange Online)",
      "Policy.Read.All (Microsoft Graph)",
      "SecurityEvents.Read.All (Microsoft Graph)",
    ]);
    expect(report.tenants[1]!.missingPermissions).toBeUndefined();
    const parsed = checkReportSchema.safeParse(JSON.parse(JSON.stringify(report)));
    expect(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues.slice(0, 3))).toBe(true);
    const stack = report.tenants[0]!.stack;
    expect(renderTerminal(report, { color: false })).toContain(
      `${CONSENT_HEADING}\n  Exchange.ManageAsApp (Office 365 Exchange Online): ${stack}\n  Policy.Read.All (Microsoft Graph): ${stack}\n`,
    );
    expect(renderMarkdown(report)).toContain(`- Policy.Read.All (Microsoft Graph): \`${stack}\``);
    // Named locations need the refused permission too: not read once the policies were refused.
    expect(
      emu
        .requestLog()
        .filter((l) => l.tenantId === report.tenants[0]!.tenantId && l.route === "conditionalAccess.namedLocations"),
    ).toEqual([]);
    expect(report.tenants[1]!.status).not.toBe("error");
  });
});
