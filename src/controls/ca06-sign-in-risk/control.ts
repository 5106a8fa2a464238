/** CA06 (P2): require MFA (authentication strength …0002) and re-authentication every time for risky sign-ins. */
import { z } from "zod";
import {
  AUTHENTICATION_STRENGTHS,
  caFrameworks,
  defineConditionalAccessControl,
  exclusionsSchema,
  sortedUnique,
} from "../conditional-access/common";

export const ca06Schema = exclusionsSchema.extend({
  riskLevels: z
    .array(z.enum(["high", "medium", "low"]))
    .min(1)
    .default(["high", "medium"])
    .describe("Sign-in risk levels the policy applies to."),
});

export const ca06 = defineConditionalAccessControl({
  id: "CA06",
  title: "Require MFA for risky sign-ins",
  rationale:
    "Entra ID Protection flags anomalous sign-ins; challenging them stops token replay and password spray in progress.",
  severity: "high",
  frameworks: caFrameworks("MS.AAD.2.3v1", "5.2.2.8", "MT.1012"),
  secureScore: ["SigninRiskPolicy"],
  licence: "P2",
  schema: ca06Schema,
  policy: (params) => ({
    users: { includeUsers: ["All"] },
    applications: { includeApplications: ["All"] },
    conditions: { signInRiskLevels: sortedUnique(params.riskLevels) },
    grantControls: { operator: "OR", authenticationStrength: { id: AUTHENTICATION_STRENGTHS.multifactor } },
    sessionControls: {
      signInFrequency: {
        isEnabled: true,
        frequencyInterval: "everyTime",
        authenticationType: "primaryAndSecondaryAuthentication",
      },
    },
  }),
});
