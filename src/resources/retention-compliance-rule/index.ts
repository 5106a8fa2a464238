/**
 * Retention rules (S&C `RetentionComplianceRule`): a policy's retention period and action, or the labels a
 * label-publishing policy publishes, through our dynamic provider. Review: Keep → Delete and a shorter period weaken.
 */
import type { DesiredResource } from "../../core/desired";
import { COMPLIANCE_PERMISSIONS } from "../shared/compliance-permissions";
import { checkable } from "../shared/views";
import { byNaturalKey, grantsNothing, type ChangeKind, type ResourceDefinition } from "../types";
import { durationChange, leafOf, rankChange } from "../weakening";
import { retentionRule as logic } from "./provider";

// From weakest to strongest (Set-RetentionComplianceRule -RetentionComplianceAction).
const ACTION_RANK: Record<string, number> = { Delete: 0, KeepAndDelete: 1, Keep: 2 };

function weakening(_r: DesiredResource, path: string, before: unknown, after: unknown): ChangeKind | undefined {
  const leaf = leafOf(path);
  if (/retentionduration/i.test(leaf)) return durationChange(before, after);
  if (leaf === "RetentionComplianceAction") return rankChange(ACTION_RANK, before, after);
  return undefined;
}

function summary(r: DesiredResource): string {
  const p = r.properties;
  const tags = p["PublishComplianceTag"];
  if (tags) return `publishes ${Array.isArray(tags) ? tags.join(",") : String(tags)}`;
  return `${String(p["RetentionComplianceAction"])} ${String(p["RetentionDuration"])} days`;
}

export const retentionComplianceRule: ResourceDefinition = {
  type: "retentionComplianceRule",
  endpoint: { api: "compliance", noun: "RetentionComplianceRule" },
  permissions: COMPLIANCE_PERMISSIONS,
  check: {
    find: (r, live) => byNaturalKey(r, live.retentionRules, "Name"),
    // The parent policy is how the rule was found, not a setting to compare.
    desired: (r) => {
      const { Policy: _policy, ...rule } = checkable(r);
      return rule;
    },
    live: (_r, found) => found,
  },
  weakening,
  grants: grantsNothing,
  summary,
  order: 3,
  // A label-publishing rule waits for the labels it publishes.
  implicitDependencies: (r, compiled) => {
    const labels = r.properties["PublishComplianceTag"];
    if (!Array.isArray(labels)) return [];
    return compiled.resources.filter((x) => x.type === "retentionLabel" && labels.includes(x.naturalKey)).map((x) => x.name);
  },
  management: { kind: "dynamic", pulumiType: "RetentionRule", logic },
};
