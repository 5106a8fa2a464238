/**
 * Drift from Pulumi engine events (`preview --refresh`): every step that is not same/read/refresh is a
 * change. azuread supplies detailed diffs; our dynamic types do not, so their property differences are
 * computed from the old outputs against the new inputs.
 */
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { canonical } from "../providers/canonical";

/** One resource that would change, with the properties that differ. */
export interface ResourceChange {
  readonly op: string;
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Changed property paths with their before/after values where known ("[secret]" stays blinded). */
  readonly properties: readonly {
    readonly path: string;
    readonly kind: string;
    readonly before?: unknown;
    readonly after?: unknown;
  }[];
}

const QUIET_OPS = new Set(["same", "read", "refresh", "discard", "read-discard"]);
const IGNORED_KEYS = new Set(["__provider", "adopted", "previous", "assetPaths"]);

/** Collects changes from a stream of engine events; feed it with `onEvent`. */
export class DriftCollector {
  readonly changes: ResourceChange[] = [];

  /** Records the change an event announces, if any. */
  add(event: EngineEvent): void {
    const meta = event.resourcePreEvent?.metadata;
    if (
      !meta ||
      QUIET_OPS.has(meta.op) ||
      meta.type === "pulumi:pulumi:Stack" ||
      meta.type.startsWith("pulumi:providers:")
    )
      return;
    const name = meta.urn.split("::").pop() ?? meta.urn;
    const properties = meta.type.startsWith("pulumi-nodejs:dynamic")
      ? dynamicDiff(meta.old?.outputs ?? {}, meta.new?.inputs ?? {})
      : meta.detailedDiff
        ? Object.entries(meta.detailedDiff).map(([path, d]) => ({
            path,
            kind: String(d.diffKind),
            before: valueAt(meta.old?.outputs, path),
            after: valueAt(meta.new?.inputs, path),
          }))
        : (meta.diffs ?? []).map((path) => ({
            path,
            kind: "update",
            before: meta.old?.outputs?.[path] as unknown,
            after: meta.new?.inputs?.[path] as unknown,
          }));
    this.changes.push({ op: meta.op, urn: meta.urn, type: meta.type, name, properties });
  }
}

/** Leaf differences between stored outputs and desired inputs, keys of the inputs only. */
export function dynamicDiff(
  outputs: Record<string, unknown>,
  inputs: Record<string, unknown>,
): { path: string; kind: string; before?: unknown; after?: unknown }[] {
  const out: { path: string; kind: string; before?: unknown; after?: unknown }[] = [];
  const walk = (path: string, before: unknown, after: unknown) => {
    const b = canonical(before);
    const a = canonical(after);
    if (JSON.stringify(b) === JSON.stringify(a)) return;
    if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
      for (const key of Object.keys(a))
        walk(`${path}.${key}`, (b as Record<string, unknown>)[key], (a as Record<string, unknown>)[key]);
      return;
    }
    out.push({ path, kind: b === undefined ? "add" : a === undefined ? "delete" : "update", before: b, after: a });
  };
  for (const key of Object.keys(inputs).sort()) if (!IGNORED_KEYS.has(key)) walk(key, outputs[key], inputs[key]);
  return out;
}

function valueAt(object: Record<string, unknown> | undefined, path: string): unknown {
  let value: unknown = object;
  for (const part of path.split(/[.[\]]+/).filter(Boolean))
    value = value && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}
