/**
 * The zod schema of a tenant stack file (`stacks/Pulumi.<tenant>.yaml`, keys in the `m365-baseline:`
 * namespace). It is the single source of the stack's TypeScript type and its published JSON Schema.
 */
import { z } from "zod";
import { cidrProblem } from "./cidr";
import { ISO_COUNTRIES } from "./countries";

export const NS = "m365-baseline";
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const CONTROL_ID = /^(CA|BRAND|RET|APP|POL)\d{2}$/;
const CIDR_SHAPE = /^[0-9a-fA-F:.]+\/\d{1,3}$/;
const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
/** A group file's name: one path segment, so `groups: [../x]` never reaches a file outside stacks/groups/. */
export const GROUP_NAME = /^[a-z0-9][a-z0-9_-]*$/;
const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/**
 * A check zod's JSON Schema cannot express, run only once the value has the shape the schema publishes (so one
 * value gets one issue); `problem` says what is wrong and `fix` reaches the issue through `params`.
 */
function semantic(shape: RegExp, problem: (v: string) => string | undefined, fix: string) {
  return (value: string, ctx: z.RefinementCtx) => {
    const message = shape.test(value) ? problem(value) : undefined;
    if (message) ctx.addIssue({ code: "custom", message, params: { fix } });
  };
}

