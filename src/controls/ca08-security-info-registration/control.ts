/** CA08: registering security info (MFA methods) requires MFA unless done from a trusted location. */
import { caFrameworks, defineConditionalAccessControl, exclusionsSchema } from "../conditional-access/common";

export const ca08 = defineConditionalAccessControl({
  id: "CA08",
  title: "Secure security info registration",
  rationale: "An attacker with a password must not be able to register their own MFA method.",
  severity: "high",
  frameworks: caFrameworks("MS.AAD.3.8v1", undefined, "MT.1011"),
  schema: exclusionsSchema,
  policy: () => ({
    users: { includeUsers: ["All"] },
    applications: { includeUserActions: ["urn:user:registersecurityinfo"] },
    conditions: { locations: { includeLocations: ["All"], excludeLocations: ["AllTrusted"] } },
    grantControls: { operator: "OR", builtInControls: ["mfa"] },
  }),
});
