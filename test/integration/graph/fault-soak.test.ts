/**
 * ≥ 200 seeded random fault schedules, one tenant each, run in parallel against the scripted HTTPS
 * server: 429 without Retry-After (CA and directory), 503/504 with Retry-After, connection resets before
 * and after the effect, latency, and eventual-consistency 404s. Every run must converge, create each
 * object exactly once and lose nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptedFault } from "../../support/graph-test-server";
import { startTestServer, type TestServer } from "../../support/graph-test-server";
import { connectTo, FAST } from "../../support/graph-connect";
import { seededRandom } from "../../../src/emulator/faults";

const RUNS = Number(process.env["SOAK_RUNS"] ?? 200);
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const tenantFor = (run: number): string => `5a5a5a5a-0000-4000-8000-${String(run).padStart(12, "0")}`;

/** A random schedule of at most two faults per operation, so bounded retries always suffice. */
function schedule(run: number, tenantId: string): { faults: ScriptedFault[]; consistencyMs: number } {
  const rand = seededRandom(run * 7919 + 17);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const faults: ScriptedFault[] = [];
  const targets: { method: string; pathIncludes: string; ca?: boolean }[] = [
    { method: "POST", pathIncludes: "/v1.0/groups" },
    { method: "GET", pathIncludes: "/v1.0/groups" },
    { method: "PATCH", pathIncludes: "/v1.0/groups/" },
    { method: "DELETE", pathIncludes: "/v1.0/groups/" },
    { method: "POST", pathIncludes: "/conditionalAccess/policies", ca: true },
    { method: "GET", pathIncludes: "/conditionalAccess/policies", ca: true },
  ];
  for (const t of targets) {
    const n = Math.floor(rand() * 3);
    for (let i = 0; i < n; i++) {
      const kind = pick(["429", "503", "504", "reset", "resetAfter", "latency", "500"] as const);
      if (kind === "429") faults.push({ ...t, tenantId, status: 429, count: 1 });
      else if (kind === "503" || kind === "504")
        faults.push({ ...t, tenantId, status: Number(kind), retryAfter: "0", count: 1 });
      else if (kind === "500")
        faults.push({ ...t, tenantId, status: t.method === "POST" ? 500 : 503, retryAfter: "0", count: 1 });
      else if (kind === "reset") faults.push({ ...t, tenantId, reset: true, count: 1 });
      else if (kind === "resetAfter") faults.push({ ...t, tenantId, reset: true, afterEffect: true, count: 1 });
      else faults.push({ ...t, tenantId, latencyMs: Math.floor(rand() * 150), count: 1 });
    }
  }
  return { faults, consistencyMs: rand() < 0.3 ? Math.floor(rand() * 300) : 0 };
}

async function runOne(run: number): Promise<void> {
  const tenantId = tenantFor(run);
  server.store.set(`${tenantId}|/groups`, []);
  server.store.set(`${tenantId}|/identity/conditionalAccess/policies`, []);
  const { faults, consistencyMs } = schedule(run, tenantId);
  server.faults.push(...faults);
  server.consistencyByTenant.set(tenantId, consistencyMs);
  const conn = await connectTo(server, tenantId, FAST);
  try {
    const g = conn.graph;
    const groups = [];
    for (const name of ["A", "B", "C"]) {
      groups.push(
        await g.create<{ id: string }>(
          "/groups",
          { displayName: `G-${name}`, mailNickname: name },
          { naturalKey: { collectionPath: "/groups", filter: `displayName eq 'G-${name}'` } },
        ),
      );
    }
    const policy = await g.create<{ id: string }>(
      "/identity/conditionalAccess/policies",
      { displayName: "CA01", state: "disabled" },
      { naturalKey: { collectionPath: "/identity/conditionalAccess/policies", filter: "displayName eq 'CA01'" } },
    );
    await g.patch(`/groups/${groups[0]!.id}`, { description: "patched" });
    expect(await g.get(`/groups/${groups[0]!.id}`)).toMatchObject({ description: "patched" });
    expect(await g.get(`/identity/conditionalAccess/policies/${policy.id}`)).toMatchObject({ displayName: "CA01" });
    await g.delete(`/groups/${groups[2]!.id}`);
    const listed = await g.list<{ displayName: string }>("/groups");
    expect(listed.map((x) => x.displayName).sort()).toEqual(["G-A", "G-B"]);
  } finally {
    await conn.close?.();
  }
  // Server-side truth: nothing created twice, nothing lost.
  const stored = server.store
    .get(`${tenantId}|/groups`)!
    .map((o) => o["displayName"])
    .sort();
  expect(stored, `run ${run}`).toEqual(["G-A", "G-B"]);
  expect(server.store.get(`${tenantId}|/groups`)!.find((o) => o["displayName"] === "G-A")!["description"]).toBe(
    "patched",
  );
  expect(server.store.get(`${tenantId}|/identity/conditionalAccess/policies`)!.map((o) => o["displayName"])).toEqual([
    "CA01",
  ]);
}

describe("fault soak", () => {
  it(`converges under ${RUNS} seeded random fault schedules without duplicates or losses`, async () => {
    const started = server.log.length;
    const results = await Promise.allSettled(Array.from({ length: RUNS }, (_, run) => runOne(run)));
    const failures = results.flatMap((r, run) =>
      r.status === "rejected" ? [`run ${run}: ${String((r.reason as Error).message ?? r.reason)}`] : [],
    );
    expect(failures).toEqual([]);
    const log = server.log.slice(started);
    // The schedules really injected faults, and CA calls stayed ≥ 1 s apart per tenant throughout.
    expect(log.filter((r) => r.status === 0).length).toBeGreaterThan(50);
    expect(log.filter((r) => r.status === 429).length).toBeGreaterThan(20);
    const byTenant = new Map<string, number[]>();
    for (const r of log)
      if (r.path.includes("/conditionalAccess/"))
        byTenant.set(r.tenantId, [...(byTenant.get(r.tenantId) ?? []), r.time]);
    for (const [tenant, times] of byTenant) {
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!, tenant).toBeGreaterThanOrEqual(1000 - 5);
    }
  }, 60_000);
});
