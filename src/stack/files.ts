/**
 * Which files under `stacks/` are stack files, and reading one safely: a stack name is what Pulumi accepts
 * ("alphanumeric characters, hyphens, underscores, or periods", https://www.pulumi.com/docs/iac/concepts/stacks/),
 * never a path, and a file that looks like a stack but is not named `Pulumi.<name>.yaml` is reported, not skipped.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Issue } from "../errors";
import { readCapped, repoFile } from "../core/repo-file";

const STACK_NAME = /^[A-Za-z0-9_.-]+$/;
const STACK_FILE = /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/;

/** Stack files are small: a larger file is refused before it is read (a fleet's biggest is a few KB). */
export const MAX_STACK_FILE_BYTES = 1024 * 1024;

/** Stack names found as `Pulumi.<name>.yaml` in `dir`, sorted. */
export function listStacks(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => STACK_FILE.exec(f)?.[1])
    .filter((n): n is string => n !== undefined && n !== "." && n !== "..")
    .sort();
}

/** The issue for a stack name that is not one Pulumi accepts, or that would reach a file outside `stacks/`. */
export function stackNameIssue(name: string, option = "--stack"): Issue | undefined {
  if (STACK_NAME.test(name) && !name.includes("..") && name !== ".") return undefined;
  return {
    file: "command line",
    path: option,
    message: `'${name}' is not a stack name (letters, digits, '-', '_' and '.' only; no path)`,
    fix: `give the name of a stacks/Pulumi.<name>.yaml file, e.g. ${option} contoso`,
  };
}

/** Files under `root/stacks` that look like stack files but are not read as one, each with the rename that fixes it. */
export function strayStackFiles(root: string): Issue[] {
  const dir = join(root, "stacks");
  if (!existsSync(dir)) return [];
  const issues: Issue[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith(".") || entry === "schema.json" || entry === "fleet.yaml") continue;
    const stack = STACK_FILE.exec(entry)?.[1];
    if (stack !== undefined && stack !== "." && stack !== "..") continue;
    const looksLikeStack = /^pulumi\./i.test(entry) || /\.ya?ml$/i.test(entry);
    if (!looksLikeStack) continue;
    const name = /^pulumi\.ya?ml$/i.test(entry) ? "" : entry.replace(/^pulumi\./i, "").replace(/\.ya?ml$/i, "");
    const suggestion =
      name
        .replace(/[^A-Za-z0-9_.-]+/g, "-")
        .replace(/\.{2,}/g, ".")
        .replace(/^[.-]+|[.-]+$/g, "") || "<tenant>";
    const file = `stacks/${entry}`;
    const why = !/^Pulumi\./.test(entry)
      ? "stack files start with 'Pulumi.' (capital P)"
      : !/\.yaml$/.test(entry)
        ? "stack files end in '.yaml'"
        : name === ""
          ? "a stack file is named Pulumi.<stack>.yaml (a project file belongs in the repository root)"
          : `'${name}' is not a stack name Pulumi accepts (letters, digits, '-', '_' and '.' only)`;
    issues.push({
      file,
      path: "",
      message: `not read as a stack: ${why}`,
      fix: `rename it to stacks/Pulumi.${suggestion}.yaml, or move it out of stacks/`,
    });
  }
  return [...issues, ...strayGroupFiles(root)];
}

/** Files under `root/stacks/groups` that look like group files but are not named `<name>.yaml` (lower case). */
function strayGroupFiles(root: string): Issue[] {
  const dir = join(root, "stacks", "groups");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .filter((entry) => /\.ya?ml$/i.test(entry) && !/^[a-z0-9][a-z0-9_-]*\.yaml$/.test(entry))
    .map((entry) => {
      const name = entry
        .replace(/\.ya?ml$/i, "")
        .toLowerCase()
        .replace(/[^a-z0-9_-]+/g, "-")
        .replace(/^[-_]+|[-_]+$/g, "");
      return {
        file: `stacks/groups/${entry}`,
        path: "",
        message: "not read as a group: a group file is named <name>.yaml (lower-case letters, digits, '-' and '_')",
        fix: `rename it to stacks/groups/${name || "<group>"}.yaml, or move it out of stacks/groups/`,
      };
    });
}

/** The text of the stack file `file` (repository-relative), or the issue why it is not read. */
export function readStackFile(root: string, file: string): { ok: true; text: string } | { ok: false; issue: Issue } {
  const found = repoFile(root, file);
  if (!found.ok) return { ok: false, issue: { file, path: "", message: found.message, fix: found.fix } };
  const read = readCapped(found.full, MAX_STACK_FILE_BYTES);
  if (read.ok) return { ok: true, text: read.bytes.toString("utf8") };
  return {
    ok: false,
    issue: {
      file,
      path: "",
      message: `the file is ${read.size} bytes; a stack file may have at most ${MAX_STACK_FILE_BYTES}`,
      fix: "a stack file holds configuration only; keep images, certificates and data in their own files",
    },
  };
}
