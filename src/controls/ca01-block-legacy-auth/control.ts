/** CA01: block legacy authentication (Exchange ActiveSync and other legacy clients) for everyone but break-glass. */
import { caFrameworks, CA_PERMISSIONS, conditionalAccessPolicy, exclusionsSchema, exclusionWeakening } from "../conditional-access/common";
import { defineControl } from "../types";

export const ca01 = defineControl({
  id: "CA01",
  title: "Block legacy authentication",
  rationale: "Legacy protocols cannot do MFA; blocking them closes the most common password-spray path.",
  severity: "critical",
  frameworks: caFrameworks("MS.AAD.1.1v1", "5.2.2.3", "MT.1009"),
  secureScore: ["BlockLegacyAuthentication"],
  permissions: CA_PERMISSIONS,
  licence: "P1",
  resourceTypes: ["conditionalAccessPolicy"],
  conditionalAccess: true,
  schema: exclusionsSchema,
  weakening: exclusionWeakening,
  compile: (params, context) => [
    conditionalAccessPolicy("CA01", "Block legacy authentication", {
      users: { includeUsers: ["All"] },
      applications: { includeApplications: ["All"] },
      clientAppTypes: ["exchangeActiveSync", "other"],
      grantControls: { operator: "OR", builtInControls: ["block"] },
    }, params, context),
  ],
});
