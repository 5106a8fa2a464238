/**
 * Directory objects as Graph links them: owners of groups, applications and service principals, group
 * membership seen from the member (`memberOf`), `@odata.bind` references on create and `$ref` references
 * afterwards, and collections of mixed objects typed by `@odata.type`.
 */
import { badRequest, noContent, notFound, type Json, type Reply } from "../errors";
import { alsoBeta, find, list, route, type RequestContext, type Route } from "../router";
import type { CollectionName, TenantState } from "../store";

/** The directory object collections and their OData types (learn.microsoft.com/graph/api/resources/directoryobject). */
const KINDS = [
  ["users", "#microsoft.graph.user"],
  ["groups", "#microsoft.graph.group"],
  ["servicePrincipals", "#microsoft.graph.servicePrincipal"],
  ["applications", "#microsoft.graph.application"],
] as const satisfies readonly (readonly [CollectionName, string])[];

/** The object with that id in any directory collection, with its `@odata.type`. */
export function directoryObject(ctx: RequestContext, id: string): Json | undefined {
  for (const [name, type] of KINDS) {
    const found = name === "users" ? userById(ctx.tenant, id) : find(ctx, name, id);
    if (found) return { "@odata.type": type, ...found };
  }
  return undefined;
}

function userById(tenant: TenantState, idOrUpn: string): Json | undefined {
  const key = idOrUpn.toLowerCase();
  return tenant.collections.users.find(
    (u) => String(u["id"]).toLowerCase() === key || String(u["userPrincipalName"]).toLowerCase() === key,
  );
}

/**
 * A collection of directory objects by id: every item carries `@odata.type`, as Graph returns polymorphic
 * `directoryObject` collections (group-list-members, group-list-owners, group-list-memberof), which clients
 * such as go-azure-sdk need to tell users from service principals.
 */
export function listDirectoryObjects(ctx: RequestContext, ids: readonly string[]): Reply {
  return list(
    ctx,
    ids.map((id) => directoryObject(ctx, id)).filter((o): o is Json => o !== undefined),
  );
}

/** The object id a reference URL names: `…/directoryObjects/{id}` (or `…/users/{id}`, `…/groups/{id}`, …). */
export function referencedId(url: unknown): string | undefined {
  return /\/(?:directoryObjects|users|groups|servicePrincipals|applications)\/([^/?]+)$/.exec(String(url ?? ""))?.[1];
}

/** The owner ids of an object (state saved before owners existed has none). */
export function ownersOf(tenant: TenantState, objectId: string): string[] {
  return ((tenant.owners ??= {})[objectId] ??= []);
}

/** What unlinking an object leaves: no owner lists, no memberships (Graph removes both with the object). */
export function forgetLinks(tenant: TenantState, objectId: string): void {
  if (tenant.owners) delete tenant.owners[objectId];
  for (const owners of Object.values(tenant.owners ?? {})) removeFrom(owners, objectId);
  delete tenant.groupMembers[objectId];
  for (const members of Object.values(tenant.groupMembers)) removeFrom(members, objectId);
}

function removeFrom(ids: string[], id: string): void {
  const index = ids.indexOf(id);
  if (index >= 0) ids.splice(index, 1);
}

/**
 * Takes `<property>@odata.bind` (a list of reference URLs) out of a create body and resolves it. An unknown
 * object is 400 with Graph's "does not exist or one of its queried reference-property objects are not present",
 * the answer the azuread provider retries on while a new owner replicates (group_resource.go, CreateGroup's
 * RetryFunc); documented forms: learn.microsoft.com/graph/api/group-post-groups ("owners@odata.bind").
 */
