/**
 * Retention rules (S&C `RetentionComplianceRule`): a policy's retention period and action, or the labels a
 * label-publishing policy publishes, through our dynamic provider. Review: Keep → Delete and a shorter period weaken.
 */
import type { DesiredResource } from "../../core/desired";
import { COMPLIANCE_PERMISSIONS } from "../shared/compliance-permissions";
import type { LiveSnapshot } from "../../check/snapshot";
import { ownedView } from "../shared/owned";
import { checkable } from "../shared/views";
import { grantsNothing, type ChangeKind, type Json, type ResourceDefinition } from "../types";
import { durationChange, leafOf, rankChange } from "../weakening";
import { rulesFor, retentionRule as logic, ruleFromLive } from "./provider";

// From weakest to strongest (Set-RetentionComplianceRule -RetentionComplianceAction).
const ACTION_RANK: Record<string, number> = { Delete: 0, KeepAndDelete: 1, Keep: 2 };

/** The live rule as the provider finds it; of a policy with several rules the first is compared (drift, not gone). */
const find = (r: DesiredResource, live: LiveSnapshot): Json | undefined =>
  rulesFor(live.retentionRules, r.properties)[0];

/** The rule's settings; its name and parent policy are how it was found, not settings. */
function ruleView(rule: Json): Json {
  const { Name: _name, Policy: _policy, ...settings } = rule;
  return ownedView(settings, []);
}

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
    find,
    desired: (r) => ruleView(checkable(r)),
    live: (_r, found: Json) => ruleView(ruleFromLive(found)),
    compare: "complete",
  },
  weakening,
  grants: grantsNothing,
  summary,
  order: 3,
  // A label-publishing rule waits for the labels it publishes.
  implicitDependencies: (r, compiled) => {
    const labels = r.properties["PublishComplianceTag"];
    if (!Array.isArray(labels)) return [];
    return compiled.resources
      .filter((x) => x.type === "retentionLabel" && labels.includes(x.naturalKey))
      .map((x) => x.name);
  },
  management: { kind: "dynamic", pulumiType: "RetentionRule", logic },
};
