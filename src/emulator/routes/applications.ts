/**
 * Applications (key credentials from base64 DER certificates), service principals with `(appId='…')`
 * addressing and NoBackingApplicationObject while a new app replicates, app-role assignments (admin
 * consent) and directory role assignments.
 */
import { X509Certificate, randomBytes } from "node:crypto";
import { badRequest, newId, type Json, type Reply } from "../errors";
import { create, deleteOne, find, getOne, isFresh, list, patchOne, route, type RequestContext, type Route } from "../router";

function keyCredentials(input: unknown): Json[] | Reply {
  if (input === undefined) return [];
  if (!Array.isArray(input)) return badRequest("keyCredentials must be a collection.");
  const out: Json[] = [];
  for (const k of input as Json[]) {
    try {
      const cert = new X509Certificate(Buffer.from(String(k["key"] ?? ""), "base64"));
      out.push({ customKeyIdentifier: cert.fingerprint.replace(/:/g, ""), displayName: k["displayName"] ?? `CN=${cert.subject.split("CN=")[1] ?? "certificate"}`, endDateTime: new Date(cert.validTo).toISOString(), startDateTime: new Date(cert.validFrom).toISOString(), keyId: k["keyId"] ?? newId(), type: k["type"] ?? "AsymmetricX509Cert", usage: k["usage"] ?? "Verify", key: k["key"] });
    } catch {
      return badRequest("Invalid certificate: the key value of a keyCredential must be a base64-encoded X.509 certificate.", "KeyCredentialsInvalidEndDate");
    }
  }
  return out;
}

function appByAppId(ctx: RequestContext, appId: string): Json | undefined {
  return ctx.tenant.collections.applications.find((a) => a["appId"] === appId);
}

function spId(ctx: RequestContext, idOrAppId: string, byAppId: boolean): Json | undefined {
  return byAppId ? ctx.tenant.collections.servicePrincipals.find((s) => s["appId"] === idOrAppId) : find(ctx, "servicePrincipals", idOrAppId);
}

function assign(ctx: RequestContext, resourceId: string | undefined, principalId: string | undefined): Reply {
  const body = ctx.json();
  const resource = find(ctx, "servicePrincipals", resourceId ?? String(body["resourceId"] ?? ""));
  const principal = find(ctx, "servicePrincipals", principalId ?? String(body["principalId"] ?? ""));
  if (!resource || !principal) return badRequest("Referenced principal or resource does not exist or is not yet available.", "Request_BadRequest");
  const role = ((resource["appRoles"] ?? []) as Json[]).find((r) => r["id"] === body["appRoleId"]);
  if (!role) return badRequest("Permission being assigned was not found on application.");
  const existing = ctx.tenant.collections.appRoleAssignments.find((a) => a["resourceId"] === resource["id"] && a["principalId"] === principal["id"] && a["appRoleId"] === role["id"]);
  if (existing) return badRequest("Permission being assigned already exists on the object.");
  return create(ctx, "appRoleAssignments", appRoleAssignment(principal, resource, role));
}

/** An appRoleAssignment as Graph returns it: `principal` holds `role` of `resource` (service principals). */
export function appRoleAssignment(principal: Json, resource: Json, role: Json): Json {
  return { id: randomBytes(24).toString("base64url"), appRoleId: role["id"], principalId: principal["id"], principalType: "ServicePrincipal", principalDisplayName: principal["displayName"], resourceId: resource["id"], resourceDisplayName: resource["displayName"], deletedDateTime: null };
}

const assignmentsOf = (ctx: RequestContext, key: "resourceId" | "principalId", sp: Json | undefined): Reply =>
  sp ? list(ctx, ctx.tenant.collections.appRoleAssignments.filter((a) => a[key] === sp["id"])) : badRequest("Resource not found.", "Request_ResourceNotFound");

