/**
 * The Security & Compliance `InvokeCommand` endpoint for retention: Get/New/Set/Remove of
 * ComplianceTag, RetentionCompliancePolicy and RetentionComplianceRule, with the service's rules
 * (Teams in its own policy, Preservation Lock irreversible, labels in use not removable) and its error
 * shape ("Invalid Operation" with the real text in the inner exception).
 */
import { randomUUID } from "node:crypto";
import type { Json, Reply } from "./errors";
import { bindParameters } from "./cmdlet-parameters";
import { cmdletOutput, type CmdletRequest } from "./compliance-output";
import type { ComplianceNoun, TenantState } from "./store";

const LOCATIONS = [
  "ExchangeLocation",
  "SharePointLocation",
  "OneDriveLocation",
  "ModernGroupLocation",
  "TeamsChannelLocation",
  "TeamsChatLocation",
];
const EXCEPTIONS = {
  notFound: "Microsoft.Exchange.Management.Tasks.ManagementObjectNotFoundException",
  exists: "Microsoft.Exchange.Management.Tasks.ManagementObjectAlreadyExistsException",
  invalid: "Microsoft.Office.CompliancePolicy.Tasks.InvalidParameterException",
  unknown: "System.Management.Automation.CommandNotFoundException",
  binding: "System.Management.Automation.ParameterBindingException",
};

/** The service's failure: 400 "Invalid Operation", real text as `<id>|<ExceptionType>|<message>`. */
export function cmdletError(kind: keyof typeof EXCEPTIONS, message: string): Reply {
  const text = `ex${randomUUID().slice(0, 6).toUpperCase()}|${EXCEPTIONS[kind]}|${message}`;
  return {
    status: 400,
    body: {
      error: {
        code: "BadRequest",
        message: "Invalid Operation",
        details: [{ code: "BadRequest", target: "", message: text }],
        innererror: {
          message: "Invalid Operation",
          type: "Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
          internalexception: { message: text, type: EXCEPTIONS[kind] },
        },
      },
    },
  };
}

const names = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).map(String);
const asLocations = (v: unknown): Json[] =>
  names(v).map((n) => ({ Name: n, DisplayName: n, Type: n === "All" ? "Unknown" : "Individual" }));

/** Runs one cmdlet against a tenant's S&C objects; its output is written as `request` asks (paging, `$select`). */
export function invokeCmdlet(tenant: TenantState, cmdlet: string, parameters: Json, request: CmdletRequest): Reply {
  const m = /^(Get|New|Set|Remove)-(ComplianceTag|RetentionCompliancePolicy|RetentionComplianceRule)$/.exec(cmdlet);
  if (!m) return cmdletError("unknown", `The term '${cmdlet}' is not recognized as a name of a cmdlet.`);
  const binding = bindParameters(cmdlet, parameters);
  if ("error" in binding) return cmdletError("binding", binding.error);
  const p = binding.bound;
  const [, verb, noun] = m as unknown as [string, string, ComplianceNoun];
  const items = tenant.compliance[noun];
  const identity = p["Identity"] === undefined ? undefined : String(p["Identity"]);
  const found =
    identity === undefined
      ? undefined
      : items.find((o) => o["Name"].toLowerCase() === identity.toLowerCase() || o["Guid"] === identity);
  const missing = () =>
    cmdletError(
      "notFound",
      `The operation couldn't be performed because object '${identity}' couldn't be found on '${tenant.primaryDomain}'.`,
    );
  const out = (value: Json[]): Reply => cmdletOutput(tenant, value, request);

  if (verb === "Get") {
    if (identity !== undefined) return found ? out([found]) : missing();
    // Get-RetentionComplianceRule -Policy lists the rules of one policy (by name or GUID).
    const policy = noun === "RetentionComplianceRule" && p["Policy"] !== undefined ? String(p["Policy"]) : undefined;
    if (policy !== undefined)
      return out(
        items.filter((r) => r["Policy"] === policy || r["ParentPolicyName"].toLowerCase() === policy.toLowerCase()),
      );
    return out(items);
  }
  if (verb === "Remove") {
    if (!found) return missing();
    if (noun === "ComplianceTag") {
      const rule = tenant.compliance.RetentionComplianceRule.find((r) =>
        names(r["PublishComplianceTag"]).some((t) => t.toLowerCase() === found["Name"].toLowerCase()),
      );
      if (rule)
        return cmdletError(
          "invalid",
          `The label '${found["Name"]}' can't be removed because it's published by policy '${rule["ParentPolicyName"]}'.`,
        );
    }
    if (noun === "RetentionCompliancePolicy" && found["RestrictiveRetention"] === true)
      return cmdletError("invalid", `Policy '${found["Name"]}' has Preservation Lock enabled and can't be removed.`);
    if (noun === "RetentionCompliancePolicy")
      tenant.compliance.RetentionComplianceRule = tenant.compliance.RetentionComplianceRule.filter(
        (r) => r["ParentPolicyName"] !== found["Name"],
      );
    items.splice(items.indexOf(found), 1);
    return out([]);
  }
  if (verb === "New") {
    const refused = noun === "RetentionComplianceRule" ? ruleParameterSet(p) : undefined;
    if (refused) return refused;
    const name = String(p["Name"] ?? (noun === "RetentionComplianceRule" ? serviceRuleName() : ""));
    if (!name) return cmdletError("invalid", "The Name parameter is required.");
    if (items.some((o) => o["Name"].toLowerCase() === name.toLowerCase()))
      return cmdletError("exists", `The object '${name}' already exists.`);
    const created = NEW[noun](tenant, p);
    if ("status" in created) return created as Reply;
    const object = {
      Guid: randomUUID(),
      Identity: randomUUID(),
      WhenCreatedUTC: new Date().toISOString(),
      ...created,
      Name: name,
    };
    items.push(object);
    return out([object]);
  }
  if (!found) return missing();
  const changed = SET[noun](tenant, found, p);
  if (changed) return changed;
  found["WhenChangedUTC"] = new Date().toISOString();
  return out([found]);
}

