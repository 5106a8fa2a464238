/**
 * Retention policies (S&C `RetentionCompliancePolicy`): where retention applies (Exchange, SharePoint, OneDrive and
 * more),
 * through our dynamic provider; their retention settings live in the policy's rule.
 */
import type { DesiredResource } from "../../core/desired";
import { COMPLIANCE_PERMISSIONS } from "../shared/compliance-permissions";
import { LOCATIONS, locationNames } from "../shared/compliance-provider";
import { dropDefault, ownedView } from "../shared/owned";
import { checkable } from "../shared/views";
import {
  byNaturalKey,
  grantsNothing,
  noDependencies,
  type ChangeKind,
  type Json,
  type ResourceDefinition,
} from "../types";
import { durationChange, leafOf, setChange } from "../weakening";
import { policyFromLive, retentionPolicy as logic } from "./provider";

/** Each location's exception list (`ExchangeLocationException` …): who the policy does not cover. */
const EXCEPTIONS = LOCATIONS.map((l) => `${l}Exception`);

function exceptionsOf(found: Json): Json {
  return Object.fromEntries(EXCEPTIONS.map((k) => [k, locationNames(found[k])]));
}

/** The policy's settings; `Enabled: true` and `RestrictiveRetention: false` are the service's defaults. */
function policyView(policy: Json): Json {
  const view = ownedView(policy, []);
  dropDefault(view, "Enabled", true);
  dropDefault(view, "RestrictiveRetention", false);
  return view;
}

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
  const locations = Object.keys(p)
    .filter((k) => k.endsWith("Location"))
    .map((k) => k.replace("Location", ""));
  return `locations ${locations.join(",")}${p["RestrictiveRetention"] ? "; PRESERVATION LOCK" : ""}`;
}

export const retentionCompliancePolicy: ResourceDefinition = {
  type: "retentionCompliancePolicy",
  endpoint: { api: "compliance", noun: "RetentionCompliancePolicy" },
  permissions: COMPLIANCE_PERMISSIONS,
  check: {
    find: (r, live) => byNaturalKey(r, live.retentionPolicies, "Name"),
    // The acknowledgement is ours (the provider's guard), not an S&C property.
    desired: (r) => policyView(checkable(r, ["preservationLockAcknowledged"])),
    live: (_r, found: Json) => policyView({ ...policyFromLive(found), ...exceptionsOf(found) }),
    // Owned whole: a location exception (ExchangeLocationException …) added by hand is drift.
    compare: "complete",
  },
  weakening,
  grants: grantsNothing,
  summary,
  order: 2,
  implicitDependencies: noDependencies,
  management: { kind: "dynamic", pulumiType: "RetentionPolicy", logic },
};
