/** Organization, users, groups and membership, subscribed SKUs and Secure Score. */
import { badRequest, notFound, ok, type Json, type Reply } from "../errors";
import { alsoBeta, create, deleteOne, find, getOne, list, metadataRoot, patchOne, route } from "../router";
import type { RequestContext, Route } from "../router";
import { addReference, forgetLinks, listDirectoryObjects, ownersOf, removeReference } from "./directory-objects";
import { takeBindings } from "./directory-objects";

function user(ctx: RequestContext, idOrUpn: string) {
  const key = idOrUpn.toLowerCase();
  return ctx.tenant.collections.users.find(
    (u) => String(u["id"]).toLowerCase() === key || String(u["userPrincipalName"]).toLowerCase() === key,
  );
}

/**
 * `POST /groups`: the four required properties, then `owners@odata.bind` / `members@odata.bind`
 * (learn.microsoft.com/graph/api/group-post-groups, "Create a group with owners and members").
 */
function createGroup(ctx: RequestContext): Reply {
  const body = ctx.json();
  const required = ["displayName", "mailEnabled", "mailNickname", "securityEnabled"];
  if (required.some((k) => body[k] === undefined || body[k] === null || body[k] === "")) {
    return badRequest(`${required.join(", ")} are required.`);
  }
  const owners = takeBindings(ctx, body, "owners");
  if (!Array.isArray(owners)) return owners;
  const members = takeBindings(ctx, body, "members");
  if (!Array.isArray(members)) return members;
  const reply = create(ctx, "groups", { groupTypes: [], ...body });
  const id = String((reply.body as Json)["id"]);
  ctx.tenant.groupMembers[id] = members;
  ownersOf(ctx.tenant, id).push(...owners);
  return reply;
}

const members = (ctx: RequestContext): string[] | undefined => {
  const group = find(ctx, "groups", ctx.params[0]!);
  return group ? (ctx.tenant.groupMembers[String(group["id"])] ??= []) : undefined;
};

/** The group routes the azuread provider calls on beta (internal/services/groups/client) as well as v1.0. */
const groupRoutes: Route[] = alsoBeta([
  route("GET", "/groups", "groups", (ctx) => list(ctx, ctx.tenant.collections.groups)),
  route("POST", "/groups", "groups", createGroup),
  route("GET", "/groups/{}", "groups", (ctx) => getOne(ctx, "groups", ctx.params[0]!)),
  route("PATCH", "/groups/{}", "groups", (ctx) => patchOne(ctx, "groups", ctx.params[0]!)),
  route("DELETE", "/groups/{}", "groups", (ctx) =>
    deleteOne(ctx, "groups", ctx.params[0]!, (g) => forgetLinks(ctx.tenant, String(g["id"]))),
  ),
  route("GET", "/groups/{}/members", "groups.members", (ctx) => {
    const ids = members(ctx);
    return ids ? listDirectoryObjects(ctx, ids) : notFound(ctx.params[0]!);
  }),
  route("POST", "/groups/{}/members/$ref", "groups.members", (ctx) => {
    const ids = members(ctx);
    return ids ? addReference(ctx, ids, "members") : notFound(ctx.params[0]!);
  }),
  route("DELETE", "/groups/{}/members/{}/$ref", "groups.members", (ctx) => {
    const ids = members(ctx);
    return ids ? removeReference(ids, ctx.params[1]!) : notFound(ctx.params[0]!);
  }),
]);

export const directoryRoutes: Route[] = [
  route("GET", "/organization", "organization", (ctx) => list(ctx, [ctx.tenant.organization])),
  route("GET", "/organization/{}", "organization", (ctx) =>
    ctx.params[0]!.toLowerCase() === ctx.tenant.tenantId
      ? ok({ "@odata.context": `${metadataRoot(ctx)}#organization/$entity`, ...ctx.tenant.organization })
      : notFound(ctx.params[0]!),
  ),
  ...alsoBeta([
    route("GET", "/users", "users", (ctx) => list(ctx, ctx.tenant.collections.users)),
    route("GET", "/users/{}", "users", (ctx) => {
      const u = user(ctx, decodeURIComponent(ctx.params[0]!));
      return u ? ok({ "@odata.context": `${metadataRoot(ctx)}#users/$entity`, ...u }) : notFound(ctx.params[0]!);
    }),
  ]),
  ...groupRoutes,
  route("GET", "/subscribedSkus", "subscribedSkus", (ctx) => list(ctx, ctx.tenant.collections.subscribedSkus)),
  // One SKU by its id, `{tenantId}_{skuId}` (learn.microsoft.com/graph/api/subscribedsku-get).
  route("GET", "/subscribedSkus/{}", "subscribedSkus", (ctx) => getOne(ctx, "subscribedSkus", ctx.params[0]!)),
  route("GET", "/security/secureScores", "security.secureScores", (ctx) =>
    list(
      ctx,
      [...ctx.tenant.collections.secureScores].sort((a, b) =>
        String(b["createdDateTime"]).localeCompare(String(a["createdDateTime"])),
      ),
    ),
  ),
  route("GET", "/security/secureScoreControlProfiles", "security.secureScoreControlProfiles", (ctx) =>
    list(ctx, ctx.tenant.collections.secureScoreControlProfiles),
  ),
];
