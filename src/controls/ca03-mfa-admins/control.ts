/** CA03: require MFA for the 15 administrative roles of Microsoft's admin-MFA template. */
import {
  ADMIN_ROLE_TEMPLATE_IDS,
  caFrameworks,
  defineConditionalAccessControl,
  exclusionsSchema,
  sortedUnique,
} from "../conditional-access/common";

export const ca03 = defineConditionalAccessControl({
  id: "CA03",
  title: "Require MFA for administrators",
  rationale: "Admin accounts are the highest-value target; MFA must hold even where other policies are excepted.",
  severity: "critical",
  frameworks: caFrameworks(undefined, "5.2.2.1", "MT.1006"),
  secureScore: ["AdminMFAV2"],
  schema: exclusionsSchema,
  policy: () => ({
    users: { includeRoles: sortedUnique([...ADMIN_ROLE_TEMPLATE_IDS]) },
    applications: { includeApplications: ["All"] },
    grantControls: { operator: "OR", builtInControls: ["mfa"] },
  }),
});
