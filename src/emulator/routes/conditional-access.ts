/**
 * Conditional access: policies (soft delete into deletedItems), named locations, built-in authentication
 * strengths. Writes are validated like Entra: security defaults block enabled policies (400), risk
 * conditions need P2 (1039), unknown named locations fail (1040), PATCH replaces complex properties.
 */
import { failsSchema, SCHEMA_MESSAGE } from "../ca-schema";
import { badRequest, graphError, type Json, type Reply } from "../errors";
import { NULL_DEFAULTS } from "../seed";
import { create, deleteOne, getOne, list, patchOne, route, type RequestContext, type Route } from "../router";

const POLICIES = "/identity/conditionalAccess/policies";
const LOCATIONS = "/identity/conditionalAccess/namedLocations";

/** True when the tenant has a subscribed SKU with the AAD_PREMIUM_P2 service plan. */
export function hasP2(ctx: RequestContext): boolean {
  return ctx.tenant.collections.subscribedSkus.some((s) =>
    ((s["servicePlans"] ?? []) as Json[]).some((p) => p["servicePlanName"] === "AAD_PREMIUM_P2"),
  );
}

function validatePolicy(ctx: RequestContext, p: Json): Reply | undefined {
  if (typeof p["displayName"] !== "string" || !p["displayName"])
    return badRequest("displayName is required.", "BadRequest");
  if (!["enabled", "disabled", "enabledForReportingButNotEnforced"].includes(p["state"]))
    return badRequest(`Invalid value for state: '${String(p["state"])}'.`, "BadRequest");
  if (failsSchema(p)) return badRequest(SCHEMA_MESSAGE, "BadRequest");
  const c = (p["conditions"] ?? {}) as Json;
  if (!c["users"] || !c["applications"])
    return badRequest("Conditions must include users and applications.", "BadRequest");
  if (!p["grantControls"] && !p["sessionControls"])
    return badRequest("Policy must have grant controls or session controls.", "BadRequest");
  if (p["state"] === "enabled" && ctx.tenant.singletons.securityDefaults["isEnabled"] === true) {
    return badRequest(
      "Security Defaults is enabled in the tenant. You need to disable Security Defaults before enabling a Conditional Access policy.",
      "BadRequest",
    );
  }
  const risk = ["signInRiskLevels", "userRiskLevels", "servicePrincipalRiskLevels"].some(
    (k) => Array.isArray(c[k]) && (c[k] as unknown[]).length > 0,
  );
  if (risk && !hasP2(ctx))
    return badRequest(
      "1039: The tenant does not have the premium P2 license required for risk-based policies (signInRiskLevels/userRiskLevels are premium P2 features).",
      "BadRequest",
    );
  const locations = (c["locations"] ?? {}) as Json;
  const ids = [
    ...((locations["includeLocations"] ?? []) as string[]),
    ...((locations["excludeLocations"] ?? []) as string[]),
  ];
  const unknown = ids.filter(
    (id) => id !== "All" && id !== "AllTrusted" && !ctx.tenant.collections.namedLocations.some((l) => l["id"] === id),
  );
  if (unknown.length > 0)
    return badRequest(
      `1040: Invalid location ids in the policy: ${unknown.join(", ")}. Named locations must exist before they are used.`,
      "BadRequest",
    );
  return undefined;
}

function validateLocation(p: Json): Reply | undefined {
  const type = p["@odata.type"];
  if (type !== "#microsoft.graph.ipNamedLocation" && type !== "#microsoft.graph.countryNamedLocation")
    return badRequest(
      "@odata.type must be #microsoft.graph.ipNamedLocation or #microsoft.graph.countryNamedLocation.",
      "BadRequest",
    );
  if (!p["displayName"]) return badRequest("displayName is required.", "BadRequest");
  if (type === "#microsoft.graph.ipNamedLocation" && !(Array.isArray(p["ipRanges"]) && p["ipRanges"].length > 0))
    return badRequest("ipRanges must not be empty.", "BadRequest");
  // ipRange is abstract and cidrAddress non-nullable on both derived types (v1.0 schema: iPv4CidrRange,
  // iPv6CidrRange), so a range without its type or address is refused.
  const ranges = type === "#microsoft.graph.ipNamedLocation" ? (p["ipRanges"] as Json[]) : [];
  const RANGE_TYPES = ["#microsoft.graph.iPv4CidrRange", "#microsoft.graph.iPv6CidrRange"];
  const bad = ranges.findIndex(
    (r) => !r || !RANGE_TYPES.includes(String(r["@odata.type"])) || typeof r["cidrAddress"] !== "string",
  );
  if (bad >= 0)
    return badRequest(
      `ipRanges[${bad}] must be an #microsoft.graph.iPv4CidrRange or iPv6CidrRange with a cidrAddress.`,
      "BadRequest",
    );
  return undefined;
}

