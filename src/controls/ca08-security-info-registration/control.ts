/** CA08: registering security info (MFA methods) requires MFA unless done from a trusted location. */
import { caFrameworks, CA_PERMISSIONS, conditionalAccessPolicy, exclusionsSchema, exclusionWeakening } from "../conditional-access/common";
import { defineControl } from "../types";

export const ca08 = defineControl({
  id: "CA08",
  title: "Secure security info registration",
  rationale: "An attacker with a password must not be able to register their own MFA method.",
  severity: "high",
  frameworks: caFrameworks("MS.AAD.3.8v1", undefined, "MT.1011"),
  secureScore: [],
  permissions: CA_PERMISSIONS,
  licence: "P1",
  resourceTypes: ["conditionalAccessPolicy"],
  conditionalAccess: true,
  schema: exclusionsSchema,
  weakening: exclusionWeakening,
  compile: (params, context) => [
    conditionalAccessPolicy("CA08", "Secure security info registration", {
      users: { includeUsers: ["All"] },
      applications: { includeUserActions: ["urn:user:registersecurityinfo"] },
      conditions: { locations: { includeLocations: ["All"], excludeLocations: ["AllTrusted"] } },
      grantControls: { operator: "OR", builtInControls: ["mfa"] },
    }, params, context),
  ],
});
