import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCheck } from "../../../src/check";
import { controlInfo } from "../../../src/check/targets";
import { readSeeds, startEmulator, type RunningEmulator } from "../../../src/emulator";
import { renderJson, type CheckReport } from "../../../src/report";
import { loadAllTenants } from "../../../src/tenant";
import { runCli, runCliAsync } from "../../support/cli";
import { testAppPem } from "../../support/graph-connect";
import { hostileReport } from "../../support/hostile";
import { exampleConfig, REPO, tempRepo } from "../../support/repo";
import { emulatorTargets } from "../../support/emulator";

let emu: RunningEmulator;
let report: CheckReport;
const done: string[] = [];
let dir: string;

// A real report: check against the emulator's fixture tenants, saved as check --json would save it.
beforeAll(async () => {
  emu = await startEmulator({ tenants: readSeeds(join(REPO, "test/fixtures/tenants")), behaviour: { latencyMs: 5 } });
  const tenants = loadAllTenants(REPO, "2026-11-23");
  const pem = await testAppPem();
  for (const t of tenants) emu.registerClientCertificate(t.compiled.tenantId, t.stack.config.deployment.clientId, pem);
  const targets = emulatorTargets(emu, tenants, pem);
  report = await runCheck(targets, {
    concurrency: 2,
    controls: controlInfo(),
    baselineVersion: "test",
    now: new Date("2026-11-23T12:00:00Z"),
    onTenantDone: (t) => done.push(t.stack),
  });
  dir = mkdtempSync(join(tmpdir(), "m365b-customer-"));
  writeFileSync(join(dir, "report.json"), renderJson(report));
});
afterAll(() => emu.close());

