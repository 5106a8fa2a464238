/**
 * Tenant groups: `stacks/groups/<name>.yaml` holds the configuration a tier of tenants shares (stages,
 * exceptions, overrides, branding …), layered between the baseline and each stack that lists the group.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ValidationError, type Issue } from "../errors";
import { readConfigMap } from "./config-file";
import { zodIssues } from "./issues";
import { attributeIssues, mergeLayers, type Layer, type Origins } from "./layers";
import { GROUP_KEYS, GROUP_NAME, NS, groupConfigSchema, stackConfigSchema, stackKeys } from "./schema";
import type { GroupConfig, StackConfig } from "./schema";

/** A parsed group file. */
export interface LoadedGroup {
  readonly name: string;
  /** Repository-relative: `stacks/groups/<name>.yaml`. */
  readonly file: string;
  readonly config: GroupConfig;
}

const GROUP_FILE = /^([a-z0-9][a-z0-9_-]*)\.yaml$/;

/** The repository-relative file of group `name`. */
export function groupFile(name: string): string {
  return `stacks/groups/${name}.yaml`;
}

/** Group names found as `stacks/groups/<name>.yaml` under `root`, sorted. */
export function listGroups(root: string): string[] {
  const dir = join(root, "stacks", "groups");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => GROUP_FILE.exec(f)?.[1])
    .filter((n): n is string => n !== undefined)
    .sort();
}

/** Loads and validates `stacks/groups/<name>.yaml`; throws ValidationError naming the group file. */
export function loadGroup(root: string, name: string): LoadedGroup {
  const file = groupFile(name);
  const { config, issues } = readConfigMap(root, file, new Set(["config"]), "group files");
  const ours: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const short = key.startsWith(`${NS}:`) ? key.slice(NS.length + 1) : undefined;
    if (short === undefined) {
      issues.push({
        file,
        path: key,
        message: `'${key}' is not an ${NS}: key`,
        fix: `a group holds ${NS}:<key> entries only; keep other namespaces in the stack files`,
      });
    } else if (short in stackKeys && !(GROUP_KEYS as readonly string[]).includes(short)) {
      issues.push({
        file,
        path: key,
        message: `'${short}' belongs to one tenant and cannot be set by a group`,
        fix: `move it to each stack file that lists this group; a group may set ${GROUP_KEYS.join(", ")}`,
      });
    } else ours[short] = value;
  }
  const parsed = groupConfigSchema.safeParse(ours);
  if (!parsed.success)
    issues.push(
      ...zodIssues(parsed.error, file).map((i) => ({
        ...i,
        path: `${NS}:${i.path}`,
        fix: i.fix.replace("the stack file's JSON Schema is stacks/schema.json", "see stacks/groups/schema.json"),
      })),
    );
  if (issues.length > 0 || !parsed.success) throw new ValidationError(issues);
  return { name, file, config: parsed.data };
}

/**
 * Applies the groups `config.groups` lists (from files under `root`) beneath the stack's own values: the merged
 * configuration and where each layered value came from. Throws ValidationError for a missing, invalid or
 * conflicting group, naming the stack file and key path or the group file.
 */
export function applyGroups(
  root: string,
  stack: { readonly file: string; readonly config: StackConfig },
): { config: StackConfig; origins: Origins | undefined; groups: readonly LoadedGroup[] } {
  const { file, config } = stack;
  if (config.groups.length === 0) return { config, origins: undefined, groups: [] };
  const issues: Issue[] = [];
  const groups: LoadedGroup[] = [];
  const known = listGroups(root);
  config.groups.forEach((name, i) => {
    const path = `${NS}:groups[${i}]`;
    if (config.groups.indexOf(name) !== i) {
      issues.push({ file, path, message: `group '${name}' is listed twice`, fix: "list each group once" });
    } else if (!GROUP_NAME.test(name) || !known.includes(name)) {
      issues.push({
        file,
        path,
        message: `group '${name}' not found: there is no ${groupFile(name)}`,
        fix: `create ${groupFile(name)}, or use one of: ${known.join(", ") || "(no groups under stacks/groups/)"}`,
      });
    } else {
      try {
        groups.push(loadGroup(root, name));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        issues.push(...error.issues);
      }
    }
  });
  if (issues.length > 0) throw new ValidationError(issues);
  const layers: Layer[] = [
    ...groups.map((g) => ({ file: g.file, values: prefixed(g.config), group: true })),
    { file, values: prefixed(pick(config)), group: false },
  ];
  const merged = mergeLayers(layers, file);
  if (merged.conflicts.length > 0) throw new ValidationError(merged.conflicts);
  const values = Object.fromEntries(Object.entries(merged.values).map(([k, v]) => [k.slice(NS.length + 1), v]));
  // Each layer was valid alone; the merged whole is parsed again, so a combination no layer could write is caught.
  const parsed = stackConfigSchema.safeParse({ ...config, ...values });
  if (!parsed.success)
    throw new ValidationError(
      attributeIssues(
        zodIssues(parsed.error, file).map((i) => ({ ...i, path: `${NS}:${i.path}` })),
        merged.origins,
        file,
      ),
    );
  return { config: parsed.data, origins: merged.origins, groups };
}

function pick(config: StackConfig): Partial<Record<string, unknown>> {
  return Object.fromEntries(GROUP_KEYS.map((k) => [k, config[k]]));
}

function prefixed(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${NS}:${k}`, v]));
}
