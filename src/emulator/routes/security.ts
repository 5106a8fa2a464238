/**
 * `/security/labels/retentionLabels` and Secure Score control profiles by id. Retention labels are the
 * same objects S&C calls ComplianceTags (one store, two vocabularies), so a label made either way shows
 * in both. Graph documents the label API as delegated-only: every emulator token is app-only, so the
 * routes answer 403 unless `retentionLabelsAppOnly` is on (for code that must exercise them anyway).
 */
import { randomUUID } from "node:crypto";
import { badRequest, graphError, noContent, notFound, ok, type Json, type Reply } from "../errors";
import { list, route, type RequestContext, type Route } from "../router";

const LABELS = "/security/labels/retentionLabels";
const TRIGGERS: Record<string, string> = {
  dateCreated: "CreationAgeInDays",
  dateModified: "ModificationAgeInDays",
  dateLabeled: "TaggedAgeInDays",
  dateOfEvent: "EventAgeInDays",
};
const BEHAVIORS = ["doNotRetain", "retain", "retainAsRecord", "retainAsRegulatoryRecord"];
const ACTIONS = ["none", "delete", "startDispositionReview"];
/** What Graph's update documentation lists as changeable; everything else is fixed at creation. */
const UPDATABLE = new Set([
  "descriptionForAdmins",
  "descriptionForUsers",
  "dispositionReviewStages",
  "retentionDuration",
  "defaultRecordBehavior",
  "labelToBeApplied",
]);

function tags(ctx: RequestContext): Json[] {
  return ctx.tenant.compliance.ComplianceTag;
}

function published(ctx: RequestContext, name: string): boolean {
  return ctx.tenant.compliance.RetentionComplianceRule.some((r) =>
    ([] as unknown[])
      .concat(r["PublishComplianceTag"] ?? [])
      .some((t) => String(t).split(",")[0]!.toLowerCase() === name.toLowerCase()),
  );
}

/** A ComplianceTag in Graph's `security.retentionLabel` vocabulary. */
function toLabel(ctx: RequestContext, tag: Json): Json {
  const action = String(tag["RetentionAction"] ?? "Keep");
  const keep = action === "Keep" || action === "KeepAndDelete";
  const duration = tag["RetentionDuration"];
  const reviewers = ([] as unknown[]).concat(tag["ReviewerEmail"] ?? []).map(String);
  return {
    "@odata.type": "#microsoft.graph.security.retentionLabel",
    id: tag["Guid"],
    displayName: tag["Name"],
    descriptionForAdmins: tag["Comment"] ?? "",
    descriptionForUsers: tag["Notes"] ?? "",
    isInUse: published(ctx, String(tag["Name"])),
    behaviorDuringRetentionPeriod:
      tag["Regulatory"] === true
        ? "retainAsRegulatoryRecord"
        : tag["IsRecordLabel"] === true
          ? "retainAsRecord"
          : keep
            ? "retain"
            : "doNotRetain",
    actionAfterRetentionPeriod:
      action === "Delete" || action === "KeepAndDelete"
        ? "delete"
        : reviewers.length > 0
          ? "startDispositionReview"
          : "none",
    retentionTrigger: Object.entries(TRIGGERS).find(([, t]) => t === tag["RetentionType"])?.[0] ?? "dateCreated",
    retentionDuration:
      duration === undefined || /^unlimited$/i.test(String(duration))
        ? { "@odata.type": "#microsoft.graph.security.retentionDurationForever" }
        : { "@odata.type": "#microsoft.graph.security.retentionDurationInDays", days: Number(duration) },
    defaultRecordBehavior: tag["DefaultRecordBehavior"] ?? "startUnlocked",
    labelToBeApplied: tag["LabelToBeApplied"] ?? null,
    dispositionReviewStages:
      reviewers.length > 0 ? [{ stageNumber: "1", name: "Review", reviewersEmailAddresses: reviewers }] : [],
    createdDateTime: tag["WhenCreatedUTC"] ?? null,
    lastModifiedDateTime: tag["WhenChangedUTC"] ?? tag["WhenCreatedUTC"] ?? null,
  };
}

