/**
 * Reading stack files: YAML with positions, the `config:` map split into our keys and pass-through
 * namespaces, secrets required to be Pulumi secrets, and every problem reported at once.
 */
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { ValidationError, type Issue } from "../errors";
import { isObject, readConfigMap } from "./config-file";
import { listStacks, stackNameIssue } from "./files";
import { fleetDefaults, loadFleet } from "./fleet";
import { applyGroups, type LoadedGroup } from "./groups";
import { attributeIssues, type Origins } from "./layers";
import { zodIssues } from "./issues";
import { NS, PASSTHROUGH_NAMESPACES, SECRET_KEYS, stackConfigSchema, type StackConfig } from "./schema";

/** A parsed stack: its name, file (repository-relative) and typed configuration. */
export interface LoadedStack {
  readonly name: string;
  readonly file: string;
  readonly config: StackConfig;
  /** Decrypted secrets, only when the caller had them (the Pulumi program); never printed. */
  readonly secrets: Readonly<Partial<Record<(typeof SECRET_KEYS)[number], string>>>;
  /** Where each value a tenant group set (or the stack set over a group) came from; absent without groups. */
  readonly origins?: Origins | undefined;
  /** The tenant groups applied, in `groups:` order. */
  readonly groups?: readonly LoadedGroup[] | undefined;
}

const TOP_LEVEL = new Set(["config", "encryptionsalt", "secretsprovider", "encryptedkey"]);

export { listStacks } from "./files";

/** Loads `stacks/Pulumi.<name>.yaml` under `root`; throws ValidationError with every problem. */
export function loadStack(root: string, name: string): LoadedStack {
  const refused = stackNameIssue(name);
  if (refused) throw new ValidationError([refused]);
  const path = join(root, "stacks", `Pulumi.${name}.yaml`);
  const file = relative(root, path) || path;
  if (!existsSync(path))
    throw new ValidationError([
      {
        file,
        path: "",
        message: `stack file not found`,
        fix: `create it (see docs/baselines.md), or pick one of: ${listStacks(join(root, "stacks")).join(", ") || "(none)"}`,
      },
    ]);
  const { config, issues } = readConfigMap(root, file, TOP_LEVEL, "stack files");
  try {
    const parsed = parseStackConfig(config, { file, decrypted: false, defaults: fleetDefaults(loadFleet(root)) });
    if (issues.length > 0) throw new ValidationError(issues);
    return withGroups(root, { name, ...parsed });
  } catch (error) {
    if (error instanceof ValidationError) throw new ValidationError([...issues, ...error.issues]);
    throw error;
  }
}

/** `stack` with the tenant groups it lists (files under `root`) layered beneath its own values. */
export function withGroups(root: string, stack: LoadedStack): LoadedStack {
  const { config, origins, groups } = applyGroups(root, stack);
  if (origins === undefined) return stack;
  // A named location a group adds may share its name with one the stack or another group adds.
  const clashes = duplicates(config, stack.file).filter((i) => i.path.startsWith(`${NS}:namedLocations`));
  if (clashes.length > 0) throw new ValidationError(attributeIssues(clashes, origins, stack.file));
  return { ...stack, config, origins, groups };
}

/**
 * Validates a stack's `config:` map. From a file (`decrypted: false`) secret keys must be `{secure: …}`;
 * from the Pulumi program (`decrypted: true`) values are strings, JSON for objects, and secrets decrypted.
 */
