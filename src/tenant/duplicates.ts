/**
 * One tenant, one stack: two stack files with the same tenantId (compared case-insensitively, as Entra treats
 * GUIDs) would apply two baselines to one tenant, each undoing the other's changes.
 */
import type { Issue } from "../errors";
import { listStacks } from "../stack/files";
import { readRawStack } from "./copied";
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
  const id = readRawStack(root, name)?.config[`${NS}:tenantId`];
  return typeof id === "string" && id.trim() !== "" ? id.trim() : undefined;
}
