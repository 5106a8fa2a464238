/**
 * Check history (issue 19): a compact record of one `check` run per tenant and control, and the changes between two
 * consecutive runs that drift alerts announce. Pure: the files are read and written by `store.ts`, posted by `post.ts`.
 *
 * Identity of a finding: a difference is (stack, control, path); an error is (stack, control), or (stack, `*`) for a
 * tenant-level failure; an exception is (stack, control, expires). Values and messages may change without making a
 * finding new — a drift alert is about something starting or stopping, not about its details moving.
 */
import type { CheckReport, ControlStatus, TenantCheckResult } from "../report/types";

/** The `schema` of a history file; bumped only with an incompatible change. */
export const HISTORY_SCHEMA = "m365-baseline.history/v1";

/** An exception ending within this many days (inclusive) is announced once. */
export const EXPIRY_NOTICE_DAYS = 14;

/** The difference path a `missing` control is recorded under (its objects are not there to compare). */
export const MISSING_PATH = "(missing)";

/** The control id a tenant-level failure (auth, throttling, invalid stack) is recorded under. */
export const TENANT_LEVEL = "*";

export interface HistoryDifference {
  readonly path: string;
  readonly desired?: unknown;
  readonly live?: unknown;
  /** `runAt` of the earliest run of the unbroken series of runs in which this difference was present. */
  readonly firstSeen: string;
  /** Set when the control could not be read this run (error): the difference is the previous run's, kept. */
  readonly unverified?: true | undefined;
}

export interface HistoryControl {
  readonly controlId: string;
  readonly title: string;
  readonly status: ControlStatus;
  readonly differences: readonly HistoryDifference[];
  readonly message?: string | undefined;
  readonly exception?:
    | { readonly reason: string; readonly expires: string; readonly properties?: readonly string[] | undefined }
    | undefined;
}

export interface HistoryTenant {
  readonly stack: string;
  readonly tenantId: string;
  readonly displayName: string;
  readonly status: TenantCheckResult["status"];
  readonly error?: string | undefined;
  readonly controls: readonly HistoryControl[];
}

/** One history file: what one `check` run found. Holds report data only (no credentials, no webhook URLs). */
export interface HistoryRun {
  readonly schema: typeof HISTORY_SCHEMA;
  /** The report's `generatedAt` (ISO 8601 UTC). */
  readonly runAt: string;
  readonly baselineVersion: string;
  readonly tenants: readonly HistoryTenant[];
}

/** What changed between two runs, in the order alerts list it. */
export type RunChange =
  | {
      readonly kind: "newDrift";
      readonly stack: string;
      readonly tenant: string;
      readonly controlId: string;
      readonly title: string;
      readonly path: string;
      readonly desired?: unknown;
      readonly live?: unknown;
      readonly firstSeen: string;
    }
  | {
      readonly kind: "resolvedDrift";
      readonly stack: string;
      readonly tenant: string;
      readonly controlId: string;
      readonly title: string;
      readonly path: string;
      readonly firstSeen: string;
    }
  | {
      readonly kind: "newError";
      readonly stack: string;
      readonly tenant: string;
      /** `*` for a tenant-level failure. */
      readonly controlId: string;
      readonly title: string;
      readonly message: string;
    }
  | {
      readonly kind: "expiringException";
      readonly stack: string;
      readonly tenant: string;
      readonly controlId: string;
      readonly title: string;
      readonly expires: string;
      readonly daysLeft: number;
      readonly reason: string;
    };

/** The history file name stem of a run: its UTC time, sortable as text, with `-` for `:` (valid on every OS). */
export function runFileStem(runAt: string): string {
  return new Date(runAt).toISOString().replace(/:/g, "-");
}