export const applicationRoutes: Route[] = [
  route("GET", "/applications", "applications", (ctx) => list(ctx, ctx.tenant.collections.applications)),
  route("POST", "/applications", "applications", (ctx) => {
    const body = ctx.json();
    if (!body["displayName"]) return badRequest("displayName is required.");
    const keys = keyCredentials(body["keyCredentials"]);
    if (!Array.isArray(keys)) return keys;
    return create(ctx, "applications", { ...body, appId: newId(), keyCredentials: keys, passwordCredentials: [], signInAudience: body["signInAudience"] ?? "AzureADMyOrg", requiredResourceAccess: body["requiredResourceAccess"] ?? [] });
  }),
  ...(["{}", "(appId='{}')"] as const).flatMap((form) => {
    const byAppId = form !== "{}";
    const resolve = (ctx: RequestContext) => (byAppId ? appByAppId(ctx, ctx.params[0]!)?.["id"] : ctx.params[0]) as string | undefined;
    return [
      route("GET", `/applications${byAppId ? "" : "/"}${form}`, "applications", (ctx) => getOne(ctx, "applications", resolve(ctx) ?? ctx.params[0]!)),
      route("PATCH", `/applications${byAppId ? "" : "/"}${form}`, "applications", (ctx) => {
        const body = ctx.json();
        if ("keyCredentials" in body) {
          const keys = keyCredentials(body["keyCredentials"]);
          if (!Array.isArray(keys)) return keys;
          body["keyCredentials"] = keys;
        }
        if ("passwordCredentials" in body) return badRequest("passwordCredentials cannot be set with PATCH; use addPassword.");
        return patchOne({ ...ctx, json: () => body }, "applications", resolve(ctx) ?? ctx.params[0]!);
      }),
      route("DELETE", `/applications${byAppId ? "" : "/"}${form}`, "applications", (ctx) => deleteOne(ctx, "applications", resolve(ctx) ?? ctx.params[0]!)),
    ];
  }),
  route("GET", "/servicePrincipals", "servicePrincipals", (ctx) => list(ctx, ctx.tenant.collections.servicePrincipals)),
  route("POST", "/servicePrincipals", "servicePrincipals", (ctx) => {
    const appId = String(ctx.json()["appId"] ?? "");
    const app = appByAppId(ctx, appId);
    if (!app || isFresh(ctx, String(app["id"]), "appIdBacking")) {
      return badRequest(`The appId '${appId}' of the service principal does not reference a valid application object.`, "Request_BadRequest", { details: [{ code: "NoBackingApplicationObject", target: "appId" }] });
    }
    if (ctx.tenant.collections.servicePrincipals.some((s) => s["appId"] === appId)) return badRequest("The service principal cannot be created, updated, or restored because the service principal name is already in use.", "Request_MultipleObjectsWithSameKeyValue");
    return create(ctx, "servicePrincipals", { ...ctx.json(), appId, displayName: app["displayName"], servicePrincipalType: "Application", appRoles: [], appOwnerOrganizationId: ctx.tenant.tenantId });
  }),
  ...(["{}", "(appId='{}')"] as const).flatMap((form) => {
    const byAppId = form !== "{}";
    const path = `/servicePrincipals${byAppId ? "" : "/"}${form}`;
    return [
      route("GET", path, "servicePrincipals", (ctx) => {
        const sp = spId(ctx, ctx.params[0]!, byAppId);
        return sp ? getOne(ctx, "servicePrincipals", String(sp["id"])) : getOne(ctx, "servicePrincipals", ctx.params[0]!);
      }),
      route("DELETE", path, "servicePrincipals", (ctx) => deleteOne(ctx, "servicePrincipals", String(spId(ctx, ctx.params[0]!, byAppId)?.["id"] ?? ctx.params[0]))),
      route("GET", `${path}/appRoleAssignedTo`, "servicePrincipals.appRoleAssignedTo", (ctx) => assignmentsOf(ctx, "resourceId", spId(ctx, ctx.params[0]!, byAppId))),
      route("POST", `${path}/appRoleAssignedTo`, "servicePrincipals.appRoleAssignedTo", (ctx) => assign(ctx, String(spId(ctx, ctx.params[0]!, byAppId)?.["id"] ?? ""), undefined)),
      route("DELETE", `${path}/appRoleAssignedTo/{}`, "servicePrincipals.appRoleAssignedTo", (ctx) => deleteOne(ctx, "appRoleAssignments", ctx.params[1]!)),
      route("GET", `${path}/appRoleAssignments`, "servicePrincipals.appRoleAssignments", (ctx) => assignmentsOf(ctx, "principalId", spId(ctx, ctx.params[0]!, byAppId))),
      route("POST", `${path}/appRoleAssignments`, "servicePrincipals.appRoleAssignments", (ctx) => assign(ctx, undefined, String(spId(ctx, ctx.params[0]!, byAppId)?.["id"] ?? ""))),
      route("DELETE", `${path}/appRoleAssignments/{}`, "servicePrincipals.appRoleAssignments", (ctx) => deleteOne(ctx, "appRoleAssignments", ctx.params[1]!)),
    ];
  }),
  route("GET", "/roleManagement/directory/roleAssignments", "roleManagement.roleAssignments", (ctx) => list(ctx, ctx.tenant.collections.roleAssignments)),
  route("POST", "/roleManagement/directory/roleAssignments", "roleManagement.roleAssignments", (ctx) => {
    const body = ctx.json();
    if (!body["principalId"] || !body["roleDefinitionId"]) return badRequest("principalId and roleDefinitionId are required.");
    const dup = ctx.tenant.collections.roleAssignments.some((r) => r["principalId"] === body["principalId"] && r["roleDefinitionId"] === body["roleDefinitionId"] && (r["directoryScopeId"] ?? "/") === (body["directoryScopeId"] ?? "/"));
    if (dup) return badRequest("A conflicting object with one or more of the specified property values is present in the directory.", "Request_BadRequest");
    return create(ctx, "roleAssignments", { directoryScopeId: "/", ...body });
  }),
  route("GET", "/roleManagement/directory/roleAssignments/{}", "roleManagement.roleAssignments", (ctx) => getOne(ctx, "roleAssignments", ctx.params[0]!)),
  route("DELETE", "/roleManagement/directory/roleAssignments/{}", "roleManagement.roleAssignments", (ctx) => deleteOne(ctx, "roleAssignments", ctx.params[0]!)),
];
