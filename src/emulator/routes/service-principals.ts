/**
 * Service principals with `(appId='…')` addressing and NoBackingApplicationObject while a new app replicates,
 * their owners and description updates, and app-role assignments (admin consent) seen from both sides.
 */
import { randomBytes } from "node:crypto";
import { badRequest, noContent, notFound, type Json, type Reply } from "../errors";
import { alsoBeta, create, find, getOne, isFresh, list, patchOne, route } from "../router";
import type { RequestContext, Route } from "../router";
import { forgetLinks, ownersOf, takeBindings } from "./directory-objects";

const appByAppId = (ctx: RequestContext, appId: string): Json | undefined =>
  ctx.tenant.collections.applications.find((a) => a["appId"] === appId);

function spId(ctx: RequestContext, idOrAppId: string, byAppId: boolean): Json | undefined {
  if (!byAppId) return find(ctx, "servicePrincipals", idOrAppId);
  return ctx.tenant.collections.servicePrincipals.find((s) => s["appId"] === idOrAppId);
}

/**
 * The default app role: "If the resource application hasn't declared any app roles, a default app role ID of
 * 00000000-0000-0000-0000-000000000000 can be specified to signal that the principal is assigned to the resource app
 * without any specific app roles" (learn.microsoft.com/graph/api/resources/approleassignment, appRoleId).
 */
const DEFAULT_APP_ROLE = "00000000-0000-0000-0000-000000000000";

/**
 * The principal of an assignment made on the resource's side: "the client service principal, user or group"
 * (learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto, request body), with its principalType
 * ("User, Group, or ServicePrincipal", …/resources/approleassignment).
 */
function principalOf(ctx: RequestContext, id: string): { principal: Json; type: PrincipalType } | undefined {
  const sp = find(ctx, "servicePrincipals", id);
  if (sp) return { principal: sp, type: "ServicePrincipal" };
  const user = find(ctx, "users", id);
  if (user) return { principal: user, type: "User" };
  const group = find(ctx, "groups", id);
  return group ? { principal: group, type: "Group" } : undefined;
}

function assign(ctx: RequestContext, resourceId: string | undefined, principalId: string | undefined): Reply {
  const body = ctx.json();
  const resource = find(ctx, "servicePrincipals", resourceId ?? String(body["resourceId"] ?? ""));
  // From the principal's side (…/appRoleAssignments) the principal is the addressed service principal.
  const self = principalId === undefined ? undefined : find(ctx, "servicePrincipals", principalId);
  const found =
    principalId === undefined
      ? principalOf(ctx, String(body["principalId"] ?? ""))
      : self && { principal: self, type: "ServicePrincipal" as const };
  if (!resource || !found) {
    return badRequest("Referenced principal or resource does not exist or is not yet available.", "Request_BadRequest");
  }
  const { principal, type } = found;
  const roles = (resource["appRoles"] ?? []) as Json[];
  const role =
    roles.find((r) => r["id"] === body["appRoleId"]) ??
    (body["appRoleId"] === DEFAULT_APP_ROLE ? { id: DEFAULT_APP_ROLE } : undefined);
  if (!role) return badRequest("Permission being assigned was not found on application.");
  const existing = ctx.tenant.collections.appRoleAssignments.find(
    (a) => a["resourceId"] === resource["id"] && a["principalId"] === principal["id"] && a["appRoleId"] === role["id"],
  );
  if (existing) return badRequest("Permission being assigned already exists on the object.");
  return create(ctx, "appRoleAssignments", appRoleAssignment(principal, resource, role, type));
}

type PrincipalType = "ServicePrincipal" | "User" | "Group";

/** An appRoleAssignment as Graph returns it: `principal` (a service principal by default) has `role` of `resource`. */
export function appRoleAssignment(
  principal: Json,
  resource: Json,
  role: Json,
  principalType: PrincipalType = "ServicePrincipal",
): Json {
  return {
    id: randomBytes(24).toString("base64url"),
    appRoleId: role["id"],
    principalId: principal["id"],
    principalType,
    principalDisplayName: principal["displayName"],
    resourceId: resource["id"],
    resourceDisplayName: resource["displayName"],
    deletedDateTime: null,
  };
}

