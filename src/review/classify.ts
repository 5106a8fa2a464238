/**
 * Pure classification of baseline changes between two compiled states of one tenant: every change is
 * a weakening, a strengthening or neutral, with before/after values for the pull-request comment.
 */
import { isMicrosoftEndpoint } from "../graph/endpoints";
import { exceptionCovers } from "../core/exceptions";
import type { CompiledTenant, ControlOutcome, DesiredResource } from "../core/desired";
import { resourceChanges } from "../resources/classify";
import type { ChangeKind } from "../resources/types";
import { rankChange } from "../resources/weakening";

export type { ChangeKind } from "../resources/types";

/** One classified change to a tenant's compiled baseline. */
export interface ReviewChange {
  readonly kind: ChangeKind;
  readonly controlId: string;
  /** Desired resource name, or `exceptions` / `outcome` for control-level changes. */
  readonly object: string;
  /** JSON path inside the resource's properties, or a short label. */
  readonly path: string;
  readonly summary: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** An exception as written in a stack file. */
export interface StackException {
  readonly control: string;
  readonly reason: string;
  readonly expires: string;
  /** When set, the exception excuses only these property paths (src/core/exceptions). */
  readonly properties?: readonly string[] | undefined;
}

/** What an exception reaches, for a review line: the whole control or its properties. */
const reach = (e: StackException) => (e.properties ? `properties ${e.properties.join(", ")}` : "the whole control");

/** True when `now` excuses something `was` did not: it lost its property scope, or names a property not covered. */
function widened(was: StackException, now: StackException): boolean {
  if (!was.properties) return false;
  return !now.properties || now.properties.some((p) => !exceptionCovers(was, p));
}

/** Everything `review` knows about one tenant at one ref. */
export interface ReviewSide {
  readonly compiled: CompiledTenant;
  readonly exceptions: readonly StackException[];
  /** The stack's `endpoints` (graph, authority, compliance, caCertificateFile): where its tokens would go. */
  readonly endpoints?: Readonly<Record<string, string | undefined>> | undefined;
  /** Digests of the files the resources refer to (`<resource>:<key>` → digest), see ./files. */
  readonly files?: Readonly<Record<string, string>> | undefined;
}

/** Rollout stages from weakest to strongest; moving left is a weakening. */
const STAGE_RANK: Record<string, number> = { off: 0, reportOnly: 1, enforce: 2 };

/** Classifies every difference between `before` and `after` (either may be absent: tenant added/removed). */
export function classifyTenant(before: ReviewSide | undefined, after: ReviewSide | undefined): ReviewChange[] {
  const changes: ReviewChange[] = [];
  changes.push(...classifyOutcomes(before?.compiled.outcomes ?? [], after?.compiled.outcomes ?? []));
  const beforeResources = byName(before?.compiled.resources ?? []);
  const afterResources = byName(after?.compiled.resources ?? []);
  for (const name of sortedUnion(beforeResources.keys(), afterResources.keys())) {
    const was = beforeResources.get(name);
    const now = afterResources.get(name);
    const controlId = (now ?? was)!.controlId;
    for (const c of resourceChanges(was, now))
      changes.push(change(c.kind, controlId, name, c.path, c.summary, c.before, c.after));
  }
  changes.push(...classifyExceptions(before?.exceptions ?? [], after?.exceptions ?? []));
  changes.push(...classifyEndpoints(before?.endpoints ?? {}, after?.endpoints ?? {}));
  changes.push(...classifyFiles(before, after));
  return changes;
}

/**
 * A file replaced behind its path: a new certificate on the backup app is a new credential that can sign in as
 * it (a weakening, it needs an exception); a new image or stylesheet is shown for review (neutral).
 */
function classifyFiles(before: ReviewSide | undefined, after: ReviewSide | undefined): ReviewChange[] {
  if (!before?.files || !after?.files) return [];
  const changes: ReviewChange[] = [];
  const resources = byName(after.compiled.resources);
  for (const key of sortedUnion(Object.keys(before.files), Object.keys(after.files))) {
    const was = before.files[key];
    const now = after.files[key];
    if (was === undefined || now === undefined || was === now) continue;
    const [name, path] = key.split(":") as [string, string];
    const kind: ChangeKind = path === "certificateFile" ? "weakening" : "neutral";
    const what =
      path === "certificateFile" ? "certificate replaced (a new credential for the app)" : "file content replaced";
    changes.push(
      change(
        kind,
        resources.get(name)?.controlId ?? "",
        name,
        `${path} (content)`,
        `${path}: ${what}: ${was} → ${now}`,
        was,
        now,
      ),
    );
  }
  return changes;
}

/**
 * True when `exceptions` holds an exception for `change`'s control, unexpired on `today` (YYYY-MM-DD), that reaches
 * it: a whole-control exception reaches every change, a scoped one only changes at its properties.
 */
export function isExcused(exceptions: readonly StackException[], change: ReviewChange, today: string): boolean {
  // An exception added or widened is the reviewed exception itself; a stage change needs a whole-control one.
  const itself = change.object === "exceptions";
  const onProperty = change.object !== "outcome" && change.path !== "";
  return exceptions.some(
    (e) =>
      e.control === change.controlId &&
      e.expires >= today &&
      (itself || !e.properties || (onProperty && exceptionCovers(e, change.path))),
  );
}

function classifyOutcomes(before: readonly ControlOutcome[], after: readonly ControlOutcome[]): ReviewChange[] {
  const changes: ReviewChange[] = [];
  const b = new Map(before.map((o) => [o.controlId, o]));
  const a = new Map(after.map((o) => [o.controlId, o]));
  for (const id of sortedUnion(b.keys(), a.keys())) {
    const was = b.get(id);
    const now = a.get(id);
    if (was && now && was.stage !== now.stage) {
      changes.push(
        change(
          rankChange(STAGE_RANK, was.stage, now.stage),
          id,
          "outcome",
          "stage",
          `stage ${was.stage} → ${now.stage}`,
          was.stage,
          now.stage,
        ),
      );
    }
    if (was && now && was.status !== now.status && was.stage === now.stage) {
      const weaker = now.status !== "applied" && was.status === "applied";
      const kind: ChangeKind = weaker
        ? "weakening"
        : was.status !== "applied" && now.status === "applied"
          ? "strengthening"
          : "neutral";
      changes.push(change(kind, id, "outcome", "status", `${was.status} → ${now.status}`, was.status, now.status));
    }
    if (!was && now)
      changes.push(change("strengthening", id, "outcome", "control", `control ${id} added`, undefined, now.status));
    if (was && !now)
      changes.push(change("weakening", id, "outcome", "control", `control ${id} removed`, was.status, undefined));
  }
  return changes;
}

function classifyExceptions(before: readonly StackException[], after: readonly StackException[]): ReviewChange[] {
  const changes: ReviewChange[] = [];
  const key = (e: StackException) => e.control;
  const b = new Map(before.map((e) => [key(e), e]));
  for (const e of after) {
    const was = b.get(key(e));
    if (!was)
      changes.push(
        change(
          "weakening",
          e.control,
          "exceptions",
          e.control,
          `exception added until ${e.expires} for ${reach(e)}: ${e.reason}`,
          undefined,
          e,
        ),
      );
    else if (e.expires > was.expires)
      changes.push(
        change(
          "weakening",
          e.control,
          "exceptions",
          e.control,
          `exception extended ${was.expires} → ${e.expires}`,
          was,
          e,
        ),
      );
    if (was && widened(was, e))
      changes.push(change("weakening", e.control, "exceptions", e.control, `exception widened to ${reach(e)}`, was, e));
    else if (was && widened(e, was))
      changes.push(
        change("strengthening", e.control, "exceptions", e.control, `exception narrowed to ${reach(e)}`, was, e),
      );
    if (!was) continue;
    if (e.expires < was.expires)
      changes.push(
        change(
          "strengthening",
          e.control,
          "exceptions",
          e.control,
          `exception shortened ${was.expires} → ${e.expires}`,
          was,
          e,
        ),
      );
  }
  const a = new Set(after.map(key));
  for (const e of before)
    if (!a.has(key(e)))
      changes.push(change("strengthening", e.control, "exceptions", e.control, "exception removed", e, undefined));
  return changes;
}

/**
 * Endpoint changes: pointing a stack at a host other than Microsoft's (or trusting another CA) would send the deploying
 * app's tokens there, so it is a weakening no control exception excuses; back to Microsoft's is a strengthening.
 */
function classifyEndpoints(
  before: Readonly<Record<string, string | undefined>>,
  after: Readonly<Record<string, string | undefined>>,
): ReviewChange[] {
  const risky = (key: string, value: string | undefined) =>
    value !== undefined && (key === "caCertificateFile" || !safeMicrosoftEndpoint(value));
  return sortedUnion(Object.keys(before), Object.keys(after))
    .filter((key) => before[key] !== after[key])
    .map((key) => {
      const [was, now] = [before[key], after[key]];
      const kind: ChangeKind = risky(key, now) ? "weakening" : risky(key, was) ? "strengthening" : "neutral";
      const summary = `endpoints.${key}: ${was ?? "(Microsoft's default)"} → ${now ?? "(Microsoft's default)"}`;
      return change(kind, "endpoints", "endpoints", key, summary, was, now);
    });
}

function safeMicrosoftEndpoint(url: string): boolean {
  try {
    return isMicrosoftEndpoint(url);
  } catch {
    return false;
  }
}

function change(
  kind: ChangeKind,
  controlId: string,
  object: string,
  path: string,
  summary: string,
  before: unknown,
  after: unknown,
): ReviewChange {
  return { kind, controlId, object, path, summary, before, after };
}

function byName(resources: readonly DesiredResource[]): Map<string, DesiredResource> {
  return new Map(resources.map((r) => [r.name, r]));
}

function sortedUnion(a: Iterable<string>, b: Iterable<string>): string[] {
  return [...new Set([...a, ...b])].sort();
}
