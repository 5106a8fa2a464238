/**
 * Parameter binding for the S&C cmdlets the emulator runs, as PowerShell does it: names are matched
 * case-insensitively against the cmdlet's real parameter set (an unknown one fails instead of being
 * ignored, so a typo in a provider shows), and enum values are matched case-insensitively or by a unique
 * prefix — the service's observed leniency, which lets a wrong-but-prefix value through with 200.
 */
import type { Json } from "./errors";

const COMMON = ["Confirm", "WhatIf", "ErrorAction", "WarningAction", "Verbose", "Debug"];
const LOCATIONS = [
  "ExchangeLocation",
  "SharePointLocation",
  "OneDriveLocation",
  "ModernGroupLocation",
  "TeamsChannelLocation",
  "TeamsChatLocation",
  "PublicFolderLocation",
  "SkypeLocation",
];
const EXCEPTIONS = [
  "ExchangeLocationException",
  "SharePointLocationException",
  "OneDriveLocationException",
  "ModernGroupLocationException",
  "TeamsChannelLocationException",
  "TeamsChatLocationException",
];
const RULE = [
  "Comment",
  "RetentionDuration",
  "RetentionComplianceAction",
  "ExpirationDateOption",
  "PublishComplianceTag",
  "ApplyComplianceTag",
  "ContentMatchQuery",
  "RetentionDurationDisplayHint",
  "ExcludedItemClasses",
];

/** Each cmdlet's parameters (Microsoft's documentation of the S&C cmdlets), besides the common ones. */
const PARAMETERS: Record<string, readonly string[]> = {
  "Get-ComplianceTag": ["Identity", "IncludingLabelState"],
  "New-ComplianceTag": [
    "Name",
    "Comment",
    "Notes",
    "RetentionAction",
    "RetentionDuration",
    "RetentionType",
    "IsRecordLabel",
    "Regulatory",
    "ReviewerEmail",
    "EventType",
    "FilePlanProperty",
    "ComplianceTagForDisposition",
    "MultiStageReviewProperty",
  ],
  // RetentionAction/RetentionType/IsRecordLabel/Regulatory are not parameters of the real Set-ComplianceTag;
  // they are bound here so the emulator can answer with which property is fixed at creation.
  "Set-ComplianceTag": [
    "Identity",
    "Comment",
    "Notes",
    "RetentionDuration",
    "ReviewerEmail",
    "EventType",
    "FilePlanProperty",
    "MultiStageReviewProperty",
    "Force",
    "RetentionAction",
    "RetentionType",
    "IsRecordLabel",
    "Regulatory",
    "Name",
  ],
  "Remove-ComplianceTag": ["Identity", "Force"],
  "Get-RetentionCompliancePolicy": [
    "Identity",
    "DistributionDetail",
    "RetentionRuleTypes",
    "ErrorPolicyOnly",
    "IncludeTestModeResults",
    "ExcludeTeamsPolicy",
    "TeamsPolicyOnly",
  ],
  "New-RetentionCompliancePolicy": [
    "Name",
    "Comment",
    "Enabled",
    "RestrictiveRetention",
    "Applications",
    "Force",
    "IsSimulation",
    ...LOCATIONS,
    ...EXCEPTIONS,
  ],
  "Set-RetentionCompliancePolicy": [
    "Identity",
    "Comment",
    "Enabled",
    "RestrictiveRetention",
    "Applications",
    "Force",
    "RetryDistribution",
    ...[...LOCATIONS, ...EXCEPTIONS].flatMap((l) => [`Add${l}`, `Remove${l}`]),
  ],
  "Remove-RetentionCompliancePolicy": ["Identity", "ForceDeletion"],
  "Get-RetentionComplianceRule": ["Identity", "Policy", "IncludeExecutionRuleGuids"],
  "New-RetentionComplianceRule": ["Name", "Policy", ...RULE],
  "Set-RetentionComplianceRule": ["Identity", ...RULE],
  "Remove-RetentionComplianceRule": ["Identity"],
};

const ENUMS: Record<string, readonly string[]> = {
  RetentionAction: ["Keep", "Delete", "KeepAndDelete"],
  RetentionType: ["CreationAgeInDays", "ModificationAgeInDays", "TaggedAgeInDays", "EventAgeInDays"],
  RetentionComplianceAction: ["Keep", "Delete", "KeepAndDelete"],
  ExpirationDateOption: ["CreationAgeInDays", "ModificationAgeInDays"],
};

/** The parameters with canonical names and enum values, or the binding error PowerShell would raise. */
export function bindParameters(
  cmdlet: string,
  parameters: Json,
): { readonly bound: Json } | { readonly error: string } {
  const known = PARAMETERS[cmdlet];
  if (!known) return { bound: parameters };
  const bound: Json = {};
  for (const [name, value] of Object.entries(parameters)) {
    const canonical = [...known, ...COMMON].find((k) => k.toLowerCase() === name.toLowerCase());
    if (!canonical) return { error: `A parameter cannot be found that matches parameter name '${name}'.` };
    const values = ENUMS[canonical];
    if (!values || value === null || value === undefined) {
      bound[canonical] = value;
      continue;
    }
    const text = String(value).toLowerCase();
    const exact = values.find((v) => v.toLowerCase() === text);
    const prefixed = values.filter((v) => v.toLowerCase().startsWith(text));
    const match = exact ?? (text !== "" && prefixed.length === 1 ? prefixed[0] : undefined);
    if (!match) {
      return {
        error: `Cannot bind parameter '${canonical}'. Cannot convert value "${String(value)}" to type "${canonical}". Error: "Unable to match the identifier name ${String(value)} to a valid enumerator name. Specify one of the following enumerator names and try again: ${values.join(", ")}"`,
      };
    }
    bound[canonical] = match;
  }
  return { bound };
}
