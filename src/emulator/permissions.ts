/**
 * Application permissions, as Entra and Graph apply them: a token carries the app roles granted to the
 * client's service principal when it was issued (`roles`) and its directory roles (`wids`); each Graph
 * route accepts any one of its permissions (a `+` joins permissions needed together), else 403. A client
 * with no service principal in the tenant (registered with `registerClientCertificate` alone, the
 * tests' shortcut for "consented to everything") gets tokens without `roles`, which are not checked.
 */
import { randomUUID } from "node:crypto";
import { graphError, type Json, type Reply } from "./errors";
import { appRoleAssignment } from "./routes/service-principals";
import { EXCHANGE_APP_ID, GRAPH_APP_ID } from "./seed";
import type { TenantState } from "./store";

/** Directory role template ids that may run S&C cmdlets: all of them, or only Get-* (Global Reader). */
const COMPLIANCE_ROLES = new Set([
  "62e90394-69f5-4237-9190-012177145e10", // Global Administrator
  "17315797-102d-40b4-93e0-432062caca18", // Compliance Administrator
  "e6d1a23a-da11-4be4-9570-befc86d067a7", // Compliance Data Administrator
]);
const GLOBAL_READER = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";

/** What a token says about the client's grants; empty when the client has no service principal here. */
export interface Grants {
  readonly roles?: readonly string[];
  readonly wids?: readonly string[];
}

/** The app roles (on the token's resource) and directory roles of `clientId`'s service principal now. */
export function grantsOf(tenant: TenantState, clientId: string, audience: "graph" | "compliance"): Grants {
  const principals = tenant.collections.servicePrincipals;
  const sp = principals.find((s) => s["appId"] === clientId);
  if (!sp) return {};
  const resource = principals.find((s) => s["appId"] === (audience === "graph" ? GRAPH_APP_ID : EXCHANGE_APP_ID));
  const values = new Map(((resource?.["appRoles"] ?? []) as Json[]).map((r) => [String(r["id"]), String(r["value"])]));
  const roles = tenant.collections.appRoleAssignments
    .filter((a) => a["principalId"] === sp["id"] && a["resourceId"] === resource?.["id"])
    .map((a) => values.get(String(a["appRoleId"])))
    .filter((v): v is string => v !== undefined);
  const wids = tenant.collections.roleAssignments
    .filter((r) => r["principalId"] === sp["id"] && (r["directoryScopeId"] ?? "/") === "/")
    .map((r) => String(r["roleDefinitionId"]));
  return { roles: [...new Set(roles)].sort(), wids: [...new Set(wids)].sort() };
}

type Rule = { readonly read: readonly string[]; readonly write: readonly string[] };
const rule = (read: readonly string[], write: readonly string[]): Rule => ({ read, write });
const DIRECTORY_READ = ["Directory.Read.All", "Directory.ReadWrite.All"];

const CONDITIONAL_ACCESS = rule(
  ["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"],
  ["Policy.ReadWrite.ConditionalAccess+Policy.Read.All"],
);
const APPLICATIONS = rule(
  ["Application.Read.All", ...DIRECTORY_READ],
  ["Application.ReadWrite.All", "Directory.ReadWrite.All"],
);
const BRANDING = rule(
  ["OrganizationalBranding.Read.All", "Organization.Read.All"],
  ["OrganizationalBranding.ReadWrite.All", "Organization.ReadWrite.All"],
);
const SECURE_SCORE = rule(["SecurityEvents.Read.All"], ["SecurityEvents.ReadWrite.All"]);

/**
 * Per route name (see the route tables): least-privileged permission first, then the broader ones Graph also accepts.
 */
