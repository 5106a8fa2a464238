/**
 * RET02: Purview retention policies and their rules (S&C `*-RetentionCompliancePolicy/Rule`). Teams
 * locations go in their own policy, as the service requires; Preservation Lock needs an acknowledgement.
 */
import { z } from "zod";
import { COMPLIANCE_PERMISSIONS } from "../../resources/shared/compliance-permissions";
import { defineControl } from "../types";
import { slug } from "../../core/names";
import { omitEmpty } from "../conditional-access/common";

const policySchema = z
  .object({
    name: z.string().min(1).max(64).describe("Policy name; the rule is named '<name> rule'."),
    comment: z.string().optional().describe("Admin comment."),
    workloads: z
      .array(z.enum(["exchange", "sharePoint", "oneDrive", "microsoft365Groups", "teamsChannels", "teamsChats"]))
      .min(1)
      .describe("Locations (all of each). Teams channels/chats cannot share a policy with other workloads."),
    retentionDays: z
      .union([z.number().int().min(1).max(36500), z.literal("unlimited")])
      .optional()
      .describe("Retention period in days, or 'unlimited'; omit for a label-publishing policy."),
    action: z.enum(["Keep", "Delete", "KeepAndDelete"]).default("Keep").describe("RetentionComplianceAction."),
    expirationDateOption: z
      .enum(["CreationAgeInDays", "ModificationAgeInDays"])
      .optional()
      .describe("When the period starts."),
    publishLabels: z.array(z.string()).optional().describe("Label names this policy publishes (a label policy)."),
    preservationLock: z
      .boolean()
      .default(false)
      .describe("Preservation Lock (RestrictiveRetention): IRREVERSIBLE — a locked policy can only be extended."),
    preservationLockAcknowledged: z
      .boolean()
      .default(false)
      .describe("Must be true when preservationLock is true: you accept that it cannot be undone."),
  })
  .strict()
  .refine((p) => !p.preservationLock || p.preservationLockAcknowledged, {
    message: "preservationLock is irreversible; set preservationLockAcknowledged: true to confirm",
    path: ["preservationLockAcknowledged"],
  })
  .refine((p) => !(p.workloads.some((w) => w.startsWith("teams")) && p.workloads.some((w) => !w.startsWith("teams"))), {
    message: "Teams locations must be in their own policy",
    path: ["workloads"],
  })
  .refine((p) => p.retentionDays !== undefined || (p.publishLabels?.length ?? 0) > 0, {
    message: "set retentionDays, or publishLabels for a label policy",
    path: ["retentionDays"],
  })
  // A publishing rule has no retention period of its own: New-RetentionComplianceRule's PublishComplianceTag
  // parameter set has no -RetentionDuration (MicrosoftDocs/office-docs-powershell New-RetentionComplianceRule.md).
  .refine((p) => p.retentionDays === undefined || (p.publishLabels?.length ?? 0) === 0, {
    message: "a label policy takes its retention from the labels it publishes; remove retentionDays or publishLabels",
    path: ["publishLabels"],
  });

export const ret02Schema = z
  .object({ policies: z.array(policySchema).default([]).describe("Retention policies.") })
  .strict();

const LOCATION: Record<string, string> = {
  exchange: "ExchangeLocation",
  sharePoint: "SharePointLocation",
  oneDrive: "OneDriveLocation",
  microsoft365Groups: "ModernGroupLocation",
  teamsChannels: "TeamsChannelLocation",
  teamsChats: "TeamsChatLocation",
};

export const ret02 = defineControl({
  id: "RET02",
  title: "Retention policies",
  rationale:
    "Org-wide retention keeps mail, files and chats for the period the customer must keep them, even after deletion.",
  severity: "medium",
  frameworks: [{ framework: "Microsoft", ref: "Purview retention policies" }],
  secureScore: [],
  permissions: COMPLIANCE_PERMISSIONS,
  licence: null,
  resourceTypes: ["retentionCompliancePolicy", "retentionComplianceRule"],
  conditionalAccess: false,
  stackSection: { section: "retention", field: "policies" },
  schema: ret02Schema,
  compile: (params) =>
    params.policies.flatMap((p) => {
      const policyName = `ret02-${slug(p.name)}`;
      const locations = Object.fromEntries([...p.workloads].sort().map((w) => [LOCATION[w]!, ["All"]]));
      return [
        {
          name: policyName,
          type: "retentionCompliancePolicy" as const,
          naturalKey: p.name,
          properties: omitEmpty({
            Name: p.name,
            Comment: p.comment,
            Enabled: true,
            ...locations,
            RestrictiveRetention: p.preservationLock ? true : undefined,
            preservationLockAcknowledged: p.preservationLock ? p.preservationLockAcknowledged : undefined,
          }),
        },
        {
          name: `${policyName}-rule`,
          type: "retentionComplianceRule" as const,
          naturalKey: `${p.name} rule`,
          properties: omitEmpty({
            // The service names a publishing rule itself (no -Name with -PublishComplianceTag; same page).
            Name: p.publishLabels?.length ? undefined : `${p.name} rule`,
            Policy: p.name,
            RetentionDuration:
              p.retentionDays === undefined
                ? undefined
                : p.retentionDays === "unlimited"
                  ? "Unlimited"
                  : p.retentionDays,
            RetentionComplianceAction: p.retentionDays === undefined ? undefined : p.action,
            ExpirationDateOption: p.expirationDateOption,
            PublishComplianceTag: p.publishLabels?.length ? [...p.publishLabels].sort() : undefined,
          }),
          dependsOn: [policyName],
        },
      ];
    }),
});
