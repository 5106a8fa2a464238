import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { demoSeeds } from "../../../src/emulator/demo-fixtures";
import { hasStackTrace, runCli } from "../../support/cli";
import { REPO } from "../../support/repo";

const dir = mkdtempSync(join(tmpdir(), "m365b-demo-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm start (demo on the embedded emulator)", () => {
  const r = runCli(["demo", "--html", join(dir, "report.html")]);
  it("exits 0 and reports contoso compliant and fabrikam drifted", () => {
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 tenant\(s\): 1 compliant, 1 drifted, 0 error\(s\)/);
    expect(r.stdout).toMatch(/Contoso Ltd\s+contoso\s+compliant\s+17\s+0\s+0/);
  });
  it("shows fabrikam's exact differences", () => {
    expect(r.stdout).toContain('CA02 state: desired "enabledForReportingButNotEnforced", live "disabled"');
    expect(r.stdout).toContain(
      'CA00 members: desired ["ref:user/breakglass@fabrikam.onmicrosoft.com"], live ["ref:user/breakglass@fabrikam.onmicrosoft.com","ref:user/helpdesk@fabrikam.onmicrosoft.com"]',
    );
    expect(r.stdout).toContain(
      'POL03 authenticationMethodConfigurations.Sms.state: desired "disabled", live "enabled"',
    );
    // A user excluded by hand that the baseline does not name is shown by UPN (read by id), not as an object id.
    expect(r.stdout).toContain(
      'CA03 conditions.users.excludeUsers: desired ["ref:user/breakglass@fabrikam.onmicrosoft.com"], live ["ref:user/helpdesk@fabrikam.onmicrosoft.com","ref:user/breakglass@fabrikam.onmicrosoft.com"]',
    );
    expect(r.stdout).toContain("RET02 ret02-mailboxes-keep-7-years-rule: RetentionDuration: desired 2555, live 365");
    expect(r.stdout).toContain(
      'BRAND01 signInPageText: desired "Authorised users only. Sign-ins are monitored by your IT partner.", live "Welcome to Fabrikam! Call Bob for your password."',
    );
    expect(r.stdout).toMatch(/CA05\s+Require MFA for Azure management\s+missing/);
    expect(r.stdout).toMatch(/CA09\s+Block device code flow\s+excepted\s+until 2027-03-31/);
    expect(r.stdout).toMatch(/application\s+Old Backup Tool\s+highPrivilege\s+Directory\.ReadWrite\.All/);
  });
  it("writes a self-contained HTML dashboard", () => {
    const html = readFileSync(join(dir, "report.html"), "utf8");
    expect(html).toContain('<script id="dashboard-data" type="application/json">');
    expect(html).toMatch(/http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-/);
    // The registry's framework references reach the page's data.
    expect(html).toContain('"framework":"CISA SCuBA","ref":"MS.AAD.1.1v1"');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
  });
});

describe("check --json", () => {
  it("is a CheckReport that validates against the published schema", async () => {
    const { checkReportSchema } = await import("../../../src/report/json-schema");
    const r = runCli(["demo", "--json", "--html", join(dir, "r2.html")]);
    expect(r.code).toBe(0);
    const parsed = checkReportSchema.safeParse(JSON.parse(r.stdout));
    expect(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues.slice(0, 3))).toBe(true);
  });
});

describe("demo fixtures", () => {
  it("are what `npm run fixtures` generates from the committed stacks (run it after changing a baseline)", () => {
    const seeds = demoSeeds(REPO);
    for (const name of ["contoso", "fabrikam"]) {
      expect(JSON.parse(readFileSync(join(REPO, "test/fixtures/tenants", `${name}.json`), "utf8"))).toEqual(
        JSON.parse(JSON.stringify(seeds[name])),
      );
    }
  });
});
