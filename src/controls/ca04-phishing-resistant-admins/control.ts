/** CA04: require the built-in phishing-resistant MFA authentication strength for privileged roles. */
import { z } from "zod";
import {
  ADMIN_ROLE_TEMPLATE_IDS,
  AUTHENTICATION_STRENGTHS,
  caFrameworks,
  CISA_PRIVILEGED_ROLE_TEMPLATE_IDS,
  defineConditionalAccessControl,
  exclusionsSchema,
  sortedUnique,
} from "../conditional-access/common";

export const ca04Schema = exclusionsSchema.extend({
  roles: z
    .enum(["cisa", "allAdmins"])
    .default("cisa")
    .describe(
      "CISA's highly privileged roles (8) or Microsoft's admin-MFA list (15). Register FIDO2/passkeys (or a TAP) first, or admins are locked out.",
    ),
});

export const ca04 = defineConditionalAccessControl({
  id: "CA04",
  title: "Require phishing-resistant MFA for administrators",
  rationale: "Adversary-in-the-middle kits defeat push and OTP MFA; only FIDO2, passkeys and certificates resist them.",
  severity: "high",
  frameworks: caFrameworks("MS.AAD.3.6v1", "5.2.2.5"),
  schema: ca04Schema,
  policy: (params) => ({
    users: {
      includeRoles: sortedUnique([
        ...(params.roles === "cisa" ? CISA_PRIVILEGED_ROLE_TEMPLATE_IDS : ADMIN_ROLE_TEMPLATE_IDS),
      ]),
    },
    applications: { includeApplications: ["All"] },
    grantControls: { operator: "OR", authenticationStrength: { id: AUTHENTICATION_STRENGTHS.phishingResistantMfa } },
  }),
});
