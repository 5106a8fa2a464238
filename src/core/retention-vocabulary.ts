/**
 * Translation between Graph's retention-label vocabulary (what baselines are written in) and the
 * Security & Compliance `*-ComplianceTag` cmdlet vocabulary (the only app-only route), both directions.
 */

/** A retention label in Graph's `security.retentionLabel` vocabulary, as `DesiredResource.properties`. */
export interface RetentionLabelProperties {
  readonly displayName: string;
  readonly descriptionForAdmins?: string | undefined;
  readonly descriptionForUsers?: string | undefined;
  readonly behaviorDuringRetentionPeriod: "doNotRetain" | "retain" | "retainAsRecord" | "retainAsRegulatoryRecord";
  readonly actionAfterRetentionPeriod: "none" | "delete" | "startDispositionReview";
  readonly retentionTrigger: "dateLabeled" | "dateCreated" | "dateModified" | "dateOfEvent";
  readonly retentionDurationDays: number | "unlimited";
}

const TRIGGER_TO_TYPE = {
  dateCreated: "CreationAgeInDays",
  dateModified: "ModificationAgeInDays",
  dateLabeled: "TaggedAgeInDays",
  dateOfEvent: "EventAgeInDays",
} as const;

/** `New-ComplianceTag` / `Set-ComplianceTag` parameters for a label. */
export function complianceTagParameters(label: RetentionLabelProperties): Record<string, unknown> {
  const keep = label.behaviorDuringRetentionPeriod !== "doNotRetain";
  const remove = label.actionAfterRetentionPeriod === "delete";
  const parameters: Record<string, unknown> = {
    Name: label.displayName,
    RetentionAction: keep && remove ? "KeepAndDelete" : keep ? "Keep" : "Delete",
    RetentionDuration: label.retentionDurationDays === "unlimited" ? "Unlimited" : label.retentionDurationDays,
    RetentionType: TRIGGER_TO_TYPE[label.retentionTrigger],
  };
  if (label.behaviorDuringRetentionPeriod === "retainAsRecord") parameters["IsRecordLabel"] = true;
  if (label.behaviorDuringRetentionPeriod === "retainAsRegulatoryRecord") {
    parameters["IsRecordLabel"] = true;
    parameters["Regulatory"] = true;
  }
  if (label.descriptionForAdmins !== undefined) parameters["Comment"] = label.descriptionForAdmins;
  if (label.descriptionForUsers !== undefined) parameters["Notes"] = label.descriptionForUsers;
  return parameters;
}

/** A Security & Compliance boolean as the service serialises it: `true`, or the string "True" (any case). */
export function serviceBoolean(value: unknown): boolean {
  return value === true || /^true$/i.test(String(value));
}

/** Reads a `Get-ComplianceTag` object back into Graph's label vocabulary (fields it does not set are omitted). */
export function labelFromComplianceTag(tag: Readonly<Record<string, unknown>>): RetentionLabelProperties {
  const action = String(tag["RetentionAction"] || "Keep");
  const keep = action === "Keep" || action === "KeepAndDelete";
  // The service serialises booleans as true or "True", and an empty multi-valued property as [] (not absent).
  const yes = serviceBoolean;
  const reviewers = tag["ReviewerEmail"];
  const review = Array.isArray(reviewers) ? reviewers.length > 0 : Boolean(reviewers);
  const behavior = yes(tag["Regulatory"])
    ? "retainAsRegulatoryRecord"
    : yes(tag["IsRecordLabel"])
      ? "retainAsRecord"
      : keep
        ? "retain"
        : "doNotRetain";
  const trigger = (Object.entries(TRIGGER_TO_TYPE).find(([, type]) => type === tag["RetentionType"])?.[0] ??
    "dateCreated") as RetentionLabelProperties["retentionTrigger"];
  const duration = tag["RetentionDuration"];
  const label: RetentionLabelProperties = {
    displayName: String(tag["Name"]),
    behaviorDuringRetentionPeriod: behavior,
    actionAfterRetentionPeriod:
      action === "Delete" || action === "KeepAndDelete" ? "delete" : review ? "startDispositionReview" : "none",
    retentionTrigger: trigger,
    retentionDurationDays:
      duration === undefined || duration === null || /^unlimited$/i.test(String(duration))
        ? "unlimited"
        : Number(duration),
    ...(typeof tag["Comment"] === "string" && tag["Comment"] !== "" ? { descriptionForAdmins: tag["Comment"] } : {}),
    ...(typeof tag["Notes"] === "string" && tag["Notes"] !== "" ? { descriptionForUsers: tag["Notes"] } : {}),
  };
  return label;
}
