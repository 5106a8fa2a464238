/**
 * The plan's "Where the values come from" section for a stack with tenant groups: each value a group or the stack
 * layered (and which group's value the stack replaced), so a reviewer sees what a tier decides for this tenant.
 */
import type { LoadedStack } from "../stack/load";
import { safeText } from "../report/safe-text";
import { table } from "../report/table";

const MAX_VALUE = 60;

/** The origin section for `stack`, or "" when it lists no groups; `baselineFile` is where the rest comes from. */
export function renderOrigins(stack: LoadedStack, baselineFile: string): string {
  if (!stack.origins || !stack.groups?.length) return "";
  const rows = [...stack.origins]
    .sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }))
    .map(([path, origin]) => {
      const from = origin.path === path ? origin.file : `${origin.file} ${origin.path}`;
      const note = origin.replaced.length > 0 ? ` (replaces ${origin.replaced.join(", ")})` : "";
      return [path, short(valueAt(stack.config, path)), `${from}${note}`].map(safeText);
    });
  const groups = stack.groups.map((g) => g.file).join(", ");
  return (
    `\nWhere the values come from (baseline < ${groups} < ${stack.file}):\n\n` +
    `${table(["Key", "Value", "From"], rows)}\n\n` +
    `Stages and parameters not listed come from the baseline (${baselineFile}).\n`
  );
}

/** The value at a merged key path such as `m365-baseline:exceptions[1]` or `m365-baseline:stages.CA01`. */
function valueAt(config: object, path: string): unknown {
  const parts = path.replace(/^[^:]*:/, "").match(/[^.[\]]+|\[\d+\]/g) ?? [];
  let node: unknown = config;
  for (const part of parts) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part.startsWith("[") ? part.slice(1, -1) : part];
  }
  return node;
}

/** A value in a few words: an exception by its control and end, a named location by its name, else JSON. */
function short(value: unknown): string {
  const o = (value ?? {}) as Record<string, unknown>;
  const text =
    typeof value === "string"
      ? value
      : typeof o["control"] === "string" && typeof o["expires"] === "string"
        ? `exception for ${o["control"]} until ${o["expires"]}`
        : typeof o["name"] === "string" && (o["ipRanges"] !== undefined || o["countries"] !== undefined)
          ? `named location "${o["name"]}"`
          : (JSON.stringify(value) ?? "");
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}