const RULES: Readonly<Record<string, Rule>> = {
  "conditionalAccess.policies": CONDITIONAL_ACCESS,
  "conditionalAccess.namedLocations": CONDITIONAL_ACCESS,
  "conditionalAccess.deletedItems": CONDITIONAL_ACCESS,
  // A read, though it is a POST:
  // https://learn.microsoft.com/graph/api/conditionalaccessroot-evaluate?view=graph-rest-beta
  "conditionalAccess.evaluate": rule([], ["Policy.Read.All"]),
  // https://learn.microsoft.com/graph/api/signin-list ("Permissions": AuditLog.Read.All, higher Directory.Read.All).
  "auditLogs.signIns": rule(["AuditLog.Read.All", "Directory.Read.All"], []),
  // https://learn.microsoft.com/graph/api/reportroot-list-serviceprincipalsigninactivities?view=graph-rest-beta
  // ("Permissions": AuditLog.Read.All, higher Directory.Read.All).
  "reports.servicePrincipalSignInActivities": rule(["AuditLog.Read.All", "Directory.Read.All"], []),
  "conditionalAccess.authenticationStrength": rule(["Policy.Read.All"], ["Policy.ReadWrite.ConditionalAccess"]),
  "policies.authenticationStrengthPolicies": rule(["Policy.Read.All"], ["Policy.ReadWrite.ConditionalAccess"]),
  "policies.securityDefaults": rule(["Policy.Read.All"], ["Policy.ReadWrite.SecurityDefaults"]),
  "policies.authorizationPolicy": rule(["Policy.Read.All"], ["Policy.ReadWrite.Authorization"]),
  "policies.authenticationMethods": rule(
    ["Policy.Read.AuthenticationMethod"],
    ["Policy.ReadWrite.AuthenticationMethod"],
  ),
  organization: rule(["Organization.Read.All", ...DIRECTORY_READ], ["Organization.ReadWrite.All"]),
  subscribedSkus: rule(["LicenseAssignment.Read.All", "Organization.Read.All", ...DIRECTORY_READ], []),
  users: rule(["User.Read.All", ...DIRECTORY_READ], ["User.ReadWrite.All", "Directory.ReadWrite.All"]),
  groups: rule(["Group.Read.All", ...DIRECTORY_READ], ["Group.ReadWrite.All", "Directory.ReadWrite.All"]),
  "groups.members": rule(
    ["GroupMember.Read.All", "Group.Read.All", ...DIRECTORY_READ],
    ["GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
  ),
  "groups.owners": rule(["Group.Read.All", ...DIRECTORY_READ], ["Group.ReadWrite.All", "Directory.ReadWrite.All"]),
  // Read-only relationships: the ReadWrite permissions are listed as the broader reads they are.
  "groups.memberOf": rule(
    ["GroupMember.Read.All", "Group.Read.All", ...DIRECTORY_READ, "GroupMember.ReadWrite.All", "Group.ReadWrite.All"],
    [],
  ),
  "users.manager": rule(["User.Read.All", ...DIRECTORY_READ, "User.ReadWrite.All"], []),
  applications: APPLICATIONS,
  "applications.owners": APPLICATIONS,
  servicePrincipals: APPLICATIONS,
  "servicePrincipals.owners": APPLICATIONS,
  "servicePrincipals.appRoleAssignedTo": rule(
    ["Application.Read.All", ...DIRECTORY_READ],
    ["AppRoleAssignment.ReadWrite.All"],
  ),
  "servicePrincipals.appRoleAssignments": rule(
    ["Application.Read.All", ...DIRECTORY_READ],
    ["AppRoleAssignment.ReadWrite.All"],
  ),
  "roleManagement.roleAssignments": rule(
    ["RoleManagement.Read.Directory", ...DIRECTORY_READ],
    ["RoleManagement.ReadWrite.Directory"],
  ),
  branding: BRANDING,
  "branding.localizations": BRANDING,
  "branding.streams": BRANDING,
  "security.secureScores": SECURE_SCORE,
  "security.secureScoreControlProfiles": SECURE_SCORE,
  // https://learn.microsoft.com/graph/api/tenantrelationship-list-delegatedadminrelationships ("Permissions").
  "tenantRelationships.delegatedAdmin": rule(
    ["DelegatedAdminRelationship.Read.All"],
    ["DelegatedAdminRelationship.ReadWrite.All"],
  ),
};

/** Directory workloads answer Authorization_RequestDenied; the policy and security workloads AccessDenied. */
const DIRECTORY_ROUTES = /^(organization|subscribedSkus|users|groups|applications|servicePrincipals|roleManagement)/;

/** Graph's 403 when the token's roles allow none of the route's permissions; undefined when allowed or not checked. */
export function graphDenial(
  roles: readonly string[] | undefined,
  routeName: string,
  method: string,
): Reply | undefined {
  const required = RULES[routeName];
  if (roles === undefined || required === undefined) return undefined;
  // A ReadWrite permission also reads.
  const accepted = method === "GET" ? [...required.read, ...required.write] : required.write;
  if (accepted.some((option) => option.split("+").every((p) => roles.includes(p)))) return undefined;
  return DIRECTORY_ROUTES.test(routeName)
    ? graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
    : graphError(
        403,
        "AccessDenied",
        "You cannot perform the requested operation, required scopes are missing in the token.",
      );
}

/**
 * The S&C endpoint's refusals, as observed: 401 without the Exchange.ManageAsApp app role, 403 with a
 * body of NUL bytes without a directory role that may run the cmdlet (Global Reader: Get-* only).
 */
export function complianceDenial(grants: Grants, cmdlet: string): Reply | undefined {
  if (grants.roles === undefined) return undefined;
  if (!grants.roles.includes("Exchange.ManageAsApp")) {
    return {
      status: 401,
      body: {
        error: { code: "Unauthorized", message: "The role assigned to application isn't supported in this scenario." },
      },
    };
  }
  const wids = grants.wids ?? [];
  if (wids.some((w) => COMPLIANCE_ROLES.has(w)) || (/^Get-/i.test(cmdlet) && wids.includes(GLOBAL_READER)))
    return undefined;
  return { status: 403, headers: { "content-type": "application/json" }, body: Buffer.alloc(4) };
}

/**
 * What an administrator's consent leaves in a tenant: the client's service principal (created when
 * missing), one app-role assignment per permission value on whichever resource defines it, and the
 * directory roles by template id. Throws on a permission no resource principal defines.
 */
export function consent(
  tenant: TenantState,
  clientId: string,
  permissions: readonly string[],
  directoryRoles: readonly string[] = [],
): void {
  const { servicePrincipals, appRoleAssignments, roleAssignments } = tenant.collections;
  let sp = servicePrincipals.find((s) => s["appId"] === clientId);
  if (!sp) {
    sp = {
      id: randomUUID(),
      appId: clientId,
      displayName: `app ${clientId}`,
      servicePrincipalType: "Application",
      appRoles: [],
    };
    servicePrincipals.push(sp);
  }
  for (const permission of permissions) {
    const resource = servicePrincipals.find((s) =>
      ((s["appRoles"] ?? []) as Json[]).some((r) => r["value"] === permission),
    );
    if (!resource) throw new Error(`consent: no resource principal defines the app role ${permission}`);
    const role = (resource["appRoles"] as Json[]).find((r) => r["value"] === permission)!;
    if (appRoleAssignments.some((a) => a["principalId"] === sp["id"] && a["appRoleId"] === role["id"])) continue;
    appRoleAssignments.push(appRoleAssignment(sp, resource, role));
  }
  for (const roleDefinitionId of directoryRoles) {
    if (roleAssignments.some((r) => r["principalId"] === sp["id"] && r["roleDefinitionId"] === roleDefinitionId))
      continue;
    roleAssignments.push({ id: randomUUID(), principalId: sp["id"], roleDefinitionId, directoryScopeId: "/" });
  }
}
