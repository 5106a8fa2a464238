/**
 * Reads what the deploying app holds in a tenant, as itself: its service principal, the app roles assigned to it
 * (their values from each resource API's `appRoles`) and its directory role assignments. Needs Application.Read.All
 * and RoleManagement.Read.Directory, which `check` needs anyway. Read-only.
 */
import type * as Graph from "@microsoft/microsoft-graph-types";
import type { GraphClient } from "../graph/types";
import type { DeployingAppGrants } from "./index";

/**
 * The grants of `clientId`'s service principal (directory roles only when `withRoles`, so a stack that needs none
 * needs no RoleManagement.Read.Directory for this); no service principal → nothing granted.
 */
export async function readDeployingAppGrants(
  graph: GraphClient,
  clientId: string,
  resourceAppIds: readonly string[],
  withRoles: boolean,
): Promise<DeployingAppGrants> {
  const sp = await graph.tryGet<Graph.ServicePrincipal>(`/servicePrincipals(appId='${clientId}')?$select=id,appId`);
  if (!sp?.id) return { appRoles: [], directoryRoleIds: [] };
  const filter = encodeURIComponent(`principalId eq '${sp.id}'`);
  const [assignments, roles, ...resources] = await Promise.all([
    graph.list<Graph.AppRoleAssignment>(`/servicePrincipals/${sp.id}/appRoleAssignments`),
    withRoles
      ? graph.list<Graph.UnifiedRoleAssignment>(`/roleManagement/directory/roleAssignments?$filter=${filter}`)
      : Promise.resolve([]),
    ...resourceAppIds.map((a) =>
      graph.tryGet<Graph.ServicePrincipal>(`/servicePrincipals(appId='${a}')?$select=id,appId,appRoles`),
    ),
  ]);
  const byObjectId = new Map(resources.flatMap((r) => (r?.id ? [[r.id.toLowerCase(), r] as const] : [])));
  const appRoles = assignments.flatMap((a) => {
    const resource = byObjectId.get(String(a.resourceId).toLowerCase());
    const value = resource?.appRoles?.find((r) => r.id === a.appRoleId)?.value;
    return resource?.appId && value ? [{ resourceAppId: resource.appId, value }] : [];
  });
  const directoryRoleIds = roles
    .filter((r) => (r.directoryScopeId ?? "/") === "/")
    .map((r) => String(r.roleDefinitionId))
    .sort();
  return { servicePrincipalId: sp.id, appRoles, directoryRoleIds };
}