/** The compact history record of `report`, each difference's `firstSeen` carried forward from `previous`. */
export function summarizeRun(report: CheckReport, previous: HistoryRun | undefined): HistoryRun {
  const before = new Map(previous?.tenants.map((t) => [t.stack, t]) ?? []);
  return {
    schema: HISTORY_SCHEMA,
    runAt: report.generatedAt,
    baselineVersion: report.baselineVersion,
    tenants: report.tenants.map((tenant) => {
      const prior = new Map(before.get(tenant.stack)?.controls.map((c) => [c.controlId, c]) ?? []);
      return {
        stack: tenant.stack,
        tenantId: tenant.tenantId,
        displayName: tenant.displayName,
        status: tenant.status,
        ...(tenant.error !== undefined ? { error: tenant.error } : {}),
        controls: tenant.controls.map((control): HistoryControl => {
          const earlier = prior.get(control.controlId);
          const seen = new Map(earlier?.differences.map((d) => [d.path, d.firstSeen]) ?? []);
          const differences: HistoryDifference[] =
            control.status === "error"
              ? // Not read this run: what was there before is kept (unverified), so one failed read neither
                // announces the drift as resolved nor, when the read works again, as new.
                (earlier?.differences ?? []).map((d) => ({ ...d, unverified: true as const }))
              : [
                  ...(control.status === "missing" ? [{ path: MISSING_PATH }] : []),
                  ...control.differences.map((d) => ({ path: d.path, desired: d.desired, live: d.live })),
                ].map((d) => ({ ...d, firstSeen: seen.get(d.path) ?? report.generatedAt }));
          // An errored control carries no exception in the report: the previous one is kept with its differences.
          const e = control.exception ?? (control.status === "error" ? earlier?.exception : undefined);
          return {
            controlId: control.controlId,
            title: control.title,
            status: control.status,
            differences,
            ...(control.message !== undefined ? { message: control.message } : {}),
            ...(e
              ? {
                  exception: {
                    reason: e.reason,
                    expires: e.expires,
                    ...(e.properties ? { properties: e.properties } : {}),
                  },
                }
              : {}),
          };
        }),
      };
    }),
  };
}

/**
 * The changes from `previous` to `current`: new and resolved differences, new errors, and exceptions that entered the
 * last `EXPIRY_NOTICE_DAYS` days this run. Without a previous run everything found counts as new (a baseline summary).
 * A tenant absent from `current` (another `--stack` selection) is not reported as resolved.
 */
export function runChanges(previous: HistoryRun | undefined, current: HistoryRun): RunChange[] {
  const before = new Map(previous?.tenants.map((t) => [t.stack, t]) ?? []);
  const drift: RunChange[] = [];
  const resolved: RunChange[] = [];
  const errors: RunChange[] = [];
  const expiring: RunChange[] = [];
  const today = current.runAt.slice(0, 10);
  const previousDay = previous?.runAt.slice(0, 10);
  for (const tenant of current.tenants) {
    const prior = before.get(tenant.stack);
    const priorControls = new Map(prior?.controls.map((c) => [c.controlId, c]) ?? []);
    const who = { stack: tenant.stack, tenant: tenant.displayName };
    if (tenant.error !== undefined && prior?.error === undefined)
      errors.push({ kind: "newError", ...who, controlId: TENANT_LEVEL, title: "tenant", message: tenant.error });
    for (const control of tenant.controls) {
      const earlier = priorControls.get(control.controlId);
      const what = { ...who, controlId: control.controlId, title: control.title };
      const had = new Set(earlier?.differences.map((d) => d.path) ?? []);
      const has = new Set(control.differences.map((d) => d.path));
      for (const d of control.differences)
        if (!d.unverified && !had.has(d.path))
          drift.push({
            kind: "newDrift",
            ...what,
            path: d.path,
            desired: d.desired,
            live: d.live,
            firstSeen: d.firstSeen,
          });
      for (const d of earlier?.differences ?? [])
        if (!has.has(d.path)) resolved.push({ kind: "resolvedDrift", ...what, path: d.path, firstSeen: d.firstSeen });
      // A tenant-level failure is one error, not one per control.
      if (control.status === "error" && tenant.error === undefined && earlier?.status !== "error")
        errors.push({ kind: "newError", ...what, message: control.message ?? "error" });
      const e = control.exception;
      if (e?.expires) {
        const daysLeft = daysBetween(today, e.expires);
        const announced =
          previousDay !== undefined &&
          earlier?.exception?.expires === e.expires &&
          daysBetween(previousDay, e.expires) <= EXPIRY_NOTICE_DAYS;
        if (daysLeft >= 0 && daysLeft <= EXPIRY_NOTICE_DAYS && !announced)
          expiring.push({ kind: "expiringException", ...what, expires: e.expires, daysLeft, reason: e.reason });
      }
    }
  }
  return [...drift, ...resolved, ...errors, ...expiring];
}

/** Whole days from `from` to `to` (both YYYY-MM-DD, or ISO times whose date part is used). */
function daysBetween(from: string, to: string): number {
  return Math.round(
    (Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) / 86_400_000,
  );
}
