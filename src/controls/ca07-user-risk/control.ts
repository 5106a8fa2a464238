/** CA07 (P2): require MFA plus a password change for high-risk users, re-authenticating every time. */
import { caFrameworks, defineConditionalAccessControl, exclusionsSchema } from "../conditional-access/common";

export const ca07 = defineConditionalAccessControl({
  id: "CA07",
  title: "Require password change for high-risk users",
  rationale: "A user flagged high risk has likely leaked credentials; remediation must rotate the password behind MFA.",
  severity: "high",
  frameworks: caFrameworks("MS.AAD.2.1v1", "5.2.2.6", "MT.1013"),
  secureScore: ["UserRiskPolicy"],
  licence: "P2",
  schema: exclusionsSchema,
  policy: () => ({
    users: { includeUsers: ["All"] },
    applications: { includeApplications: ["All"] },
    conditions: { userRiskLevels: ["high"] },
    grantControls: { operator: "AND", builtInControls: ["mfa", "passwordChange"] },
    sessionControls: {
      signInFrequency: {
        isEnabled: true,
        frequencyInterval: "everyTime",
        authenticationType: "primaryAndSecondaryAuthentication",
      },
    },
  }),
});
