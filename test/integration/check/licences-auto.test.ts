/**
 * Issue 13: a stack with `m365-baseline:licences: auto` is checked for the licences its tenant's subscribedSkus give.
 * Contoso's stack claims P1 and P2; here its tenant has Business Premium only (SPB: AAD_PREMIUM, no AAD_PREMIUM_P2).
 * The claimed stack gets the licence-mismatch rows; the auto stack compiles without the P2 controls and gets none.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCheck } from "../../../src/check";
import { controlInfo } from "../../../src/check/targets";
import { readSeeds, startEmulator, type RunningEmulator } from "../../../src/emulator";
import type { TenantCheckResult } from "../../../src/report/types";
import { renderTerminal } from "../../../src/report/terminal";
import { loadStack } from "../../../src/stack/load";
import { compileStack, type LoadedTenant } from "../../../src/tenant";
import { testAppPem } from "../../support/graph-connect";
import { REPO } from "../../support/repo";
import { CONTOSO, emulatorTargets } from "../../support/emulator";

const TODAY = "2026-11-23";
let emu: RunningEmulator;
let pem: string;

beforeAll(async () => {
  const seeds = readSeeds(join(REPO, "test/fixtures/tenants")).map((s) =>
    s.tenantId === CONTOSO ? { ...s, skus: ["SPB"] } : s,
  );
  emu = await startEmulator({ tenants: seeds, behaviour: { latencyMs: 1, conditionalAccessIntervalMs: 0 } });
  pem = await testAppPem();
});
afterAll(() => emu.close());

/** Contoso's stack as committed, or with `licences: auto`. */
function contoso(licences: "claimed" | "auto"): LoadedTenant {
  const stack = loadStack(REPO, "contoso");
  const config = licences === "auto" ? { ...stack.config, licences: "auto" as const } : stack.config;
  return compileStack(REPO, { ...stack, config }, TODAY);
}

async function check(tenant: LoadedTenant): Promise<TenantCheckResult> {
  emu.registerClientCertificate(tenant.compiled.tenantId, tenant.stack.config.deployment.clientId, pem);
  const report = await runCheck(emulatorTargets(emu, [tenant], pem), {
    concurrency: 1,
    controls: controlInfo(),
    baselineVersion: "test",
    now: new Date(`${TODAY}T12:00:00Z`),
  });
  return report.tenants[0]!;
}

const byId = (t: TenantCheckResult) => new Map(t.controls.map((c) => [c.controlId, c]));

describe("check: licences: auto (issue 13)", () => {
  it("the claimed stack reports its P2 claim against the tenant's subscriptions (the mismatch row)", async () => {
    const claimed = await check(contoso("claimed"));
    expect(claimed.error).toBeUndefined();
    expect(claimed.derivedLicences).toBeUndefined();
    expect(byId(claimed).get("CA06")).toMatchObject({
      status: "notLicensed",
      message: expect.stringMatching(/declares Entra ID P2, but no active subscription/),
    });
  });

  it("the auto stack reads subscribedSkus first, compiles without P2 controls and has no mismatch row", async () => {
    const tenant = contoso("auto");
    // Offline (validate, plan) the auto stack has every control; the check compiles it again for the tenant.
    expect(tenant.compiled.resources.map((r) => r.name)).toContain("ca06");
    emu.clearLog();
    const auto = await check(tenant);
    expect(auto.error).toBeUndefined();
    expect(auto.derivedLicences).toEqual({ entraIdP1: true, entraIdP2: false });
    const controls = byId(auto);
    for (const id of ["CA06", "CA07"]) {
      expect(controls.get(id), id).toMatchObject({
        status: "notLicensed",
        resources: [],
        message: "requires Entra ID P2, which the tenant's subscribedSkus do not include (licences: auto)",
      });
    }
    const messages = auto.controls.map((c) => c.message ?? "").join("\n");
    expect(messages).not.toMatch(/declares Entra ID|set m365-baseline:licences/);
    // P1 controls are applied and checked as usual: contoso's tenant is otherwise as its baseline wants it.
    expect(controls.get("CA02")?.status).toBe("compliant");
    expect(auto.status).toBe("compliant");
    // subscribedSkus is read once (before the compile), not again in the snapshot's $batch.
    const log = emu.requestLog().filter((l) => l.tenantId === CONTOSO);
    const reads = log.filter((l) => /subscribedSkus/.test(l.path));
    expect(reads.map((l) => l.route)).toEqual(["subscribedSkus"]);
    const terminal = renderTerminal(
      {
        schemaVersion: 1,
        generatedAt: `${TODAY}T12:00:00Z`,
        baselineVersion: "test",
        tenants: [auto],
        summary: { tenants: 1, compliant: 1, drifted: 0, errors: 0 },
      },
      { color: false },
    );
    expect(terminal).toContain("Licences derived from subscribedSkus (licences: auto): Entra ID P1 yes, P2 no");
  });

  it("a tenant with P2 gets the P2 controls applied", async () => {
    const tenant = contoso("auto");
    const seeded = emu.tenant(CONTOSO).collections.subscribedSkus;
    const before = [...seeded];
    seeded.push({
      skuId: "00000000-0000-4000-8000-0000000000e5",
      skuPartNumber: "AAD_PREMIUM_P2",
      capabilityStatus: "Enabled",
      servicePlans: [{ servicePlanName: "AAD_PREMIUM_P2", provisioningStatus: "Success" }],
    });
    try {
      const auto = await check(tenant);
      expect(auto.derivedLicences).toEqual({ entraIdP1: true, entraIdP2: true });
      expect(byId(auto).get("CA06")?.status).not.toBe("notLicensed");
      expect(byId(auto).get("CA06")?.resources).toEqual(["ca06"]);
    } finally {
      seeded.splice(0, seeded.length, ...before);
    }
  });
});
