/**
 * Issue 19: `check` reads the backup app's (APP01) last sign-in from the beta servicePrincipalSignInActivities report,
 * through the CLI against the emulator, and the customer page says it; without AuditLog.Read.All the read is
 * recorded as not read and the tenant is still checked with the same exit code.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPermissions } from "../../../src/controls/permissions";
import { readSeeds, startEmulator, type RunningEmulator } from "../../../src/emulator";
import type { CheckReport } from "../../../src/report";
import { runCliAsync } from "../../support/cli";
import { testAppPem } from "../../support/graph-connect";
import { exampleConfig, REPO, tempRepo } from "../../support/repo";
import { consentTo, CONTOSO } from "../../support/emulator";

let emu: RunningEmulator;
let pem: string;
let repo: { root: string; cleanup: () => void };

beforeAll(async () => {
  emu = await startEmulator({ tenants: readSeeds(join(REPO, "test/fixtures/tenants")), behaviour: { latencyMs: 1 } });
  pem = await testAppPem();
  emu.registerClientCertificate(CONTOSO, deploymentClientId(), pem);
  const K = (key: string) => `m365-baseline:${key}`;
  const at = { graph: emu.url, authority: emu.url, compliance: emu.url, caCertificateFile: "emulator-ca.pem" };
  repo = tempRepo(
    { contoso: { ...exampleConfig("contoso"), [K("endpoints")]: at } },
    { "emulator-ca.pem": emu.caCertificatePem },
  );
});
afterAll(async () => {
  repo.cleanup();
  await emu.close();
});

/** The contoso stack's deploying app. */
function deploymentClientId(): string {
  return (exampleConfig("contoso")["m365-baseline:deployment"] as { clientId: string }).clientId;
}

/** `check --stack contoso --json --customer-report`: the report, the exit code and the contoso page. */
async function check(out: string): Promise<{ report: CheckReport; code: number; html: string }> {
  const dir = join(repo.root, out);
  const r = await runCliAsync(
    ["check", "--stack", "contoso", "--json", "--dir", repo.root, "--customer-report", dir],
    repo.root,
    { M365B_CERTIFICATE_PEM: pem, M365B_ALLOW_ENDPOINTS: emu.url },
  );
  expect(r.stdout, r.stderr).not.toBe("");
  return {
    report: JSON.parse(r.stdout) as CheckReport,
    code: r.code,
    html: readFileSync(join(dir, "contoso.html"), "utf8"),
  };
}

describe("check: the backup app's last sign-in (issue 19)", () => {
  let appId: string;
  let first: { report: CheckReport; code: number; html: string };

  it("reads the beta report for the backup app and shows its last sign-in on the customer page", async () => {
    const state = emu.tenant(CONTOSO);
    const app = state.collections.applications.find((a) => /veeam/i.test(String(a["displayName"])))!;
    appId = String(app["appId"]);
    const last = new Date(Date.now() - 2 * 86_400_000 - 3_600_000).toISOString();
    // The shape of Microsoft's example (reportroot-list-serviceprincipalsigninactivities?view=graph-rest-beta).
    state.collections.servicePrincipalSignInActivities = [
      {
        id: "b3RoZXI",
        appId: "00000000-0000-0000-0000-0000000000aa",
        lastSignInActivity: { lastSignInDateTime: last },
      },
      {
        id: "YmFja3Vw",
        appId,
        applicationAuthenticationClientSignInActivity: { lastSignInDateTime: last, lastSignInRequestId: "r1" },
        lastSignInActivity: { lastSignInDateTime: last, lastSignInRequestId: "r1" },
      },
    ];
    emu.clearLog();
    first = await check("with-activity");
    const tenant = first.report.tenants[0]!;
    expect(tenant.error).toBeUndefined();
    expect(tenant.backupSignIn).toEqual({ appId, lastSignInDateTime: last });
    expect(first.html).toContain(`<dd>last sign-in ${last.slice(0, 10)} (2 days ago)</dd>`);
    expect(first.html).not.toContain("Backup app:");
    const reads = emu.requestLog().filter((l) => l.route === "reports.servicePrincipalSignInActivities");
    expect(reads).toHaveLength(1);
    expect(reads[0]!.status).toBe(200);
  });

  it("an old last sign-in warns on the page that the backups may have stopped", async () => {
    const old = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const state = emu.tenant(CONTOSO);
    state.collections.servicePrincipalSignInActivities = [
      { id: "YmFja3Vw", appId, lastSignInActivity: { lastSignInDateTime: old } },
    ];
    const { report, html } = await check("stale");
    expect(report.tenants[0]!.backupSignIn?.lastSignInDateTime).toBe(old);
    expect(html).toContain("(30 days ago)</dd>");
    expect(html).toMatch(/<p class="alert">Backup app: no sign-in for more than 7 days/);
  });

  it("without AuditLog.Read.All: not read, naming it; the tenant is still checked, same exit code", async () => {
    consentTo(emu, CONTOSO, deploymentClientId(), checkPermissions());
    expect(checkPermissions().some((p) => p.value === "AuditLog.Read.All")).toBe(false);
    const { report, code, html } = await check("no-consent");
    const tenant = report.tenants[0]!;
    expect(tenant.error).toBeUndefined();
    expect(tenant.missingPermissions).toBeUndefined();
    expect(tenant.status).toBe(first.report.tenants[0]!.status);
    expect(code).toBe(first.code);
    expect(tenant.backupSignIn).toEqual({ appId, notRead: expect.stringMatching(/^needs AuditLog\.Read\.All/) });
    expect(html).toContain("<dd>not read: needs AuditLog.Read.All");
  });
});
