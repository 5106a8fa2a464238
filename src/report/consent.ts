/** The fleet's consent gaps, for the report's summary: which tenants lack each permission. */
import type { CheckReport } from "./types";

/** Each permission some tenant lacks, with those tenants' stacks, most widespread first. */
export function consentNeeded(report: CheckReport): { permission: string; stacks: string[] }[] {
  const byPermission = new Map<string, string[]>();
  for (const t of report.tenants) for (const p of t.missingPermissions ?? []) byPermission.set(p, [...(byPermission.get(p) ?? []), t.stack]);
  return [...byPermission].map(([permission, stacks]) => ({ permission, stacks: stacks.sort() })).sort((a, b) => b.stacks.length - a.stacks.length || a.permission.localeCompare(b.permission));
}

/** The heading line above the list, naming where the fix is described. */
export const CONSENT_HEADING = 'Consent needed — the deploying app lacks these permissions in some tenants (README, "Permissions the deploying app needs"):';
