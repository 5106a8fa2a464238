/**
 * `promote` through the real CLI against the emulator seeded with the contoso tenant: What If for each break-glass
 * user, the report-only results of the last N days of sign-ins, and the stage written (comments kept) only when no
 * break-glass principal would be in scope of an enforced policy.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readSeeds, startEmulator, type RunningEmulator, type TenantSeed } from "../../../src/emulator";
import { today } from "../../../src/tenant";
import { runCliAsync } from "../../support/cli";
import { CLIENT_ID, CONTOSO } from "../../support/emulator";
import { testAppPem } from "../../support/graph-connect";
import { REPO, tempRepo } from "../../support/repo";
import { signIn } from "../../support/sign-ins";

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const CA04 = "CA04 - Require phishing-resistant MFA for administrators";
const ALEX = "alex@contoso.onmicrosoft.com";
const SAM = "sam@contoso.onmicrosoft.com";

/** Sign-ins of the last weeks: exact counts for CA04 inside 14 days, and older ones that must not count. */
const SIGN_INS = [
  signIn(ALEX, 1, { [CA04]: "reportOnlyFailure" }),
  signIn(ALEX, 2, { [CA04]: "reportOnlyFailure" }),
  signIn(SAM, 3, { [CA04]: "reportOnlyFailure", "CA05 - Require MFA for Azure management": "reportOnlyFailure" }),
  signIn(SAM, 4, { [CA04]: "reportOnlyInterrupted" }),
  signIn(ALEX, 5, { [CA04]: "reportOnlySuccess" }),
  signIn(ALEX, 6, { [CA04]: "reportOnlyNotApplied" }),
  signIn(ALEX, 7, { "CA02 - Require MFA for all users": "success" }),
  signIn(SAM, 20, { [CA04]: "reportOnlyFailure" }),
];

/** `promote` for contoso against an emulator whose seed `adjust` may change; the temp repo is returned for reads. */
async function promote(args: string[], adjust: (seed: TenantSeed) => TenantSeed = (s) => s) {
  const seed = readSeeds(join(REPO, "test/fixtures/tenants")).find((s) => s.tenantId === CONTOSO)!;
  const seeded = adjust({ ...seed, collections: { ...seed.collections, signIns: SIGN_INS } });
  emu = await startEmulator({ tenants: [seeded], behaviour: { latencyMs: 0, conditionalAccessIntervalMs: 0 } });
  const pem = await testAppPem();
  emu.registerClientCertificate(CONTOSO, CLIENT_ID, pem);
  // The committed stack file with its comments, pointed at the emulator.
  const stack =
    readFileSync(join(REPO, "stacks/Pulumi.contoso.yaml"), "utf8") +
    `  m365-baseline:endpoints:\n    graph: ${emu.url}\n    authority: ${emu.url}\n    compliance: ${emu.url}\n` +
    "    caCertificateFile: emulator-ca.pem\n";
  const r = tempRepo({ contoso: stack }, { "emulator-ca.pem": emu.caCertificatePem });
  const out = await runCliAsync(["promote", "--stack", "contoso", ...args, "--dir", r.root], r.root, {
    M365B_CERTIFICATE_PEM: pem,
    M365B_ALLOW_ENDPOINTS: emu.url,
  });
  return { ...out, repo: r };
}

describe("m365-baseline promote", () => {
  it("safe: prints the evidence with exact report-only counts, writes the stage and the evidence file", async () => {
    const out = await promote(["CA04", "--write"]);
    try {
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toContain(`${CA04}\n  Break-glass (offline): safe, every break-glass principal is excluded`);
      expect(out.stdout).toContain(
        "Break-glass (What-If): safe, applies to none of 2 break-glass user(s) " +
          "(bg-admin1@contoso.onmicrosoft.com, bg-admin2@contoso.onmicrosoft.com)",
      );
      expect(out.stdout).toContain(
        "Report-only impact, last 14 days: 3 sign-in(s) / 2 user(s) would have failed, " +
          "1 sign-in(s) / 1 user(s) interrupted (of 6 report-only evaluations since ",
      );
      expect(out.stdout).toContain("Result: safe to enforce CA04.");
      const stack = readFileSync(join(out.repo.root, "stacks/Pulumi.contoso.yaml"), "utf8");
      expect(stack).toContain("    CA09: enforce\n    CA04: enforce\n");
      expect(stack).toContain(
        "# Contoso Ltd: standard baseline, conditional access enforced after a clean report-only fortnight.",
      );
      const evidence = `docs/promotions/contoso-CA04-${today()}.md`;
      expect(out.stdout).toContain(`Evidence written to ${evidence}`);
      const md = readFileSync(join(out.repo.root, evidence), "utf8");
      expect(md).toContain("# Promotion evidence: CA04 on contoso");
      expect(md).toContain(`## ${CA04}\n- Break-glass (offline): safe`);
    } finally {
      out.repo.cleanup();
    }
  });

  it("--days 3 counts only the last 3 days (the sign-in made exactly 3 days ago is older by now)", async () => {
    const out = await promote(["CA04", "--days", "3", "--json"]);
    try {
      expect(out.code, out.stderr).toBe(0);
      const json = JSON.parse(out.stdout) as { refused: boolean; impact: { policies: Record<string, number>[] } };
      expect(json.refused).toBe(false);
      expect(json.impact.policies[0]).toMatchObject({
        evaluated: 2,
        failedSignIns: 2,
        failedUsers: 1,
        interruptedSignIns: 0,
      });
      // Without --write nothing is written.
      expect(readFileSync(join(out.repo.root, "stacks/Pulumi.contoso.yaml"), "utf8")).not.toContain("CA04: enforce");
    } finally {
      out.repo.cleanup();
    }
  });

  it("refuses when the tenant's stored policy lacks the break-glass exclusion: exit 1, nothing written", async () => {
    const out = await promote(["CA04", "--write"], (seed) => ({
      ...seed,
      collections: {
        ...seed.collections,
        conditionalAccessPolicies: seed.collections!["conditionalAccessPolicies"]!.map((p) =>
          p["displayName"] === CA04
            ? { ...p, conditions: { ...(p["conditions"] as object), users: { includeUsers: ["All"] } } }
            : p,
        ),
      },
    }));
    try {
      expect(out.code, out.stdout).toBe(1);
      expect(out.stdout).toContain(
        "Break-glass (What-If): REFUSED: applies to user bg-admin1@contoso.onmicrosoft.com, " +
          "user bg-admin2@contoso.onmicrosoft.com",
      );
      expect(out.stdout).toContain("Result: REFUSED.");
      expect(readFileSync(join(out.repo.root, "stacks/Pulumi.contoso.yaml"), "utf8")).not.toContain("CA04: enforce");
      expect(existsSync(join(out.repo.root, "docs", "promotions"))).toBe(false);
    } finally {
      out.repo.cleanup();
    }
  });

  it("refuses a control that is already enforced or not conditional access, with the fix", async () => {
    const out = await promote(["CA02", "BRAND01"]);
    try {
      expect(out.code).toBe(1);
      expect(out.stderr).toContain("CA02 is already enforced in stack 'contoso'");
      expect(out.stderr).toContain("BRAND01 is not a conditional-access control");
      expect(out.stderr).toContain("name one of the stack's report-only CA controls: CA04, CA05, CA06, CA07, CA08");
    } finally {
      out.repo.cleanup();
    }
  });
});
