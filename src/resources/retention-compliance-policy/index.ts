/**
 * Retention policies (S&C `RetentionCompliancePolicy`): where retention applies (Exchange, SharePoint, OneDrive and more),
 * through our dynamic provider; their retention settings live in the policy's rule.
 */
import type { DesiredResource } from "../../core/desired";
import { COMPLIANCE_PERMISSIONS } from "../shared/compliance-permissions";
import { checkable, isObject } from "../shared/views";
import { byNaturalKey, grantsNothing, noDependencies, type ChangeKind, type ResourceDefinition } from "../types";
import { durationChange, leafOf, setChange } from "../weakening";
import { retentionPolicy as logic } from "./provider";

function weakening(_r: DesiredResource, path: string, before: unknown, after: unknown): ChangeKind | undefined {
  const leaf = leafOf(path);
  if (/retentionduration/i.test(leaf)) return durationChange(before, after);
  // A location (Exchange, SharePoint …) the policy no longer covers is content no longer retained.
  if (/Location$/.test(leaf)) return setChange(before, after, "grow-strengthens");
  if (leaf === "Enabled") return after === false ? "weakening" : "strengthening";
  return undefined;
}

function summary(r: DesiredResource): string {
  const p = r.properties;
  const locations = Object.keys(p).filter((k) => k.endsWith("Location")).map((k) => k.replace("Location", ""));
  return `locations ${locations.join(",")}${p["RestrictiveRetention"] ? "; PRESERVATION LOCK" : ""}`;
}

export const retentionCompliancePolicy: ResourceDefinition = {
  type: "retentionCompliancePolicy",
  endpoint: { api: "compliance", noun: "RetentionCompliancePolicy" },
  permissions: COMPLIANCE_PERMISSIONS,
  check: {
    find: (r, live) => byNaturalKey(r, live.retentionPolicies, "Name"),
    desired: checkable,
    // S&C returns locations as objects; the baseline names them.
    live: (_r, found) =>
      Object.fromEntries(
        Object.entries(found).map(([k, v]) => [
          k,
          /Location$/.test(k) && Array.isArray(v) ? v.map((x) => (isObject(x) ? (x["Name"] ?? x["DisplayName"]) : x)) : v,
        ]),
      ),
  },
  weakening,
  grants: grantsNothing,
  summary,
  order: 2,
  implicitDependencies: noDependencies,
  management: { kind: "dynamic", pulumiType: "RetentionPolicy", logic },
};