// PowerShell's refusal when the parameters given fit none of a cmdlet's parameter sets (AmbiguousParameterSet).
const NO_PARAMETER_SET =
  "Parameter set cannot be resolved using the specified named parameters. One or more parameters issued cannot be used together or an insufficient number of parameters were provided.";

/**
 * New-RetentionComplianceRule's parameter sets (MicrosoftDocs/office-docs-powershell New-RetentionComplianceRule.md):
 * -PublishComplianceTag and -ApplyComplianceTag take no -Name, and neither takes -RetentionDuration.
 */
function ruleParameterSet(p: Json): Reply | undefined {
  const tagSet = ["PublishComplianceTag", "ApplyComplianceTag"].filter((k) => p[k] !== undefined);
  if (tagSet.length > 1 || (tagSet.length === 1 && (p["Name"] !== undefined || p["RetentionDuration"] !== undefined)))
    return cmdletError("binding", NO_PARAMETER_SET);
  return undefined;
}

/**
 * The name the service gives a rule created without -Name: "ctptr-<guid>" (a label-publishing rule exported by
 * Microsoft365DSC, Microsoft365DSC/Microsoft365DSC#2116). Clients find such a rule by its policy.
 */
const serviceRuleName = (): string => `ctptr-${randomUUID()}`;

