/**
 * `m365-baseline consent`: what the deploying app must be granted in one tenant (from the controls the stack
 * compiles to), what it holds now, and the admin-consent URL that grants the rest. Pure; `read.ts` reads.
 */
import { directoryRoleTemplateId, RESOURCE_APP_IDS } from "../controls/permissions";
import type { Permission } from "../controls/types";

/** What the deploying app's service principal holds in a tenant: app roles by resource API, directory roles. */
export interface DeployingAppGrants {
  /** Its service principal's object id; undefined when the tenant has none (nobody consented yet). */
  readonly servicePrincipalId?: string | undefined;
  readonly appRoles: readonly { readonly resourceAppId: string; readonly value: string }[];
  /** Role template ids assigned at the directory scope (`/`). */
  readonly directoryRoleIds: readonly string[];
}

/** One required permission and whether the tenant grants it. */
export interface ConsentRow {
  readonly permission: Permission;
  readonly granted: boolean;
}

/** Each of `required`, granted or not by `grants` (app roles on their resource API, roles at the directory scope). */
export function consentRows(required: readonly Permission[], grants: DeployingAppGrants): ConsentRow[] {
  const roles = new Set(grants.directoryRoleIds.map((id) => id.toLowerCase()));
  const granted = ({ resource, value }: Permission): boolean => {
    if (resource === "Entra ID role") return roles.has(directoryRoleTemplateId(value).toLowerCase());
    const appId = RESOURCE_APP_IDS[resource];
    return grants.appRoles.some((r) => r.resourceAppId === appId && r.value === value);
  };
  return required.map((permission) => ({ permission, granted: granted(permission) }));
}

/**
 * The tenant-wide admin-consent URL for `clientId` in `tenantId`: an administrator of that tenant opens it and
 * grants every application permission the app registration requests ("Construct the URL for granting tenant-wide
 * admin consent", https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/grant-admin-consent).
 */
export function adminConsentUrl(authorityHost: string, tenantId: string, clientId: string): string {
  const host = authorityHost.replace(/\/+$/, "");
  return `${host}/${encodeURIComponent(tenantId)}/adminconsent?client_id=${encodeURIComponent(clientId)}`;
}

/**
 * The terminal view (after the URL): one line per permission, the count and what to do about the rest; then the
 * optional permissions one command uses (`for`: which command, and what for), which do not count.
 */
export function renderConsent(
  stack: string,
  tenantId: string,
  clientId: string,
  rows: readonly ConsentRow[],
  optional: readonly (ConsentRow & { readonly for: string })[] = [],
): string {
  const missing = rows.filter((r) => !r.granted);
  const width = Math.max(...rows.map((r) => r.permission.value.length));
  const line = (r: ConsentRow) => {
    const role = r.permission.resource === "Entra ID role";
    const state = r.granted ? (role ? "assigned" : "granted") : "MISSING";
    return `  ${state.padEnd(8)} ${r.permission.value.padEnd(width)}  ${r.permission.resource}`;
  };
  const next =
    missing.length === 0
      ? ["Nothing to grant."]
      : [
          ...(missing.some((r) => r.permission.resource !== "Entra ID role")
            ? [
                `Grant the application permissions: an administrator of ${tenantId} opens the admin consent URL.`,
                "It grants what the app registration requests: add any MISSING permission to it (API permissions) first.",
              ]
            : []),
          ...(missing.some((r) => r.permission.resource === "Entra ID role")
            ? ["Assign each MISSING Entra ID role to the app's service principal (Roles and administrators)."]
            : []),
        ];
  return (
    [
      `consent ${stack}: tenant ${tenantId}, deploying app ${clientId}`,
      ...rows.map(line),
      `${rows.length - missing.length} of ${rows.length} granted.`,
      ...next,
      ...(optional.length > 0
        ? ["Optional (one command reads with them; without, it says what it could not read):"]
        : []),
      ...optional.map((r) => `${line(r)}  (${r.for})`),
    ].join("\n") + "\n"
  );
}
