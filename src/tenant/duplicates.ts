/**
 * One tenant, one stack: two stack files with the same tenantId (compared case-insensitively, as Entra treats
 * GUIDs) would apply two baselines to one tenant, each undoing the other's changes.
 */
import { parse } from "yaml";
import type { Issue } from "../errors";
import { listStacks, readStackFile } from "../stack/files";
import { NS } from "../stack/schema";
import { join } from "node:path";

/**
 * An issue for each stack in `selected` whose tenantId another stack file under `root/stacks` also names;
 * `known` gives the tenantIds already parsed, so only the other stack files are read again.
 */
export function duplicateTenantIssues(
  root: string,
  selected: readonly string[],
  known: ReadonlyMap<string, string>,
): Map<string, Issue> {
  const ids = new Map<string, string | undefined>();
  for (const name of new Set([...listStacks(join(root, "stacks")), ...selected]))
    ids.set(name, (known.get(name) ?? rawTenantId(root, name))?.toLowerCase());
  const owners = new Map<string, string[]>();
  for (const [name, id] of ids) if (id !== undefined) owners.set(id, [...(owners.get(id) ?? []), name]);
  const issues = new Map<string, Issue>();
  for (const name of selected) {
    const id = ids.get(name);
    const others = (id === undefined ? [] : (owners.get(id) ?? [])).filter((n) => n !== name);
    if (others.length === 0) continue;
    const files = others.map((n) => `stacks/Pulumi.${n}.yaml`);
    issues.set(name, {
      file: `stacks/Pulumi.${name}.yaml`,
      path: `${NS}:tenantId`,
      message: `tenant ${id} is also the tenant of ${files.join(", ")}`,
      fix: `keep one stack per tenant: merge or delete one of stacks/Pulumi.${name}.yaml and ${files.join(", ")}, or correct the tenantId`,
    });
  }
  return issues;
}

/** The tenantId a stack file names, read without validating the rest (undefined when unreadable). */
export function rawTenantId(root: string, name: string): string | undefined {
  const read = readStackFile(root, `stacks/Pulumi.${name}.yaml`);
  if (!read.ok) return undefined;
  try {
    const id = (parse(read.text) as { config?: Record<string, unknown> } | null)?.config?.[`${NS}:tenantId`];
    return typeof id === "string" && id.trim() !== "" ? id.trim() : undefined;
  } catch {
    // An unparsable file is reported by its own load; it names no tenant here.
    return undefined;
  }
}