export const conditionalAccessRoutes: Route[] = [
  route("GET", POLICIES, "conditionalAccess.policies", (ctx) =>
    list(ctx, ctx.tenant.collections.conditionalAccessPolicies),
  ),
  route("POST", POLICIES, "conditionalAccess.policies", (ctx) => {
    const body = ctx.json();
    const problem = validatePolicy(ctx, body);
    const defaults = NULL_DEFAULTS["conditionalAccessPolicies"];
    return problem ?? create(ctx, "conditionalAccessPolicies", { ...defaults, ...body, templateId: null });
  }),
  route("GET", `${POLICIES}/{}`, "conditionalAccess.policies", (ctx) =>
    getOne(ctx, "conditionalAccessPolicies", ctx.params[0]!),
  ),
  route("PATCH", `${POLICIES}/{}`, "conditionalAccess.policies", (ctx) =>
    patchOne(ctx, "conditionalAccessPolicies", ctx.params[0]!, (merged) => validatePolicy(ctx, merged)),
  ),
  route("DELETE", `${POLICIES}/{}`, "conditionalAccess.policies", (ctx) =>
    deleteOne(ctx, "conditionalAccessPolicies", ctx.params[0]!, (item) => {
      // Deleted policies stay restorable for 30 days (soft delete).
      ctx.tenant.collections.deletedConditionalAccessPolicies.push({
        ...item,
        deletedDateTime: new Date(ctx.now).toISOString(),
      });
    }),
  ),
  route("GET", "/identity/conditionalAccess/deletedItems/policies", "conditionalAccess.deletedItems", (ctx) =>
    list(ctx, ctx.tenant.collections.deletedConditionalAccessPolicies),
  ),
  route("GET", LOCATIONS, "conditionalAccess.namedLocations", (ctx) =>
    list(ctx, ctx.tenant.collections.namedLocations),
  ),
  route(
    "POST",
    LOCATIONS,
    "conditionalAccess.namedLocations",
    (ctx) =>
      validateLocation(ctx.json()) ??
      create(ctx, "namedLocations", { ...NULL_DEFAULTS["namedLocations"], ...ctx.json() }),
  ),
  route("GET", `${LOCATIONS}/{}`, "conditionalAccess.namedLocations", (ctx) =>
    getOne(ctx, "namedLocations", ctx.params[0]!),
  ),
  route("PATCH", `${LOCATIONS}/{}`, "conditionalAccess.namedLocations", (ctx) =>
    patchOne(ctx, "namedLocations", ctx.params[0]!, validateLocation),
  ),
  route("DELETE", `${LOCATIONS}/{}`, "conditionalAccess.namedLocations", (ctx) => {
    const id = ctx.params[0]!;
    const user = ctx.tenant.collections.conditionalAccessPolicies.find((p) =>
      JSON.stringify(p["conditions"]?.["locations"] ?? {}).includes(id),
    );
    if (user)
      return graphError(
        400,
        "BadRequest",
        `The named location is referenced by conditional access policy '${String(user["displayName"])}' and cannot be deleted.`,
      );
    return deleteOne(ctx, "namedLocations", id);
  }),
  route(
    "GET",
    "/identity/conditionalAccess/authenticationStrength/policies",
    "conditionalAccess.authenticationStrength",
    (ctx) => list(ctx, ctx.tenant.collections.authenticationStrengthPolicies),
  ),
  route(
    "GET",
    "/identity/conditionalAccess/authenticationStrength/policies/{}",
    "conditionalAccess.authenticationStrength",
    (ctx) => getOne(ctx, "authenticationStrengthPolicies", ctx.params[0]!),
  ),
  // v1.0's own path for the same objects (the one above is the beta path many scripts use).
  route("GET", "/policies/authenticationStrengthPolicies", "policies.authenticationStrengthPolicies", (ctx) =>
    list(ctx, ctx.tenant.collections.authenticationStrengthPolicies),
  ),
  route("GET", "/policies/authenticationStrengthPolicies/{}", "policies.authenticationStrengthPolicies", (ctx) =>
    getOne(ctx, "authenticationStrengthPolicies", ctx.params[0]!),
  ),
];
