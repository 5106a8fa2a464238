/**
 * Layering of configuration: a stack's tenant groups in list order, then the stack itself, merged key by key.
 * Objects merge by key and the later layer wins a leaf; arrays concatenate (a tier's exceptions and named
 * locations add to the tenant's). Two groups giving one leaf different values is a conflict unless the stack
 * decides it, because list order is too quiet a way to pick between two tiers. Pure: no file is read here.
 */
import { isDeepStrictEqual } from "node:util";
import type { Issue } from "../errors";
import { isObject } from "./config-file";

/** One layer: the file it comes from and its values by key path root (`m365-baseline:stages`, …). */
export interface Layer {
  readonly file: string;
  readonly values: Readonly<Record<string, unknown>>;
  /** True for a group file (conflicts are only between groups); false for the stack file. */
  readonly group: boolean;
}

/** Where a merged value (a leaf, or one array element) was written, and whose values it replaced. */
export interface ValueOrigin {
  readonly file: string;
  /** Its key path in that file (an array element keeps the index it has there). */
  readonly path: string;
  /** Files of earlier layers whose different value this one replaced. */
  readonly replaced: readonly string[];
}

/** Merged key path (`m365-baseline:exceptions[2]`, `m365-baseline:stages.CA01`) → where it was written. */
export type Origins = ReadonlyMap<string, ValueOrigin>;

interface Conflict {
  readonly path: string;
  readonly files: readonly string[];
  readonly values: readonly unknown[];
}

interface State {
  readonly origins: Map<string, ValueOrigin>;
  readonly conflicts: Conflict[];
}

/**
 * Merges `layers` (lowest first) and reports each leaf two groups set differently; `stackFile` names the file
 * that can decide such a conflict.
 */
export function mergeLayers(
  layers: readonly Layer[],
  stackFile: string,
): { values: Record<string, unknown>; origins: Origins; conflicts: Issue[] } {
  const state: State = { origins: new Map(), conflicts: [] };
  const values: Record<string, unknown> = {};
  for (const layer of layers)
    for (const [key, value] of Object.entries(layer.values))
      if (value !== undefined) values[key] = mergeValue(values[key], value, key, layer, state);
  const conflicts = state.conflicts
    .filter((c) => !decidedBy(state.origins, c.path, stackFile))
    .map((c) => conflictIssue(c, stackFile));
  return { values, origins: state.origins, conflicts };
}

/** The file and key path a merged key path (or anything under it) came from, when some layer wrote it. */
export function originOf(origins: Origins, path: string): { file: string; path: string } | undefined {
  let best: string | undefined;
  for (const key of origins.keys())
    if ((path === key || path.startsWith(`${key}.`) || path.startsWith(`${key}[`)) && key.length > (best?.length ?? -1))
      best = key;
  if (best === undefined) return undefined;
  const origin = origins.get(best)!;
  return { file: origin.file, path: `${origin.path}${path.slice(best.length)}` };
}

/** Rewrites issues a merged stack raised under `stackFile` to the file and key path the value came from. */
export function attributeIssues(issues: readonly Issue[], origins: Origins | undefined, stackFile: string): Issue[] {
  if (origins === undefined) return [...issues];
  return issues.map((issue) => {
    const origin = issue.file === stackFile ? originOf(origins, issue.path) : undefined;
    return origin ? { ...issue, ...origin } : issue;
  });
}

function mergeValue(current: unknown, incoming: unknown, at: string, layer: Layer, state: State): unknown {
  if (Array.isArray(incoming)) {
    const base = Array.isArray(current) ? current : [];
    if (current !== undefined && !Array.isArray(current)) replace(current, incoming, at, layer, state);
    incoming.forEach((_, i) =>
      state.origins.set(`${at}[${base.length + i}]`, { file: layer.file, path: `${at}[${i}]`, replaced: [] }),
    );
    return [...base, ...(incoming as unknown[])];
  }
  if (isObject(incoming)) {
    const base: Record<string, unknown> = isObject(current) ? { ...current } : {};
    if (current !== undefined && !isObject(current)) replace(current, incoming, at, layer, state);
    for (const [key, value] of Object.entries(incoming))
      if (value !== undefined) base[key] = mergeValue(base[key], value, `${at}.${key}`, layer, state);
    return base;
  }
  const replaced = current === undefined ? [] : replace(current, incoming, at, layer, state);
  state.origins.set(at, { file: layer.file, path: at, replaced });
  return incoming;
}

/** Forgets the origins under `at` that `incoming` replaces, noting a conflict when two groups disagree. */
function replace(current: unknown, incoming: unknown, at: string, layer: Layer, state: State): string[] {
  const writers = [...state.origins].filter(([key]) => under(key, at));
  for (const [key] of writers) state.origins.delete(key);
  if (isDeepStrictEqual(current, incoming)) return [];
  const files = [...new Set(writers.map(([, o]) => o.file))].filter((f) => f !== layer.file);
  if (layer.group && files.length > 0)
    state.conflicts.push({ path: at, files: [...files, layer.file], values: [current, incoming] });
  return files;
}

/** Whether the stack file wrote `path` itself, an ancestor of it, or everything below it. */
function decidedBy(origins: Origins, path: string, stackFile: string): boolean {
  const entries = [...origins];
  if (entries.some(([key, o]) => o.file === stackFile && (key === path || under(path, key)))) return true;
  const below = entries.filter(([key]) => under(key, path) && key !== path);
  return below.length > 0 && below.every(([, o]) => o.file === stackFile);
}

/** Whether `key` is `path` or lies under it. */
function under(key: string, path: string): boolean {
  return key === path || key.startsWith(`${path}.`) || key.startsWith(`${path}[`);
}

function conflictIssue(conflict: Conflict, stackFile: string): Issue {
  const files = conflict.files;
  return {
    file: files[files.length - 1]!,
    path: conflict.path,
    message:
      `the groups ${files.join(" and ")} of ${stackFile} set this to different values ` +
      `(${conflict.values.map((v) => JSON.stringify(v)).join(" and ")})`,
    fix: `make the groups agree, or set ${conflict.path} in ${stackFile} to decide it for this tenant`,
  };
}
