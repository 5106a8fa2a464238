/** POL02: users cannot register applications, and user consent is restricted. */
import { z } from "zod";
import { defineControl, graph } from "../types";

const CONSENT_POLICIES = { none: [], lowRisk: ["ManagePermissionGrantsForSelf.microsoft-user-default-low"] } as const;

export const pol02Schema = z
  .object({
    userConsent: z
      .enum(["none", "lowRisk"])
      .default("none")
      .describe("'none': users cannot consent to apps; 'lowRisk': only verified publishers' low-risk permissions."),
    allowedToCreateApps: z.boolean().default(false).describe("defaultUserRolePermissions.allowedToCreateApps."),
  })
  .strict();

export const pol02 = defineControl({
  id: "POL02",
  title: "Restrict app registration and user consent",
  rationale: "Illicit consent grants and rogue app registrations are common persistence techniques.",
  severity: "high",
  frameworks: [
    { framework: "CISA SCuBA", ref: "MS.AAD.5.1v1" },
    { framework: "CISA SCuBA", ref: "MS.AAD.5.2v1" },
    { framework: "CIS M365", ref: "5.1.5.1" },
  ],
  secureScore: ["IntegratedApps"],
  permissions: { read: [graph("Policy.Read.All")], write: [graph("Policy.ReadWrite.Authorization")] },
  licence: null,
  resourceTypes: ["authorizationPolicy"],
  conditionalAccess: false,
  schema: pol02Schema,
  compile: (params) => [
    {
      name: "pol02-authorization-policy",
      type: "authorizationPolicy" as const,
      naturalKey: "authorizationPolicy",
      properties: {
        defaultUserRolePermissions: {
          allowedToCreateApps: params.allowedToCreateApps,
          permissionGrantPoliciesAssigned: [...CONSENT_POLICIES[params.userConsent]],
        },
      },
    },
  ],
});