const NEW: Record<ComplianceNoun, (t: TenantState, p: Json) => Json | Reply> = {
  ComplianceTag: (_t, p) => ({
    RetentionAction: p["RetentionAction"] ?? "Keep",
    RetentionDuration: p["RetentionDuration"] ?? "Unlimited",
    RetentionType: p["RetentionType"] ?? "CreationAgeInDays",
    IsRecordLabel: p["IsRecordLabel"] === true,
    Regulatory: p["Regulatory"] === true,
    Comment: p["Comment"] ?? "",
    Notes: p["Notes"] ?? "",
    Mode: "Enforce",
  }),
  RetentionCompliancePolicy: (_t, p) => {
    const used = LOCATIONS.filter((l) => p[l] !== undefined);
    if (used.length === 0) return cmdletError("invalid", "At least one location must be specified.");
    if (used.some((l) => l.startsWith("Teams")) && used.some((l) => !l.startsWith("Teams")))
      return cmdletError("invalid", "Teams locations can't be combined with other locations in the same policy.");
    return {
      Comment: p["Comment"] ?? "",
      Enabled: p["Enabled"] !== false,
      RestrictiveRetention: p["RestrictiveRetention"] === true,
      DistributionStatus: "Success",
      Mode: "Enforce",
      ...Object.fromEntries(LOCATIONS.map((l) => [l, asLocations(p[l])])),
    };
  },
  RetentionComplianceRule: (t, p) => {
    const policy = t.compliance.RetentionCompliancePolicy.find(
      (x) => x["Name"].toLowerCase() === String(p["Policy"] ?? "").toLowerCase() || x["Guid"] === p["Policy"],
    );
    if (!policy)
      return cmdletError(
        "notFound",
        `The operation couldn't be performed because object '${String(p["Policy"])}' couldn't be found.`,
      );
    // "Only one rule can be added to each retention policy" (New-RetentionComplianceRule.md, Description).
    if (t.compliance.RetentionComplianceRule.some((r) => r["ParentPolicyName"] === policy["Name"]))
      return cmdletError("invalid", `The policy '${policy["Name"]}' already has a rule; only one rule is allowed.`);
    const tags = names(p["PublishComplianceTag"]);
    const unknownTag = tags.find(
      (tag) => !t.compliance.ComplianceTag.some((l) => l["Name"].toLowerCase() === tag.toLowerCase()),
    );
    if (unknownTag)
      return cmdletError(
        "notFound",
        `The operation couldn't be performed because object '${unknownTag}' couldn't be found.`,
      );
    return {
      Policy: policy["Guid"],
      ParentPolicyName: policy["Name"],
      RetentionDuration: p["RetentionDuration"] ?? null,
      RetentionComplianceAction: p["RetentionComplianceAction"] ?? null,
      ExpirationDateOption: p["ExpirationDateOption"] ?? null,
      PublishComplianceTag: tags,
      Mode: "Enforce",
    };
  },
};

const SET: Record<ComplianceNoun, (t: TenantState, o: Json, p: Json) => Reply | undefined> = {
  ComplianceTag: (_t, o, p) => {
    const immutable = ["RetentionAction", "RetentionType", "IsRecordLabel", "Regulatory", "Name"].find((k) => k in p);
    if (immutable)
      return cmdletError("invalid", `The parameter '${immutable}' can't be changed after the label is created.`);
    for (const k of ["RetentionDuration", "Comment", "Notes"]) if (k in p) o[k] = p[k];
    return undefined;
  },
  RetentionCompliancePolicy: (_t, o, p) => {
    if (p["RestrictiveRetention"] === false && o["RestrictiveRetention"] === true)
      return cmdletError("invalid", "Preservation Lock can't be turned off once enabled.");
    for (const k of ["Comment", "Enabled", "RestrictiveRetention"]) if (k in p) o[k] = p[k];
    for (const l of LOCATIONS) {
      const current = names((o[l] as Json[]).map((x) => x["Name"]));
      const next = [
        ...current.filter((n) => !names(p[`Remove${l}`]).includes(n)),
        ...names(p[`Add${l}`]).filter((n) => !current.includes(n)),
      ];
      if (o["RestrictiveRetention"] === true && names(p[`Remove${l}`]).length > 0)
        return cmdletError("invalid", "Locations can't be removed from a policy with Preservation Lock.");
      o[l] = asLocations(next);
    }
    return undefined;
  },
  RetentionComplianceRule: (t, o, p) => {
    const policy = t.compliance.RetentionCompliancePolicy.find((x) => x["Name"] === o["ParentPolicyName"]);
    if (
      policy?.["RestrictiveRetention"] === true &&
      p["RetentionDuration"] !== undefined &&
      Number(p["RetentionDuration"]) < Number(o["RetentionDuration"])
    )
      return cmdletError("invalid", "The retention duration of a policy with Preservation Lock can only be extended.");
    for (const k of ["RetentionDuration", "RetentionComplianceAction", "ExpirationDateOption"]) if (k in p) o[k] = p[k];
    if ("PublishComplianceTag" in p) o["PublishComplianceTag"] = names(p["PublishComplianceTag"]);
    return undefined;
  },
};
