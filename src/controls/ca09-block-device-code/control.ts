/** CA09: block the device-code authentication flow, a favourite phishing technique. */
import { caFrameworks, defineConditionalAccessControl, exclusionsSchema } from "../conditional-access/common";

export const ca09 = defineConditionalAccessControl({
  id: "CA09",
  title: "Block device code flow",
  rationale: "Device-code phishing hands attackers a token without a password; few tenants need the flow at all.",
  severity: "high",
  frameworks: caFrameworks("MS.AAD.3.9v1", "5.2.2.12", "MT.1052"),
  schema: exclusionsSchema,
  policy: () => ({
    users: { includeUsers: ["All"] },
    applications: { includeApplications: ["All"] },
    conditions: { authenticationFlows: { transferMethods: "deviceCodeFlow" } },
    grantControls: { operator: "OR", builtInControls: ["block"] },
  }),
});
