/**
 * The fix for Microsoft refusing a call because the deploying app lacks a permission in the tenant: names
 * the application permission that path needs (as docs/permissions.md lists it) and how to grant it.
 * The usual cause across a fleet is a tenant whose admin consent predates a permission the baseline added.
 */

const README = 'grant it with admin consent in this tenant (README, "Permissions the deploying app needs")';

/** Path prefix → the permission reads need and the one writes need, most specific first. */
const GRAPH_PERMISSIONS: readonly (readonly [RegExp, string, string])[] = [
  [/^\/identity\/conditionalAccess\//i, "Policy.Read.All", "Policy.ReadWrite.ConditionalAccess (with Policy.Read.All)"],
  [/^\/policies\/identitySecurityDefaultsEnforcementPolicy/i, "Policy.Read.All", "Policy.ReadWrite.SecurityDefaults"],
  [/^\/policies\/authorizationPolicy/i, "Policy.Read.All", "Policy.ReadWrite.Authorization"],
  [/^\/policies\/authenticationMethodsPolicy/i, "Policy.Read.AuthenticationMethod", "Policy.ReadWrite.AuthenticationMethod"],
  [/^\/policies\/authenticationStrengthPolicies/i, "Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"],
  [/^\/organization\/[^/]+\/branding/i, "OrganizationalBranding.Read.All", "OrganizationalBranding.ReadWrite.All"],
  [/^\/(organization|subscribedSkus)/i, "Organization.Read.All", "Organization.ReadWrite.All"],
  [/^\/users/i, "User.Read.All", "User.ReadWrite.All"],
  [/^\/groups/i, "Group.Read.All", "Group.ReadWrite.All"],
  [/^\/servicePrincipals(\([^)]*\)|\/[^/]+)\/appRoleAssign/i, "Application.Read.All", "AppRoleAssignment.ReadWrite.All"],
  [/^\/(applications|servicePrincipals)/i, "Application.Read.All", "Application.ReadWrite.All"],
  [/^\/roleManagement\//i, "RoleManagement.Read.Directory", "RoleManagement.ReadWrite.Directory"],
  [/^\/security\/secureScore/i, "SecurityEvents.Read.All", "SecurityEvents.ReadWrite.All"],
];

/** Graph's codes for "the token does not carry a permission this call needs". */
const DENIED = new Set(["authorization_requestdenied", "accessdenied"]);

/** The fix to append to a Graph 403, or undefined when the refusal is not about the app's permissions. */
export function graphPermissionHint(method: string, path: string, status: number, code: string, message: string): string | undefined {
  // Some licence checks also answer 403; those need a licence, not a permission.
  if (status !== 403 || !DENIED.has(code.toLowerCase()) || /licen[cs]e/i.test(message)) return undefined;
  const relative = path.replace(/^https?:\/\/[^/]+/i, "").replace(/^\/(v1\.0|beta)(?=\/)/i, "").replace(/[?#].*$/, "");
  const hit = GRAPH_PERMISSIONS.find(([pattern]) => pattern.test(relative));
  if (!hit) return `the deploying app lacks an application permission this call needs: ${README}`;
  const permission = method.toUpperCase() === "GET" ? hit[1] : hit[2];
  return `the deploying app lacks the application permission ${permission} (Microsoft Graph): ${README}`;
}

/** The fix for an S&C refusal: 401 means no Exchange.ManageAsApp app role, 403 no directory role that may run the cmdlet. */
export function compliancePermissionHint(status: number): string | undefined {
  if (status === 401) return `the deploying app lacks the application permission Exchange.ManageAsApp (Office 365 Exchange Online): ${README}`;
  if (status === 403) return 'the deploying app\'s service principal lacks the Compliance Administrator directory role in this tenant: assign it (README, "Permissions the deploying app needs")';
  return undefined;
}
