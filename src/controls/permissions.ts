/**
 * The permissions a baseline needs, derived from the control registry: what `check` needs to read and
 * what `pulumi up` needs to write, per control and as one de-duplicated list per API.
 */
import { InternalError } from "../errors";
import { controls } from "./index";
import type { ControlDefinition, Permission } from "./types";

/** Every control of the registry. */
function allControls(): ControlDefinition<unknown>[] {
  return Object.values(controls) as ControlDefinition<unknown>[];
}

/** Sorted, de-duplicated permissions of `list`. */
export function uniquePermissions(list: readonly Permission[]): Permission[] {
  const seen = new Map(list.map((p) => [`${p.resource}|${p.value}`, p]));
  return [...seen.values()].sort((a, b) => a.resource.localeCompare(b.resource) || a.value.localeCompare(b.value));
}

/** `docs/permissions.md`: per-control read/write permissions and the totals to grant the deploying app. */
export function permissionsMarkdown(): string {
  const all = allControls();
  const cell = (list: readonly Permission[]) =>
    uniquePermissions(list)
      .map((p) => (p.resource === "Microsoft Graph" ? p.value : `${p.value} (${p.resource})`))
      .join(", ") || "—";
  const lines = [
    "# Permissions",
    "",
    "Generated from the control registry by `m365-baseline permissions --write`; a test fails when it is stale.",
    "Grant these application permissions to the deploying app registration (admin consent) in every tenant.",
    "",
    "| Control | Title | Licence | Read (`check`, `preview --refresh`) | Write (`pulumi up`) |",
    "| --- | --- | --- | --- | --- |",
    ...all.map(
      (c) =>
        `| ${c.id} | ${c.title} | ${c.licence ?? "—"} | ${cell(c.permissions.read)} | ${cell(c.permissions.write)} |`,
    ),
    "",
    "## Totals",
    "",
    `- **Read-only (\`check\`)**: ${cell(all.flatMap((c) => c.permissions.read))}`,
    `- **Apply (\`pulumi up\`)**: ${cell(all.flatMap((c) => [...c.permissions.read, ...c.permissions.write]))}`,
    ...COMMAND_PERMISSIONS.map((p) => `- **Optional, \`${p.command}\`**: ${p.value}, for ${p.why}`),
    "",
    "Retention (RET01, RET02) goes through the Security & Compliance PowerShell REST endpoint: the deploying app",
    "also needs `Exchange.ManageAsApp` (Office 365 Exchange Online) and the Compliance Administrator role.",
    "",
  ];
  return lines.join("\n");
}

/** What `check` reads besides the controls' objects: Secure Score and the inventory of privileged apps. */
export const CHECK_PERMISSIONS: readonly Permission[] = [
  { resource: "Microsoft Graph", value: "SecurityEvents.Read.All" },
  { resource: "Microsoft Graph", value: "Application.Read.All" },
  { resource: "Microsoft Graph", value: "Policy.Read.All" },
];

/**
 * Permissions one command reads with besides `check` and `pulumi up`; without them that command still runs and
 * says what it could not read (so `consent` lists them as optional).
 */
export const COMMAND_PERMISSIONS: readonly (Permission & { readonly command: string; readonly why: string })[] = [
  {
    resource: "Microsoft Graph",
    value: "AuditLog.Read.All",
    command: "promote",
    why: "the report-only impact from sign-in logs (GET /auditLogs/signIns)",
  },
  {
    resource: "Microsoft Graph",
    value: "AuditLog.Read.All",
    command: "check",
    why: "the backup app's last sign-in (customer report; GET /beta/reports/servicePrincipalSignInActivities)",
  },
];

/** Everything `check` needs in a tenant: its own reads plus every control's read permissions. */
export function checkPermissions(): Permission[] {
  const all = allControls();
  return uniquePermissions([...CHECK_PERMISSIONS, ...all.flatMap((c) => c.permissions.read)]);
}

/** Everything `pulumi up` needs in a tenant: what `check` reads plus every control's write permissions. */
export function applyPermissions(): Permission[] {
  const all = allControls();
  return uniquePermissions([...checkPermissions(), ...all.flatMap((c) => c.permissions.write)]);
}

/**
 * What the deploying app needs in a tenant whose compiled baseline has resources of `controlIds`:
 * `check`'s own reads plus those controls' read and write permissions, as "value (resource)".
 */
export function tenantPermissions(controlIds: Iterable<string>): string[] {
  return tenantPermissionList(controlIds).map((p) => `${p.value} (${p.resource})`);
}

/** Like `tenantPermissions`, as `Permission`s. */
export function tenantPermissionList(controlIds: Iterable<string>): Permission[] {
  const registry = controls as Readonly<Record<string, ControlDefinition<unknown>>>;
  const used = [...new Set(controlIds)].flatMap((id) => {
    const c = registry[id];
    return c ? [...c.permissions.read, ...c.permissions.write] : [];
  });
  return uniquePermissions([...CHECK_PERMISSIONS, ...used]);
}

/** The application id of each resource API a permission is defined on (its service principal in every tenant). */
export const RESOURCE_APP_IDS: Readonly<Record<Exclude<Permission["resource"], "Entra ID role">, string>> = {
  "Microsoft Graph": "00000003-0000-0000-c000-000000000000",
  "Office 365 Exchange Online": "00000002-0000-0ff1-ce00-000000000000",
};

/** The README's permissions summary (between its permissions markers): one row per API and use. */
export function permissionsReadmeTable(): string {
  const read = checkPermissions();
  const write = applyPermissions().filter((p) => !read.some((r) => r.resource === p.resource && r.value === p.value));
  const rows = [
    ...read.map((p) => ({ p, use: "read (`check`) and apply" })),
    ...write.map((p) => ({ p, use: "apply (`pulumi up`) only" })),
    ...COMMAND_PERMISSIONS.map((p) => ({ p, use: `optional: \`${p.command}\`, for ${p.why}` })),
  ];
  return [
    "| Resource | Permission | Needed for |",
    "| --- | --- | --- |",
    ...rows.map(({ p, use }) => `| ${p.resource} | ${p.value} | ${use} |`),
  ].join("\n");
}

/** Template ids of the Entra roles the permission lists name. */
const DIRECTORY_ROLE_TEMPLATE_IDS: Readonly<Record<string, string>> = {
  "Compliance Administrator": "17315797-102d-40b4-93e0-432062caca18",
};

/**
 * A permission list as an admin grants it: app-role values to consent to, and directory role template ids to assign.
 */
export function grantsFor(permissions: readonly Permission[]): { appRoles: string[]; directoryRoleIds: string[] } {
  return {
    appRoles: permissions.filter((p) => p.resource !== "Entra ID role").map((p) => p.value),
    directoryRoleIds: permissions
      .filter((p) => p.resource === "Entra ID role")
      .map((p) => directoryRoleTemplateId(p.value)),
  };
}

/** The template id of the Entra role named `name` in a permission list; an internal error for an unknown one. */
export function directoryRoleTemplateId(name: string): string {
  const id = DIRECTORY_ROLE_TEMPLATE_IDS[name];
  if (!id) throw new InternalError(`no template id for the directory role ${name}`);
  return id;
}
