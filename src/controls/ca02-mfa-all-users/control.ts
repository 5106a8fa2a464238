/** CA02: require multifactor authentication for all users, by built-in control or authentication strength. */
import { z } from "zod";
import {
  AUTHENTICATION_STRENGTHS,
  caFrameworks,
  defineConditionalAccessControl,
  exclusionsSchema,
} from "../conditional-access/common";

export const ca02Schema = exclusionsSchema.extend({
  method: z
    .enum(["mfa", "authenticationStrength"])
    .default("mfa")
    .describe("Grant with the built-in 'mfa' control or the built-in Multifactor authentication strength (…0002)."),
});

export const ca02 = defineConditionalAccessControl({
  id: "CA02",
  title: "Require MFA for all users",
  rationale: "MFA stops over 99% of password-based account compromise.",
  severity: "critical",
  frameworks: caFrameworks("MS.AAD.3.2v2", "5.2.2.2", "MT.1007"),
  secureScore: ["MFARegistrationV2"],
  schema: ca02Schema,
  policy: (params) => ({
    users: { includeUsers: ["All"] },
    applications: { includeApplications: ["All"] },
    grantControls:
      params.method === "mfa"
        ? { operator: "OR", builtInControls: ["mfa"] }
        : { operator: "OR", authenticationStrength: { id: AUTHENTICATION_STRENGTHS.multifactor } },
  }),
});
