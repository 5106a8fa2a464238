/**
 * A synthetic fleet report of any size, deterministic, for the dashboard's browser test and its benchmark: tenants
 * cycle through compliant, drifted (with differences), excepted, missing, not-licensed and error cases, with
 * unmanaged objects, consent gaps and Secure Scores, so every part of the dashboard has rows at 1,000 tenants.
 */
import type { DashboardControl, DashboardHistoryRun } from "./dashboard-data";
import type { CheckReport, ControlResult, ControlStatus, TenantCheckResult } from "./types";

const CONTROLS: readonly DashboardControl[] = [
  {
    id: "CA01",
    title: "Block legacy authentication",
    frameworks: [
      { framework: "CISA SCuBA", ref: "MS.AAD.1.1v1" },
      { framework: "CIS M365", ref: "5.2.2.3" },
    ],
    secureScore: ["BlockLegacyAuthentication"],
  },
  {
    id: "CA02",
    title: "Require MFA for all users",
    frameworks: [{ framework: "CIS M365", ref: "5.2.2.2" }],
    secureScore: ["MFARegistrationV2"],
  },
  { id: "CA03", title: "Require MFA for admins", frameworks: [{ framework: "CIS M365", ref: "5.2.2.1" }] },
  { id: "CA06", title: "Sign-in risk policy", frameworks: [{ framework: "CISA SCuBA", ref: "MS.AAD.2.3v1" }] },
  { id: "ID01", title: "Restrict user consent", frameworks: [{ framework: "CIS M365", ref: "5.1.5.1" }] },
];

/** The sample's control catalogue (framework references), as `check` passes the registry's. */
export function sampleControls(): Map<string, DashboardControl> {
  return new Map(CONTROLS.map((c) => [c.id, c]));
}

/** The tenant id of sample tenant `i`: a valid-looking UUID that embeds `i`. */
export function sampleTenantId(i: number): string {
  return `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
}

/** A report of `n` tenants (`tenant-0000`…); `displayName(i)` overrides a tenant's name (e.g. a hostile one). */
export function sampleFleetReport(
  n: number,
  displayName: (i: number) => string | undefined = () => undefined,
): CheckReport {
  const tenants: TenantCheckResult[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 10; // 0-4 compliant, 5-6 drifted, 7 excepted, 8 missing + not licensed, 9 error
    const status = (id: string, index: number): ControlStatus => {
      if (kind === 9) return "error";
      if ((kind === 5 || kind === 6) && index <= kind - 5) return "drifted";
      if (kind === 7 && id === "CA02") return "excepted";
      if (kind === 8 && id === "CA06") return "notLicensed";
      if (kind === 8 && id === "ID01") return "missing";
      return "compliant";
    };
    const controls = CONTROLS.map((c, index): ControlResult => {
      const s = status(c.id, index);
      return {
        controlId: c.id,
        title: c.title,
        severity: "high",
        status: s,
        resources: [c.id.toLowerCase()],
        differences:
          s === "drifted"
            ? [
                { path: "state", desired: "enabled", live: "disabled" },
                { path: "conditions.users.excludeGroups", desired: ["bg"], live: ["bg", `g-${i}`] },
              ]
            : [],
        ...(s === "excepted"
          ? { exception: { reason: "migration to passkeys", expires: "2026-12-20", expiresSoon: true } }
          : {}),
        ...(s === "error" ? { message: "Graph answered 403 Forbidden" } : {}),
        ...(s === "notLicensed" ? { message: "needs Entra ID P2" } : {}),
      };
    });
    const worst = controls.some((c) => c.status === "error")
      ? "error"
      : controls.some((c) => c.status === "drifted" || c.status === "missing")
        ? "drifted"
        : "compliant";
    tenants.push({
      stack: `tenant-${String(i).padStart(4, "0")}`,
      tenantId: sampleTenantId(i),
      displayName: displayName(i) ?? `Customer ${String(i).padStart(4, "0")} Ltd`,
      status: worst,
      controls,
      unmanaged:
        kind === 6
          ? [
              { type: "conditionalAccessPolicy", id: `p${i}`, displayName: "Old MFA policy", label: "unmanaged" },
              { type: "application", id: `a${i}`, displayName: "Backup tool", label: "highPrivilege", detail: "RW" },
            ]
          : [],
      secureScore: { currentScore: 40 + (i % 30), maxScore: 100, actions: [], gainByBaseline: kind >= 5 ? 8 : 0 },
      ...(kind === 9
        ? { error: "consent missing", missingPermissions: ["Policy.Read.All", "Application.Read.All"] }
        : {}),
      requests: 10,
      durationMs: 300,
    });
  }
  return {
    schemaVersion: 1,
    generatedAt: "2026-12-04T06:00:00.000Z",
    baselineVersion: "abc1234",
    tenants,
    summary: {
      tenants: n,
      compliant: tenants.filter((t) => t.status === "compliant").length,
      drifted: tenants.filter((t) => t.status === "drifted").length,
      errors: tenants.filter((t) => t.status === "error").length,
    },
  };
}

/**
 * `runs` nightly history runs ending with `report`'s run: the control at index `j` of a tenant, when drifted or
 * missing in `report`, has been so since run `min(runs - 1, 1 + j)`, so counts grow over time and each difference's
 * `firstSeen` is that run's time.
 */
export function sampleHistory(report: CheckReport, runs: number): DashboardHistoryRun[] {
  const end = Date.parse(report.generatedAt);
  const at = (k: number): string => new Date(end - (runs - 1 - k) * 86_400_000).toISOString();
  return Array.from({ length: runs }, (_, k) => ({
    runAt: at(k),
    tenants: report.tenants.map((t) => ({
      stack: t.stack,
      controls: t.controls.map((c, j) => {
        const since = Math.min(runs - 1, 1 + j);
        const drifting = (c.status === "drifted" || c.status === "missing") && k >= since;
        const other = c.status !== "drifted" && c.status !== "missing";
        return {
          controlId: c.controlId,
          status: drifting || other ? c.status : ("compliant" as const),
          differences: drifting ? c.differences.map((d) => ({ path: d.path, firstSeen: at(since) })) : [],
        };
      }),
    })),
  }));
}
