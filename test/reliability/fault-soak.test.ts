import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSnapshot } from "../../src/check/snapshot";
import { seededRandom } from "../../src/emulator/faults";
import type { FaultRule, RunningEmulator } from "../../src/emulator";
import { GraphRequestError } from "../../src/errors";
import type { TenantConnection } from "../../src/graph";
import { dynamicCalls } from "../../src/providers/engine";
import { LOGIC } from "../../src/providers/logic";
import { loadTenant } from "../../src/tenant";
import { bareTenant, clientFor, CONTOSO, testEmulator } from "../support/emulator";
import { FAST } from "../support/graph-connect";
import { REPO } from "../support/repo";

const SCHEDULES = Number(process.env["SOAK"] ?? 500);
let emu: RunningEmulator;
let connection: TenantConnection;
beforeAll(async () => {
  emu = await testEmulator({ tenants: [bareTenant(CONTOSO)], seed: 99 });
  connection = await clientFor(emu, CONTOSO, {
    ...FAST,
    conditionalAccessIntervalMs: 0,
    conditionalAccessThrottle: { retries: 4, initialDelayMs: 20, maxDelayMs: 50 },
    sdkRetryDelaySeconds: 0,
    sdkMaxRetries: 3,
    transport: { retries: 3, initialDelayMs: 5, maxDelayMs: 20 },
    consistency: { retries: 6, initialDelayMs: 5, maxDelayMs: 40 },
    requestTimeoutMs: 1500,
  });
});
afterAll(async () => {
  await connection.close?.();
  await emu.close();
});

function schedule(random: () => number, path: string): FaultRule[] {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  return Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
    const kind = pick(["429", "503", "504", "reset", "slow", "lost"] as const);
    const base = { path, probability: 0.25 + random() * 0.35, count: 1 + Math.floor(random() * 2) };
    if (kind === "reset") return { ...base, reset: true };
    if (kind === "slow") return { ...base, latencyMs: 30 + Math.floor(random() * 60) };
    // Retry-After: 0 keeps the SDK's own backoff (whole seconds) out of a bounded test; the delays themselves
    // are covered by the client's pacing tests.
    if (kind === "lost") return { ...base, method: "POST", status: 504, afterEffect: true, retryAfterSeconds: 0 };
    return { ...base, status: Number(kind), retryAfterSeconds: 0 };
  });
}

describe(`${SCHEDULES} seeded fault schedules over provider operations and check`, () => {
  it("every run converges or fails cleanly; a re-run converges; nothing is duplicated or lost", async () => {
    const random = seededRandom(20261123);
    const label = (i: number) => ({
      displayName: `Soak label ${i}`,
      behaviorDuringRetentionPeriod: "retain",
      actionAfterRetentionPeriod: "none",
      retentionTrigger: "dateCreated",
      retentionDurationDays: 30 + i,
    });
    const policy = (i: number) => ({ Name: `Soak policy ${i}`, Enabled: true, ExchangeLocation: ["All"] });
    const compiled = loadTenant(REPO, "contoso", "2026-11-23").compiled;
    const expected = new Set<string>();
    let cleanFailures = 0;
    let snapshots = 0;
    for (let i = 0; i < SCHEDULES; i++) {
      const kind = i % 5;
      const rules = schedule(random, kind === 4 ? "^/v1\\.0/" : kind === 3 ? "authorizationPolicy" : "InvokeCommand");
      emu.setFaults(rules, i);
      const run = async () => {
        if (kind === 4) {
          await readSnapshot(connection, compiled);
          snapshots++;
          return;
        }
        if (kind === 3) {
          await dynamicCalls(LOGIC["AuthorizationPolicy"]!, () => ({ connection, root: REPO }), REPO).create({
            defaultUserRolePermissions: { allowedToCreateApps: i % 2 === 0 },
          });
          return;
        }
        const type = kind === 0 || kind === 1 ? "RetentionLabel" : "RetentionPolicy";
        const inputs: Record<string, unknown> = type === "RetentionLabel" ? label(i) : policy(i);
        await dynamicCalls(LOGIC[type]!, () => ({ connection, root: REPO }), REPO).create(inputs);
        expected.add(`${type}:${String(inputs["displayName"] ?? inputs["Name"])}`);
      };
      const t0 = Date.now();
      try {
        await run();
      } catch (error) {
        // Failing cleanly: a message that says what failed, never a crash or an [object Object].
        expect(error).toBeInstanceOf(Error);
        expect((error as Error).message).not.toContain("[object Object]");
        if (!(error instanceof GraphRequestError)) expect((error as Error).message).toMatch(/failed:/);
        cleanFailures++;
        emu.setFaults([]);
        await run(); // what an operator's re-run does: it must converge (adopting what the lost answer created)
      }
      emu.setFaults([]);
      if (process.env["SOAK_TRACE"]) console.log(i, kind, Date.now() - t0, JSON.stringify(rules));
    }
    const tags = emu.tenant(CONTOSO).compliance.ComplianceTag.map((t) => `RetentionLabel:${String(t["Name"])}`);
    const policies = emu
      .tenant(CONTOSO)
      .compliance.RetentionCompliancePolicy.map((p) => `RetentionPolicy:${String(p["Name"])}`);
    const all = [...tags, ...policies];
    expect(new Set(all).size).toBe(all.length); // no duplicates
    for (const name of expected) expect(all).toContain(name); // nothing lost
    expect(all.length).toBe(expected.size);
    expect(snapshots).toBeGreaterThan(0);
    const injected = emu
      .requestLog()
      .filter((l) => l.status === 0 || l.status === 429 || l.status === 503 || l.status === 504).length;
    expect(injected).toBeGreaterThan(SCHEDULES / 4); // the schedules did bite
    if (process.env["SOAK_TRACE"]) console.log({ cleanFailures, injected });
  }, 600_000);
});
