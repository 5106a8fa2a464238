import { afterAll, describe, expect, it } from "vitest";
import { hasStackTrace, runCli } from "../../support/cli";
import { exampleConfig, tempRepo } from "../../support/repo";

const broken = exampleConfig("contoso");
broken["m365-baseline:branding"] = { assets: { bannerLogo: "baselines/assets/nope.png" } };
delete broken["m365-baseline:breakGlass"];
const repo = tempRepo({ good: exampleConfig("fabrikam"), broken });
afterAll(repo.cleanup);
const auto = exampleConfig("fabrikam");
auto["m365-baseline:licences"] = "auto";
const autoRepo = tempRepo({ auto });
afterAll(autoRepo.cleanup);

describe("CLI: validate, plan, schema", () => {
  it("validate passes on the committed example stacks", () => {
    const r = runCli(["validate"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok {2}stacks\/Pulumi\.contoso\.yaml: 21 resources from baseline msp-standard$/m);
    expect(r.stdout).toMatch(/fabrikam\.yaml: .*CA06 notLicensed, CA07 notLicensed, CA09 excepted/);
  });
  it("validate lists every problem as 'file: key: message (fix)', exit 1, no stack trace", () => {
    const r = runCli(["validate", "--dir", repo.root]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "stacks/Pulumi.broken.yaml: m365-baseline:breakGlass: Invalid input: expected object, received undefined (add this required key)",
    );
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(r.stdout).toBe("");
  });
  it("a missing image is named with the stack key once break-glass is fixed", () => {
    const r = runCli(["validate", "--dir", repo.root, "--stack", "good"]);
    expect(r.code).toBe(0);
    broken["m365-baseline:breakGlass"] = { users: ["bg@contoso.onmicrosoft.com"] };
    const fixed = tempRepo({ broken });
    try {
      const b = runCli(["validate", "--dir", fixed.root]);
      expect(b.stderr.trim()).toBe(
        "stacks/Pulumi.broken.yaml: m365-baseline:branding.assets.bannerLogo: file not found: baselines/assets/nope.png (add the file to the repository or correct the path (relative to the repository root))",
      );
    } finally {
      fixed.cleanup();
    }
  });
  it("plan --json prints the compiled tenant; plan of an unknown stack is one line", () => {
    const r = runCli(["plan", "--stack", "fabrikam", "--json"]);
    expect(r.code).toBe(0);
    const compiled = JSON.parse(r.stdout) as { tenantId: string; resources: { name: string }[] };
    expect(compiled.tenantId).toBe("9d8e7f60-1b2c-4d3e-8f4a-5b6c7d8e9f02");
    expect(compiled.resources.map((x) => x.name)).toContain("ca01");
    const missing = runCli(["plan", "--stack", "nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
  });
  it("plan prints one row per object with stage and key settings, and controls that produce nothing with why", () => {
    const r = runCli(["plan", "--stack", "fabrikam"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^CA02 +conditionalAccessPolicy "CA02 - Require MFA for all users" +reportOnly +enabledForReportingButNotEnforced; users All; grant mfa; 3 break-glass exclusions$/m,
    );
    expect(r.stdout).toMatch(/^CA06 +— +reportOnly +notLicensed: requires Entra ID P2$/m);
    expect(r.stdout).toMatch(/^CA09 +— +off +excepted: .*\(until 2027-03-31\)$/m);
    expect(r.stdout).toMatch(
      /^RET02 +retentionComplianceRule "Mailboxes - keep 7 years rule" +enforce +Keep 2555 days$/m,
    );
  });
  it("licences: auto validates offline and says the licences are derived at check and up time", () => {
    const v = runCli(["validate", "--dir", autoRepo.root]);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(
      /^ok {2}stacks\/Pulumi\.auto\.yaml: .*; licences: auto: derived from the tenant's subscribedSkus at check and up time; offline, Entra ID P1 and P2 are assumed$/m,
    );
    // Offline, the P2 controls fabrikam's claim leaves out are planned: every control the baseline has.
    expect(v.stdout).not.toMatch(/notLicensed/);
    const p = runCli(["plan", "--dir", autoRepo.root, "--stack", "auto"]);
    expect(p.stdout).toMatch(/^CA06 +conditionalAccessPolicy /m);
    expect(p.stdout).toMatch(/^licences: auto: derived from the tenant's subscribedSkus/m);
    const j = runCli(["plan", "--dir", autoRepo.root, "--stack", "auto", "--json"]);
    expect(JSON.parse(j.stdout)).toHaveProperty("tenantId");
    expect(j.stderr).toMatch(/^licences: auto: /);
  });
  it("stacks/schema.json, docs/permissions.md and the README's permissions table are up to date", () => {
    const r = runCli(["schema", "--check"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
  it("an unknown command or option exits non-zero with help, not a trace", () => {
    const r = runCli(["valdate"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/unknown command/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});
