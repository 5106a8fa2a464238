/** The readable plan: one row per desired object (control, object, stage, key settings) and one per control that produces none. */
import type { CompiledTenant, DesiredResource } from "../core/desired";
import { table } from "../report/table";

type Json = Record<string, any>;

/** Key settings of an object in a few words, in Graph's vocabulary. */
export function keySettings(r: DesiredResource): string {
  const p = r.properties as Json;
  const list = (v: unknown) => (Array.isArray(v) ? v.join(",") : String(v ?? ""));
  switch (r.type) {
    case "conditionalAccessPolicy": {
      const u = p["conditions"]?.["users"] ?? {};
      const who = u["includeUsers"] ? `users ${list(u["includeUsers"])}` : u["includeRoles"] ? `${u["includeRoles"].length} admin roles` : "guests";
      const grant = p["grantControls"]?.["authenticationStrength"] ? `strength ${p["grantControls"]["authenticationStrength"]["id"].slice(-4)}` : p["grantControls"] ? list(p["grantControls"]["builtInControls"]) : "session";
      const excluded = (u["excludeUsers"]?.length ?? 0) + (u["excludeGroups"]?.length ?? 0);
      return `${p["state"]}; ${who}; grant ${grant}; ${excluded} break-glass exclusions`;
    }
    case "namedLocation": return p["ipRanges"] ? `ip ${p["ipRanges"].map((x: Json) => x["cidrAddress"]).join(",")}${p["isTrusted"] ? " (trusted)" : ""}` : `countries ${list(p["countriesAndRegions"])}`;
    case "group": return `security group; ${(p["members"] ?? []).length} members`;
    case "organizationalBranding": case "brandingLocalization": return `texts ${Object.keys(p).filter((k) => /Text$/.test(k)).length}; images ${Object.keys(p["assets"] ?? {}).join(",") || "none"}`;
    case "retentionLabel": return `${p["behaviorDuringRetentionPeriod"]} ${p["retentionDurationDays"]} days from ${p["retentionTrigger"]}; then ${p["actionAfterRetentionPeriod"]}`;
    case "retentionCompliancePolicy": return `locations ${Object.keys(p).filter((k) => k.endsWith("Location")).map((k) => k.replace("Location", "")).join(",")}${p["RestrictiveRetention"] ? "; PRESERVATION LOCK" : ""}`;
    case "retentionComplianceRule": return p["PublishComplianceTag"] ? `publishes ${list(p["PublishComplianceTag"])}` : `${p["RetentionComplianceAction"]} ${p["RetentionDuration"]} days`;
    case "application": return `${p["preset"]}; ${(p["requiredResourceAccess"] as Json[]).reduce((n, a) => n + a["roles"].length, 0)} application permissions; certificate ${p["certificateFile"]}`;
    case "identitySecurityDefaultsEnforcementPolicy": return `security defaults ${p["isEnabled"] ? "on" : "off"}`;
    case "authorizationPolicy": return `users create apps: ${String(p["defaultUserRolePermissions"]?.["allowedToCreateApps"])}; consent: ${list(p["defaultUserRolePermissions"]?.["permissionGrantPoliciesAssigned"]) || "none"}`;
    case "authenticationMethodsPolicy": return (p["authenticationMethodConfigurations"] as Json[]).map((c) => `${c["id"]} ${c["state"]}`).join(", ");
  }
}

/** The plan as text. */
export function renderPlanTable(compiled: CompiledTenant): string {
  const rows: string[][] = [];
  for (const o of compiled.outcomes) {
    const own = compiled.resources.filter((r) => r.controlId === o.controlId);
    const note = o.status === "applied" ? "" : `${o.status}${o.reason ? `: ${o.reason}` : ""}${o.expires ? ` (until ${o.expires})` : ""}`;
    if (own.length === 0) rows.push([o.controlId, "—", o.stage, note || "nothing to apply in this tenant"]);
    for (const r of own) rows.push([o.controlId, `${r.type} "${r.naturalKey}"`, r.stage, [keySettings(r), note].filter(Boolean).join("; ")]);
  }
  for (const r of compiled.resources.filter((x) => !compiled.outcomes.some((o) => o.controlId === x.controlId))) rows.push([r.controlId, `${r.type} "${r.naturalKey}"`, r.stage, keySettings(r)]);
  return `${compiled.displayName} (${compiled.stack}, ${compiled.tenantId}) — baseline ${compiled.baseline}, ${compiled.resources.length} objects\n\n${table(["Control", "Object", "Stage", "Key settings"], rows)}\n\nFull desired state in Graph's vocabulary: --json\n`;
}