type Side = "resourceId" | "principalId";

const assignmentsOf = (ctx: RequestContext, key: Side, sp: Json | undefined): Reply =>
  sp
    ? list(
        ctx,
        ctx.tenant.collections.appRoleAssignments.filter((a) => a[key] === sp["id"]),
      )
    : badRequest("Resource not found.", "Request_ResourceNotFound");

/**
 * One assignment by id under the service principal it is addressed from (`appRoleAssignedTo` from the
 * resource, `appRoleAssignments` from the principal); 404 for another's (serviceprincipal-list-approleassignedto).
 */
function assignmentOf(ctx: RequestContext, key: Side, sp: Json | undefined, id: string): Reply {
  const found = ctx.tenant.collections.appRoleAssignments.find((a) => a["id"] === id && sp && a[key] === sp["id"]);
  return found ? getOne(ctx, "appRoleAssignments", id) : notFound(id);
}

/** Removes one assignment addressed from `sp`: 204, or 404 when `sp` is not on that side of it. */
function removeAssignment(ctx: RequestContext, key: Side, sp: Json | undefined, id: string): Reply {
  const items = ctx.tenant.collections.appRoleAssignments;
  const index = items.findIndex((a) => a["id"] === id && sp && a[key] === sp["id"]);
  if (index < 0) return notFound(id);
  items.splice(index, 1);
  return noContent();
}

/**
 * What Graph fills in on create, from the backing application
 * (learn.microsoft.com/graph/api/resources/serviceprincipal: appRoles and oauth2PermissionScopes mirror the
 * application's, servicePrincipalNames holds the appId and identifierUris;
 * serviceprincipal-post-serviceprincipals response example for the rest).
 */
function principalFor(ctx: RequestContext, app: Json, body: Json): Json {
  return {
    accountEnabled: true,
    addIns: [],
    alternativeNames: [],
    appDescription: null,
    appDisplayName: app["displayName"],
    appOwnerOrganizationId: ctx.tenant.tenantId,
    appRoleAssignmentRequired: false,
    applicationTemplateId: null,
    description: null,
    disabledByMicrosoftStatus: null,
    homepage: null,
    loginUrl: null,
    logoutUrl: null,
    notes: null,
    notificationEmailAddresses: [],
    preferredSingleSignOnMode: null,
    preferredTokenSigningKeyThumbprint: null,
    replyUrls: [],
    samlSingleSignOnSettings: null,
    servicePrincipalType: "Application",
    tags: [],
    keyCredentials: [],
    passwordCredentials: [],
    info: app["info"] ?? null,
    signInAudience: app["signInAudience"] ?? "AzureADMyOrg",
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
    ...body,
    appId: app["appId"],
    displayName: app["displayName"],
    appRoles: ((app["appRoles"] ?? []) as Json[]).map((r) => ({ origin: "Application", ...r })),
    oauth2PermissionScopes: (((app["api"] ?? {}) as Json)["oauth2PermissionScopes"] ?? []) as Json[],
    servicePrincipalNames: [app["appId"], ...((app["identifierUris"] ?? []) as string[])],
  };
}

function createServicePrincipal(ctx: RequestContext): Reply {
  const body = { ...ctx.json() };
  const appId = String(body["appId"] ?? "");
  const app = appByAppId(ctx, appId);
  if (!app || isFresh(ctx, String(app["id"]), "appIdBacking")) {
    const message = `The appId '${appId}' of the service principal does not reference a valid application object.`;
    const details = [{ code: "NoBackingApplicationObject", target: "appId" }];
    return badRequest(message, "Request_BadRequest", { details });
  }
  if (ctx.tenant.collections.servicePrincipals.some((s) => s["appId"] === appId)) {
    const message =
      "The service principal cannot be created, updated, or restored because the service principal name" +
      " is already in use.";
    return badRequest(message, "Request_MultipleObjectsWithSameKeyValue");
  }
  const owners = takeBindings(ctx, body, "owners");
  if (!Array.isArray(owners)) return owners;
  const reply = create(ctx, "servicePrincipals", principalFor(ctx, app, body));
  ownersOf(ctx.tenant, String((reply.body as Json)["id"])).push(...owners);
  return reply;
}

