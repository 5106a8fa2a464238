/**
 * BRAND01: company branding of the sign-in page — texts, colours, layout and images — for the default
 * localization and any extra locales. Images are repository files, validated before any call.
 */
import { z } from "zod";
import { ASSET_KINDS } from "../../core/assets";
import { defineControl, graph } from "../types";
import { omitEmpty } from "../conditional-access/common";

const assetsSchema = z
  .object(
    Object.fromEntries(
      ASSET_KINDS.map((kind) => [
        kind,
        z.string().min(1).optional().describe(`Repository-relative path of the ${kind} file.`),
      ]),
    ) as Record<(typeof ASSET_KINDS)[number], z.ZodOptional<z.ZodString>>,
  )
  .strict();

const brandingFields = {
  signInPageText: z
    .string()
    .max(1024)
    .optional()
    .describe("Text shown at the bottom of the sign-in box (max 1024 characters)."),
  usernameHintText: z.string().max(64).optional().describe("Hint shown in the username box."),
  backgroundColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, "must be a colour like #1A2B3C")
    .optional()
    .describe("Page background colour, shown while the background image loads."),
  layout: z
    .object({
      template: z
        .enum(["default", "verticalSplit"])
        .default("default")
        .describe("loginPageLayoutConfiguration.layoutTemplateType."),
      showHeader: z.boolean().default(false).describe("loginPageLayoutConfiguration.isHeaderShown."),
      showFooter: z.boolean().default(true).describe("loginPageLayoutConfiguration.isFooterShown."),
    })
    .strict()
    .optional()
    .describe("Sign-in page layout."),
  hideSelfServicePasswordReset: z
    .boolean()
    .optional()
    .describe("loginPageTextVisibilitySettings.hideAccountResetCredentials."),
  assets: assetsSchema.default({}).describe("Images and CSS, as repository-relative paths."),
};

export const brand01Schema = z
  .object({
    ...brandingFields,
    retainOnDelete: z
      .boolean()
      .default(false)
      .describe(
        "Leave the branding in the tenant when it is removed from the baseline or the stack is destroyed (Pulumi retainOnDelete).",
      ),
    localizations: z
      .array(
        z
          .object({
            locale: z
              .string()
              .regex(/^[a-z]{2}(-[A-Z]{2})?$/, "must be a locale like fr-FR")
              .describe("Locale id, e.g. fr-FR."),
            ...brandingFields,
          })
          .strict(),
      )
      .default([])
      .describe("Per-locale branding; each adds a brandingLocalization."),
  })
  .strict();

type Branding = Omit<z.output<typeof brand01Schema>, "localizations" | "retainOnDelete">;

/** Graph organizationalBranding properties (plus `assets`) for one localization. */
function brandingProperties(b: Branding): Record<string, unknown> {
  return omitEmpty({
    signInPageText: b.signInPageText,
    usernameHintText: b.usernameHintText,
    backgroundColor: b.backgroundColor,
    loginPageLayoutConfiguration: b.layout
      ? {
          layoutTemplateType: b.layout.template,
          isHeaderShown: b.layout.showHeader,
          isFooterShown: b.layout.showFooter,
        }
      : undefined,
    loginPageTextVisibilitySettings:
      b.hideSelfServicePasswordReset === undefined
        ? undefined
        : { hideAccountResetCredentials: b.hideSelfServicePasswordReset },
    assets: Object.keys(b.assets).length > 0 ? Object.fromEntries(Object.entries(b.assets).sort()) : undefined,
  });
}

export const brand01 = defineControl({
  id: "BRAND01",
  title: "Company branding",
  rationale: "A branded sign-in page helps users spot phishing clones and tells them who runs their tenant.",
  severity: "low",
  frameworks: [{ framework: "Microsoft", ref: "Company branding (CIPP standard)" }],
  secureScore: [],
  permissions: {
    read: [graph("Organization.Read.All")],
    write: [graph("OrganizationalBranding.ReadWrite.All"), graph("Organization.Read.All")],
  },
  licence: "P1",
  resourceTypes: ["organizationalBranding", "brandingLocalization"],
  conditionalAccess: false,
  stackSection: { section: "branding" },
  schema: brand01Schema,
  compile: (params) => {
    const { localizations, retainOnDelete, ...defaults } = params;
    const options = retainOnDelete ? { retainOnDelete: true } : undefined;
    return [
      {
        name: "brand01-default",
        type: "organizationalBranding",
        naturalKey: "0",
        properties: brandingProperties(defaults),
        options,
      },
      ...localizations.map(({ locale, ...b }) => ({
        name: `brand01-${locale.toLowerCase()}`,
        type: "brandingLocalization" as const,
        naturalKey: locale,
        properties: { id: locale, ...brandingProperties(b) },
        dependsOn: ["brand01-default"],
        options,
      })),
    ];
  },
});