export function takeBindings(ctx: RequestContext, body: Json, property: string): string[] | Reply {
  const key = `${property}@odata.bind`;
  const urls = body[key];
  delete body[key];
  if (urls === undefined) return [];
  if (!Array.isArray(urls)) return badRequest(`The value of '${key}' must be a collection of URLs.`);
  const ids: string[] = [];
  for (const url of urls) {
    const object = directoryObject(ctx, referencedId(url) ?? "");
    if (!object) {
      const what = referencedId(url) ?? String(url);
      const message =
        `Resource '${what}' does not exist or one of its queried reference-property objects are not` + " present.";
      return badRequest(message, "Request_BadRequest");
    }
    if (!ids.includes(String(object["id"]))) ids.push(String(object["id"]));
  }
  return ids;
}

/**
 * `POST …/{members|owners}/$ref` with `{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{id}"}`:
 * 204; 404 for an unknown object; 400 when it is already linked (group-post-members, group-post-owners,
 * application-post-owners, serviceprincipal-post-owners).
 */
export function addReference(ctx: RequestContext, ids: string[], property: string): Reply {
  const ref = ctx.json()["@odata.id"];
  const id = referencedId(ref);
  if (!id) return badRequest("Invalid @odata.id: expected https://graph.microsoft.com/v1.0/directoryObjects/{id}.");
  const object = directoryObject(ctx, id);
  if (!object) return notFound(id);
  if (ids.includes(String(object["id"]))) {
    const message =
      "One or more added object references already exist for the following modified properties:" + ` '${property}'.`;
    return badRequest(message);
  }
  ids.push(String(object["id"]));
  return noContent();
}

/** `DELETE …/{members|owners}/{id}/$ref`: 204, or 404 when the object is not linked. */
export function removeReference(ids: string[], id: string): Reply {
  const index = ids.findIndex((x) => x.toLowerCase() === id.toLowerCase());
  if (index < 0) return notFound(id);
  ids.splice(index, 1);
  return noContent();
}

type Owned = "groups" | "applications" | "servicePrincipals";

/** Owners of one kind of object: list, add by `$ref`, remove by `$ref` (application-list-owners and siblings). */
function ownerRoutes(kind: Owned): Route[] {
  const name = `${kind}.owners`;
  // The owner list of the addressed object, or its 404.
  const owners = (ctx: RequestContext, then: (ids: string[]) => Reply): Reply => {
    const object = find(ctx, kind, ctx.params[0]!);
    return object ? then(ownersOf(ctx.tenant, String(object["id"]))) : notFound(ctx.params[0]!);
  };
  return [
    route("GET", `/${kind}/{}/owners`, name, (ctx) => owners(ctx, (ids) => listDirectoryObjects(ctx, ids))),
    route("POST", `/${kind}/{}/owners/$ref`, name, (ctx) => owners(ctx, (ids) => addReference(ctx, ids, "owners"))),
    route("DELETE", `/${kind}/{}/owners/{}/$ref`, name, (ctx) =>
      owners(ctx, (ids) => removeReference(ids, ctx.params[1]!)),
    ),
  ];
}

/** Served on beta too: the azuread provider reads group owners, members and memberOf there (group_resource.go). */
export const directoryObjectRoutes: Route[] = alsoBeta([
  ...ownerRoutes("groups"),
  ...ownerRoutes("applications"),
  ...ownerRoutes("servicePrincipals"),
  // The groups a group is a direct member of (group-list-memberof); administrative units are not modelled.
  route("GET", "/groups/{}/memberOf", "groups.memberOf", (ctx) => {
    const group = find(ctx, "groups", ctx.params[0]!);
    if (!group) return notFound(ctx.params[0]!);
    const id = String(group["id"]);
    const groups = Object.keys(ctx.tenant.groupMembers).filter((g) => ctx.tenant.groupMembers[g]!.includes(id));
    return listDirectoryObjects(ctx, groups);
  }),
  // A user without a manager is 404 Not Found (learn.microsoft.com/graph/api/user-list-manager, Response);
  // managers are not modelled, so every user answers that.
  route("GET", "/users/{}/manager", "users.manager", (ctx) => {
    const user = userById(ctx.tenant, ctx.params[0]!);
    return user ? notFound("manager") : notFound(ctx.params[0]!);
  }),
]);
