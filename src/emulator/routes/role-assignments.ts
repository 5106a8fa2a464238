/** Directory role assignments (`/roleManagement/directory/roleAssignments`), unique per principal, role and scope. */
import { badRequest, type Json } from "../errors";
import { create, deleteOne, getOne, list, route, type Route } from "../router";

const PATH = "/roleManagement/directory/roleAssignments";
const NAME = "roleManagement.roleAssignments";
const scope = (r: Json) => r["directoryScopeId"] ?? "/";

export const roleAssignmentRoutes: Route[] = [
  route("GET", PATH, NAME, (ctx) => list(ctx, ctx.tenant.collections.roleAssignments)),
  route("POST", PATH, NAME, (ctx) => {
    const body = ctx.json();
    if (!body["principalId"] || !body["roleDefinitionId"]) {
      return badRequest("principalId and roleDefinitionId are required.");
    }
    const dup = ctx.tenant.collections.roleAssignments.some(
      (r) =>
        r["principalId"] === body["principalId"] &&
        r["roleDefinitionId"] === body["roleDefinitionId"] &&
        scope(r) === scope(body),
    );
    const conflict =
      "A conflicting object with one or more of the specified property values is present in the" + " directory.";
    if (dup) return badRequest(conflict, "Request_BadRequest");
    // unifiedRoleAssignment carries appScopeId (null for directory scopes): unifiedroleassignment resource page.
    return create(ctx, "roleAssignments", { directoryScopeId: "/", appScopeId: null, ...body });
  }),
  route("GET", `${PATH}/{}`, NAME, (ctx) => getOne(ctx, "roleAssignments", ctx.params[0]!)),
  route("DELETE", `${PATH}/{}`, NAME, (ctx) => deleteOne(ctx, "roleAssignments", ctx.params[0]!)),
];
