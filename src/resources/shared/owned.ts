/**
 * Canonical views of objects a resource type owns whole (`compare: "complete"`): the same function runs on the
 * desired and on the live side, so only settings remain — server-computed keys and OData annotations go, empties
 * (`null`, `[]`, `{}`, which Graph returns for every unset property) are dropped and sets sorted.
 */
import { canonical } from "../../providers/canonical";
import type { Json } from "../types";

/** `value` without `serverComputed` top-level keys and OData annotations (`@odata.context`, `x@odata.context` …). */
export function ownedView(value: object, serverComputed: readonly string[], keepType = false): Json {
  const strip = (v: unknown, top: boolean): unknown => {
    if (Array.isArray(v)) return v.map((x) => strip(x, false));
    if (!v || typeof v !== "object") return v;
    const entries = Object.entries(v).filter(([k]) => {
      if (top && serverComputed.includes(k)) return false;
      if (k === "@odata.type") return top && keepType;
      return !k.includes("@odata.") && !k.startsWith("@microsoft.graph.");
    });
    return Object.fromEntries(entries.map(([k, x]) => [k, strip(x, false)]));
  };
  return (canonical(strip(value, true)) ?? {}) as Json;
}

/** Removes `path` (dot-separated) from `view` when its value is Graph's documented default for an unset property. */
export function dropDefault(view: Json, path: string, defaultValue: unknown): void {
  const keys = path.split(".");
  const last = keys.pop()!;
  let node: unknown = view;
  for (const k of keys) node = node && typeof node === "object" ? (node as Json)[k] : undefined;
  if (!node || typeof node !== "object") return;
  const holder = node as Json;
  if (JSON.stringify(canonical(holder[last])) === JSON.stringify(canonical(defaultValue))) delete holder[last];
}