/** Removes a service principal with what goes with it: app-role assignments both ways, directory roles, links. */
export function deleteServicePrincipal(ctx: RequestContext, id: string): Reply {
  const { servicePrincipals, appRoleAssignments, roleAssignments } = ctx.tenant.collections;
  const index = servicePrincipals.findIndex((s) => String(s["id"]).toLowerCase() === id.toLowerCase());
  if (index < 0) return notFound(id);
  const [sp] = servicePrincipals.splice(index, 1);
  const spObjectId = String(sp!["id"]);
  const keep = (items: Json[], gone: (x: Json) => boolean) => {
    items.splice(0, items.length, ...items.filter((x) => !gone(x)));
  };
  keep(appRoleAssignments, (a) => a["principalId"] === spObjectId || a["resourceId"] === spObjectId);
  keep(roleAssignments, (r) => r["principalId"] === spObjectId);
  forgetLinks(ctx.tenant, spObjectId);
  return noContent();
}

const READ_ONLY_SP = ["appId", "appRoles", "servicePrincipalNames", "appOwnerOrganizationId"];

/** The routes for one way of addressing a service principal: by object id, or `(appId='…')`. */
function addressedRoutes(form: "{}" | "(appId='{}')"): Route[] {
  const byAppId = form !== "{}";
  const path = `/servicePrincipals${byAppId ? "" : "/"}${form}`;
  const sp = (ctx: RequestContext) => spId(ctx, ctx.params[0]!, byAppId);
  const spObjectId = (ctx: RequestContext) => String(sp(ctx)?.["id"] ?? ctx.params[0]);
  const [to, of] = ["servicePrincipals.appRoleAssignedTo", "servicePrincipals.appRoleAssignments"];
  return [
    route("GET", path, "servicePrincipals", (ctx) => getOne(ctx, "servicePrincipals", spObjectId(ctx))),
    route("PATCH", path, "servicePrincipals", (ctx) => {
      const bad = READ_ONLY_SP.find((k) => k in ctx.json() && k !== "appId");
      if (bad) return badRequest(`Property '${bad}' is read-only and cannot be set.`);
      return patchOne(ctx, "servicePrincipals", spObjectId(ctx));
    }),
    route("DELETE", path, "servicePrincipals", (ctx) => deleteServicePrincipal(ctx, spObjectId(ctx))),
    route("GET", `${path}/appRoleAssignedTo`, to, (ctx) => assignmentsOf(ctx, "resourceId", sp(ctx))),
    route("POST", `${path}/appRoleAssignedTo`, to, (ctx) => assign(ctx, String(sp(ctx)?.["id"] ?? ""), undefined)),
    route("GET", `${path}/appRoleAssignedTo/{}`, to, (ctx) => assignmentOf(ctx, "resourceId", sp(ctx), ctx.params[1]!)),
    route("DELETE", `${path}/appRoleAssignedTo/{}`, to, (ctx) =>
      removeAssignment(ctx, "resourceId", sp(ctx), ctx.params[1]!),
    ),
    route("GET", `${path}/appRoleAssignments`, of, (ctx) => assignmentsOf(ctx, "principalId", sp(ctx))),
    route("POST", `${path}/appRoleAssignments`, of, (ctx) => assign(ctx, undefined, String(sp(ctx)?.["id"] ?? ""))),
    route("GET", `${path}/appRoleAssignments/{}`, of, (ctx) =>
      assignmentOf(ctx, "principalId", sp(ctx), ctx.params[1]!),
    ),
    route("DELETE", `${path}/appRoleAssignments/{}`, of, (ctx) =>
      removeAssignment(ctx, "principalId", sp(ctx), ctx.params[1]!),
    ),
  ];
}

/** Served on beta too: the azuread provider reads `samlMetadataUrl` there (service_principal_resource.go). */
export const servicePrincipalRoutes: Route[] = alsoBeta([
  route("GET", "/servicePrincipals", "servicePrincipals", (ctx) => list(ctx, ctx.tenant.collections.servicePrincipals)),
  route("POST", "/servicePrincipals", "servicePrincipals", createServicePrincipal),
  ...addressedRoutes("{}"),
  ...addressedRoutes("(appId='{}')"),
]);
