/**
 * A new stack is usually a copy of an existing one. What the copy still carries of the other tenant is no error of
 * schema — it validates — but applies the wrong values: the other stack's `encryptionsalt` and `secure:` values
 * (with the same passphrase they decrypt, so its certificate would sign in here), its primary domain, its name in
 * branding texts. (Break-glass accounts of another domain are already an error: see the stack schema's domains.)
 */
import { parse } from "yaml";
import type { Issue } from "../errors";
import { listStacks, readStackFile } from "../stack/files";
import { join } from "node:path";
import { NS } from "../stack/schema";

/** A stack file read loosely (no validation): its top level and its `config:` map. */
export interface RawStack {
  readonly name: string;
  readonly file: string;
  readonly top: Readonly<Record<string, unknown>>;
  readonly config: Readonly<Record<string, unknown>>;
}

/** The stack file `stacks/Pulumi.<name>.yaml` parsed without validation; undefined when unreadable. */
export function readRawStack(root: string, name: string): RawStack | undefined {
  const file = `stacks/Pulumi.${name}.yaml`;
  const read = readStackFile(root, file);
  if (!read.ok) return undefined;
  try {
    const top = parse(read.text) as Record<string, unknown> | null;
    if (!top || typeof top !== "object") return undefined;
    const config = top["config"];
    return { name, file, top, config: config && typeof config === "object" ? (config as Record<string, unknown>) : {} };
  } catch {
    // An unparsable file is reported by its own load.
    return undefined;
  }
}

const text = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);
const secureOf = (v: unknown): string | undefined =>
  v && typeof v === "object" ? text((v as Record<string, unknown>)["secure"]) : undefined;

/** Every string inside `value` with its key path below `path`. */
function strings(value: unknown, path: string): [string, string][] {
  if (typeof value === "string") return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => strings(v, `${path}.${k}`));
  return [];
}

/** Each of `stacks` that holds `value` (found by `of`), indexed once so a fleet's check stays linear. */
function index(stacks: readonly RawStack[], of: (s: RawStack) => (string | undefined)[]): Map<string, RawStack[]> {
  const map = new Map<string, RawStack[]>();
  for (const s of stacks) for (const v of new Set(of(s))) if (v) map.set(v, [...(map.get(v) ?? []), s]);
  return map;
}

const salt = (s: RawStack) => [text(s.top["encryptionsalt"])];
const secrets = (s: RawStack) => Object.values(s.config).map(secureOf);
const domain = (s: RawStack) => [text(s.config[`${NS}:primaryDomain`])?.toLowerCase()];
const displayName = (s: RawStack) => text(s.config[`${NS}:displayName`]);

/** Per stack name: a warning for each value it shares with another of `stacks` that belongs to that tenant alone. */
export function copiedStackWarnings(stacks: readonly RawStack[]): Map<string, Issue[]> {
  const [salts, secures, domains] = [index(stacks, salt), index(stacks, secrets), index(stacks, domain)];
  const names = stacks.flatMap((s) => {
    const name = displayName(s);
    return name && name.length >= 4 ? [{ name: name.toLowerCase(), shown: name, stack: s }] : [];
  });
  const reinit = "delete encryptionsalt and every secure: value, run pulumi stack init, then set this tenant's secrets";
  const out = new Map<string, Issue[]>();
  for (const stack of stacks) {
    const issues: Issue[] = [];
    const warn = (path: string, others: readonly RawStack[] | undefined, message: string, fix: string) => {
      const other = others?.find((o) => o.name !== stack.name);
      if (other)
        issues.push({ file: stack.file, path, message: `${message} — as in ${other.file} (a copied stack?)`, fix });
    };
    warn(
      "encryptionsalt",
      salts.get(salt(stack)[0] ?? ""),
      "the same encryption salt: its secrets decrypt here",
      reinit,
    );
    for (const [key, value] of Object.entries(stack.config))
      warn(key, secures.get(secureOf(value) ?? ""), "the same encrypted value: the other tenant's secret", reinit);
    const own = domain(stack)[0];
    warn(`${NS}:primaryDomain`, domains.get(own ?? ""), `the same primary domain ${own}`, "set this tenant's domain");
    const self = displayName(stack)?.toLowerCase() ?? "";
    for (const key of ["branding", "backupApp"])
      for (const [path, value] of strings(stack.config[`${NS}:${key}`], `${NS}:${key}`)) {
        const lower = value.toLowerCase();
        const hit = names.find((n) => n.stack !== stack && !self.includes(n.name) && lower.includes(n.name));
        if (hit) warn(path, [hit.stack], `names the other tenant (${hit.shown})`, "write this tenant's own text");
      }
    if (issues.length > 0) out.set(stack.name, issues);
  }
  return out;
}

/** `copiedStackWarnings` for every stack file under `root/stacks` (unreadable ones are reported by their load). */
export function copiedStackWarningsIn(root: string): Map<string, Issue[]> {
  return copiedStackWarnings(listStacks(join(root, "stacks")).flatMap((n) => readRawStack(root, n) ?? []));
}