/** Whether `value` (YYYY-MM-DD) is a day of the calendar: 2027-02-30 is not. */
function realDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const endpoint = (what: string) =>
  z
    .string()
    .url()
    .superRefine(
      semantic(
        /^[a-z][a-z0-9+.-]*:/i,
        (v) => (/^https:\/\//i.test(v) ? undefined : `must be an https URL, got '${v.split(":")[0]}:'`),
        "tokens are only sent over https: use https://… (e.g. https://localhost:8443 for the emulator)",
      ),
    )
    .describe(what);

/** A Pulumi secret as it appears in a stack file. */
export const secureValue = z
  .object({ secure: z.string().min(1).describe("Ciphertext written by `pulumi config set --secret`.") })
  .strict();

const stage = z.union([
  z.enum(["reportOnly", "enforce"]),
  z
    .object({
      off: z
        .string()
        .min(10, "give a reason of at least 10 characters")
        .describe("Why the control is off for this tenant."),
    })
    .strict(),
]);

export const stackKeys = {
  tenantId: z
    .string()
    .regex(GUID, "must be a GUID like 6b0c3a52-7a3e-4d0b-9f0e-1c2d3e4f5a61")
    .describe("Entra tenant id."),
  primaryDomain: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*\.onmicrosoft\.(com|us|de)$/, "must be the initial domain, e.g. contoso.onmicrosoft.com")
    .describe("The tenant's initial .onmicrosoft.com domain."),
  domains: z
    .array(z.string().regex(DOMAIN, "must be a domain name like contoso.com"))
    .default([])
    .describe("The tenant's verified custom domains besides primaryDomain (break-glass UPNs must use one of them)."),
  displayName: z.string().min(1).describe("Customer name in reports."),
  baseline: z
    .string()
    .regex(/^[a-z0-9-]+$/, "must be a baseline file name without .ts, e.g. msp-standard")
    .describe("Baseline applied: baselines/<name>.ts."),
  licences: z
    .union(
      [
        z
          .literal("auto")
          .describe(
            "Derive the licences from the tenant's subscribedSkus at check and up time; offline commands assume P1 and P2.",
          ),
        z
          .object({
            entraIdP1: z.boolean().describe("Tenant has Entra ID P1 (conditional access)."),
            entraIdP2: z.boolean().describe("Tenant has Entra ID P2 (risk-based policies)."),
          })
          .strict(),
      ],
      {
        error: (issue) =>
          issue.input === undefined
            ? "is missing: set auto, or { entraIdP1: true|false, entraIdP2: true|false }"
            : "must be auto, or { entraIdP1: true|false, entraIdP2: true|false }",
      },
    )
    .describe(
      "Licences, claimed ({ entraIdP1, entraIdP2 }) or auto (from subscribedSkus); controls of a plan the tenant lacks are reported 'not licensed'.",
    ),
  breakGlass: z
    .object({
      users: z
        .array(z.string().email())
        .min(1, "list at least one break-glass account")
        .describe("Emergency-access accounts (UPNs), excluded from every conditional-access policy."),
      groups: z
        .array(z.string().min(1))
        .default([])
        .describe("Existing groups (display names) excluded from every policy."),
      groupName: z
        .string()
        .min(1)
        .default("Break-glass accounts (m365-baseline)")
        .describe("Group the baseline creates for the break-glass users."),
    })
    .strict()
    .describe("Break-glass principals: required; a stack without them is refused."),
  groups: z
    .array(z.string().regex(GROUP_NAME, "must be a group file name without .yaml, e.g. small-office"))
    .default([])
    .describe("Tenant groups beneath this stack, in order (stacks/groups/<name>.yaml); the stack's values win."),
  stages: z
    .record(z.string().regex(CONTROL_ID, "must be a control id like CA01"), stage)
    .default({})
    .describe("Per-control rollout: reportOnly, enforce, or { off: reason }."),
  namedLocations: z
    .array(
      z
        .object({
          name: z.string().min(1).describe("Display name."),
          ipRanges: z
            .array(
              z
                .string()
                .regex(CIDR_SHAPE, "must be CIDR like 203.0.113.0/24")
                .superRefine(
                  semantic(
                    CIDR_SHAPE,
                    cidrProblem,
                    "write the range as address/prefix, e.g. 203.0.113.0/24 or 2001:db8::/48",
                  ),
                ),
            )
            .optional()
            .describe("IP ranges (CIDR)."),
          trusted: z.boolean().default(false).describe("Marks the location trusted (AllTrusted)."),
          countries: z
            .array(
              z
                .string()
                .regex(/^[A-Z]{2}$/, "must be ISO 3166 alpha-2 like NL")
                .superRefine(
                  semantic(
                    /^[A-Z]{2}$/,
                    (v) => (ISO_COUNTRIES.has(v) ? undefined : `'${v}' is not an ISO 3166-1 alpha-2 country code`),
                    "use the country's ISO 3166-1 alpha-2 code, e.g. NL, GB, US (https://www.iso.org/obp/ui/#search)",
                  ),
                ),
            )
            .optional()
            .describe("Countries (ISO alpha-2)."),
        })
        .strict()
        .refine((l) => (l.ipRanges === undefined) !== (l.countries === undefined), {
          message: "give exactly one of ipRanges or countries",
        }),
    )
    .default([])
    .describe("Named locations by name."),
  exceptions: z
    .array(
      z
        .object({
          control: z
            .string()
            .regex(CONTROL_ID, "must be a control id like CA02")
            .describe("Control the exception applies to."),
          reason: z
            .string()
            .min(10, "give a reason of at least 10 characters")
            .describe("Why; shown in reports and reviews."),
          expires: z
            .string()
            .regex(DATE_SHAPE, "must be a date like 2027-01-31")
            .superRefine(
              semantic(
                DATE_SHAPE,
                (v) => (realDate(v) ? undefined : `${v} is not a day of the calendar`),
                "give a real date (YYYY-MM-DD), e.g. the last day of the month",
              ),
            )
            .describe("Last day the exception holds (YYYY-MM-DD)."),
          properties: z
            .array(z.string().min(1))
            .min(1, "name at least one property, or leave properties out to except the whole control")
            .optional()
            .describe(
              "Only these property paths, as check and review print them (e.g. conditions.users.excludeUsers); the rest of the control is still checked.",
            ),
        })
        .strict(),
    )
    .default([])
    .describe("Approved deviations from the baseline."),
  imports: z
    .record(
      z.string().min(1),
      z
        .string()
        .regex(/^[A-Za-z0-9/_.:-]+$/, "must be an import id as m365-baseline adopt writes it, e.g. /groups/<id>"),
    )
    .default({})
    .describe(
      "Existing objects the next pulumi up adopts instead of creating: Pulumi resource name → import id. " +
        "Written by m365-baseline adopt --write; no longer needed after that up.",
    ),
  overrides: z
    .record(z.string().regex(CONTROL_ID, "must be a control id like CA02"), z.record(z.string(), z.unknown()))
    .default({})
    .describe("Per-control parameter overrides, validated by the control's schema."),
  branding: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("BRAND01 parameters for this tenant (texts, colours, layout, asset paths, localizations)."),
  retention: z
    .object({
      labels: z.array(z.unknown()).optional().describe("RET01 labels."),
      policies: z.array(z.unknown()).optional().describe("RET02 policies."),
    })
    .strict()
    .optional()
    .describe("Retention choices for this tenant."),
  backupApp: z.record(z.string(), z.unknown()).optional().describe("APP01 parameters (certificateFile, displayName)."),
  deployment: z
    .object({
      clientId: z
        .string()
        .regex(GUID, "must be the deploying app's client id (a GUID)")
        .describe("Application (client) id of the deploying app."),
      auth: z
        .enum(["certificate", "oidc", "azureCli"])
        .default("certificate")
        .describe("How the deploying app authenticates."),
    })
    .strict()
    .describe("The app registration that applies the baseline; default: stacks/fleet.yaml's deployment."),
  certificatePem: secureValue
    .optional()
    .describe("Secret PEM (key + certificate) for the Graph client; or env M365B_CERTIFICATE_PEM."),
  certificatePfx: secureValue
    .optional()
    .describe("Secret base64 PKCS#12 for the azuread provider; or env M365B_CERTIFICATE_PFX."),
  certificatePfxPassword: secureValue
    .optional()
    .describe("Secret password of that PKCS#12, if it has one; or env M365B_CERTIFICATE_PFX_PASSWORD."),
  endpoints: z
    .object({
      graph: endpoint("Graph root."),
      authority: endpoint("Authority host."),
      compliance: endpoint("Security & Compliance root."),
      caCertificateFile: z.string().optional().describe("Extra CA certificate (PEM) to trust."),
    })
    .strict()
    .optional()
    .describe("Only to point at the emulator."),
} as const;

