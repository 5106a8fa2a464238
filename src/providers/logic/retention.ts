/**
 * Retention through the Security & Compliance endpoint: labels (`*-ComplianceTag`), policies
 * (`*-RetentionCompliancePolicy`) and rules (`*-RetentionComplianceRule`). Objects are identified by
 * Name; immutable settings replace; a published label and a locked policy are never deleted.
 */
import { complianceTagParameters, labelFromComplianceTag, type RetentionLabelProperties } from "../../core/retention-vocabulary";
import { project } from "../canonical";
import type { CheckFailure, LiveState, LogicContext, Props, ResourceLogic } from "../types";

const LOCATIONS = ["ExchangeLocation", "SharePointLocation", "OneDriveLocation", "ModernGroupLocation", "TeamsChannelLocation", "TeamsChatLocation"];

async function findByName(ctx: LogicContext, cmdlet: string, name: string): Promise<Props | undefined> {
  // Listing and matching by Name behaves the same whether or not the service errors on an unknown -Identity.
  const all = await ctx.connection.compliance.invoke<Props>(cmdlet);
  return all.find((o) => String(o["Name"]).toLowerCase() === name.toLowerCase());
}

/** Location lists come back as strings or as objects with a Name; compare names. */
function locationNames(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : [value];
  const names = list.map((v) => (v && typeof v === "object" ? String((v as Props)["Name"] ?? (v as Props)["DisplayName"]) : String(v))).filter((v) => v !== "");
  return names.length > 0 ? names : undefined;
}

function tagList(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  return (Array.isArray(value) ? value.map(String) : String(value).split(",")).map((s) => s.trim()).filter(Boolean);
}

function duration(value: unknown): number | string | undefined {
  if (value === undefined || value === null) return undefined;
  return /^unlimited$/i.test(String(value)) ? "Unlimited" : Number(value);
}

function named(type: string, replaceKeys: string[], bookkeeping: string[], ops: {
  get: string; newCmd: string; set: string; remove: string;
  check?: (inputs: Props) => CheckFailure[];
  toParams: (inputs: Props) => Props;
  setParams: (olds: Props, news: Props) => Props | undefined;
  fromLive: (live: Props, inputs: Props) => Props;
  beforeDelete?: (ctx: LogicContext, name: string, outputs: Props) => Promise<void>;
}): ResourceLogic {
  const nameOf = (inputs: Props) => String(inputs["Name"] ?? inputs["displayName"]);
  const state = (live: Props, inputs: Props): LiveState => ({ id: String(live["Name"]), props: { ...(project(ops.fromLive(live, inputs), inputs) as Props), ...Object.fromEntries(bookkeeping.map((k) => [k, inputs[k]])) } });
  return {
    type,
    replaceKeys,
    bookkeeping,
    check: (inputs) => ops.check?.(inputs) ?? [],
    async create(ctx, inputs) {
      const existing = await findByName(ctx, ops.get, nameOf(inputs));
      if (existing) {
        const current = state(existing, inputs).props;
        const differing = replaceKeys.filter((k) => JSON.stringify(current[k]) !== JSON.stringify(inputs[k]));
        if (differing.length > 0) throw new Error(`${type} '${nameOf(inputs)}' already exists with different ${differing.join(", ")}, which cannot change in place; rename it in the baseline or remove the existing one after review`);
        const params = ops.setParams(current, inputs);
        if (params) await ctx.connection.compliance.invoke(ops.set, { Identity: nameOf(inputs), ...params });
        return { id: nameOf(inputs), props: inputs, adopted: true };
      }
      await ctx.connection.compliance.invoke(ops.newCmd, ops.toParams(inputs));
      return { id: nameOf(inputs), props: inputs, adopted: false };
    },
    async read(ctx, id, inputs) {
      const live = await findByName(ctx, ops.get, id);
      return live ? state(live, inputs) : undefined;
    },
    async update(ctx, id, olds, news) {
      const params = ops.setParams(olds, news);
      if (params) await ctx.connection.compliance.invoke(ops.set, { Identity: id, ...params });
      return { id, props: news };
    },
    async delete(ctx, id, outputs) {
      if (!(await findByName(ctx, ops.get, id))) return;
      await ops.beforeDelete?.(ctx, id, outputs);
      await ctx.connection.compliance.invoke(ops.remove, { Identity: id });
    },
  };
}

const changed = (olds: Props, news: Props, key: string) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]);

