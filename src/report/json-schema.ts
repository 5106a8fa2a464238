/**
 * The documented schema of `check --json` (schemaVersion 1), as zod: the test validates real reports
 * against it, and `npm run schema` publishes it as docs/check-report.schema.json for consumers.
 */
import { z } from "zod";

const status = z.enum(["compliant", "drifted", "missing", "notLicensed", "excepted", "error"]);

export const checkReportSchema = z
  .object({
    schemaVersion: z.literal(1).describe("Bumped on any incompatible change."),
    generatedAt: z.string().datetime().describe("When the check ran (ISO 8601, UTC)."),
    baselineVersion: z.string().describe("The repository commit the baselines came from."),
    tenants: z.array(
      z
        .object({
          stack: z.string().describe("Stack name (stacks/Pulumi.<stack>.yaml)."),
          tenantId: z.string().uuid().describe("Entra tenant id."),
          displayName: z.string(),
          status: z
            .enum(["compliant", "drifted", "error"])
            .describe("Worst of the tenant's controls: error > drifted (drifted or missing) > compliant."),
          controls: z.array(
            z
              .object({
                controlId: z.string(),
                title: z.string(),
                severity: z.enum(["critical", "high", "medium", "low"]),
                status,
                resources: z.array(z.string()).describe("Desired resources the control covers."),
                differences: z.array(
                  z
                    .object({
                      path: z
                        .string()
                        .describe(
                          "Property path in Graph vocabulary, prefixed with the resource name when a control has several.",
                        ),
                      desired: z.unknown(),
                      live: z.unknown(),
                    })
                    .strict(),
                ),
                exception: z
                  .object({
                    reason: z.string(),
                    expires: z.string(),
                    expiresSoon: z.boolean().describe("Ends within 30 days."),
                    properties: z
                      .array(z.string())
                      .optional()
                      .describe("The property paths a scoped exception excuses; the rest is checked."),
                    excused: z.number().int().optional().describe("Differences the scoped exception excused."),
                  })
                  .strict()
                  .optional(),
                message: z.string().optional().describe("Why, for error and notLicensed."),
              })
              .strict(),
          ),
          unmanaged: z
            .array(
              z
                .object({
                  type: z.enum([
                    "conditionalAccessPolicy",
                    "namedLocation",
                    "group",
                    "application",
                    "retentionCompliancePolicy",
                  ]),
                  id: z.string(),
                  displayName: z.string(),
                  label: z.enum(["unmanaged", "microsoftManaged", "highPrivilege", "duplicate"]),
                  detail: z.string().optional(),
                })
                .strict(),
            )
            .describe("Live objects the baseline does not own: reported, never changed."),
          secureScore: z
            .object({
              currentScore: z.number(),
              maxScore: z.number(),
              actions: z.array(
                z
                  .object({
                    controlName: z.string(),
                    addressedBy: z.array(z.string()),
                    met: z.boolean().describe("Microsoft's view: the control score reaches the profile's maxScore."),
                    score: z.number().optional(),
                    maxScore: z.number().optional(),
                    baselineCompliant: z.boolean().optional().describe("Every addressing baseline control compliant."),
                  })
                  .strict(),
              ),
              gainByBaseline: z.number().optional().describe("Points the baseline's unmet actions would add."),
              notAddressed: z
                .array(
                  z
                    .object({ controlName: z.string(), score: z.number().optional(), maxScore: z.number().optional() })
                    .strict(),
                )
                .optional()
                .describe("Improvement actions with points to gain that no baseline control addresses."),
            })
            .strict()
            .optional(),
          backupSignIn: z
            .object({
              appId: z.string(),
              lastSignInDateTime: z
                .string()
                .optional()
                .describe("The backup app's latest sign-in (beta servicePrincipalSignInActivities); absent if none."),
              notRead: z
                .string()
                .optional()
                .describe("Why the optional sign-in read failed (AuditLog.Read.All, Entra ID P1/P2, beta missing)."),
            })
            .strict()
            .optional()
            .describe("The backup app (APP01), when managed and registered: its last sign-in or why it was not read."),
          derivedLicences: z
            .object({ entraIdP1: z.boolean(), entraIdP2: z.boolean() })
            .strict()
            .optional()
            .describe("For a stack with licences: auto, the licences derived from subscribedSkus and checked for."),
          error: z.string().optional().describe("Tenant-level failure (credentials, network)."),
          missingPermissions: z
            .array(z.string())
            .optional()
            .describe(
              'When the tenant refused calls for lack of consent: the permissions and roles the deploying app lacks there, e.g. "SecurityEvents.Read.All (Microsoft Graph)".',
            ),
          requests: z.number().int().describe("HTTP requests sent for this tenant, retries included."),
          durationMs: z.number().int(),
        })
        .strict(),
    ),
    summary: z
      .object({
        tenants: z.number().int(),
        compliant: z.number().int(),
        drifted: z.number().int(),
        errors: z.number().int(),
      })
      .strict(),
  })
  .strict();

/** The JSON Schema document published in docs/. */
export function checkReportJsonSchema(): string {
  const { $schema: _s, ...schema } = z.toJSONSchema(checkReportSchema, { unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return `${JSON.stringify({ $schema: "https://json-schema.org/draft/2020-12/schema", title: "m365-baseline check report (check --json)", ...schema }, null, 2)}\n`;
}
