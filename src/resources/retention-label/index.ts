/**
 * Retention labels (S&C `ComplianceTag`, Graph's `security.retentionLabel` vocabulary in the baseline), through our
 * dynamic provider. Review: a shorter period, a weaker behaviour during it or a harsher action after it weakens.
 */
import type { DesiredResource } from "../../core/desired";
import { labelFromComplianceTag } from "../../core/retention-vocabulary";
import { COMPLIANCE_PERMISSIONS } from "../shared/compliance-permissions";
import { checkable } from "../shared/views";
import {
  byNaturalKey,
  grantsNothing,
  noDependencies,
  type ChangeKind,
  type Json,
  type ResourceDefinition,
} from "../types";
import { durationChange, leafOf, rankChange } from "../weakening";
import { retentionLabel as logic } from "./provider";

// From weakest to strongest (Graph security.retentionLabel behaviorDuringRetentionPeriod, actionAfterRetentionPeriod).
const BEHAVIOR_RANK: Record<string, number> = {
  doNotRetain: 0,
  retain: 1,
  retainAsRecord: 2,
  retainAsRegulatoryRecord: 3,
};
const AFTER_RANK: Record<string, number> = { delete: 0, relabel: 1, none: 2, startDispositionReview: 2 };

function weakening(_r: DesiredResource, path: string, before: unknown, after: unknown): ChangeKind | undefined {
  const leaf = leafOf(path);
  if (/retentionduration/i.test(leaf)) return durationChange(before, after);
  if (leaf === "behaviorDuringRetentionPeriod") return rankChange(BEHAVIOR_RANK, before, after);
  if (leaf === "actionAfterRetentionPeriod") return rankChange(AFTER_RANK, before, after);
  return undefined;
}

function summary(r: DesiredResource): string {
  const p = r.properties;
  const during = `${String(p["behaviorDuringRetentionPeriod"])} ${String(p["retentionDurationDays"])} days`;
  return `${during} from ${String(p["retentionTrigger"])}; then ${String(p["actionAfterRetentionPeriod"])}`;
}

export const retentionLabel: ResourceDefinition = {
  type: "retentionLabel",
  endpoint: { api: "compliance", noun: "ComplianceTag" },
  permissions: COMPLIANCE_PERMISSIONS,
  check: {
    find: (r, live) => byNaturalKey(r, live.retentionLabels, "Name"),
    desired: (r) => checkable(r),
    live: (_r, found: Json) => labelFromComplianceTag(found),
  },
  weakening,
  grants: grantsNothing,
  summary,
  // Before the rules that publish them.
  order: 1,
  implicitDependencies: noDependencies,
  management: { kind: "dynamic", pulumiType: "RetentionLabel", logic },
};
