/** CA09: block the device-code authentication flow, a favourite phishing technique. */
import { caFrameworks, CA_PERMISSIONS, conditionalAccessPolicy, exclusionsSchema, exclusionWeakening } from "../conditional-access/common";
import { defineControl } from "../types";

export const ca09 = defineControl({
  id: "CA09",
  title: "Block device code flow",
  rationale: "Device-code phishing hands attackers a token without a password; few tenants need the flow at all.",
  severity: "high",
  frameworks: caFrameworks("MS.AAD.3.9v1", "5.2.2.12", "MT.1052"),
  secureScore: [],
  permissions: CA_PERMISSIONS,
  licence: "P1",
  resourceTypes: ["conditionalAccessPolicy"],
  conditionalAccess: true,
  schema: exclusionsSchema,
  weakening: exclusionWeakening,
  compile: (params, context) => [
    conditionalAccessPolicy("CA09", "Block device code flow", {
      users: { includeUsers: ["All"] },
      applications: { includeApplications: ["All"] },
      conditions: { authenticationFlows: { transferMethods: "deviceCodeFlow" } },
      grantControls: { operator: "OR", builtInControls: ["block"] },
    }, params, context),
  ],
});
