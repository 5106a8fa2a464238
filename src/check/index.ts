/**
 * `check`: read-only compliance of live tenants against their compiled baselines. Tenants run in
 * parallel; one tenant failing (auth, throttling) is reported as that tenant's error and never stops the rest.
 */
import type * as Graph from "@microsoft/microsoft-graph-types";
import type { CompiledTenant } from "../core/desired";
import { licencesFromSkus, SUBSCRIBED_SKUS_PATH, type Licences } from "../core/licences";
import { mapPool } from "../core/pool";
import { formatIssue, GraphRequestError, type Issue } from "../errors";
import { missingPermissionsOf } from "../graph/consent-hint";
import { DEADLINE_CODE } from "../graph/deadline";
import type { TenantConnection } from "../graph/types";
import type { CheckReport, TenantCheckResult } from "../report/types";
import { evaluateTenant, type ControlInfo, type StackExceptionInfo } from "./evaluate";
import { backupSignIn } from "./sign-in";
import { readSnapshot, type LiveSnapshot } from "./snapshot";

export type { ControlInfo, StackExceptionInfo } from "./evaluate";

/** One tenant to check: its compiled baseline, its exceptions and a way to connect to it. */
export interface CheckTarget {
  readonly stack: string;
  readonly compiled: CompiledTenant;
  readonly exceptions: readonly StackExceptionInfo[];
  /** SHA-256 of the repository files the compiled baseline names (branding images), by path. */
  readonly files?: ReadonlyMap<string, string> | undefined;
  /**
   * Only for a stack with `licences: auto` (`compiled` is then its offline compile): the stack compiled for the
   * licences its tenant's subscribedSkus give, which the check reads before everything else.
   */
  readonly compileFor?: ((licences: Licences) => CompiledTenant) | undefined;
  /** Connects lazily, so a tenant whose credentials are broken fails alone; every call ends within `deadlineMs`. */
  readonly connect: (limits: { readonly deadlineMs: number }) => TenantConnection;
}

export interface CheckOptions {
  readonly concurrency: number;
  readonly controls: ReadonlyMap<string, ControlInfo>;
  /** Injected clock for deterministic reports; defaults to now. */
  readonly now?: Date | undefined;
  readonly baselineVersion: string;
  /** Stacks refused before any call (invalid stack files): each becomes an error row naming the file, key and fix. */
  readonly invalid?: readonly InvalidStack[] | undefined;
  /** Time one tenant's check may take (default 10 minutes); past it the tenant is an error row and the others go on. */
  readonly tenantDeadlineMs?: number | undefined;
  /** Called as each tenant's check ends (for a progress display); the report itself is unaffected. */
  readonly onTenantDone?: ((result: TenantCheckResult) => void) | undefined;
}

/** A stack that failed validation: reported as an error row, never connected to. */
export interface InvalidStack {
  readonly stack: string;
  readonly tenantId: string;
  readonly issues: readonly Issue[];
}

/** The default of `tenantDeadlineMs`: a check reads a few dozen collections, normally in seconds. */
export const TENANT_DEADLINE_MS = 10 * 60_000;

/** Checks every target and returns the report; exit status is derived with `checkExitCode`. */
export async function runCheck(targets: readonly CheckTarget[], options: CheckOptions): Promise<CheckReport> {
  const now = options.now ?? new Date();
  const today = now.toISOString().slice(0, 10);
  const deadlineMs = options.tenantDeadlineMs ?? TENANT_DEADLINE_MS;
  const settled = await mapPool(targets, options.concurrency, async (target) => {
    const result = await checkTenant(target, options.controls, today, deadlineMs);
    options.onTenantDone?.(result);
    return result;
  });
  const tenants = [
    ...settled.map((s, i) => (s.ok ? s.value : failedTenant(targets[i]!, s.error, 0, 0))),
    ...(options.invalid ?? []).map(invalidTenant),
  ];
  return {
    schemaVersion: 1,
    generatedAt: now.toISOString(),
    baselineVersion: options.baselineVersion,
    tenants,
    summary: {
      tenants: tenants.length,
      compliant: tenants.filter((t) => t.status === "compliant").length,
      drifted: tenants.filter((t) => t.status === "drifted").length,
      errors: tenants.filter((t) => t.status === "error").length,
    },
  };
}

/** 0 when every tenant is compliant, 2 when any drifted or is missing objects, 1 when any errored. */
export function checkExitCode(report: CheckReport): 0 | 1 | 2 {
  if (report.summary.errors > 0) return 1;
  return report.summary.drifted > 0 ? 2 : 0;
}

