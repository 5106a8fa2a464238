/** CA01: block legacy authentication (Exchange ActiveSync and other legacy clients) for everyone but break-glass. */
import { caFrameworks, defineConditionalAccessControl, exclusionsSchema } from "../conditional-access/common";

export const ca01 = defineConditionalAccessControl({
  id: "CA01",
  title: "Block legacy authentication",
  rationale: "Legacy protocols cannot do MFA; blocking them closes the most common password-spray path.",
  severity: "critical",
  frameworks: caFrameworks("MS.AAD.1.1v1", "5.2.2.3", "MT.1009"),
  secureScore: ["BlockLegacyAuthentication"],
  schema: exclusionsSchema,
  policy: () => ({
    users: { includeUsers: ["All"] },
    applications: { includeApplications: ["All"] },
    clientAppTypes: ["exchangeActiveSync", "other"],
    grantControls: { operator: "OR", builtInControls: ["block"] },
  }),
});