/** Keys that must only ever hold Pulumi secrets. */
export const SECRET_KEYS = ["certificatePem", "certificatePfx", "certificatePfxPassword"] as const;

export const stackConfigSchema = z.object(stackKeys).strict();
export type StackConfig = z.output<typeof stackConfigSchema>;

/**
 * The keys a tenant group (`stacks/groups/<name>.yaml`) may set: how a tier is configured. Everything else in
 * `stackKeys` says who one tenant is (ids, domains, licences, break-glass accounts, the deploying app, secrets,
 * endpoints) or which baseline it is on, and stays in the stack file where a reviewer sees it per tenant.
 */
export const GROUP_KEYS = [
  "stages",
  "namedLocations",
  "exceptions",
  "overrides",
  "branding",
  "retention",
  "backupApp",
] as const satisfies readonly (keyof typeof stackKeys)[];
export type GroupKey = (typeof GROUP_KEYS)[number];

export const groupConfigSchema = z
  .object(
    Object.fromEntries(GROUP_KEYS.map((k) => [k, stackKeys[k].optional()])) as {
      [K in GroupKey]: z.ZodOptional<(typeof stackKeys)[K]>;
    },
  )
  .strict();
export type GroupConfig = z.output<typeof groupConfigSchema>;

/** Non-`m365-baseline:` keys that are allowed in a stack's `config:` (other namespaces are passed through). */
export const PASSTHROUGH_NAMESPACES = ["pulumi", "azuread"];
