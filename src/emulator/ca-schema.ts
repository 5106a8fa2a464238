/**
 * Entra's schema check on conditional-access writes ("1007"): a policy whose conditions carry `null` for a
 * complex sub-object — what echoing back a GET produces — or a scalar where a list belongs is refused
 * before any other rule (Graph error 1007 "does not match the schema of ConditionalAccessPolicy type", as
 * observed). Empty lists and absent properties are fine.
 *
 * Which `null`s: 1007 was observed on an echoed GET carrying nulls for locations, platforms, devices,
 * clientApplications, authenticationFlows, insiderRiskLevels and the guest conditions, without telling which
 * one Entra refused. The azuread provider sends `null` for locations, platforms, devices, authenticationFlows
 * and include/excludeGuestsOrExternalUsers whenever they are unset (go-azure-sdk
 * common-types/stable/model_conditionalaccessconditionset.go and model_conditionalaccessusers.go: no
 * `omitempty`), and its acceptance test `basic` (conditional_access_policy_resource_test.go) creates such a
 * policy against Graph, so those nulls are accepted. What remains of the observation is refused:
 * clientApplications and insiderRiskLevels, which the provider leaves out when unset (`omitempty`).
 */
import type { Json } from "./errors";

const NULL_REFUSED: readonly (readonly string[])[] = [
  ["conditions", "clientApplications"],
  ["conditions", "insiderRiskLevels"],
];
const LISTS: readonly (readonly string[])[] = [
  ["conditions", "clientAppTypes"],
  ["conditions", "signInRiskLevels"],
  ["conditions", "userRiskLevels"],
  ["conditions", "servicePrincipalRiskLevels"],
  ...["includeUsers", "excludeUsers", "includeGroups", "excludeGroups", "includeRoles", "excludeRoles"].map((k) => [
    "conditions",
    "users",
    k,
  ]),
  ...["includeApplications", "excludeApplications", "includeUserActions"].map((k) => ["conditions", "applications", k]),
  ...["includeLocations", "excludeLocations"].map((k) => ["conditions", "locations", k]),
  ...["includePlatforms", "excludePlatforms"].map((k) => ["conditions", "platforms", k]),
  ["grantControls", "builtInControls"],
];

/** Graph's message for a policy that does not match the schema. */
export const SCHEMA_MESSAGE =
  "1007: Incoming ConditionalAccessPolicy object is null or does not match the schema of ConditionalAccessPolicy type. For examples, please see API documentation at https://learn.microsoft.com/en-us/graph/api/resources/conditionalaccesspolicy?view=graph-rest-1.0.";

function at(policy: Json, path: readonly string[]): { present: boolean; value: unknown } {
  let node: unknown = policy;
  for (const key of path) {
    if (!node || typeof node !== "object" || !(key in (node as Json))) return { present: false, value: undefined };
    node = (node as Json)[key];
  }
  return { present: true, value: node };
}

/** True when the policy as written would fail Entra's schema check. */
export function failsSchema(policy: Json): boolean {
  if (!policy["conditions"] || typeof policy["conditions"] !== "object") return true;
  if (!Array.isArray(policy["conditions"]["clientAppTypes"])) return true;
  if (
    NULL_REFUSED.some((path) => {
      const hit = at(policy, path);
      return hit.present && hit.value === null;
    })
  )
    return true;
  return LISTS.some((path) => {
    const hit = at(policy, path);
    return hit.present && hit.value !== null && !Array.isArray(hit.value);
  });
}
