/** The fleet's consent gaps, for the reports' summaries: which tenants lack (or will need) each permission. */
import type { CheckReport } from "./types";

/** Each permission some tenant lacks, with those tenants' stacks, most widespread first. */
export function consentNeeded(report: CheckReport): { permission: string; stacks: string[] }[] {
  return stacksByPermission(report.tenants.map((t) => ({ stack: t.stack, permissions: t.missingPermissions ?? [] })));
}

/** Regroups per-stack permission lists by permission: most widespread first, then by name; stacks sorted. */
export function stacksByPermission(
  entries: readonly { stack: string; permissions: readonly string[] }[],
): { permission: string; stacks: string[] }[] {
  const byPermission = new Map<string, string[]>();
  for (const e of entries)
    for (const p of e.permissions) byPermission.set(p, [...(byPermission.get(p) ?? []), e.stack]);
  return [...byPermission]
    .map(([permission, stacks]) => ({ permission, stacks: stacks.sort() }))
    .sort((a, b) => b.stacks.length - a.stacks.length || a.permission.localeCompare(b.permission));
}

/** The heading line above the list, naming where the fix is described. */
export const CONSENT_HEADING =
  'Consent needed — the deploying app lacks these permissions in some tenants (README, "Permissions the deploying app needs"):';
