/** CA07 (P2): require MFA plus a password change for high-risk users, re-authenticating every time. */
import { caFrameworks, CA_PERMISSIONS, conditionalAccessPolicy, exclusionsSchema, exclusionWeakening } from "../conditional-access/common";
import { defineControl } from "../types";

export const ca07 = defineControl({
  id: "CA07",
  title: "Require password change for high-risk users",
  rationale: "A user flagged high risk has likely leaked credentials; remediation must rotate the password behind MFA.",
  severity: "high",
  frameworks: caFrameworks("MS.AAD.2.1v1", "5.2.2.6", "MT.1013"),
  secureScore: ["UserRiskPolicy"],
  permissions: CA_PERMISSIONS,
  licence: "P2",
  resourceTypes: ["conditionalAccessPolicy"],
  conditionalAccess: true,
  schema: exclusionsSchema,
  weakening: exclusionWeakening,
  compile: (params, context) => [
    conditionalAccessPolicy("CA07", "Require password change for high-risk users", {
      users: { includeUsers: ["All"] },
      applications: { includeApplications: ["All"] },
      conditions: { userRiskLevels: ["high"] },
      grantControls: { operator: "AND", builtInControls: ["mfa", "passwordChange"] },
      sessionControls: { signInFrequency: { isEnabled: true, frequencyInterval: "everyTime", authenticationType: "primaryAndSecondaryAuthentication" } },
    }, params, context),
  ],
});
