/**
 * Tenant-wide singletons: security defaults (turning them off may add Microsoft-managed CA policies),
 * the authorization policy and the authentication methods policy with its per-method configurations.
 */
import { badRequest, newId, noContent, notFound, ok, type Json, type Reply } from "../errors";
import { route, type RequestContext, type Route } from "../router";

type Singleton = "securityDefaults" | "authorizationPolicy" | "authenticationMethodsPolicy";

function getSingleton(ctx: RequestContext, name: Singleton, context: string): Reply {
  return ok({
    "@odata.context": `${ctx.base}/v1.0/$metadata#policies/${context}/$entity`,
    ...ctx.tenant.singletons[name],
  });
}

function patchSingleton(ctx: RequestContext, name: Singleton, readOnly: string[]): Reply {
  const body = ctx.json();
  const bad = readOnly.find((k) => k in body);
  if (bad) return badRequest(`Property '${bad}' is read-only and cannot be set.`, "BadRequest");
  // Top-level complex properties are replaced whole, as Graph does.
  Object.assign(ctx.tenant.singletons[name], body);
  return noContent();
}

/** Microsoft-managed policies Entra creates in report-only once security defaults are off. */
function addMicrosoftManaged(ctx: RequestContext): void {
  if (!ctx.behaviour.microsoftManagedPolicies || ctx.tenant.microsoftManagedAdded) return;
  ctx.tenant.microsoftManagedAdded = true;
  const base = {
    state: "enabledForReportingButNotEnforced",
    createdDateTime: new Date(ctx.now).toISOString(),
    conditions: {
      users: { includeUsers: ["All"] },
      applications: { includeApplications: ["All"] },
      clientAppTypes: ["all"],
    },
  };
  ctx.tenant.collections.conditionalAccessPolicies.push(
    {
      ...base,
      id: newId(),
      displayName: "Microsoft-managed: Multifactor authentication for admins accessing Microsoft Admin Portals",
      templateId: "c7503427-338e-4c5e-902d-abe252abfb43",
      conditions: { ...base.conditions, applications: { includeApplications: ["MicrosoftAdminPortals"] } },
      grantControls: { operator: "OR", builtInControls: ["mfa"] },
    },
    {
      ...base,
      id: newId(),
      displayName: "Microsoft-managed: Block device code flow",
      templateId: "8b3b6a3c-0e4e-4a3a-9a1d-2b2b6f0d7c54",
      conditions: { ...base.conditions, authenticationFlows: { transferMethods: "deviceCodeFlow" } },
      grantControls: { operator: "OR", builtInControls: ["block"] },
    },
  );
}

export const policyRoutes: Route[] = [
  route("GET", "/policies/identitySecurityDefaultsEnforcementPolicy", "policies.securityDefaults", (ctx) =>
    getSingleton(ctx, "securityDefaults", "identitySecurityDefaultsEnforcementPolicy"),
  ),
  route("PATCH", "/policies/identitySecurityDefaultsEnforcementPolicy", "policies.securityDefaults", (ctx) => {
    const body = ctx.json();
    if ("isEnabled" in body && typeof body["isEnabled"] !== "boolean")
      return badRequest("isEnabled must be a boolean.", "BadRequest");
    const reply = patchSingleton(ctx, "securityDefaults", ["id", "displayName", "description"]);
    if (body["isEnabled"] === false) addMicrosoftManaged(ctx);
    return reply;
  }),
  route("GET", "/policies/authorizationPolicy", "policies.authorizationPolicy", (ctx) =>
    getSingleton(ctx, "authorizationPolicy", "authorizationPolicy"),
  ),
  route("PATCH", "/policies/authorizationPolicy", "policies.authorizationPolicy", (ctx) =>
    patchSingleton(ctx, "authorizationPolicy", ["id"]),
  ),
  route("GET", "/policies/authenticationMethodsPolicy", "policies.authenticationMethods", (ctx) =>
    getSingleton(ctx, "authenticationMethodsPolicy", "authenticationMethodsPolicy"),
  ),
  route("PATCH", "/policies/authenticationMethodsPolicy", "policies.authenticationMethods", (ctx) =>
    patchSingleton(ctx, "authenticationMethodsPolicy", ["id", "authenticationMethodConfigurations"]),
  ),
  route(
    "GET",
    "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/{}",
    "policies.authenticationMethods",
    (ctx) => {
      const config = methodConfig(ctx);
      const context = `${ctx.base}/v1.0/$metadata#policies/authenticationMethodsPolicy/authenticationMethodConfigurations/$entity`;
      return config ? ok({ "@odata.context": context, ...config }) : notFound(ctx.params[0]!);
    },
  ),
  route(
    "PATCH",
    "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/{}",
    "policies.authenticationMethods",
    (ctx) => {
      const config = methodConfig(ctx);
      if (!config) return notFound(ctx.params[0]!);
      const body = ctx.json();
      // Graph needs the configuration's @odata.type in the PATCH body.
      if (body["@odata.type"] !== config["@odata.type"])
        return badRequest(
          `The @odata.type '${String(body["@odata.type"])}' does not match the authentication method configuration '${String(config["@odata.type"])}'.`,
          "BadRequest",
        );
      if ("state" in body && body["state"] !== "enabled" && body["state"] !== "disabled")
        return badRequest(`Invalid state '${String(body["state"])}'.`, "BadRequest");
      Object.assign(config, body);
      return noContent();
    },
  ),
];

function methodConfig(ctx: RequestContext): Json | undefined {
  return (
    (ctx.tenant.singletons.authenticationMethodsPolicy["authenticationMethodConfigurations"] ?? []) as Json[]
  ).find((c) => String(c["id"]).toLowerCase() === ctx.params[0]!.toLowerCase());
}
