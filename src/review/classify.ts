/**
 * Pure classification of baseline changes between two compiled states of one tenant: every change is
 * a weakening, a strengthening or neutral, with before/after values for the pull-request comment.
 */
import type { CompiledTenant, ControlOutcome, DesiredResource } from "../core/desired";
import { resourceDefinition } from "../resources";
import type { ChangeKind } from "../resources/types";
import { asList, rankChange } from "../resources/weakening";

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
}

/** Everything `review` knows about one tenant at one ref. */
export interface ReviewSide {
  readonly compiled: CompiledTenant;
  readonly exceptions: readonly StackException[];
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
    changes.push(...classifyResource(beforeResources.get(name), afterResources.get(name)));
  }
  changes.push(...classifyExceptions(before?.exceptions ?? [], after?.exceptions ?? []));
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
    const what = path === "certificateFile" ? "certificate replaced (a new credential for the app)" : "file content replaced";
    changes.push(change(kind, resources.get(name)?.controlId ?? "", name, `${path} (content)`, `${path}: ${what}: ${was} → ${now}`, was, now));
  }
  return changes;
}

/** True when `exceptions` holds an exception for `controlId` that has not expired on `today` (YYYY-MM-DD). */
export function hasUnexpiredException(exceptions: readonly StackException[], controlId: string, today: string): boolean {
  return exceptions.some((e) => e.control === controlId && e.expires >= today);
}

function classifyOutcomes(before: readonly ControlOutcome[], after: readonly ControlOutcome[]): ReviewChange[] {
  const changes: ReviewChange[] = [];
  const b = new Map(before.map((o) => [o.controlId, o]));
  const a = new Map(after.map((o) => [o.controlId, o]));
  for (const id of sortedUnion(b.keys(), a.keys())) {
    const was = b.get(id);
    const now = a.get(id);
    if (was && now && was.stage !== now.stage) {
      changes.push(change(rankChange(STAGE_RANK, was.stage, now.stage), id, "outcome", "stage", `stage ${was.stage} → ${now.stage}`, was.stage, now.stage));
    }
    if (was && now && was.status !== now.status && was.stage === now.stage) {
      const weaker = now.status !== "applied" && was.status === "applied";
      const kind: ChangeKind = weaker ? "weakening" : was.status !== "applied" && now.status === "applied" ? "strengthening" : "neutral";
      changes.push(change(kind, id, "outcome", "status", `${was.status} → ${now.status}`, was.status, now.status));
    }
    if (!was && now) changes.push(change("strengthening", id, "outcome", "control", `control ${id} added`, undefined, now.status));
    if (was && !now) changes.push(change("weakening", id, "outcome", "control", `control ${id} removed`, was.status, undefined));
  }
  return changes;
}

function classifyResource(was: DesiredResource | undefined, now: DesiredResource | undefined): ReviewChange[] {
  const subject = (now ?? was)!;
  // An app is a new identity with permissions and a trusted location a new way around MFA: adding either weakens.
  const grants = (r: DesiredResource) => resourceDefinition(r.type).grants(r);
  if (!was) return [change(grants(now!) ? "weakening" : "strengthening", subject.controlId, subject.name, "", `${subject.type} added`, undefined, summarize(now!))];
  if (!now) return [change(grants(was) ? "strengthening" : "weakening", subject.controlId, subject.name, "", `${subject.type} removed`, summarize(was), undefined)];
  const changes: ReviewChange[] = [];
  for (const [path, before, after] of leafDifferences(was.properties, now.properties, "")) {
    changes.push(change(classifyProperty(subject, path, before, after), subject.controlId, subject.name, path, describe(path, before, after), before, after));
  }
  return changes;
}

/** Decides the direction of one property change from its type's weakening rules (neutral when none applies). */
export function classifyProperty(resource: DesiredResource, path: string, before: unknown, after: unknown): ChangeKind {
  return resourceDefinition(resource.type).weakening(resource, path, before, after) ?? "neutral";
}

function classifyExceptions(before: readonly StackException[], after: readonly StackException[]): ReviewChange[] {
  const changes: ReviewChange[] = [];
  const key = (e: StackException) => e.control;
  const b = new Map(before.map((e) => [key(e), e]));
  for (const e of after) {
    const was = b.get(key(e));
    if (!was) changes.push(change("weakening", e.control, "exceptions", e.control, `exception added until ${e.expires}: ${e.reason}`, undefined, e));
    else if (e.expires > was.expires) changes.push(change("weakening", e.control, "exceptions", e.control, `exception extended ${was.expires} → ${e.expires}`, was, e));
    else if (e.expires < was.expires) changes.push(change("strengthening", e.control, "exceptions", e.control, `exception shortened ${was.expires} → ${e.expires}`, was, e));
  }
  const a = new Set(after.map(key));
  for (const e of before) if (!a.has(key(e))) changes.push(change("strengthening", e.control, "exceptions", e.control, "exception removed", e, undefined));
  return changes;
}

/** Lists [path, before, after] for every differing leaf; arrays are compared whole (they are sets in Graph). */
export function leafDifferences(before: unknown, after: unknown, prefix: string): Array<[string, unknown, unknown]> {
  if (isPlainObject(before) && isPlainObject(after)) {
    const out: Array<[string, unknown, unknown]> = [];
    for (const key of sortedUnion(Object.keys(before), Object.keys(after))) {
      out.push(...leafDifferences(before[key], after[key], prefix ? `${prefix}.${key}` : key));
    }
    return out;
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [[prefix, before, after]];
}

function describe(path: string, before: unknown, after: unknown): string {
  if (Array.isArray(before) || Array.isArray(after)) {
    const b = asList(before).map(String);
    const a = asList(after).map(String);
    const added = a.filter((x) => !b.includes(x));
    const removed = b.filter((x) => !a.includes(x));
    const parts = [added.length ? `+${added.join(", +")}` : "", removed.length ? `-${removed.join(", -")}` : ""].filter(Boolean);
    return `${path}: ${parts.join("; ") || "reordered"}`;
  }
  return `${path}: ${JSON.stringify(before) ?? "(unset)"} → ${JSON.stringify(after) ?? "(unset)"}`;
}

function summarize(resource: DesiredResource): string {
  const name = resource.properties["displayName"] ?? resource.properties["Name"] ?? resource.naturalKey;
  return String(name);
}

function change(kind: ChangeKind, controlId: string, object: string, path: string, summary: string, before: unknown, after: unknown): ReviewChange {
  return { kind, controlId, object, path, summary, before, after };
}

function byName(resources: readonly DesiredResource[]): Map<string, DesiredResource> {
  return new Map(resources.map((r) => [r.name, r]));
}

function sortedUnion(a: Iterable<string>, b: Iterable<string>): string[] {
  return [...new Set([...a, ...b])].sort();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