/** The ComplianceTag fields for Graph properties (only those present), or the 400 Graph would answer. */
function toTag(body: Json): Json | Reply {
  const out: Json = {};
  if ("displayName" in body) out["Name"] = body["displayName"];
  if ("descriptionForAdmins" in body) out["Comment"] = body["descriptionForAdmins"];
  if ("descriptionForUsers" in body) out["Notes"] = body["descriptionForUsers"];
  if ("defaultRecordBehavior" in body) out["DefaultRecordBehavior"] = body["defaultRecordBehavior"];
  if ("labelToBeApplied" in body) out["LabelToBeApplied"] = body["labelToBeApplied"];
  const duration = body["retentionDuration"] as Json | undefined;
  if (duration !== undefined) {
    const type = String(duration?.["@odata.type"] ?? "");
    if (/retentionDurationForever$/.test(type)) out["RetentionDuration"] = "Unlimited";
    else if (/retentionDurationInDays$/.test(type) && Number.isInteger(duration["days"]) && duration["days"] > 0)
      out["RetentionDuration"] = duration["days"];
    else
      return badRequest(
        "Invalid retentionDuration: use #microsoft.graph.security.retentionDurationInDays with days, or #microsoft.graph.security.retentionDurationForever.",
        "BadRequest",
      );
  }
  if ("dispositionReviewStages" in body)
    out["ReviewerEmail"] = ((body["dispositionReviewStages"] ?? []) as Json[]).flatMap(
      (s) => (s["reviewersEmailAddresses"] ?? []) as string[],
    );
  return out;
}

function create(ctx: RequestContext): Reply {
  const body = ctx.json();
  if (typeof body["displayName"] !== "string" || body["displayName"].trim() === "")
    return badRequest("The displayName property is required.", "BadRequest");
  if (tags(ctx).some((t) => String(t["Name"]).toLowerCase() === body["displayName"].toLowerCase()))
    return graphError(409, "Conflict", `A retention label named '${body["displayName"]}' already exists.`);
  const behavior = body["behaviorDuringRetentionPeriod"] ?? "retain";
  const action = body["actionAfterRetentionPeriod"] ?? "none";
  const trigger = body["retentionTrigger"] ?? "dateCreated";
  if (!BEHAVIORS.includes(behavior) || !ACTIONS.includes(action) || !(trigger in TRIGGERS))
    return badRequest(
      "Invalid value for behaviorDuringRetentionPeriod, actionAfterRetentionPeriod or retentionTrigger.",
      "BadRequest",
    );
  const fields = toTag(body);
  if ("status" in fields) return fields as Reply;
  const keep = behavior !== "doNotRetain";
  const now = new Date(ctx.now).toISOString();
  const tag: Json = {
    Guid: randomUUID(),
    Mode: "Enforce",
    RetentionType: TRIGGERS[trigger],
    RetentionDuration: "Unlimited",
    Comment: "",
    Notes: "",
    RetentionAction: keep && action === "delete" ? "KeepAndDelete" : keep ? "Keep" : "Delete",
    IsRecordLabel: behavior === "retainAsRecord" || behavior === "retainAsRegulatoryRecord",
    Regulatory: behavior === "retainAsRegulatoryRecord",
    WhenCreatedUTC: now,
    WhenChangedUTC: now,
    ...fields,
  };
  tags(ctx).push(tag);
  return ok(
    { "@odata.context": `${ctx.base}/v1.0/$metadata#security/labels/retentionLabels/$entity`, ...toLabel(ctx, tag) },
    201,
  );
}

function find(ctx: RequestContext): Json | undefined {
  return tags(ctx).find((t) => String(t["Guid"]).toLowerCase() === ctx.params[0]!.toLowerCase());
}

