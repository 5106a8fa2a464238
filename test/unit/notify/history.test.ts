import { describe, expect, it } from "vitest";
import { runChanges, runFileStem, summarizeRun, type HistoryRun } from "../../../src/notify/history";
import type { CheckReport, ControlResult, TenantCheckResult } from "../../../src/report/types";

const control = (controlId: string, extra: Partial<ControlResult> = {}): ControlResult => ({
  controlId,
  title: `${controlId} title`,
  severity: "high",
  status: "compliant",
  resources: [],
  differences: [],
  ...extra,
});
const drifted = (controlId: string, ...paths: string[]): ControlResult =>
  control(controlId, {
    status: "drifted",
    differences: paths.map((path) => ({ path, desired: "enabled", live: "disabled" })),
  });

const tenant = (controls: ControlResult[], extra: Partial<TenantCheckResult> = {}): TenantCheckResult => ({
  stack: "contoso",
  tenantId: "6b0c3a52-7a3e-4d0b-9f0e-1c2d3e4f5a61",
  displayName: "Contoso Ltd",
  status: controls.some((c) => c.status === "error")
    ? "error"
    : controls.some((c) => c.status !== "compliant")
      ? "drifted"
      : "compliant",
  controls,
  unmanaged: [],
  requests: 10,
  durationMs: 5,
  ...extra,
});

const report = (at: string, ...tenants: TenantCheckResult[]): CheckReport => ({
  schemaVersion: 1,
  generatedAt: at,
  baselineVersion: "abc1234",
  tenants,
  summary: { tenants: tenants.length, compliant: 0, drifted: 0, errors: 0 },
});

/** Summarizes `reports` in order, each against the one before; returns every run. */
function series(...reports: CheckReport[]): HistoryRun[] {
  const runs: HistoryRun[] = [];
  for (const r of reports) runs.push(summarizeRun(r, runs.at(-1)));
  return runs;
}

const T1 = "2026-12-01T02:00:00.000Z";
const T2 = "2026-12-02T02:00:00.000Z";
const T3 = "2026-12-03T02:00:00.000Z";
const T4 = "2026-12-04T02:00:00.000Z";

describe("summarizeRun", () => {
  it("keeps status, differences, errors and exceptions, and nothing else of the report", () => {
    const [run] = series(
      report(
        T1,
        tenant([
          drifted("CA02", "state"),
          control("CA05", { status: "missing" }),
          control("CA09", {
            status: "excepted",
            exception: { reason: "vendor scanner", expires: "2026-12-10", expiresSoon: true },
          }),
          control("RET01", { status: "error", message: "S&C refused" }),
        ]),
      ),
    );
    expect(run).toEqual({
      schema: "m365-baseline.history/v1",
      runAt: T1,
      baselineVersion: "abc1234",
      tenants: [
        {
          stack: "contoso",
          tenantId: "6b0c3a52-7a3e-4d0b-9f0e-1c2d3e4f5a61",
          displayName: "Contoso Ltd",
          status: "error",
          controls: [
            {
              controlId: "CA02",
              title: "CA02 title",
              status: "drifted",
              differences: [{ path: "state", desired: "enabled", live: "disabled", firstSeen: T1 }],
            },
            {
              controlId: "CA05",
              title: "CA05 title",
              status: "missing",
              differences: [{ path: "(missing)", firstSeen: T1 }],
            },
            {
              controlId: "CA09",
              title: "CA09 title",
              status: "excepted",
              differences: [],
              exception: { reason: "vendor scanner", expires: "2026-12-10" },
            },
            { controlId: "RET01", title: "RET01 title", status: "error", differences: [], message: "S&C refused" },
          ],
        },
      ],
    });
  });

  it("carries firstSeen forward while the difference stays, and restarts it after a run without it", () => {
    const runs = series(
      report(T1, tenant([drifted("CA02", "state")])),
      report(T2, tenant([drifted("CA02", "state", "conditions.users.excludeUsers")])),
      report(T3, tenant([drifted("CA02", "conditions.users.excludeUsers")])),
      report(T4, tenant([drifted("CA02", "state", "conditions.users.excludeUsers")])),
    );
    const seen = (run: HistoryRun) =>
      Object.fromEntries(run.tenants[0]!.controls[0]!.differences.map((d) => [d.path, d.firstSeen]));
    expect(runs.map(seen)).toEqual([
      { state: T1 },
      { state: T1, "conditions.users.excludeUsers": T2 },
      { "conditions.users.excludeUsers": T2 },
      { state: T4, "conditions.users.excludeUsers": T2 },
    ]);
  });

  it("keeps an errored control's previous differences (unverified), so firstSeen survives a failed read", () => {
    const runs = series(
      report(T1, tenant([drifted("CA02", "state")])),
      report(T2, tenant([control("CA02", { status: "error", message: "throttled" })])),
      report(T3, tenant([drifted("CA02", "state")])),
    );
    expect(runs[1]!.tenants[0]!.controls[0]!.differences).toEqual([
      { path: "state", desired: "enabled", live: "disabled", firstSeen: T1, unverified: true },
    ]);
    expect(runs[2]!.tenants[0]!.controls[0]!.differences[0]!.firstSeen).toBe(T1);
    // Neither resolved at the failed read nor new when it works again; the failed read is a new error.
    expect(runChanges(runs[0], runs[1]!).map((c) => c.kind)).toEqual(["newError"]);
    expect(runChanges(runs[1], runs[2]!)).toEqual([]);
  });
});

