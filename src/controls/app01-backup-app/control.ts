/**
 * APP01: the app registration a backup product needs — Veeam Backup for Microsoft 365 v8 by preset:
 * application permissions on Graph, Exchange Online and SharePoint with admin consent, a certificate
 * credential only (never a client secret), and Global Reader for Exchange.ManageAsApp.
 */
import { z } from "zod";
import { defineControl, graph } from "../types";

/** Resource application ids. */
export const RESOURCE_APPS = {
  microsoftGraph: "00000003-0000-0000-c000-000000000000",
  exchangeOnline: "00000002-0000-0ff1-ce00-000000000000",
  sharePoint: "00000003-0000-0ff1-ce00-000000000000",
} as const;

/** Global Reader's role template id (needed by Exchange.ManageAsApp). */
export const GLOBAL_READER_ROLE = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";

/**
 * Veeam Backup for Microsoft 365 v8 backup permissions
 * (helpcenter.veeam.com/docs/vbo365/guide/ad_app_permissions_sd.html), by permission value.
 */
export const PRESETS = {
  "veeam-m365-v8": {
    requiredResourceAccess: [
      { resourceAppId: RESOURCE_APPS.exchangeOnline, roles: ["Exchange.ManageAsApp", "full_access_as_app"] },
      {
        resourceAppId: RESOURCE_APPS.microsoftGraph,
        roles: [
          "ChannelMember.ReadWrite.All",
          "ChannelMessage.Read.All",
          "Directory.Read.All",
          "Group.Read.All",
          "Sites.Read.All",
          "TeamSettings.ReadWrite.All",
        ],
      },
      { resourceAppId: RESOURCE_APPS.sharePoint, roles: ["Sites.FullControl.All", "User.Read.All"] },
    ],
    directoryRoles: [GLOBAL_READER_ROLE],
  },
} as const;

export const app01Schema = z
  .object({
    preset: z
      .enum(["veeam-m365-v8"])
      .default("veeam-m365-v8")
      .describe("The backup product's documented permission set."),
    displayName: z
      .string()
      .min(1)
      .default("Veeam Backup for Microsoft 365")
      .describe("Application display name (its natural key)."),
    certificateFile: z
      .string()
      .min(1)
      .describe(
        "Repository-relative path of the PUBLIC certificate (PEM) registered as the app's credential. Client secrets are not supported.",
      ),
    teamsChatExport: z
      .boolean()
      .default(true)
      .describe("Grant ChannelMessage.Read.All for Teams chat backup through the Teams Export APIs."),
  })
  .strict();

export const app01 = defineControl({
  id: "APP01",
  title: "Backup application registration",
  rationale:
    "The backup app gets exactly its documented permissions, consented by the baseline, with a certificate instead of a secret.",
  severity: "medium",
  frameworks: [
    { framework: "CISA SCuBA", ref: "MS.AAD.5.5v1" },
    { framework: "Maester", ref: "MT.1057" },
  ],
  secureScore: [],
  permissions: {
    read: [graph("Application.Read.All"), graph("RoleManagement.Read.Directory")],
    write: [
      graph("Application.ReadWrite.All"),
      graph("AppRoleAssignment.ReadWrite.All"),
      graph("RoleManagement.ReadWrite.Directory"),
    ],
  },
  licence: null,
  resourceTypes: ["application"],
  conditionalAccess: false,
  stackSection: { section: "backupApp" },
  schema: app01Schema,
  compile: (params) => {
    const preset = PRESETS[params.preset];
    const requiredResourceAccess = preset.requiredResourceAccess.map((r) => ({
      resourceAppId: r.resourceAppId,
      roles: r.roles.filter((role) => params.teamsChatExport || role !== "ChannelMessage.Read.All"),
    }));
    return [
      {
        name: "app01-backup",
        type: "application" as const,
        naturalKey: params.displayName,
        properties: {
          displayName: params.displayName,
          signInAudience: "AzureADMyOrg",
          requiredResourceAccess,
          certificateFile: params.certificateFile,
          directoryRoles: [...preset.directoryRoles],
          preset: params.preset,
        },
      },
    ];
  },
});
