import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCheck, checkExitCode } from "../../../src/check";
import { controlInfo } from "../../../src/check/targets";
import { readSeeds, startEmulator, type RunningEmulator } from "../../../src/emulator";
import { loadAllTenants } from "../../../src/tenant";
import { testAppPem } from "../../support/graph-connect";
import { REPO } from "../../support/repo";
import { emulatorTargets } from "../../support/emulator";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ tenants: readSeeds(join(REPO, "test/fixtures/tenants")), behaviour: { latencyMs: 5 } });
});
afterAll(() => emu.close());

async function check(register: boolean) {
  const tenants = loadAllTenants(REPO, "2026-11-23");
  const pem = await testAppPem();
  if (register)
    for (const t of tenants)
      emu.registerClientCertificate(t.compiled.tenantId, t.stack.config.deployment.clientId, pem);
  const targets = emulatorTargets(emu, tenants, pem);
  return runCheck(targets, {
    concurrency: 8,
    controls: controlInfo(),
    baselineVersion: "test",
    now: new Date("2026-11-23T12:00:00Z"),
  });
}

describe("check against the emulator", () => {
  it("a tenant whose credentials are refused fails alone with a one-line error", async () => {
    emu.clearLog();
    const report = await check(false);
    expect(report.summary.errors).toBe(2);
    expect(report.tenants[0]!.error).toMatch(/AADSTS700016|not found in the directory/);
    expect(checkExitCode(report)).toBe(1);
  });
  it("reads each collection once, paces conditional access, and never writes", async () => {
    emu.clearLog();
    const report = await check(true);
    expect(report.summary).toEqual({ tenants: 2, compliant: 1, drifted: 1, errors: 0 });
    expect(checkExitCode(report)).toBe(2);
    const log = emu.requestLog().filter((l) => l.route !== "token" && !l.route.startsWith("token."));
    const writes = log.filter((l) => !(l.method === "GET" || l.route === "batch" || /^compliance:Get-/.test(l.route)));
    expect(writes).toEqual([]);
    for (const tenant of report.tenants) {
      const own = log.filter((l) => l.tenantId === tenant.tenantId && !l.route.startsWith("batch:"));
      // CA policies + named locations (paced, not batchable), one $batch for the rest, branding, three S&C reads.
      expect(own.length, JSON.stringify(own.map((l) => l.route))).toBe(tenant.requests);
      const ca = own.filter((l) => l.route.startsWith("conditionalAccess")).map((l) => l.time);
      expect(ca).toHaveLength(2);
      expect(ca[1]! - ca[0]!).toBeGreaterThanOrEqual(990);
    }
    const compliance = log.filter((l) => l.route.startsWith("compliance:"));
    expect(compliance.length).toBe(6);
  });
  it("overlaps the paced wait with every other read, with one authority lookup and one token per resource", async () => {
    emu.clearLog();
    await check(true);
    const log = emu.requestLog();
    for (const tenantId of new Set(log.map((l) => l.tenantId))) {
      const own = log.filter((l) => l.tenantId === tenantId);
      expect(own.filter((l) => l.route === "token.openid")).toHaveLength(1);
      expect(own.filter((l) => l.route === "token")).toHaveLength(2); // Graph and S&C
      // The named-locations read waits a full second after the policies; everything else is answered meanwhile.
      const namedLocations = own.find((l) => l.route === "conditionalAccess.namedLocations")!;
      const others = own.filter((l) => !l.route.startsWith("conditionalAccess") && !l.route.startsWith("token"));
      expect(others.length).toBeGreaterThan(4);
      expect(Math.max(...others.map((l) => l.time))).toBeLessThan(namedLocations.time - 500);
    }
  });
  it("verifies the backup app's consent, directory roles and credentials: what is added by hand is drift", async () => {
    const contoso = "6b0c3a52-7a3e-4d0b-9f0e-1c2d3e4f5a61";
    const appControl = async () =>
      (await check(true)).tenants.find((t) => t.tenantId === contoso)!.controls.find((c) => c.controlId === "APP01")!;
    expect((await appControl()).status).toBe("compliant");
    const c = emu.tenant(contoso).collections;
    const app = c.applications.find((a) => /veeam/i.test(String(a["displayName"])))!;
    const sp = c.servicePrincipals.find((x) => x["appId"] === app["appId"])!;
    const consent = c.appRoleAssignments.filter((a) => a["principalId"] === sp["id"]);
    const removed = consent.pop()!;
    c.appRoleAssignments.splice(c.appRoleAssignments.indexOf(removed), 1);
    const role = {
      id: "role-by-hand",
      principalId: sp["id"],
      roleDefinitionId: "62e90394-69f5-4237-9190-012177145e10",
      directoryScopeId: "/",
    };
    c.roleAssignments.push(role);
    (app["passwordCredentials"] as unknown[]).push({ keyId: "secret-by-hand", displayName: "by hand" });
    try {
      const result = await appControl();
      expect(result.status).toBe("drifted");
      expect(result.differences.map((d) => d.path).sort()).toEqual([
        "consent",
        "credentials.clientSecrets",
        "directoryRoles",
      ]);
    } finally {
      c.appRoleAssignments.push(removed);
      c.roleAssignments.splice(c.roleAssignments.indexOf(role), 1);
      (app["passwordCredentials"] as unknown[]).pop();
    }
    expect((await appControl()).status).toBe("compliant");
  });
  it("lists an object with a managed object's name as a duplicate (compared: the first; never removed)", async () => {
    const contoso = "6b0c3a52-7a3e-4d0b-9f0e-1c2d3e4f5a61";
    const policies = emu.tenant(contoso).collections.conditionalAccessPolicies;
    const managed = policies.find((p) => String(p["displayName"]).startsWith("CA02"))!;
    const copy = { ...structuredClone(managed), id: "00000000-0000-4000-8000-0000000000d1", state: "disabled" };
    policies.push(copy);
    try {
      const tenant = (await check(true)).tenants.find((t) => t.tenantId === contoso)!;
      expect(tenant.unmanaged.filter((u) => u.label === "duplicate")).toEqual([
        {
          type: "conditionalAccessPolicy",
          id: copy.id,
          displayName: managed["displayName"],
          label: "duplicate",
          detail: `same name as the managed conditionalAccessPolicy (${String(managed["id"])}), which check compares; remove or rename this one`,
        },
      ]);
      expect(tenant.controls.find((c) => c.controlId === "CA02")?.status).toBe("compliant");
    } finally {
      policies.splice(policies.indexOf(copy), 1);
    }
  });
  it("compares the backup app's certificates by thumbprint: one added or swapped by hand is drift", async () => {
    const contoso = "6b0c3a52-7a3e-4d0b-9f0e-1c2d3e4f5a61";
    const appControl = async () =>
      (await check(true)).tenants.find((t) => t.tenantId === contoso)!.controls.find((c) => c.controlId === "APP01")!;
    const app = emu.tenant(contoso).collections.applications.find((a) => /veeam/i.test(String(a["displayName"])))!;
    const keys = app["keyCredentials"] as Record<string, unknown>[];
    const ours = { ...keys[0]! };
    // Another certificate (its thumbprint as 40 hex digits, as some tools write customKeyIdentifier).
    const other = { ...ours, keyId: "key-by-hand", customKeyIdentifier: "AB".repeat(20) };
    try {
      keys.push(other);
      const added = await appControl();
      expect(added.differences.map((d) => [d.path, d.live])).toEqual([
        ["credentials.certificates", expect.arrayContaining(["ABABABABABABABABABABABABABABABABABABABAB"])],
      ]);
      keys.splice(0, 1);
      const swapped = await appControl();
      expect([swapped.status, swapped.differences[0]?.live]).toEqual([
        "drifted",
        ["ABABABABABABABABABABABABABABABABABABABAB"],
      ]);
    } finally {
      keys.splice(0, keys.length, ours);
    }
    expect((await appControl()).status).toBe("compliant");
  });
  it("compares branding images by content: a logo swapped by hand behind the same URL is drift", async () => {
    const contoso = "6b0c3a52-7a3e-4d0b-9f0e-1c2d3e4f5a61";
    const brand = async () =>
      (await check(true)).tenants.find((t) => t.tenantId === contoso)!.controls.find((c) => c.controlId === "BRAND01")!;
    expect((await brand()).status).toBe("compliant");
    const streams = emu.tenant(contoso).streams;
    const original = streams["0/bannerLogo"]!;
    streams["0/bannerLogo"] = { ...original, data: streams["0/favicon"]!.data };
    try {
      const result = await brand();
      expect(result.status).toBe("drifted");
      expect(result.differences.map((d) => d.path)).toEqual(["assets.bannerLogo"]);
    } finally {
      streams["0/bannerLogo"] = original;
    }
  });
});