describe("report customer --from a saved check report", () => {
  it("check's onTenantDone hook saw each tenant once", () => {
    expect([...done].sort()).toEqual(report.tenants.map((t) => t.stack).sort());
  });

  it("writes one page per tenant holding its name, its controls' titles and statuses, and Secure Score", () => {
    const out = join(dir, "all");
    const r = runCli(["report", "customer", "--from", join(dir, "report.json"), "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const expected = report.tenants.map((t) => `${t.stack}.html`).sort();
    expect(readdirSync(out).sort()).toEqual(expected);
    expect(r.stdout.trim().split("\n")).toEqual(report.tenants.map((t) => join(out, `${t.stack}.html`)));
    for (const tenant of report.tenants) {
      const html = readFileSync(join(out, `${tenant.stack}.html`), "utf8");
      expect(html).toContain(`<h1>Security responsibilities — ${tenant.displayName}</h1>`);
      for (const c of tenant.controls) expect(html).toContain(`<td>${c.controlId}</td><td>${c.title}</td>`);
      if (tenant.secureScore) expect(html).toContain(`<dt>Now</dt><dd>${tenant.secureScore.currentScore} of`);
      expect(html).toContain("What remains yours");
    }
    const drifted = report.tenants.find((t) => t.status === "drifted")!;
    const control = drifted.controls.find((c) => c.status === "drifted")!;
    const html = readFileSync(join(out, `${drifted.stack}.html`), "utf8");
    expect(html).toContain(`<tr class="drifted"><td>${control.controlId}</td>`);
    expect(html).toContain(`${control.differences.length} difference(s): ${control.differences[0]!.path}`);
  });

  it("--stack selects tenants; an unknown stack is refused naming the ones the report has", () => {
    const out = join(dir, "one");
    const first = report.tenants[0]!.stack;
    expect(
      runCli(["report", "customer", "--from", join(dir, "report.json"), "--stack", first, "--out", out]).code,
    ).toBe(0);
    expect(readdirSync(out)).toEqual([`${first}.html`]);
    const r = runCli(["report", "customer", "--from", join(dir, "report.json"), "--stack", "nope", "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the report has no tenant of stack 'nope'");
    expect(r.stderr).toContain(first);
  });

  it("refuses a file that is not a check report, naming it", () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ schemaVersion: 1, tenants: [{ stack: 1 }] }));
    const r = runCli(["report", "customer", "--from", bad, "--out", join(dir, "bad")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:`);
    expect(r.stderr).toContain("not a check report");
    expect(existsSync(join(dir, "bad"))).toBe(false);
  });

  it("escapes hostile tenant texts and keeps file names inside --out", () => {
    const hostile = hostileReport("<img src=x onerror=alert(1)>");
    const file = join(dir, "hostile.json");
    writeFileSync(file, renderJson({ ...hostile, tenants: [{ ...hostile.tenants[0]!, stack: "../escape" }] }));
    const out = join(dir, "hostile");
    const r = runCli(["report", "customer", "--from", file, "--out", out]);
    expect(r.code).toBe(0);
    expect(readdirSync(out)).toEqual(["__escape.html"]);
    const html = readFileSync(join(out, "__escape.html"), "utf8");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("--pdf without Chromium fails before writing anything, naming the fix", () => {
    const out = join(dir, "nochrome");
    const r = runCli(["report", "customer", "--from", join(dir, "report.json"), "--out", out, "--pdf"], REPO, {
      M365B_CHROMIUM: join(dir, "no-such-chromium"),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("apt-get install chromium");
    expect(r.stderr).toContain("M365B_CHROMIUM");
    expect(existsSync(out)).toBe(false);
  });
});

describe("check --customer-report", () => {
  it("writes each tenant's page after the check, keeps --json on stdout, and reports the files on stderr", async () => {
    const K = (key: string) => `m365-baseline:${key}`;
    const at = { graph: emu.url, authority: emu.url, compliance: emu.url, caCertificateFile: "emulator-ca.pem" };
    const repo = tempRepo(
      {
        contoso: { ...exampleConfig("contoso"), [K("endpoints")]: at },
        fabrikam: { ...exampleConfig("fabrikam"), [K("endpoints")]: at },
      },
      { "emulator-ca.pem": emu.caCertificatePem },
    );
    try {
      const out = join(repo.root, "customer");
      const r = await runCliAsync(
        ["check", "--all", "--json", "--dir", repo.root, "--customer-report", out],
        repo.root,
        {
          M365B_CERTIFICATE_PEM: await testAppPem(),
          M365B_ALLOW_ENDPOINTS: emu.url,
        },
      );
      const checked = JSON.parse(r.stdout) as CheckReport;
      expect(checked.summary.errors).toBe(0);
      expect(r.code).toBe(checked.summary.drifted > 0 ? 2 : 0);
      expect(readdirSync(out).sort()).toEqual(["contoso.html", "fabrikam.html"]);
      expect(r.stderr).toContain(`customer report: ${join(out, "contoso.html")}`);
      // Two tenants in a log: no progress line (one every 10 tenants or 10 s), and never a carriage return.
      expect(r.stderr).not.toContain("\r");
      expect(r.stderr).not.toContain("tenants, ");
      const contoso = checked.tenants.find((t) => t.stack === "contoso")!;
      expect(readFileSync(join(out, "contoso.html"), "utf8")).toContain(`— ${contoso.displayName}</h1>`);
    } finally {
      repo.cleanup();
    }
  });

  it("--pdf without --customer-report, or without Chromium, is refused before any tenant is read", () => {
    const alone = runCli(["check", "--all", "--pdf", "--dir", REPO]);
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain("--pdf: prints the customer reports, so it needs --customer-report");
    const out = join(dir, "check-nochrome");
    const args = ["check", "--all", "--dir", REPO, "--customer-report", out, "--pdf"];
    const r = runCli(args, REPO, { M365B_CHROMIUM: join(dir, "no-such-chromium") });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("apt-get install chromium");
    expect(existsSync(out)).toBe(false);
    // No report printed: the check never ran (it would print error rows for these stacks' real endpoints).
    expect(r.stdout).toBe("");
    expect(alone.stdout).toBe("");
  });
});
