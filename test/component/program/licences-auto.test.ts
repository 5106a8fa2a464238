/**
 * Issue 13: the program for a stack with `licences: auto` reads the tenant's subscribedSkus through the project's
 * Graph client (here against the embedded emulator) before registering anything, and registers only the controls
 * the derived licences allow. Contoso's tenant has Business Premium only (SPB: AAD_PREMIUM, no AAD_PREMIUM_P2).
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { atEmulator } from "../../../src/check/targets";
import { readSeeds, startEmulator, type RunningEmulator } from "../../../src/emulator";
import { CONTOSO } from "../../support/emulator";
import { testAppPem } from "../../support/graph-connect";
import { installMocks, programConfig, settle } from "../../support/pulumi-mocks";
import { REPO } from "../../support/repo";

const registered = installMocks("contoso");
const PFX = "UEZYU0VDUkVU";
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

/** Contoso's stack as Pulumi hands it to the program, with `licences: auto`. */
function autoConfig(): Record<string, string> {
  return {
    ...programConfig("contoso", { certificatePem: pem, certificatePfx: PFX }),
    "m365-baseline:licences": "auto",
  };
}

const caPolicies = () =>
  registered
    .filter((r) => r.type === "azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy")
    .map((r) => r.name)
    .sort();

describe("the program for a licences: auto stack (issue 13)", async () => {
  const { runProgram } = await import("../../../src/program/run");
  const dynamic = () => {
    const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
    return (type: string, name: string, inputs: Record<string, unknown>, opts: object) =>
      new (class extends pulumi.CustomResource {})(`test:dynamic:${type}`, name, inputs, opts);
  };

  it("reads subscribedSkus first, then registers the P1 controls and none of the P2 ones", async () => {
    const clientId = JSON.parse(autoConfig()["m365-baseline:deployment"]!).clientId as string;
    emu.registerClientCertificate(CONTOSO, clientId, pem);
    emu.clearLog();
    registered.length = 0;
    const outputs = await runProgram(
      "contoso",
      autoConfig(),
      REPO,
      {},
      {
        dynamic: dynamic(),
        graph: (settings) => atEmulator(emu)("contoso", settings),
      },
    );
    await settle();
    const reads = emu.requestLog().filter((l) => l.tenantId === CONTOSO && !l.route.startsWith("token"));
    expect(reads.map((l) => `${l.method} ${l.route} ${l.status}`)).toEqual(["GET subscribedSkus 200"]);
    expect(caPolicies()).toEqual(["ca01", "ca02", "ca03", "ca04", "ca05", "ca08", "ca09"]);
    expect(outputs.controls).toMatchObject({ CA06: "notLicensed", CA07: "notLicensed", CA01: "enforce" });
    expect(outputs.resources).not.toHaveProperty("ca06");
  });

  it("a tenant whose subscribedSkus cannot be read is one readable error naming the key, before any registration", async () => {
    emu.clearLog();
    registered.length = 0;
    const fabrikamApp = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d";
    // A deploying app the tenant does not know: the token request is refused, so nothing is read.
    const config = { ...autoConfig(), "m365-baseline:deployment": JSON.stringify({ clientId: fabrikamApp }) };
    const run = runProgram(
      "contoso",
      config,
      REPO,
      {},
      {
        dynamic: dynamic(),
        graph: (settings) => atEmulator(emu)("contoso", settings),
      },
    );
    await expect(run).rejects.toThrow(
      /^m365-baseline: the stack configuration is invalid:\nstacks\/Pulumi\.contoso\.yaml: m365-baseline:licences: is auto, but the tenant's subscribedSkus could not be read: /,
    );
    await settle();
    expect(registered).toEqual([]);
  });
});
