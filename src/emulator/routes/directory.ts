/** Organization, users, groups and membership, subscribed SKUs and Secure Score. */
import { badRequest, noContent, notFound, ok, type Reply } from "../errors";
import { create, deleteOne, find, getOne, list, patchOne, route, type RequestContext, type Route } from "../router";

function user(ctx: RequestContext, idOrUpn: string) {
  const key = idOrUpn.toLowerCase();
  return ctx.tenant.collections.users.find((u) => String(u["id"]).toLowerCase() === key || String(u["userPrincipalName"]).toLowerCase() === key);
}

function addMember(ctx: RequestContext): Reply {
  const group = find(ctx, "groups", ctx.params[0]!);
  if (!group) return notFound(ctx.params[0]!);
  const ref = String(ctx.json()["@odata.id"] ?? "");
  const memberId = /directoryObjects\/([^/?]+)$/.exec(ref)?.[1];
  if (!memberId) return badRequest("Invalid @odata.id: expected https://graph.microsoft.com/v1.0/directoryObjects/{id}.");
  const exists = user(ctx, memberId) ?? find(ctx, "servicePrincipals", memberId) ?? find(ctx, "groups", memberId);
  if (!exists) return notFound(memberId);
  const members = (ctx.tenant.groupMembers[String(group["id"])] ??= []);
  if (members.includes(String(exists["id"]))) return badRequest("One or more added object references already exist for the following modified properties: 'members'.");
  members.push(String(exists["id"]));
  return noContent();
}

export const directoryRoutes: Route[] = [
  route("GET", "/organization", "organization", (ctx) => list(ctx, [ctx.tenant.organization])),
  route("GET", "/organization/{}", "organization", (ctx) => (ctx.params[0]!.toLowerCase() === ctx.tenant.tenantId ? ok(ctx.tenant.organization) : notFound(ctx.params[0]!))),
  route("GET", "/users", "users", (ctx) => list(ctx, ctx.tenant.collections.users)),
  route("GET", "/users/{}", "users", (ctx) => {
    const u = user(ctx, decodeURIComponent(ctx.params[0]!));
    return u ? ok(u) : notFound(ctx.params[0]!);
  }),
  route("GET", "/groups", "groups", (ctx) => list(ctx, ctx.tenant.collections.groups)),
  route("POST", "/groups", "groups", (ctx) => {
    const body = ctx.json();
    if (!body["displayName"] || body["mailEnabled"] === undefined || body["securityEnabled"] === undefined || !body["mailNickname"]) return badRequest("displayName, mailEnabled, mailNickname and securityEnabled are required.");
    const reply = create(ctx, "groups", { groupTypes: [], ...body });
    ctx.tenant.groupMembers[String((reply.body as Record<string, unknown>)["id"])] = [];
    return reply;
  }),
  route("GET", "/groups/{}", "groups", (ctx) => getOne(ctx, "groups", ctx.params[0]!)),
  route("PATCH", "/groups/{}", "groups", (ctx) => patchOne(ctx, "groups", ctx.params[0]!)),
  route("DELETE", "/groups/{}", "groups", (ctx) => deleteOne(ctx, "groups", ctx.params[0]!)),
  route("GET", "/groups/{}/members", "groups.members", (ctx) => {
    const group = find(ctx, "groups", ctx.params[0]!);
    if (!group) return notFound(ctx.params[0]!);
    const ids = new Set(ctx.tenant.groupMembers[String(group["id"])] ?? []);
    return list(ctx, [...ctx.tenant.collections.users, ...ctx.tenant.collections.servicePrincipals, ...ctx.tenant.collections.groups].filter((o) => ids.has(String(o["id"]))));
  }),
  route("POST", "/groups/{}/members/$ref", "groups.members", addMember),
  route("DELETE", "/groups/{}/members/{}/$ref", "groups.members", (ctx) => {
    const members = ctx.tenant.groupMembers[ctx.params[0]!] ?? [];
    const index = members.indexOf(ctx.params[1]!);
    if (index < 0) return notFound(ctx.params[1]!);
    members.splice(index, 1);
    return noContent();
  }),
  route("GET", "/subscribedSkus", "subscribedSkus", (ctx) => list(ctx, ctx.tenant.collections.subscribedSkus)),
  route("GET", "/security/secureScores", "security.secureScores", (ctx) => list(ctx, [...ctx.tenant.collections.secureScores].sort((a, b) => String(b["createdDateTime"]).localeCompare(String(a["createdDateTime"]))))),
  route("GET", "/security/secureScoreControlProfiles", "security.secureScoreControlProfiles", (ctx) => list(ctx, ctx.tenant.collections.secureScoreControlProfiles)),
];