async function checkTenant(
  target: CheckTarget,
  controls: ReadonlyMap<string, ControlInfo>,
  today: string,
  deadlineMs: number,
): Promise<TenantCheckResult> {
  const started = performance.now();
  let connection: TenantConnection | undefined;
  try {
    connection = target.connect({ deadlineMs });
    const { compiled, live, derived } = await withinDeadline(readTenant(connection, target), target, deadlineMs);
    const result = evaluateTenant(compiled, live, controls, target.exceptions, today, target.files, {
      licencesDerived: derived !== undefined,
    });
    const worst = result.controls.some((c) => c.status === "error")
      ? "error"
      : result.controls.some((c) => c.status === "drifted" || c.status === "missing")
        ? "drifted"
        : "compliant";
    return {
      stack: target.stack,
      tenantId: target.compiled.tenantId,
      displayName: target.compiled.displayName,
      status: worst,
      controls: result.controls,
      unmanaged: result.unmanaged,
      secureScore: result.secureScore,
      ...withBackupSignIn(backupSignIn(compiled, live.applications, live.applicationSignIns)),
      ...(derived ? { derivedLicences: { ...derived } } : {}),
      requests: connection.requestCount?.() ?? 0,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    return failedTenant(target, error, connection?.requestCount?.() ?? 0, Math.round(performance.now() - started));
  } finally {
    await connection?.close?.();
  }
}

/**
 * The tenant's live snapshot and the compiled baseline it is compared with. A `licences: auto` stack is compiled for
 * the licences subscribedSkus give, so that read comes first (the snapshot reuses it instead of reading it again).
 */
async function readTenant(
  connection: TenantConnection,
  target: CheckTarget,
): Promise<{ compiled: CompiledTenant; live: LiveSnapshot; derived?: Licences | undefined }> {
  if (!target.compileFor) return { compiled: target.compiled, live: await readSnapshot(connection, target.compiled) };
  const subscribedSkus = await connection.graph.list<Graph.SubscribedSku>(SUBSCRIBED_SKUS_PATH);
  const derived = licencesFromSkus(subscribedSkus);
  const compiled = target.compileFor(derived);
  return { compiled, live: await readSnapshot(connection, compiled, { subscribedSkus }), derived };
}

/** The report's `backupSignIn`, only when there is one (reports stay free of `undefined` keys). */
function withBackupSignIn(value: TenantCheckResult["backupSignIn"]): Pick<TenantCheckResult, "backupSignIn"> {
  return value ? { backupSignIn: value } : {};
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function invalidTenant(stack: InvalidStack): TenantCheckResult {
  return {
    stack: stack.stack,
    // The report's tenantId is a GUID; a file without a readable one reports the nil GUID.
    tenantId: GUID.test(stack.tenantId) ? stack.tenantId : "00000000-0000-0000-0000-000000000000",
    displayName: stack.stack,
    status: "error",
    controls: [],
    unmanaged: [],
    error: `invalid stack file, not checked: ${stack.issues.map(formatIssue).join("; ")}`,
    requests: 0,
    durationMs: 0,
  };
}

/**
 * `work`, or a GraphRequestError naming the tenant once its deadline (plus a grace for the client's own deadline
 * errors to arrive first) has passed: a backstop for what the client's deadlines do not cover, such as the token
 * request, whose transport is @azure/identity's.
 */
async function withinDeadline<T>(work: Promise<T>, target: CheckTarget, deadlineMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new GraphRequestError({
            status: 0,
            code: DEADLINE_CODE,
            message: `tenant ${target.compiled.tenantId} (stack ${target.stack}): the check did not finish within ${deadlineMs / 1000} s (Microsoft or the network is too slow, or the sign-in hangs: run again later)`,
            method: "GET",
            path: "(the tenant's reads)",
          }),
        ),
      deadlineMs + Math.min(5_000, deadlineMs),
    );
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

function failedTenant(target: CheckTarget, error: unknown, requests: number, durationMs: number): TenantCheckResult {
  const message = error instanceof Error ? error.message : String(error);
  const missing = missingPermissionsOf(error);
  return {
    stack: target.stack,
    tenantId: target.compiled.tenantId,
    displayName: target.compiled.displayName,
    status: "error",
    controls: target.compiled.outcomes.map((o) => ({
      controlId: o.controlId,
      title: o.controlId,
      severity: "medium" as const,
      status: "error" as const,
      resources: [],
      differences: [],
      message,
    })),
    unmanaged: [],
    error: message,
    ...(missing.length > 0 ? { missingPermissions: missing } : {}),
    requests,
    durationMs,
  };
}
