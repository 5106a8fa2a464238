/**
 * The building blocks of the per-type weakening rules: ranked values, sets that weaken as they grow or
 * shrink, and retention periods. Pure; the rules themselves live with each resource type.
 */
import type { ChangeKind } from "./types";

/** A move to a lower rank weakens, to a higher one strengthens; unknown values rank lowest. */
export function rankChange(rank: Readonly<Record<string, number>>, before: unknown, after: unknown): ChangeKind {
  const b = rank[String(before)] ?? 0;
  const a = rank[String(after)] ?? 0;
  return a < b ? "weakening" : a > b ? "strengthening" : "neutral";
}

/** A set that grew, shrank or changed members; members are compared by value (an ipRange object, as Graph would). */
export function setChange(before: unknown, after: unknown, direction: "grow-weakens" | "grow-strengthens"): ChangeKind {
  const b = new Set(asList(before).map((x) => JSON.stringify(x)));
  const a = new Set(asList(after).map((x) => JSON.stringify(x)));
  const added = [...a].some((x) => !b.has(x));
  const removed = [...b].some((x) => !a.has(x));
  if (!added && !removed) return "neutral";
  // A swap weakens either way: the new member of a growth-weakens set is a new way around the policy, and the member
  // lost from a growth-strengthens set (a role, a risk level) is no longer covered.
  if (added && removed) return "weakening";
  return added === (direction === "grow-weakens") ? "weakening" : "strengthening";
}

/** Narrowing the users or apps a policy covers weakens it ("All" is the widest). */
export function includeChange(before: unknown, after: unknown): ChangeKind {
  const b = asList(before);
  const a = asList(after);
  if (b.includes("All") && !a.includes("All")) return "weakening";
  if (!b.includes("All") && a.includes("All")) return "strengthening";
  return setChange(before, after, "grow-strengthens");
}

/** Losing one of `protective` weakens; gaining one strengthens. */
export function protectiveChange(protective: ReadonlySet<string>, before: unknown, after: unknown): ChangeKind {
  const b = asList(before).filter((x) => protective.has(String(x)));
  const a = asList(after).filter((x) => protective.has(String(x)));
  if (b.some((x) => !a.includes(x))) return "weakening";
  if (a.some((x) => !b.includes(x))) return "strengthening";
  return "neutral";
}

/** A shorter retention period weakens; "unlimited" is the longest. */
export function durationChange(before: unknown, after: unknown): ChangeKind {
  const days = (v: unknown) =>
    typeof v === "number" ? v : /^unlimited$/i.test(String(v)) ? Number.POSITIVE_INFINITY : Number(v);
  const b = days(before);
  const a = days(after);
  if (Number.isNaN(a) || Number.isNaN(b) || a === b) return "neutral";
  return a < b ? "weakening" : "strengthening";
}

/** A value as a list: absent is empty, a scalar is a list of one. */
export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

/** The last segment of a dot path. */
export function leafOf(path: string): string {
  return path.split(".").pop() ?? path;
}
