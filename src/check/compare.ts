/**
 * Pure comparison of one desired resource with its live object, both in Graph vocabulary. Live ids of
 * referenced tenant objects are first mapped back to `ref:` tokens, so desired and live speak alike.
 */
import type { PropertyDifference } from "../report/types";

/** Maps a live object id (group, user, named location) to the `ref:` token the baseline uses for it. */
export type RefLookup = ReadonlyMap<string, string>;

/**
 * Lists the differences between `desired` and `live`: every desired leaf must match (lists compared as
 * sets), and a non-empty live list under a desired object where the baseline expects none is drift too
 * (someone added an exclusion by hand). Scalars Graph fills in that the baseline does not set are ignored.
 */
export function compareProperties(
  desired: Readonly<Record<string, unknown>>,
  live: unknown,
  refs: RefLookup = new Map(),
  mode: "desiredKeys" | "complete" = "desiredKeys",
): PropertyDifference[] {
  const out: PropertyDifference[] = [];
  if (mode === "complete") complete(desired, toRefs(live, refs), "", out);
  else walk(desired, toRefs(live, refs), "", out, true);
  return out;
}

/**
 * Both sides canonical (./resources views: server-computed keys gone, Graph's defaults applied, empties dropped):
 * every key either side has must match, so a property set by hand where the baseline sets none is drift.
 */
function complete(desired: unknown, live: unknown, path: string, out: PropertyDifference[]): void {
  if (isObject(desired) && isObject(live)) {
    for (const key of [...new Set([...Object.keys(desired), ...Object.keys(live)])].sort()) {
      complete(desired[key], live[key], join(path, key), out);
    }
    return;
  }
  if (Array.isArray(desired) || Array.isArray(live)) {
    const d = Array.isArray(desired) ? desired : desired === undefined ? [] : [desired];
    const l = Array.isArray(live) ? live : live === undefined ? [] : [live];
    if (!sameSet(d, l)) out.push({ path, desired: desired ?? null, live: live ?? null });
    return;
  }
  if (desired === undefined && live === undefined) return;
  if (isObject(desired) || isObject(live) || !sameScalar(desired, live))
    out.push({ path, desired: desired ?? null, live: live ?? null });
}

function walk(desired: unknown, live: unknown, path: string, out: PropertyDifference[], extraLists: boolean): void {
  if (isObject(desired)) {
    const liveObject = isObject(live) ? live : {};
    if (!isObject(live) && live !== undefined && live !== null) {
      out.push({ path, desired, live });
      return;
    }
    for (const key of Object.keys(desired).sort())
      walk(desired[key], liveObject[key], join(path, key), out, extraLists);
    // Lists Graph holds where the baseline wants none: e.g. an exclusion added in the portal. Only inside
    // managed objects: top-level properties the baseline does not set (cdnList, …) are not managed.
    if (!extraLists || path === "") return;
    for (const key of Object.keys(liveObject).sort()) {
      if (key in desired) continue;
      const value = liveObject[key];
      if (Array.isArray(value) && value.length > 0) out.push({ path: join(path, key), desired: [], live: value });
    }
    return;
  }
  if (
    Array.isArray(desired) &&
    desired.length > 0 &&
    desired.every((d) => isObject(d) && typeof d["id"] === "string")
  ) {
    // Lists of entities keyed by id (e.g. authentication method configurations): compare the ones the baseline names.
    const liveList = Array.isArray(live) ? live.filter(isObject) : [];
    for (const item of desired as Record<string, unknown>[]) {
      const match = liveList.find((l) => String(l["id"]).toLowerCase() === String(item["id"]).toLowerCase());
      if (!match) out.push({ path: join(path, String(item["id"])), desired: item, live: null });
      // Inside a named entity only the fields the baseline sets are managed (e.g. not includeTargets).
      else walk(item, match, join(path, String(item["id"])), out, false);
    }
    return;
  }
  if (Array.isArray(desired)) {
    const liveList = Array.isArray(live) ? live : live === undefined || live === null ? [] : [live];
    if (!sameSet(desired, liveList)) out.push({ path, desired, live: liveList });
    return;
  }
  if (!sameScalar(desired, live)) out.push({ path, desired, live: live ?? null });
}

/** Replaces known ids with their `ref:` tokens anywhere in `value`. */
function toRefs(value: unknown, refs: RefLookup): unknown {
  if (typeof value === "string") return refs.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => toRefs(v, refs));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toRefs(v, refs)]));
  return value;
}

function sameSet(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  // Graph compares ids, UPNs and refs case-insensitively (GUIDs and UPNs are case-insensitive identifiers).
  const key = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : stableJson(v));
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.every((v, i) => v === right[i]);
}

function sameScalar(desired: unknown, live: unknown): boolean {
  if (typeof desired === "string" && typeof live === "string")
    return desired.toLowerCase() === live.toLowerCase() || desired === live;
  return stableJson(desired) === stableJson(live ?? null) || (desired === null && live === undefined);
}

/** JSON with sorted keys, so objects inside lists compare by content. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (isObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "null";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
