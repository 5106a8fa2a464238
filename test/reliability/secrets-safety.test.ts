import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { runCheck } from "../../src/check";
import { controlInfo } from "../../src/check/targets";
import { compile } from "../../src/compile";
import { loadBaseline } from "../../src/baseline/load";
import { readSeeds, startEmulator, type RunningEmulator } from "../../src/emulator";
import { renderHtml, renderJson, renderMarkdown, renderTerminal } from "../../src/report";
import { parseStackConfig } from "../../src/stack/load";
import { loadAllTenants } from "../../src/tenant";
import { runCli } from "../support/cli";
import { FAST, testAppPem } from "../support/graph-connect";
import { exampleConfig, REPO, tempRepo } from "../support/repo";
import { fakeKeyAndCertificate } from "../fixtures/test-only-pem";
import { emulatorTargets } from "../support/emulator";

const MARKER = "SECRET-MARKER-7f3c9a";

describe("secrets never leave their place", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ tenants: readSeeds(join(REPO, "test/fixtures/tenants")) });
  });
  afterAll(() => emu.close());

  it("a wrong PEM carrying a marker appears in no report format and no error", async () => {
    const tenants = loadAllTenants(REPO, "2026-11-23");
    const badPem = fakeKeyAndCertificate(MARKER, MARKER);
    const report = await runCheck(emulatorTargets(emu, tenants, badPem, { ...FAST, sdkMaxRetries: 0 }), {
      concurrency: 2,
      controls: controlInfo(),
      baselineVersion: "t",
    });
    expect(report.summary.errors).toBe(2);
    for (const text of [
      renderJson(report),
      renderHtml(report),
      renderMarkdown(report),
      renderTerminal(report, { color: false }),
    ])
      expect(text).not.toContain(MARKER);
  });
  it("a working PEM is not in the report either", async () => {
    const pem = await testAppPem();
    const tenants = loadAllTenants(REPO, "2026-11-23");
    for (const t of tenants)
      emu.registerClientCertificate(t.compiled.tenantId, t.stack.config.deployment.clientId, pem);
    const report = await runCheck(emulatorTargets(emu, tenants, pem), {
      concurrency: 2,
      controls: controlInfo(),
      baselineVersion: "t",
    });
    const body = pem.split("\n")[1]!;
    expect(renderJson(report)).not.toContain(body);
    expect(renderHtml(report)).not.toContain(body);
  });
  it("plan and validate print no secure value from the stack file", () => {
    // As `pulumi config set --secret` writes it (passphrase provider): ciphertext plus the stack's salt.
    const secure = "v1:vEmNcAjlv/5/7x45:ozhaduBMI7y5siLNULuH/oVFbyxMxj6fbl4lMD/47WLu4WOpAQ1Ej6EtQ5VPeb6PLDlyfD5aun7";
    const config = {
      ...exampleConfig("contoso"),
      "m365-baseline:certificatePem": { secure },
      "m365-baseline:certificatePfxPassword": { secure },
    };
    const repo = tempRepo(
      {},
      {
        "stacks/Pulumi.contoso.yaml": stringify({
          config,
          encryptionsalt: "v1:DLtjAtjVjWw=:v1:9ziH4p9j8UpkYGe8:CAJxAAn2r2Fl",
        }),
      },
    );
    try {
      for (const args of [["plan", "--stack", "contoso"], ["plan", "--stack", "contoso", "--json"], ["validate"]]) {
        const r = runCli([...args, "--dir", repo.root]);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout + r.stderr).not.toContain(secure);
      }
    } finally {
      repo.cleanup();
    }
  });
  it("a plain-text secret in a stack file is refused without echoing it", () => {
    const config = exampleConfig("contoso");
    config["m365-baseline:certificatePem"] = MARKER;
    let message = "";
    try {
      parseStackConfig(config, { file: "stacks/Pulumi.x.yaml", decrypted: false });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/secret in plain text/);
    expect(message).not.toContain(MARKER);
  });
});

describe("safety: no compiled policy set can lock out break-glass", () => {
  const baselines = ["msp-standard", "msp-strict"].map((n) => loadBaseline(REPO, n, "x"));
  const caIds = ["CA01", "CA02", "CA03", "CA04", "CA05", "CA06", "CA07", "CA08", "CA09", "CA10", "CA11"];
  it("over 300 generated stacks (stages, extra exclusions with exceptions, groups, licences)", () => {
    let compiled = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...baselines),
        fc.dictionary(fc.constantFrom(...caIds), fc.constantFrom("reportOnly", "enforce")),
        fc.array(
          fc.stringMatching(/^[a-z][a-z0-9]{2,8}$/).map((n) => `${n}@contoso.onmicrosoft.com`),
          { minLength: 1, maxLength: 3 },
        ),
        fc.array(fc.stringMatching(/^[A-Z][a-z]{3,10}$/), { maxLength: 2 }),
        fc.boolean(),
        (baseline, stages, users, groups, p2) => {
          const config = exampleConfig("contoso");
          config["m365-baseline:breakGlass"] = { users: [...new Set(users.map((u) => u.toLowerCase()))], groups };
          config["m365-baseline:licences"] = { entraIdP1: true, entraIdP2: p2 };
          const exceptions = Object.keys(stages).map((control) => ({
            control,
            reason: "generated rollout decision",
            expires: "2027-06-30",
          }));
          config["m365-baseline:stages"] = Object.fromEntries(
            Object.entries(stages).filter(([id]) => baseline.controls.has(id as never)),
          );
          config["m365-baseline:exceptions"] = exceptions.filter((e) => baseline.controls.has(e.control as never));
          delete config["m365-baseline:branding"];
          let stack;
          try {
            stack = parseStackConfig(config, { file: "x", decrypted: false }).config;
          } catch {
            return;
          }
          const t = compile(baseline, stack, { file: "x", stack: "x", today: "2026-11-23" });
          compiled++;
          for (const r of t.resources.filter((x) => x.type === "conditionalAccessPolicy")) {
            const u = (r.properties as { conditions: { users: { excludeUsers: string[]; excludeGroups: string[] } } })
              .conditions.users;
            for (const user of stack.breakGlass.users) expect(u.excludeUsers).toContain(`ref:user/${user}`);
            for (const g of [stack.breakGlass.groupName, ...stack.breakGlass.groups])
              expect(u.excludeGroups).toContain(`ref:group/${g}`);
          }
        },
      ),
      { numRuns: 300, seed: 42 },
    );
    expect(compiled).toBeGreaterThan(200);
  });
});
