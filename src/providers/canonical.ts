/**
 * Canonical forms for diffing: sets sorted, empty values dropped, live objects projected onto the
 * shape the baseline manages. Applying, reading back and diffing must give "no change" (no false drift).
 */
import { UNKNOWN, type Props } from "./types";

/** True when `value` is or contains Pulumi's unknown sentinel. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * Canonical JSON-like value: objects with sorted keys minus empties; primitive arrays and id-keyed object arrays
 * sorted.
 */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(canonical).filter((v) => v !== undefined);
    if (items.length === 0) return undefined;
    if (items.every((v) => typeof v !== "object")) return [...items].sort((a, b) => String(a).localeCompare(String(b)));
    if (items.every((v) => v !== null && typeof v === "object" && "id" in (v as Props)))
      return [...items].sort((a, b) => String((a as Props)["id"]).localeCompare(String((b as Props)["id"])));
    return items;
  }
  if (value && typeof value === "object") {
    const out: Props = {};
    for (const key of Object.keys(value).sort()) {
      const v = canonical((value as Props)[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value === null || value === "" ? undefined : value;
}

/**
 * `live` reduced to the keys present in `shape`, recursively; arrays of objects with `id` keep only the
 * ids the shape lists, so settings the baseline does not manage never show up as drift.
 */
export function project(live: unknown, shape: unknown): unknown {
  if (Array.isArray(shape) && Array.isArray(live) && shape.some((s) => s && typeof s === "object" && "id" in s)) {
    const ids = new Map(shape.map((s) => [String((s as Props)["id"]).toLowerCase(), s]));
    return live
      .filter((l) => l && typeof l === "object" && ids.has(String((l as Props)["id"]).toLowerCase()))
      .map((l) => project(l, ids.get(String((l as Props)["id"]).toLowerCase())));
  }
  if (shape && typeof shape === "object" && !Array.isArray(shape)) {
    if (!live || typeof live !== "object" || Array.isArray(live)) return undefined;
    const out: Props = {};
    for (const key of Object.keys(shape)) {
      const v = project((live as Props)[key], (shape as Props)[key]);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
  return live ?? undefined;
}

/** Top-level keys whose canonical values differ between `olds` and `news` (keys of `news`, minus `ignore`). */
export function changedKeys(olds: Props, news: Props, ignore: readonly string[]): string[] {
  const keys = new Set([...Object.keys(news)].filter((k) => !ignore.includes(k) && k !== "__provider"));
  return [...keys]
    .filter(
      (k) => containsUnknown(news[k]) || JSON.stringify(canonical(olds[k])) !== JSON.stringify(canonical(news[k])),
    )
    .sort();
}

/** `props` without bookkeeping keys and Pulumi's `__provider`. */
export function managed(props: Props, bookkeeping: readonly string[]): Props {
  return Object.fromEntries(Object.entries(props).filter(([k]) => k !== "__provider" && !bookkeeping.includes(k)));
}
