/** CA05: require MFA for the Windows Azure Service Management API (portal, CLI, PowerShell). */
import { CA_PERMISSIONS, conditionalAccessPolicy, exclusionsSchema, exclusionWeakening } from "../conditional-access/common";
import { defineControl } from "../types";

/** Windows Azure Service Management API's application id. */
export const AZURE_MANAGEMENT_APP_ID = "797f4846-ba00-4fd7-ba43-dac1f8f63013";

export const ca05 = defineControl({
  id: "CA05",
  title: "Require MFA for Azure management",
  rationale: "Azure Resource Manager access can reach every subscription the user holds; it must not be password-only.",
  severity: "high",
  frameworks: [{ framework: "Microsoft", ref: "Secure foundation: MFA for Azure management" }, { framework: "Maester", ref: "MT.1008" }],
  secureScore: [],
  permissions: CA_PERMISSIONS,
  licence: "P1",
  resourceTypes: ["conditionalAccessPolicy"],
  conditionalAccess: true,
  schema: exclusionsSchema,
  weakening: exclusionWeakening,
  compile: (params, context) => [
    conditionalAccessPolicy("CA05", "Require MFA for Azure management", {
      users: { includeUsers: ["All"] },
      applications: { includeApplications: [AZURE_MANAGEMENT_APP_ID] },
      grantControls: { operator: "OR", builtInControls: ["mfa"] },
    }, params, context),
  ],
});