function update(ctx: RequestContext): Reply {
  const tag = find(ctx);
  if (!tag) return notFound(ctx.params[0]!);
  const body = ctx.json();
  const fixed = Object.keys(body).find((k) => !UPDATABLE.has(k) && !k.startsWith("@odata"));
  if (fixed)
    return badRequest(`Property '${fixed}' cannot be updated after the retention label is created.`, "BadRequest");
  const fields = toTag(body);
  if ("status" in fields) return fields as Reply;
  Object.assign(tag, fields, { WhenChangedUTC: new Date(ctx.now).toISOString() });
  // The documentation's text says 200 with the updated object (its example shows 204; clients accept both).
  return ok({
    "@odata.context": `${ctx.base}/v1.0/$metadata#security/labels/retentionLabels/$entity`,
    ...toLabel(ctx, tag),
  });
}

function remove(ctx: RequestContext): Reply {
  const tag = find(ctx);
  if (!tag) return notFound(ctx.params[0]!);
  if (published(ctx, String(tag["Name"])))
    return badRequest(
      `The retention label '${String(tag["Name"])}' is in use by a retention label policy and can't be deleted.`,
      "BadRequest",
    );
  tags(ctx).splice(tags(ctx).indexOf(tag), 1);
  return noContent();
}

/** The documented answer for app-only callers unless the behaviour switch allows them. */
function appOnly(handler: (ctx: RequestContext) => Reply): (ctx: RequestContext) => Reply {
  return (ctx) =>
    ctx.behaviour.retentionLabelsAppOnly
      ? handler(ctx)
      : graphError(
          403,
          "Forbidden",
          "Application permissions are not supported for this API. Use delegated permissions (RecordsManagement.ReadWrite.All).",
        );
}

function controlProfile(ctx: RequestContext): Json | undefined {
  return ctx.tenant.collections.secureScoreControlProfiles.find(
    (p) => String(p["id"]).toLowerCase() === ctx.params[0]!.toLowerCase(),
  );
}

export const securityRoutes: Route[] = [
  route(
    "GET",
    LABELS,
    "security.retentionLabels",
    appOnly((ctx) =>
      list(
        ctx,
        tags(ctx).map((t) => toLabel(ctx, t)),
      ),
    ),
  ),
  route("POST", LABELS, "security.retentionLabels", appOnly(create)),
  route(
    "GET",
    `${LABELS}/{}`,
    "security.retentionLabels",
    appOnly((ctx) => {
      const tag = find(ctx);
      return tag
        ? ok({
            "@odata.context": `${ctx.base}/v1.0/$metadata#security/labels/retentionLabels/$entity`,
            ...toLabel(ctx, tag),
          })
        : notFound(ctx.params[0]!);
    }),
  ),
  route("PATCH", `${LABELS}/{}`, "security.retentionLabels", appOnly(update)),
  route("DELETE", `${LABELS}/{}`, "security.retentionLabels", appOnly(remove)),
  route("GET", "/security/secureScoreControlProfiles/{}", "security.secureScoreControlProfiles", (ctx) => {
    const profile = controlProfile(ctx);
    return profile
      ? ok({ "@odata.context": `${ctx.base}/v1.0/$metadata#security/secureScoreControlProfiles/$entity`, ...profile })
      : notFound(ctx.params[0]!);
  }),
  route("PATCH", "/security/secureScoreControlProfiles/{}", "security.secureScoreControlProfiles", (ctx) => {
    const profile = controlProfile(ctx);
    if (!profile) return notFound(ctx.params[0]!);
    const body = ctx.json();
    // vendorInformation is required on this PATCH (Graph docs, securescorecontrolprofile-update).
    if (!body["vendorInformation"]?.["provider"] || !body["vendorInformation"]?.["vendor"])
      return badRequest("vendorInformation with provider and vendor is required.", "BadRequest");
    if (body["state"] !== undefined && !["Default", "Ignored", "ThirdParty", "Reviewed"].includes(body["state"]))
      return badRequest(`Invalid state '${String(body["state"])}'.`, "BadRequest");
    const update = {
      assignedTo: body["assignedTo"] ?? "",
      comment: body["comment"] ?? "",
      state: body["state"] ?? "Default",
      updatedBy: "emulator",
      updatedDateTime: new Date(ctx.now).toISOString(),
    };
    profile["controlStateUpdates"] = [...((profile["controlStateUpdates"] ?? []) as Json[]), update];
    return noContent();
  }),
];
