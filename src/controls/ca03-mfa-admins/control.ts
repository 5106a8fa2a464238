/** CA03: require MFA for the 15 administrative roles of Microsoft's admin-MFA template. */
import { ADMIN_ROLE_TEMPLATE_IDS, caFrameworks, CA_PERMISSIONS, conditionalAccessPolicy, exclusionsSchema, exclusionWeakening, sortedUnique } from "../conditional-access/common";
import { defineControl } from "../types";

export const ca03 = defineControl({
  id: "CA03",
  title: "Require MFA for administrators",
  rationale: "Admin accounts are the highest-value target; MFA must hold even where other policies are excepted.",
  severity: "critical",
  frameworks: caFrameworks(undefined, "5.2.2.1", "MT.1006"),
  secureScore: ["AdminMFAV2"],
  permissions: CA_PERMISSIONS,
  licence: "P1",
  resourceTypes: ["conditionalAccessPolicy"],
  conditionalAccess: true,
  schema: exclusionsSchema,
  weakening: exclusionWeakening,
  compile: (params, context) => [
    conditionalAccessPolicy("CA03", "Require MFA for administrators", {
      users: { includeRoles: sortedUnique([...ADMIN_ROLE_TEMPLATE_IDS]) },
      applications: { includeApplications: ["All"] },
      grantControls: { operator: "OR", builtInControls: ["mfa"] },
    }, params, context),
  ],
});
