/** CA05: require MFA for the Windows Azure Service Management API (portal, CLI, PowerShell). */
import { defineConditionalAccessControl, exclusionsSchema } from "../conditional-access/common";

/** Windows Azure Service Management API's application id. */
export const AZURE_MANAGEMENT_APP_ID = "797f4846-ba00-4fd7-ba43-dac1f8f63013";

export const ca05 = defineConditionalAccessControl({
  id: "CA05",
  title: "Require MFA for Azure management",
  rationale: "Azure Resource Manager access can reach every subscription the user holds; it must not be password-only.",
  severity: "high",
  frameworks: [
    { framework: "Microsoft", ref: "Secure foundation: MFA for Azure management" },
    { framework: "Maester", ref: "MT.1008" },
  ],
  schema: exclusionsSchema,
  policy: () => ({
    users: { includeUsers: ["All"] },
    applications: { includeApplications: [AZURE_MANAGEMENT_APP_ID] },
    grantControls: { operator: "OR", builtInControls: ["mfa"] },
  }),
});
