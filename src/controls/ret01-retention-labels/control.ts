/** RET01: retention labels, in Graph's retention-label vocabulary, applied through S&C compliance tags. */
import { z } from "zod";
import { COMPLIANCE_PERMISSIONS } from "../../resources/shared/compliance-permissions";
import { defineControl } from "../types";
import { slug } from "../../core/names";

const labelSchema = z
  .object({
    displayName: z
      .string()
      .min(1)
      .max(64)
      .describe("Label name; immutable once created (a rename replaces the label)."),
    descriptionForAdmins: z.string().optional().describe("Description shown to admins."),
    descriptionForUsers: z.string().optional().describe("Description shown to users applying the label."),
    behaviorDuringRetentionPeriod: z
      .enum(["doNotRetain", "retain", "retainAsRecord", "retainAsRegulatoryRecord"])
      .default("retain")
      .describe("What happens to content during the retention period; immutable."),
    actionAfterRetentionPeriod: z
      .enum(["none", "delete", "startDispositionReview"])
      .default("none")
      .describe("What happens after the period; immutable."),
    retentionTrigger: z
      .enum(["dateLabeled", "dateCreated", "dateModified", "dateOfEvent"])
      .default("dateCreated")
      .describe("When the period starts; immutable."),
    retentionDurationDays: z
      .union([z.number().int().min(1).max(36500), z.literal("unlimited")])
      .describe("Retention period in days, or 'unlimited'."),
  })
  .strict();

export const ret01Schema = z
  .object({ labels: z.array(labelSchema).default([]).describe("Retention labels to create.") })
  .strict();

export const ret01 = defineControl({
  id: "RET01",
  title: "Retention labels",
  rationale: "Labels let users and policies keep records for their legal period and dispose of them after.",
  severity: "medium",
  frameworks: [{ framework: "Microsoft", ref: "Purview data lifecycle management" }],
  secureScore: [],
  permissions: COMPLIANCE_PERMISSIONS,
  licence: null,
  resourceTypes: ["retentionLabel"],
  conditionalAccess: false,
  stackSection: { section: "retention", field: "labels" },
  schema: ret01Schema,
  compile: (params) =>
    params.labels.map((label) => ({
      name: `ret01-${slug(label.displayName)}`,
      type: "retentionLabel" as const,
      naturalKey: label.displayName,
      properties: { ...label },
    })),
});