export function parseStackConfig(
  config: Readonly<Record<string, unknown>>,
  source: {
    readonly file: string;
    readonly decrypted: boolean;
    /** Keys (without namespace) a stack that does not set them takes from `stacks/fleet.yaml`. */
    readonly defaults?: Readonly<Record<string, unknown>>;
  },
): { file: string; config: StackConfig; secrets: LoadedStack["secrets"] } {
  const { file } = source;
  const issues: Issue[] = [];
  const ours: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    const [namespace, name] = key.includes(":")
      ? [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)]
      : [NS, key];
    if (namespace !== NS) {
      if (!PASSTHROUGH_NAMESPACES.includes(namespace))
        issues.push({
          file,
          path: key,
          message: `unknown configuration namespace '${namespace}'`,
          fix: `use ${NS}:<key>; only ${PASSTHROUGH_NAMESPACES.join(":, ")}: keys may sit beside them`,
        });
      continue;
    }
    let v = value;
    if (source.decrypted && typeof v === "string" && /^\s*[[{]/.test(v)) {
      try {
        v = JSON.parse(v);
      } catch {
        /* a plain string that starts with a bracket stays a string */
      }
    }
    if (source.decrypted) v = engineDates(v);
    if ((SECRET_KEYS as readonly string[]).includes(name)) {
      if (source.decrypted && typeof v === "string") {
        secrets[name] = v;
        v = { secure: "(decrypted)" };
      } else if (!source.decrypted && !isObject(v)) {
        issues.push({
          file,
          path: key,
          message: "secret in plain text",
          fix: `remove it and run 'pulumi config set --secret ${key} --stack <tenant> < file', or use the environment variable instead`,
        });
        continue;
      }
    }
    ours[name] = v;
  }
  for (const [name, value] of Object.entries(source.defaults ?? {})) if (!(name in ours)) ours[name] = value;
  const parsed = stackConfigSchema.safeParse(ours);
  if (!parsed.success) issues.push(...zodIssues(parsed.error, file).map((i) => ({ ...i, path: `${NS}:${i.path}` })));
  if (parsed.success) issues.push(...duplicates(parsed.data, file));
  if (issues.length > 0 || !parsed.success) throw new ValidationError(issues);
  return { file, config: parsed.data, secrets };
}

/**
 * An unquoted YAML date (`expires: 2027-03-31`) reaches the program through the Pulumi engine as a timestamp: Go's
 * YAML decoder makes it a time.Time, which pulumi v3.248.0 hands over as its String(), "2027-03-31 00:00:00 +0000
 * UTC" (seen with `pulumi config get`), or as RFC 3339 when JSON-encoded. A whole day in UTC means that day.
 */
function engineDates(value: unknown): unknown {
  if (typeof value === "string")
    return /^\d{4}-\d{2}-\d{2}(T00:00:00Z| 00:00:00 \+0000 UTC)$/.test(value) ? value.slice(0, 10) : value;
  if (Array.isArray(value)) return value.map(engineDates);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, engineDates(x)]));
  return value;
}

function duplicates(config: StackConfig, file: string): Issue[] {
  const issues: Issue[] = [];
  const names = new Set<string>();
  config.namedLocations.forEach((l, i) => {
    if (names.has(l.name.toLowerCase()))
      issues.push({
        file,
        path: `${NS}:namedLocations[${i}].name`,
        message: `named location '${l.name}' is listed twice`,
        fix: "give each named location a unique name",
      });
    names.add(l.name.toLowerCase());
  });
  const users = new Set<string>();
  // A UPN's suffix must be one of the tenant's verified domains; the stack always knows the initial domain, which
  // is where Microsoft recommends emergency-access accounts live (cloud-only, *.onmicrosoft.com:
  // https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access).
  const domains = new Set([config.primaryDomain, ...config.domains].map((d) => d.toLowerCase()));
  config.breakGlass.users.forEach((u, i) => {
    if (users.has(u.toLowerCase()))
      issues.push({
        file,
        path: `${NS}:breakGlass.users[${i}]`,
        message: `break-glass user '${u}' is listed twice`,
        fix: "list each account once",
      });
    users.add(u.toLowerCase());
    const domain = u.slice(u.lastIndexOf("@") + 1).toLowerCase();
    if (!domains.has(domain))
      issues.push({
        file,
        path: `${NS}:breakGlass.users[${i}]`,
        message: `break-glass user '${u}' is not in the tenant's domains (${[...domains].join(", ")})`,
        fix: `use an account on ${config.primaryDomain}, or add '${domain}' to ${NS}:domains if the tenant has verified it`,
      });
  });
  return issues;
}
