/**
 * The data the fleet dashboard embeds (issue 19), built here so that it is pure and unit-tested: the report, each
 * control's framework references, and per tenant its drift over time and when each difference first appeared.
 * The page's script only draws what this module computed.
 */
import type { CheckReport, ControlStatus } from "./types";

/** What the dashboard shows of a control beyond the report: its framework references and Secure Score actions. */
export interface DashboardControl {
  readonly id: string;
  readonly title: string;
  readonly frameworks?: readonly { readonly framework: string; readonly ref: string }[] | undefined;
  readonly secureScore?: readonly string[] | undefined;
}

/**
 * The part of a check history run (src/notify/history.ts `HistoryRun`) the dashboard reads; declared here, not
 * imported, so the report layer does not depend on notify (which depends on it).
 */
export interface DashboardHistoryRun {
  readonly runAt: string;
  readonly tenants: readonly {
    readonly stack: string;
    readonly controls: readonly {
      readonly controlId: string;
      readonly status: ControlStatus;
      readonly differences: readonly { readonly path: string; readonly firstSeen: string }[];
    }[];
  }[];
}

/** One tenant's history: drifted-control counts per run (oldest first), its sparkline, and first-seen times. */
export interface TenantHistory {
  readonly runs: readonly { readonly at: string; readonly drifted: number }[];
  /** SVG polyline `points` of `runs` in a SPARK_WIDTH × SPARK_HEIGHT box (higher = more drifted controls). */
  readonly spark: string;
  /** `[controlId, path, firstSeen]` from the newest run; a list, not an object, so no path can be a prototype key. */
  readonly firstSeen: readonly (readonly [string, string, string])[];
}

export interface DashboardData {
  readonly report: CheckReport;
  readonly controls: readonly DashboardControl[];
  /** By stack; empty without `--history`. */
  readonly history: Readonly<Record<string, TenantHistory>>;
}

export const SPARK_WIDTH = 120;
export const SPARK_HEIGHT = 24;

/** The dashboard's data: the controls the report names (in id order) with their metadata, and the tenants' history. */
export function dashboardData(
  report: CheckReport,
  catalogue: ReadonlyMap<string, DashboardControl> = new Map(),
  runs: readonly DashboardHistoryRun[] = [],
): DashboardData {
  const ids = new Map<string, string>();
  for (const t of report.tenants) for (const c of t.controls) if (!ids.has(c.controlId)) ids.set(c.controlId, c.title);
  const controls = [...ids]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, title]): DashboardControl => {
      const info = catalogue.get(id);
      return { id, title, frameworks: info?.frameworks ?? [], secureScore: info?.secureScore ?? [] };
    });
  return { report, controls, history: tenantHistories(runs) };
}

/** Per stack, its drift over `runs` (sorted here by time) and the first-seen time of each difference in the newest. */
export function tenantHistories(runs: readonly DashboardHistoryRun[]): Record<string, TenantHistory> {
  const sorted = [...runs].sort((a, b) => Date.parse(a.runAt) - Date.parse(b.runAt));
  const series = new Map<string, { at: string; drifted: number }[]>();
  const latest = new Map<string, DashboardHistoryRun["tenants"][number]>();
  for (const run of sorted)
    for (const tenant of run.tenants) {
      const drifted = tenant.controls.filter((c) => c.status === "drifted" || c.status === "missing").length;
      series.set(tenant.stack, [...(series.get(tenant.stack) ?? []), { at: run.runAt, drifted }]);
      latest.set(tenant.stack, tenant);
    }
  // A null-prototype object: a stack named `__proto__` is then an ordinary key.
  const out: Record<string, TenantHistory> = Object.create(null) as Record<string, TenantHistory>;
  for (const [stack, points] of series)
    out[stack] = {
      runs: points,
      spark: sparkline(points.map((p) => p.drifted)),
      firstSeen: latest
        .get(stack)!
        .controls.flatMap((c) => c.differences.map((d) => [c.controlId, d.path, d.firstSeen] as const)),
    };
  return out;
}

/**
 * SVG polyline points for `values` in a `width` × `height` box: x evenly spaced, y from the bottom (0) up to the
 * largest value (at least 1, so an all-zero series is a flat line at the bottom). One value is drawn as a flat line.
 */
export function sparkline(values: readonly number[], width = SPARK_WIDTH, height = SPARK_HEIGHT): string {
  if (values.length === 0) return "";
  const max = Math.max(1, ...values);
  const pad = 2; // the stroke's width: a line at 0 or at max stays inside the box
  const y = (v: number): number => round(height - pad - (v / max) * (height - 2 * pad));
  if (values.length === 1) return `0,${y(values[0]!)} ${width},${y(values[0]!)}`;
  const step = width / (values.length - 1);
  return values.map((v, i) => `${round(i * step)},${y(v)}`).join(" ");
}

/**
 * `value` as JSON that is inert inside a `<script type="application/json">` element: `<`, `>` and `&` become `\u`
 * escapes, so no text can close the element (`</script>`) or open the HTML parser's script-data escape state (`<!--`),
 * and U+2028/2029 are escaped for older JavaScript parsers. `JSON.parse` of the element's text gives `value` back.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** The fleet's headline numbers, rendered into the page itself so they are there before (and without) its script. */
export interface FleetKpis {
  readonly tenants: number;
  /** Compliant tenants as a whole percentage of all (0 for an empty fleet). */
  readonly compliantPercent: number;
  readonly drifted: number;
  readonly errors: number;
  /** Exceptions (one per tenant and control) that end within 30 days. */
  readonly expiringExceptions: number;
  /** Tenants that refused calls for lack of consent. */
  readonly consentGaps: number;
}

/** The KPIs of `report`. */
export function fleetKpis(report: CheckReport): FleetKpis {
  const { tenants, compliant, drifted, errors } = report.summary;
  return {
    tenants,
    compliantPercent: tenants === 0 ? 0 : Math.round((compliant / tenants) * 100),
    drifted,
    errors,
    expiringExceptions: report.tenants.reduce(
      (n, t) => n + t.controls.filter((c) => c.exception?.expiresSoon === true).length,
      0,
    ),
    consentGaps: report.tenants.filter((t) => (t.missingPermissions ?? []).length > 0).length,
  };
}