export const retentionLabel = named("RetentionLabel", ["displayName", "behaviorDuringRetentionPeriod", "actionAfterRetentionPeriod", "retentionTrigger"], [], {
  get: "Get-ComplianceTag", newCmd: "New-ComplianceTag", set: "Set-ComplianceTag", remove: "Remove-ComplianceTag",
  toParams: (inputs) => complianceTagParameters(inputs as unknown as RetentionLabelProperties),
  setParams: (olds, news) => {
    const all = complianceTagParameters(news as unknown as RetentionLabelProperties);
    const params: Props = {};
    if (changed(olds, news, "retentionDurationDays")) params["RetentionDuration"] = all["RetentionDuration"];
    if (changed(olds, news, "descriptionForAdmins")) params["Comment"] = all["Comment"] ?? "";
    if (changed(olds, news, "descriptionForUsers")) params["Notes"] = all["Notes"] ?? "";
    return Object.keys(params).length > 0 ? params : undefined;
  },
  fromLive: (live) => labelFromComplianceTag(live) as unknown as Props,
  async beforeDelete(ctx, name) {
    const rules = await ctx.connection.compliance.invoke<Props>("Get-RetentionComplianceRule");
    const users = rules.filter((r) => (tagList(r["PublishComplianceTag"]) ?? []).some((t) => t.split(",")[0]!.toLowerCase() === name.toLowerCase()));
    if (users.length > 0) throw new Error(`retention label '${name}' is published by ${users.map((r) => `policy '${String(r["ParentPolicyName"] ?? r["Policy"])}' (rule '${String(r["Name"])}')`).join(", ")}; it is never deleted while in use — unpublish it first`);
  },
});

export const retentionPolicy = named("RetentionPolicy", ["Name"], ["preservationLockAcknowledged"], {
  get: "Get-RetentionCompliancePolicy", newCmd: "New-RetentionCompliancePolicy", set: "Set-RetentionCompliancePolicy", remove: "Remove-RetentionCompliancePolicy",
  check(inputs) {
    const failures: CheckFailure[] = [];
    const used = LOCATIONS.filter((l) => inputs[l] !== undefined);
    if (used.length === 0) failures.push({ property: "ExchangeLocation", reason: "a retention policy needs at least one location" });
    if (used.some((l) => l.startsWith("Teams")) && used.some((l) => !l.startsWith("Teams"))) failures.push({ property: used.find((l) => l.startsWith("Teams"))!, reason: "Teams locations must be in their own policy (the service refuses mixing them with Exchange/SharePoint)" });
    if (inputs["RestrictiveRetention"] === true && inputs["preservationLockAcknowledged"] !== true) failures.push({ property: "RestrictiveRetention", reason: "Preservation Lock is irreversible; set preservationLockAcknowledged: true to confirm" });
    return failures;
  },
  toParams: (inputs) => Object.fromEntries(Object.entries(inputs).filter(([k]) => k !== "preservationLockAcknowledged")),
  setParams(olds, news) {
    const params: Props = {};
    for (const key of ["Comment", "Enabled"]) if (changed(olds, news, key)) params[key] = news[key] ?? (key === "Comment" ? "" : true);
    for (const location of LOCATIONS) {
      const before = locationNames(olds[location]) ?? [];
      const after = locationNames(news[location]) ?? [];
      const add = after.filter((x) => !before.includes(x));
      const remove = before.filter((x) => !after.includes(x));
      if (add.length > 0) params[`Add${location}`] = add;
      if (remove.length > 0) params[`Remove${location}`] = remove;
    }
    if (news["RestrictiveRetention"] === true && olds["RestrictiveRetention"] !== true) params["RestrictiveRetention"] = true;
    return Object.keys(params).length > 0 ? params : undefined;
  },
  fromLive: (live) => ({
    Name: live["Name"],
    Comment: live["Comment"] || undefined,
    Enabled: live["Enabled"] === undefined ? undefined : live["Enabled"] === true || String(live["Enabled"]).toLowerCase() === "true",
    ...Object.fromEntries(LOCATIONS.map((l) => [l, locationNames(live[l])])),
    RestrictiveRetention: live["RestrictiveRetention"] === true ? true : undefined,
  }),
  async beforeDelete(_ctx, name, outputs) {
    if (outputs["RestrictiveRetention"] === true) throw new Error(`retention policy '${name}' has Preservation Lock: it cannot be deleted; remove it from the baseline with retainOnDelete or keep it`);
  },
});

export const retentionRule = named("RetentionRule", ["Name", "Policy"], [], {
  get: "Get-RetentionComplianceRule", newCmd: "New-RetentionComplianceRule", set: "Set-RetentionComplianceRule", remove: "Remove-RetentionComplianceRule",
  toParams: (inputs) => inputs,
  setParams(olds, news) {
    const params: Props = {};
    for (const key of ["RetentionDuration", "RetentionComplianceAction", "ExpirationDateOption", "PublishComplianceTag"]) if (changed(olds, news, key) && news[key] !== undefined) params[key] = news[key];
    return Object.keys(params).length > 0 ? params : undefined;
  },
  fromLive: (live) => ({
    Name: live["Name"],
    Policy: live["ParentPolicyName"] ?? live["PolicyName"] ?? live["Policy"],
    RetentionDuration: duration(live["RetentionDuration"]),
    RetentionComplianceAction: live["RetentionComplianceAction"] || undefined,
    ExpirationDateOption: live["ExpirationDateOption"] || undefined,
    PublishComplianceTag: tagList(live["PublishComplianceTag"])?.map((t) => t.split(",")[0]!),
  }),
});
