import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../../src/emulator";
import { dynamicInputs } from "../../../src/providers/desired";
import { loadTenant } from "../../../src/tenant";
import { applyPermissions } from "../../../src/controls/permissions";
import { bareTenant, CLIENT_ID, consentTo, CONTOSO, testEmulator } from "../../support/emulator";
import { testAppPem } from "../../support/graph-connect";
import { startProviderHost, type ProviderHost } from "../../support/provider-host";
import { REPO } from "../../support/repo";

// The `__provider` the engine would store comes from a real registration under mocks.
const registered = new Map<string, Record<string, unknown>>();
pulumi.runtime.setMocks(
  {
    newResource: (a) => {
      registered.set(a.name, a.inputs as Record<string, unknown>);
      return { id: `${a.name}-id`, state: a.inputs };
    },
    call: () => ({}),
  },
  "m365-baseline",
  "contoso",
  false,
);

const { compiled } = loadTenant(REPO, "contoso", "2026-11-23");
const NAMES = [
  "pol01-security-defaults",
  "pol02-authorization-policy",
  "pol03-authentication-methods",
  "brand01-default",
  "ret01-keep-7-years",
  "ret02-mailboxes-keep-7-years",
  "ret02-mailboxes-keep-7-years-rule",
];
let emu: RunningEmulator;
let host: ProviderHost;
let pem: string;

beforeAll(async () => {
  const { M365Resource } = await import("../../../src/providers/resources");
  for (const name of NAMES) {
    const { type, inputs } = dynamicInputs(
      compiled.resources.find((r) => r.name === name)!,
      REPO,
    );
    new M365Resource(type, name, inputs);
  }
  await new Promise((r) => setTimeout(r, 200));
  emu = await testEmulator({ tenants: [bareTenant(CONTOSO)] });
  pem = await testAppPem();
  emu.registerClientCertificate(CONTOSO, CLIENT_ID, pem);
  // Only what docs/permissions.md tells MSPs to grant for `pulumi up`: the emulator refuses the rest.
  consentTo(emu, CONTOSO, CLIENT_ID, applyPermissions());
  const dir = mkdtempSync(join(tmpdir(), "m365b-host-"));
  writeFileSync(join(dir, "ca.pem"), emu.caCertificatePem);
  host = await startProviderHost({ M365B_ALLOW_ENDPOINTS: emu.url });
  // The engine sends the whole stack config, namespaced, secrets decrypted.
  await host.configure({
    "m365-baseline:tenantId": CONTOSO,
    "m365-baseline:primaryDomain": "contoso.onmicrosoft.com",
    "m365-baseline:deployment": JSON.stringify({ clientId: CLIENT_ID, auth: "certificate" }),
    "m365-baseline:certificatePem": pem,
    "m365-baseline:endpoints": JSON.stringify({
      graph: emu.url,
      authority: emu.url,
      compliance: emu.url,
      caCertificateFile: join(dir, "ca.pem"),
    }),
  });
}, 60_000);
afterAll(async () => {
  host?.close();
  await emu?.close();
});

const urn = (name: string, type: string) =>
  `urn:pulumi:contoso::m365-baseline::pulumi-nodejs:dynamic/m365:${type}::${name}`;

describe("the real dynamic-provider host, driven over gRPC like the engine, against the emulator", () => {
  const live = new Map<string, { urn: string; id: string; properties: Record<string, unknown> }>();
  it.each(NAMES)("%s: check, create, read, diff (no change), update after drift", async (name) => {
    const inputs = registered.get(name)!;
    const { type } = dynamicInputs(
      compiled.resources.find((r) => r.name === name)!,
      REPO,
    );
    const u = urn(name, type);
    expect(String(inputs["__provider"]).length).toBeLessThan(4096);
    const checked = await host.check(u, {}, inputs);
    expect(checked.failures).toEqual([]);
    if (name === "pol03-authentication-methods")
      emu.setFaults([{ method: "PATCH", path: "authenticationMethodConfigurations", status: 503, count: 1 }]);
    const created = await host.create(u, checked.inputs);
    emu.setFaults([]);
    expect(created.id).not.toBe("");
    expect(created.properties["__provider"]).toBe(inputs["__provider"]);
    const read = await host.read(u, created.id, created.properties, checked.inputs);
    expect(read.id).toBe(created.id);
    // DIFF_NONE = 1, DIFF_SOME = 2 in the provider protocol.
    expect((await host.diff(u, created.id, read.properties, checked.inputs)).changes).toBe(1);
    const drifted = { ...read.properties };
    const key =
      Object.keys(checked.inputs).find(
        (k) => !["__provider", "assets", "assetPaths"].includes(k) && typeof checked.inputs[k] !== "object",
      ) ?? Object.keys(checked.inputs).find((k) => k !== "__provider")!;
    drifted[key] = key === "isEnabled" ? true : typeof checked.inputs[key] === "number" ? 1 : "changed by hand";
    expect((await host.diff(u, created.id, drifted, checked.inputs)).changes).toBe(2);
    await host.update(u, created.id, drifted, checked.inputs);
    live.set(name, { urn: u, id: created.id, properties: created.properties });
  });
  it("deletes in reverse dependency order; deleted objects read as gone", async () => {
    for (const name of [...NAMES].reverse()) {
      const r = live.get(name)!;
      await host.delete(r.urn, r.id, r.properties);
    }
    const rule = live.get("ret02-mailboxes-keep-7-years-rule")!;
    expect((await host.read(rule.urn, rule.id, rule.properties, {})).id).toBe("");
    expect(emu.tenant(CONTOSO).compliance.RetentionCompliancePolicy).toEqual([]);
    expect(emu.tenant(CONTOSO).singletons.securityDefaults["isEnabled"]).toBe(true);
  });
  it("nothing secret reached the host's outputs or its error stream", () => {
    expect(host.stderr()).not.toContain("PRIVATE KEY");
  });
});
