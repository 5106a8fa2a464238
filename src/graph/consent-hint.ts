/**
 * The fix for Microsoft refusing a call because the deploying app lacks a permission in the tenant: names
 * the application permission that path needs (as docs/permissions.md lists it) and how to grant it.
 * The usual cause across a fleet is a tenant whose admin consent predates a permission the baseline added.
 */
import { GraphRequestError } from "../errors";

const SEE_README = 'README, "Permissions the deploying app needs"';
const GRANT_IT = `grant it with admin consent in this tenant (${SEE_README})`;

/** Path prefix → the permission reads need and the one writes need, most specific first. */
const GRAPH_PERMISSIONS: readonly (readonly [RegExp, string, string])[] = [
  // The What-If action is a POST that only reads (learn.microsoft.com/graph/api/conditionalaccessroot-evaluate).
  [/^\/identity\/conditionalAccess\/evaluate/i, "Policy.Read.All", "Policy.Read.All"],
  [/^\/identity\/conditionalAccess\//i, "Policy.Read.All", "Policy.ReadWrite.ConditionalAccess (with Policy.Read.All)"],
  [/^\/policies\/identitySecurityDefaultsEnforcementPolicy/i, "Policy.Read.All", "Policy.ReadWrite.SecurityDefaults"],
  [/^\/policies\/authorizationPolicy/i, "Policy.Read.All", "Policy.ReadWrite.Authorization"],
  [
    /^\/policies\/authenticationMethodsPolicy/i,
    "Policy.Read.AuthenticationMethod",
    "Policy.ReadWrite.AuthenticationMethod",
  ],
  [/^\/policies\/authenticationStrengthPolicies/i, "Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"],
  [/^\/organization\/[^/]+\/branding/i, "OrganizationalBranding.Read.All", "OrganizationalBranding.ReadWrite.All"],
  [/^\/(organization|subscribedSkus)/i, "Organization.Read.All", "Organization.ReadWrite.All"],
  [/^\/users/i, "User.Read.All", "User.ReadWrite.All"],
  [/^\/groups/i, "Group.Read.All", "Group.ReadWrite.All"],
  [
    /^\/servicePrincipals(\([^)]*\)|\/[^/]+)\/appRoleAssign/i,
    "Application.Read.All",
    "AppRoleAssignment.ReadWrite.All",
  ],
  [/^\/(applications|servicePrincipals)/i, "Application.Read.All", "Application.ReadWrite.All"],
  [/^\/roleManagement\//i, "RoleManagement.Read.Directory", "RoleManagement.ReadWrite.Directory"],
  [/^\/auditLogs\//i, "AuditLog.Read.All", "AuditLog.Read.All"],
  // learn.microsoft.com/graph/api/reportroot-list-serviceprincipalsigninactivities?view=graph-rest-beta
  [/^\/reports\/servicePrincipalSignInActivities/i, "AuditLog.Read.All", "AuditLog.Read.All"],
  [/^\/security\/secureScore/i, "SecurityEvents.Read.All", "SecurityEvents.ReadWrite.All"],
  // In the partner's own tenant (m365-baseline tenants).
  [
    /^\/tenantRelationships\/delegatedAdmin/i,
    "DelegatedAdminRelationship.Read.All",
    "DelegatedAdminRelationship.ReadWrite.All",
  ],
];

/** Graph's codes for "the token does not carry a permission this call needs". */
const DENIED = new Set(["authorization_requestdenied", "accessdenied"]);

/** What a refusal lacks (`permission`, as docs/permissions.md names it) and the fix to append to its message. */
export interface Refusal {
  readonly permission: string;
  readonly fix: string;
}

/** The refusal a Graph 403 stands for, or undefined when it is not about the app's permissions. */
export function graphRefusal(
  method: string,
  path: string,
  status: number,
  code: string,
  message: string,
): Refusal | undefined {
  // Some licence checks also answer 403; those need a licence, not a permission.
  if (status !== 403 || !DENIED.has(code.toLowerCase()) || /licen[cs]e/i.test(message)) return undefined;
  const relative = path
    .replace(/^https?:\/\/[^/]+/i, "")
    .replace(/^\/(v1\.0|beta)(?=\/)/i, "")
    .replace(/[?#].*$/, "");
  const hit = GRAPH_PERMISSIONS.find(([pattern]) => pattern.test(relative));
  if (!hit)
    return {
      permission: "a Microsoft Graph application permission",
      fix: `the deploying app lacks an application permission this call needs: ${GRANT_IT}`,
    };
  const permission = `${method.toUpperCase() === "GET" ? hit[1] : hit[2]} (Microsoft Graph)`;
  return { permission, fix: `the deploying app lacks the application permission ${permission}: ${GRANT_IT}` };
}

/**
 * The refusal an S&C 401 (no Exchange.ManageAsApp app role) or 403 (no directory role that may run the cmdlet) stands
 * for.
 */
export function complianceRefusal(status: number): Refusal | undefined {
  if (status === 401)
    return {
      permission: "Exchange.ManageAsApp (Office 365 Exchange Online)",
      fix: `the deploying app lacks the application permission Exchange.ManageAsApp (Office 365 Exchange Online): ${GRANT_IT}`,
    };
  if (status === 403)
    return {
      permission: "the Compliance Administrator directory role",
      fix: `the deploying app's service principal lacks the Compliance Administrator directory role in this tenant: assign it (${SEE_README})`,
    };
  return undefined;
}

/** True when Microsoft refused the call for a permission or role the deploying app lacks. */
export function isRefusal(error: unknown): error is GraphRequestError {
  return error instanceof GraphRequestError && error.missingPermission !== undefined;
}

/** Several refusals of one tenant as one error: each missing permission once, with the calls that needed it. */
export class PermissionRefusals extends GraphRequestError {
  readonly refusals: readonly GraphRequestError[];
  constructor(refusals: readonly GraphRequestError[]) {
    const byPermission = new Map<string, string[]>();
    for (const r of refusals)
      byPermission.set(r.missingPermission!, [
        ...(byPermission.get(r.missingPermission!) ?? []),
        `${r.method} ${r.path.replace(/\?.*$/, "")}`,
      ]);
    const list = [...byPermission]
      .map(([permission, calls]) => `${permission} for ${[...new Set(calls)].join(", ")}`)
      .join("; ");
    const one = byPermission.size === 1;
    const text = `the deploying app lacks ${one ? "a permission" : `${byPermission.size} permissions`} in this tenant: ${list}. Grant ${one ? "it" : "them"} (admin consent for application permissions, an assignment for directory roles; ${SEE_README})`;
    super({ ...refusals[0]!, message: text, missingPermission: [...byPermission.keys()].join(", ") });
    // Not "<first call> failed: …": the error stands for every refused call, each named in the list.
    this.message = `Microsoft refused ${refusals.length} calls: ${text}`;
    this.refusals = refusals;
  }
}

/** One error for a tenant's refusals: the refusal itself when there is one, else all of them together. */
export function combineRefusals(errors: readonly GraphRequestError[]): GraphRequestError {
  const all = errors.flatMap((e) => (e instanceof PermissionRefusals ? e.refusals : [e]));
  return all.length === 1 ? all[0]! : new PermissionRefusals(all);
}

/** Every permission or role a failure says the deploying app lacks (none for other failures), sorted. */
export function missingPermissionsOf(error: unknown): string[] {
  if (error instanceof PermissionRefusals) return [...new Set(error.refusals.map((r) => r.missingPermission!))].sort();
  return isRefusal(error) ? [error.missingPermission!] : [];
}
