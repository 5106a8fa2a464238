/**
 * The one definition of "weaker": every difference between two versions of a desired resource (either may be
 * absent: added or removed), classed by its type's weakening rules. Compile uses it to refuse a stack's unexcused
 * weakening of its baseline; review uses it to gate pull requests; both therefore agree by construction.
 */
import type { DesiredResource } from "../core/desired";
import { resourceDefinition } from "./index";
import type { ChangeKind } from "./types";
import { asList } from "./weakening";

/** One classified difference inside a resource, with before/after values for messages and comments. */
export interface ResourceChange {
  readonly kind: ChangeKind;
  /** JSON path inside the resource's properties; empty when the whole resource was added or removed. */
  readonly path: string;
  readonly summary: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** The classified differences between `was` and `now` (the same resource, by name). */
export function resourceChanges(was: DesiredResource | undefined, now: DesiredResource | undefined): ResourceChange[] {
  const subject = now ?? was;
  if (!subject) return [];
  const grants = (r: DesiredResource) => resourceDefinition(r.type).grants(r);
  // Adding what grants (an app, a trusted location) weakens; removing anything else weakens.
  if (!was)
    return [
      {
        kind: grants(subject) ? "weakening" : "strengthening",
        path: "",
        summary: `${subject.type} added`,
        before: undefined,
        after: title(subject),
      },
    ];
  if (!now)
    return [
      {
        kind: grants(was) ? "strengthening" : "weakening",
        path: "",
        summary: `${subject.type} removed`,
        before: title(was),
        after: undefined,
      },
    ];
  return leafDifferences(was.properties, now.properties, "").map(([path, before, after]) => ({
    kind: classifyProperty(subject, path, before, after),
    path,
    summary: describe(path, before, after),
    before,
    after,
  }));
}

/** The direction of one property change from its type's weakening rules (neutral when none applies). */
export function classifyProperty(resource: DesiredResource, path: string, before: unknown, after: unknown): ChangeKind {
  return resourceDefinition(resource.type).weakening(resource, path, before, after) ?? "neutral";
}

/** Lists [path, before, after] for every differing leaf; arrays are compared whole (they are sets in Graph). */
export function leafDifferences(before: unknown, after: unknown, prefix: string): Array<[string, unknown, unknown]> {
  if (isPlainObject(before) && isPlainObject(after)) {
    const out: Array<[string, unknown, unknown]> = [];
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      out.push(...leafDifferences(before[key], after[key], prefix ? `${prefix}.${key}` : key));
    }
    return out;
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [[prefix, before, after]];
}

function describe(path: string, before: unknown, after: unknown): string {
  if (Array.isArray(before) || Array.isArray(after)) {
    const text = (x: unknown) => (typeof x === "object" && x !== null ? JSON.stringify(x) : String(x));
    const b = asList(before).map(text);
    const a = asList(after).map(text);
    const added = a.filter((x) => !b.includes(x));
    const removed = b.filter((x) => !a.includes(x));
    const parts = [added.length ? `+${added.join(", +")}` : "", removed.length ? `-${removed.join(", -")}` : ""].filter(
      Boolean,
    );
    return `${path}: ${parts.join("; ") || "reordered"}`;
  }
  return `${path}: ${JSON.stringify(before) ?? "(unset)"} → ${JSON.stringify(after) ?? "(unset)"}`;
}

function title(resource: DesiredResource): string {
  return String(resource.properties["displayName"] ?? resource.properties["Name"] ?? resource.naturalKey);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
