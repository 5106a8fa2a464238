/**
 * State and fault injection: persistence across a restart with a data directory (atomic file, nothing
 * lost), seeds from a directory, direct tenant access, the admin endpoints (health, faults, dev tokens),
 * and faults that replay exactly under the same seed.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { FaultRule, RunningEmulator } from "../../../src/emulator";
import { testAppPem } from "../../support/graph-connect";
import { accessToken, clientFor, CONTOSO, FABRIKAM, raw, startTestEmulator } from "./harness";

const running: RunningEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});
async function start(...args: Parameters<typeof startTestEmulator>): Promise<RunningEmulator> {
  const emulator = await startTestEmulator(...args);
  running.push(emulator);
  return emulator;
}

describe("persistence", () => {
  it("reloads every tenant's state from the data directory after a restart", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "m365b-emulator-data-"));
    const first = await start({ dataDir, behaviour: { conditionalAccessIntervalMs: 0 } });
    const client = await clientFor(first);
    const group = await client.graph.create<{ id: string }>("/groups", {
      displayName: "Persisted",
      mailEnabled: false,
      securityEnabled: true,
      mailNickname: "persisted",
    });
    const location = await client.graph.create<{ id: string }>("/identity/conditionalAccess/namedLocations", {
      "@odata.type": "#microsoft.graph.ipNamedLocation",
      displayName: "Office",
      isTrusted: true,
      ipRanges: [{ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "203.0.113.0/24" }],
    });
    await client.graph.post(
      `/organization/${CONTOSO.tenantId}/branding/localizations`,
      { signInPageText: "Persisted text" },
      { headers: { "Accept-Language": "0" } },
    );
    await client.compliance.invoke("New-ComplianceTag", {
      Name: "Persisted label",
      RetentionAction: "Keep",
      RetentionDuration: 30,
      RetentionType: "CreationAgeInDays",
    });
    await client.close?.();
    await first.close();
    running.splice(running.indexOf(first), 1);

    const file = JSON.parse(readFileSync(join(dataDir, "state.json"), "utf8")) as { tenants: { tenantId: string }[] };
    expect(file.tenants.map((t) => t.tenantId).sort()).toEqual([CONTOSO.tenantId, FABRIKAM.tenantId].sort());
    // Written to a temporary file and renamed: no partial file is left behind.
    expect(readdirSync(dataDir).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    const second = await start({ dataDir, tenants: [], behaviour: { conditionalAccessIntervalMs: 0 } });
    const again = await clientFor(second);
    expect((await again.graph.get<{ displayName: string }>(`/groups/${group.id}`)).displayName).toBe("Persisted");
    expect(
      (await again.graph.get<{ displayName: string }>(`/identity/conditionalAccess/namedLocations/${location.id}`))
        .displayName,
    ).toBe("Office");
    expect(
      await again.graph.get(`/organization/${CONTOSO.tenantId}/branding`, { headers: { "Accept-Language": "0" } }),
    ).toMatchObject({ signInPageText: "Persisted text" });
    expect((await again.compliance.invoke<{ Name: string }>("Get-ComplianceTag")).map((t) => t.Name)).toEqual([
      "Persisted label",
    ]);
    await again.close?.();
  });

  it("seeds tenants from a directory of JSON files, with Entra's defaults for what a seed omits", async () => {
    const seedDir = mkdtempSync(join(tmpdir(), "m365b-emulator-seeds-"));
    writeFileSync(
      join(seedDir, "northwind.json"),
      JSON.stringify({
        tenantId: "3f2e1d0c-0000-4000-8000-00000000abcd",
        primaryDomain: "northwind.onmicrosoft.com",
        displayName: "Northwind",
        users: [{ userPrincipalName: "admin@northwind.onmicrosoft.com" }],
        groups: [{ displayName: "Admins", members: ["admin@northwind.onmicrosoft.com"] }],
      }),
    );
    const emulator = await start({ seedDir, tenants: [] });
    const t = emulator.tenant("3f2e1d0c-0000-4000-8000-00000000abcd");
    expect(t.displayName).toBe("Northwind");
    expect(t.singletons.securityDefaults["isEnabled"]).toBe(true);
    expect(t.singletons.authorizationPolicy["id"]).toBe("authorizationPolicy");
    expect(t.collections.servicePrincipals.map((s) => s["appId"])).toEqual(
      expect.arrayContaining([
        "00000003-0000-0000-c000-000000000000",
        "00000002-0000-0ff1-ce00-000000000000",
        "00000003-0000-0ff1-ce00-000000000000",
      ]),
    );
    expect(t.collections.secureScoreControlProfiles.length).toBeGreaterThan(0);
    const group = t.collections.groups.find((g) => g["displayName"] === "Admins")!;
    expect(t.groupMembers[String(group["id"])]).toEqual([t.collections.users[0]!["id"]]);
  });

  it("registering a certificate for an unknown tenant creates it with defaults", async () => {
    const emulator = await start({ tenants: [] });
    emulator.registerClientCertificate(
      "0a0b0c0d-0000-4000-8000-000000000001",
      "22222222-0000-4000-8000-000000000002",
      await testAppPem(),
    );
    const t = emulator.tenant("0a0b0c0d-0000-4000-8000-000000000001");
    expect(t.primaryDomain).toMatch(/\.onmicrosoft\.com$/);
    expect(t.clientCertificates["22222222-0000-4000-8000-000000000002"]).toHaveLength(1);
    expect(t.clientCertificates["22222222-0000-4000-8000-000000000002"]![0]).not.toMatch(/PRIVATE KEY/);
  });

  it("changes made directly through tenant() are what Graph answers (drift by hand)", async () => {
    const emulator = await start();
    const token = await accessToken(emulator);
    emulator.tenant(CONTOSO.tenantId).singletons.securityDefaults["isEnabled"] = false;
    const r = await raw(emulator, "GET", "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy", { token });
    expect(r.json()).toMatchObject({ id: "00000000-0000-0000-0000-000000000005", isEnabled: false });
  });
});

describe("admin endpoints", () => {
  it("health lists the tenants; dev tokens only when enabled", async () => {
    const closed = await start();
    expect((await raw(closed, "GET", "/_emulator/health")).json()["tenants"]).toHaveLength(2);
    expect((await raw(closed, "POST", "/_emulator/token", { body: { tenantId: CONTOSO.tenantId } })).status).toBe(403);
    const open = await start({ devTokens: true });
    const token = (await raw(open, "POST", "/_emulator/token", { body: { tenantId: CONTOSO.tenantId } })).json()[
      "access_token"
    ] as string;
    expect((await raw(open, "GET", "/v1.0/organization", { token })).status).toBe(200);
  });

  it("POST /_emulator/faults installs rules that the next matching request meets", async () => {
    const emulator = await start();
    const token = await accessToken(emulator);
    const rules: FaultRule[] = [{ method: "GET", path: "^/v1\\.0/users", status: 503, retryAfterSeconds: 2, count: 1 }];
    expect((await raw(emulator, "POST", "/_emulator/faults", { body: { rules } })).status).toBeLessThan(300);
    const hit = await raw(emulator, "GET", "/v1.0/users", { token });
    expect(hit.status).toBe(503);
    expect(hit.headers["retry-after"]).toBe("2");
    expect((await raw(emulator, "GET", "/v1.0/users", { token })).status).toBe(200);
  });
});

describe("faults", () => {
  const schedule = async (seed: number): Promise<number[]> => {
    const emulator = await start({ seed });
    const token = await accessToken(emulator);
    emulator.setFaults([{ path: "^/v1\\.0/organization", status: 503, probability: 0.5 }]);
    const statuses: number[] = [];
    for (let i = 0; i < 24; i++) statuses.push((await raw(emulator, "GET", "/v1.0/organization", { token })).status);
    return statuses;
  };

  it("replays exactly under the same seed and differs under another", async () => {
    const a = await schedule(42);
    const b = await schedule(42);
    const c = await schedule(7);
    expect(a).toEqual(b);
    expect(a).toContain(503);
    expect(a).toContain(200);
    expect(c).not.toEqual(a);
  });

  it("latency, connection reset, count, and a lost response after the write took effect", async () => {
    const emulator = await start();
    const token = await accessToken(emulator);
    emulator.setFaults([{ method: "GET", path: "^/v1\\.0/subscribedSkus", latencyMs: 300, count: 1 }]);
    const before = Date.now();
    expect((await raw(emulator, "GET", "/v1.0/subscribedSkus", { token })).status).toBe(200);
    expect(Date.now() - before).toBeGreaterThanOrEqual(290);

    emulator.setFaults([{ method: "GET", path: "^/v1\\.0/organization", reset: true, count: 1 }]);
    await expect(raw(emulator, "GET", "/v1.0/organization", { token })).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(emulator.requestLog().at(-1)).toMatchObject({ path: "/v1.0/organization", status: 0 });
    expect((await raw(emulator, "GET", "/v1.0/organization", { token })).status).toBe(200);

    // The group is created, only the answer is lost: the client finds it by natural key instead of creating it twice.
    emulator.setFaults([{ method: "POST", path: "^/v1\\.0/groups$", status: 504, afterEffect: true, count: 1 }]);
    const client = await clientFor(emulator);
    const body = { displayName: "Lost answer", mailEnabled: false, securityEnabled: true, mailNickname: "lostanswer" };
    const created = await client.graph.create<{ id: string }>("/groups", body, {
      naturalKey: { collectionPath: "/groups", filter: "displayName eq 'Lost answer'" },
    });
    const all = emulator.tenant(CONTOSO.tenantId).collections.groups.filter((g) => g["displayName"] === "Lost answer");
    expect(all.map((g) => g["id"])).toEqual([created.id]);
    await client.close?.();
  });

  it("the request log records tenant, method, path, status and a stable route name", async () => {
    const emulator = await start();
    const client = await clientFor(emulator, FABRIKAM);
    await client.graph.list("/groups");
    await client.compliance.invoke("Get-RetentionCompliancePolicy");
    const entries = emulator.requestLog().filter((l) => l.tenantId === FABRIKAM.tenantId);
    expect(entries.find((l) => l.path === "/v1.0/groups")).toMatchObject({
      method: "GET",
      status: 200,
      route: "groups",
      time: expect.any(Number),
    });
    expect(entries.some((l) => l.route.startsWith("compliance") && l.method === "POST")).toBe(true);
    expect(entries.some((l) => l.route === "token")).toBe(true);
    await client.close?.();
  });
});
