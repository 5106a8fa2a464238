/**
 * Pure classification of baseline changes between two compiled states of one tenant: every change is
 * a weakening, a strengthening or neutral, with before/after values for the pull-request comment.
 */
import type { CompiledTenant, ControlOutcome, DesiredResource } from "../core/desired";

export type ChangeKind = "weakening" | "strengthening" | "neutral";

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

/** CA policy states from weakest to strongest; moving left is a weakening. */
const STATE_RANK: Record<string, number> = { disabled: 0, enabledForReportingButNotEnforced: 1, enabled: 2 };
const STAGE_RANK: Record<string, number> = { off: 0, reportOnly: 1, enforce: 2 };
// Retention from weakest to strongest (Set-RetentionComplianceRule -RetentionComplianceAction; Graph's
// security.retentionLabel behaviorDuringRetentionPeriod and actionAfterRetentionPeriod).
const RULE_ACTION_RANK: Record<string, number> = { Delete: 0, KeepAndDelete: 1, Keep: 2 };
const LABEL_BEHAVIOR_RANK: Record<string, number> = { doNotRetain: 0, retain: 1, retainAsRecord: 2, retainAsRegulatoryRecord: 3 };
const LABEL_AFTER_RANK: Record<string, number> = { delete: 0, relabel: 1, none: 2, startDispositionReview: 2 };
/** Grant controls whose loss weakens a policy. */
const PROTECTIVE_GRANTS = new Set(["block", "mfa", "passwordChange", "compliantDevice", "domainJoinedDevice"]);

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
      const weaker = (STAGE_RANK[now.stage] ?? 0) < (STAGE_RANK[was.stage] ?? 0);
      changes.push(change(weaker ? "weakening" : "strengthening", id, "outcome", "stage", `stage ${was.stage} → ${now.stage}`, was.stage, now.stage));
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
  const grants = (r: DesiredResource) => r.type === "application" || (r.type === "namedLocation" && r.properties["isTrusted"] === true);
  if (!was) return [change(grants(now!) ? "weakening" : "strengthening", subject.controlId, subject.name, "", `${subject.type} added`, undefined, summarize(now!))];
  if (!now) return [change(grants(was) ? "strengthening" : "weakening", subject.controlId, subject.name, "", `${subject.type} removed`, summarize(was), undefined)];
  const changes: ReviewChange[] = [];
  for (const [path, before, after] of leafDifferences(was.properties, now.properties, "")) {
    changes.push(change(classifyProperty(subject, path, before, after), subject.controlId, subject.name, path, describe(path, before, after), before, after));
  }
  return changes;
}

/** Decides the direction of one property change from its path and values. */
export function classifyProperty(resource: DesiredResource, path: string, before: unknown, after: unknown): ChangeKind {
  const leaf = path.split(".").pop() ?? path;
  if (resource.type === "conditionalAccessPolicy") {
    if (leaf === "state") return rankChange(STATE_RANK, before, after);
    if (/^exclude/.test(leaf)) return setChange(before, after, "grow-weakens");
    if (/^include/.test(leaf)) return includeChange(before, after);
    if (leaf === "builtInControls") return grantChange(before, after);
    if (path.startsWith("grantControls.authenticationStrength")) return after === undefined ? "weakening" : before === undefined ? "strengthening" : "neutral";
    if (leaf === "clientAppTypes" || leaf === "signInRiskLevels" || leaf === "userRiskLevels") return setChange(before, after, "grow-strengthens");
  }
  if (/retentionduration/i.test(leaf)) return durationChange(before, after);
  if (resource.type === "namedLocation") {
    // A trusted location exempts sign-ins from it; any policy may lean on that (e.g. MFA skipped on site).
    if (leaf === "isTrusted") return after === true ? "weakening" : "strengthening";
    if (path === "ipRanges" && resource.properties["isTrusted"] === true) return setChange(before, after, "grow-weakens");
  }
  // Managed groups are break-glass groups: every member is excluded from every policy.
  if (resource.type === "group" && leaf === "members") return setChange(before, after, "grow-weakens");
  if (resource.type === "retentionComplianceRule" && leaf === "RetentionComplianceAction") return rankChange(RULE_ACTION_RANK, before, after);
  if (resource.type === "retentionLabel" && leaf === "behaviorDuringRetentionPeriod") return rankChange(LABEL_BEHAVIOR_RANK, before, after);
  if (resource.type === "retentionLabel" && leaf === "actionAfterRetentionPeriod") return rankChange(LABEL_AFTER_RANK, before, after);
  if (resource.type === "application" && (leaf === "roles" || path.startsWith("requiredResourceAccess"))) return setChange(before, after, "grow-weakens");
  if (resource.type === "application" && leaf === "directoryRoles") return setChange(before, after, "grow-weakens");
  if (resource.type === "identitySecurityDefaultsEnforcementPolicy") return "neutral";
  if (resource.type === "authenticationMethodsPolicy" && leaf === "state") return after === "enabled" ? "weakening" : "strengthening";
  if (resource.type === "authorizationPolicy" && typeof after === "boolean" && /^allowed/.test(leaf)) return after ? "weakening" : "strengthening";
  return "neutral";
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

function rankChange(rank: Record<string, number>, before: unknown, after: unknown): ChangeKind {
  const b = rank[String(before)] ?? 0;
  const a = rank[String(after)] ?? 0;
  return a < b ? "weakening" : a > b ? "strengthening" : "neutral";
}

function setChange(before: unknown, after: unknown, direction: "grow-weakens" | "grow-strengthens"): ChangeKind {
  // By value: members may be objects (an ipRange), compared as Graph would, not by identity.
  const b = new Set(asList(before).map((x) => JSON.stringify(x)));
  const a = new Set(asList(after).map((x) => JSON.stringify(x)));
  const added = [...a].some((x) => !b.has(x));
  const removed = [...b].some((x) => !a.has(x));
  if (added === removed) return added ? (direction === "grow-weakens" ? "weakening" : "neutral") : "neutral";
  const grew = added;
  return grew === (direction === "grow-weakens") ? "weakening" : "strengthening";
}

/** Narrowing the users or apps a policy covers weakens it ("All" is the widest). */
function includeChange(before: unknown, after: unknown): ChangeKind {
  const b = asList(before);
  const a = asList(after);
  if (b.includes("All") && !a.includes("All")) return "weakening";
  if (!b.includes("All") && a.includes("All")) return "strengthening";
  return setChange(before, after, "grow-strengthens");
}

function grantChange(before: unknown, after: unknown): ChangeKind {
  const b = asList(before).filter((x) => PROTECTIVE_GRANTS.has(String(x)));
  const a = asList(after).filter((x) => PROTECTIVE_GRANTS.has(String(x)));
  if (b.some((x) => !a.includes(x))) return "weakening";
  if (a.some((x) => !b.includes(x))) return "strengthening";
  return "neutral";
}

/** A shorter retention period weakens; "unlimited" is the longest. */
function durationChange(before: unknown, after: unknown): ChangeKind {
  const days = (v: unknown) => (typeof v === "number" ? v : /^unlimited$/i.test(String(v)) ? Number.POSITIVE_INFINITY : Number(v));
  const b = days(before);
  const a = days(after);
  if (Number.isNaN(a) || Number.isNaN(b) || a === b) return "neutral";
  return a < b ? "weakening" : "strengthening";
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

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