describe("runChanges", () => {
  it("nothing changed: no changes (so nothing is posted)", () => {
    const runs = series(
      report(T1, tenant([drifted("CA02", "state"), control("CA01")])),
      report(T2, tenant([drifted("CA02", "state"), control("CA01")])),
    );
    expect(runChanges(runs[0], runs[1]!)).toEqual([]);
  });

  it("a changed value at the same path is not new drift", () => {
    const runs = series(
      report(T1, tenant([drifted("CA02", "state")])),
      report(
        T2,
        tenant([
          control("CA02", {
            status: "drifted",
            differences: [{ path: "state", desired: "enabled", live: "enabledForReportingButNotEnforced" }],
          }),
        ]),
      ),
    );
    expect(runChanges(runs[0], runs[1]!)).toEqual([]);
  });

  it("reports new drift with its values, resolved drift with when it started, and a missing control", () => {
    const runs = series(
      report(T1, tenant([drifted("CA02", "state"), control("CA05")])),
      report(
        T2,
        tenant([
          drifted("CA03", "conditions.users.excludeUsers"),
          control("CA02"),
          control("CA05", { status: "missing" }),
        ]),
      ),
    );
    expect(runChanges(runs[0], runs[1]!)).toEqual([
      {
        kind: "newDrift",
        stack: "contoso",
        tenant: "Contoso Ltd",
        controlId: "CA03",
        title: "CA03 title",
        path: "conditions.users.excludeUsers",
        desired: "enabled",
        live: "disabled",
        firstSeen: T2,
      },
      {
        kind: "newDrift",
        stack: "contoso",
        tenant: "Contoso Ltd",
        controlId: "CA05",
        title: "CA05 title",
        path: "(missing)",
        firstSeen: T2,
      },
      {
        kind: "resolvedDrift",
        stack: "contoso",
        tenant: "Contoso Ltd",
        controlId: "CA02",
        title: "CA02 title",
        path: "state",
        firstSeen: T1,
      },
    ]);
  });

  it("reports a new control error once, and a tenant-level failure once (not per control)", () => {
    const failed = (message: string) =>
      tenant(
        ["CA01", "CA02"].map((id) => control(id, { status: "error", message })),
        { error: message, status: "error" },
      );
    const runs = series(
      report(T1, tenant([control("CA01"), control("CA02")])),
      report(T2, tenant([control("CA01"), control("CA02", { status: "error", message: "HTTP 503" })])),
      report(T3, tenant([control("CA01"), control("CA02", { status: "error", message: "HTTP 504" })])),
      report(T4, failed("AADSTS700016: application not found")),
    );
    expect(runChanges(runs[0], runs[1]!)).toEqual([
      {
        kind: "newError",
        stack: "contoso",
        tenant: "Contoso Ltd",
        controlId: "CA02",
        title: "CA02 title",
        message: "HTTP 503",
      },
    ]);
    expect(runChanges(runs[1], runs[2]!)).toEqual([]);
    expect(runChanges(runs[2], runs[3]!)).toEqual([
      {
        kind: "newError",
        stack: "contoso",
        tenant: "Contoso Ltd",
        controlId: "*",
        title: "tenant",
        message: "AADSTS700016: application not found",
      },
    ]);
  });

  it("announces an exception once, when it comes within 14 days of its end", () => {
    const excepted = (expires: string) =>
      tenant([
        control("CA09", { status: "excepted", exception: { reason: "legacy scanner", expires, expiresSoon: true } }),
      ]);
    const runs = series(
      report("2026-12-01T02:00:00.000Z", excepted("2026-12-20")), // 19 days: not yet
      report("2026-12-06T02:00:00.000Z", excepted("2026-12-20")), // 14 days: announced
      report("2026-12-07T02:00:00.000Z", excepted("2026-12-20")), // 13 days: already announced
      report("2026-12-08T02:00:00.000Z", excepted("2027-01-31")), // extended: ends later, nothing to say
      report("2026-12-09T02:00:00.000Z", excepted("2026-12-12")), // shortened into the window: a new end
    );
    const changes = runs.slice(1).map((run, i) => runChanges(runs[i], run));
    expect(changes.map((c) => c.length)).toEqual([1, 0, 0, 1]);
    expect(changes[0]).toEqual([
      {
        kind: "expiringException",
        stack: "contoso",
        tenant: "Contoso Ltd",
        controlId: "CA09",
        title: "CA09 title",
        expires: "2026-12-20",
        daysLeft: 14,
        reason: "legacy scanner",
      },
    ]);
    expect(changes[3]![0]).toMatchObject({ expires: "2026-12-12", daysLeft: 3 });
  });

  it("first run of a history: everything found is new (the baseline summary)", () => {
    const [run] = series(
      report(
        T1,
        tenant([drifted("CA02", "state"), control("CA01")]),
        tenant([control("CA01", { status: "error", message: "boom" })], { stack: "fabrikam", displayName: "Fabrikam" }),
      ),
    );
    expect(runChanges(undefined, run!).map((c) => [c.kind, c.stack, c.controlId])).toEqual([
      ["newDrift", "contoso", "CA02"],
      ["newError", "fabrikam", "CA01"],
    ]);
  });

  it("a tenant not in this run (another --stack selection) is not reported resolved", () => {
    const runs = series(
      report(T1, tenant([drifted("CA02", "state")]), tenant([drifted("CA02", "state")], { stack: "fabrikam" })),
      report(T2, tenant([drifted("CA02", "state")])),
    );
    expect(runChanges(runs[0], runs[1]!)).toEqual([]);
  });
});

describe("runFileStem", () => {
  it("is the UTC time with '-' for ':', sortable as text", () => {
    expect(runFileStem("2026-12-04T20:15:00.000Z")).toBe("2026-12-04T20-15-00.000Z");
    const stems = ["2026-12-04T20:15:00.000Z", "2026-11-30T23:59:59.999Z", "2026-12-04T09:00:00.000Z"].map(runFileStem);
    expect([...stems].sort()).toEqual([stems[1], stems[2], stems[0]]);
  });
});
