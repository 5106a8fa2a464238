/**
 * Guardrails checked on the compiled output itself, so no parameter combination can get past them:
 * every conditional-access policy excludes every break-glass principal, and no policy blocks all users
 * without an exclusion. Display names are unique per resource type.
 */
import type { DesiredResource } from "../core/desired";
import type { Issue } from "../errors";
import type { StackConfig } from "../stack/schema";

/** Where in the stack file objects of each type come from, for duplicate-name messages. */
const SOURCE_KEY: Partial<Record<DesiredResource["type"], string>> = {
  namedLocation: "m365-baseline:namedLocations",
  retentionLabel: "m365-baseline:retention.labels",
  retentionCompliancePolicy: "m365-baseline:retention.policies",
  retentionComplianceRule: "m365-baseline:retention.policies",
  brandingLocalization: "m365-baseline:branding.localizations",
};

/** Problems with the compiled resources, as issues against the stack file. */
export function checkGuardrails(resources: readonly DesiredResource[], stack: StackConfig, file: string): Issue[] {
  const issues: Issue[] = [];
  const required = [
    ...[stack.breakGlass.groupName, ...stack.breakGlass.groups].map((g) => ({
      list: "excludeGroups",
      ref: `ref:group/${g}`,
    })),
    ...stack.breakGlass.users.map((u) => ({ list: "excludeUsers", ref: `ref:user/${u}` })),
  ];
  for (const r of resources.filter((x) => x.type === "conditionalAccessPolicy")) {
    const users = ((r.properties["conditions"] as Record<string, unknown> | undefined)?.["users"] ?? {}) as Record<
      string,
      string[] | undefined
    >;
    const missing = required.filter((p) => !(users[p.list] ?? []).includes(p.ref));
    if (missing.length > 0) {
      issues.push({
        file,
        path: `m365-baseline:breakGlass`,
        message: `${r.controlId} policy '${r.naturalKey}' does not exclude ${missing.map((m) => m.ref.replace(/^ref:/, "")).join(", ")}`,
        fix: "every conditional-access policy must exclude all break-glass principals; this is a bug in the control if the stack lists them",
      });
    }
    const grants = ((r.properties["grantControls"] as Record<string, unknown> | undefined)?.["builtInControls"] ??
      []) as string[];
    const excludesSomeone = ["excludeUsers", "excludeGroups", "excludeRoles"].some((k) => (users[k] ?? []).length > 0);
    if ((users["includeUsers"] ?? []).includes("All") && grants.includes("block") && !excludesSomeone) {
      issues.push({
        file,
        path: `m365-baseline:breakGlass`,
        message: `${r.controlId} policy '${r.naturalKey}' blocks all users with no exclusion`,
        fix: "list break-glass users under m365-baseline:breakGlass.users",
      });
    }
  }
  const seen = new Map<string, string>();
  for (const r of resources) {
    const key = `${r.type}:${r.naturalKey.toLowerCase()}`;
    const other = seen.get(key);
    if (other)
      issues.push({
        file,
        path: SOURCE_KEY[r.type] ?? `m365-baseline:overrides.${r.controlId}`,
        message: `${r.type} display name '${r.naturalKey}' is used twice (${other} and ${r.name})`,
        fix: "give each object a unique display name",
      });
    else seen.set(key, r.name);
  }
  return issues;
}
