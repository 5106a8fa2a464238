/**
 * `m365-baseline fleet preview|up|drift` through the Automation API and the real CLI over four stacks, one of them
 * broken: the broken one fails alone, shards split the fleet without overlap, drift names the changed property.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { RunningEmulator } from "../../src/emulator";
import { applyPermissions } from "../../src/controls/permissions";
import { bareTenant, consentTo, CONTOSO, FABRIKAM, testEmulator } from "../support/emulator";
import {
  ENGINE_RUNS,
  ENGINE_SKIP_REASON,
  engineWorkspace,
  initStack,
  requireEngine,
  type EngineWorkspace,
} from "../support/engine";
import { generatePem } from "../support/graph-test-server";
import { exampleConfig } from "../support/repo";

const NORTHWIND = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";
const northwind = {
  ...exampleConfig("contoso"),
  "m365-baseline:tenantId": NORTHWIND,
  "m365-baseline:primaryDomain": "northwind.onmicrosoft.com",
  "m365-baseline:displayName": "Northwind",
  "m365-baseline:breakGlass": { users: ["bg@northwind.onmicrosoft.com"] },
};
// A stack whose baseline does not exist: the program refuses it with one readable error.
const broken = { ...exampleConfig("contoso"), "m365-baseline:baseline": "msp-nonexistent" };
const STACKS = ["broken", "contoso", "fabrikam", "northwind"];
let emu: RunningEmulator;
let ws: EngineWorkspace;

interface FleetJson {
  results: {
    stack: string;
    status: string;
    error?: string;
    changes: { name: string; properties: { path: string }[] }[];
  }[];
}
const fleet = async (args: string[]) => {
  const r = await ws.cli(["fleet", ...args, "--json", "--concurrency", "2"]);
  return { code: r.code, json: JSON.parse(r.stdout || "{}") as FleetJson, stderr: r.stderr };
};

describe.skipIf(!ENGINE_RUNS)(`fleet through the real engine ${ENGINE_SKIP_REASON}`, () => {
  beforeAll(async () => {
    requireEngine();
    emu = await testEmulator({
      port: 0,
      tenants: [
        bareTenant(CONTOSO, {
          users: [
            { userPrincipalName: "bg-admin1@contoso.onmicrosoft.com" },
            { userPrincipalName: "bg-admin2@contoso.onmicrosoft.com" },
          ],
        }),
        bareTenant(FABRIKAM, {
          skus: ["AAD_PREMIUM"],
          users: [{ userPrincipalName: "breakglass@fabrikam.onmicrosoft.com" }],
          groups: [{ displayName: "Fabrikam Emergency Access", members: ["breakglass@fabrikam.onmicrosoft.com"] }],
        }),
        {
          tenantId: NORTHWIND,
          primaryDomain: "northwind.onmicrosoft.com",
          displayName: "Northwind",
          skus: ["SPE_E5"],
          users: [{ userPrincipalName: "bg@northwind.onmicrosoft.com" }],
        },
      ],
    });
    const pem = await generatePem("m365-baseline fleet test app");
    ws = await engineWorkspace({
      caCertificatePem: emu.caCertificatePem,
      emulatorUrl: emu.url,
      stacks: { northwind: stringify({ config: northwind }), broken: stringify({ config: broken }) },
    });
    for (const [stack, tenant] of [
      ["contoso", CONTOSO],
      ["fabrikam", FABRIKAM],
      ["northwind", NORTHWIND],
      ["broken", CONTOSO],
    ] as const) {
      const clientId = (
        exampleConfig(stack === "fabrikam" ? "fabrikam" : "contoso")["m365-baseline:deployment"] as { clientId: string }
      ).clientId;
      emu.registerClientCertificate(tenant, clientId, pem.cert);
      consentTo(emu, tenant, clientId, applyPermissions());
      await initStack(ws, stack, emu.url, pem);
    }
  }, 300_000);
  afterAll(async () => {
    ws?.cleanup();
    await emu?.close();
  });

  it("preview: every good stack has changes to make, the broken one fails alone with its own error", async () => {
    const r = await fleet(["preview"]);
    expect(r.code, r.stderr).toBe(1);
    const by = Object.fromEntries(r.json.results.map((x) => [x.stack, x]));
    expect(Object.keys(by).sort()).toEqual(STACKS);
    expect(by["broken"]!.status).toBe("error");
    expect(by["broken"]!.error).toMatch(/msp-nonexistent/);
    for (const s of ["contoso", "fabrikam", "northwind"])
      expect(by[s]!.status, `${s}: ${by[s]!.error}`).toBe("changes");
  }, 900_000);

  it("--shard 1/2 and 2/2 split the stacks without overlap", async () => {
    const a = await fleet(["preview", "--shard", "1/2", "--stacks", "contoso,fabrikam,northwind"]);
    const b = await fleet(["preview", "--shard", "2/2", "--stacks", "contoso,fabrikam,northwind"]);
    const names = [...a.json.results, ...b.json.results].map((x) => x.stack);
    expect(names.sort()).toEqual(["contoso", "fabrikam", "northwind"]);
    expect(a.json.results.length).toBeGreaterThan(0);
    expect(b.json.results.length).toBeGreaterThan(0);
  }, 900_000);

  it("up converges the good stacks; drift then finds exactly a change made by hand", async () => {
    const up = await fleet(["up", "--stacks", "contoso,northwind"]);
    expect(up.code, JSON.stringify(up.json.results.map((x) => x.error))).toBe(0);
    const clean = await fleet(["drift", "--stacks", "contoso,northwind"]);
    expect(
      clean.json.results.map((x) => x.status),
      JSON.stringify(clean.json.results.flatMap((x) => x.changes)),
    ).toEqual(["unchanged", "unchanged"]);
    const rule = emu
      .tenant(NORTHWIND)
      .compliance.RetentionComplianceRule.find((x) => String(x["Name"]).startsWith("Mailboxes - keep 7 years"))!;
    rule["RetentionDuration"] = 365;
    const drift = await fleet(["drift", "--stacks", "contoso,northwind"]);
    expect(drift.code).toBe(2);
    const nw = drift.json.results.find((x) => x.stack === "northwind")!;
    expect(nw.status).toBe("changes");
    expect(nw.changes.map((c) => c.name)).toEqual(["ret02-mailboxes-keep-7-years-rule"]);
    expect(nw.changes[0]!.properties.map((p) => p.path)).toContain("RetentionDuration");
    expect(drift.json.results.find((x) => x.stack === "contoso")!.status).toBe("unchanged");
  }, 900_000);
});
