/**
 * The backup product's app registration (APP01): `azuread.Application` with its service principal, a certificate
 * credential, admin consent as app-role assignments and directory roles. An app is a new identity: adding one, or
 * a permission or role to one, weakens.
 */
import type * as Graph from "@microsoft/microsoft-graph-types";
import type { LiveSnapshot } from "../../check/snapshot";
import { keyIdentifierThumbprint } from "../../core/certificate";
import type { DesiredResource } from "../../core/desired";
import { graph } from "../../controls/types";
import { checkable } from "../shared/views";
import { byNaturalKey, noDependencies, type ChangeKind, type CheckViews, type ResourceDefinition } from "../types";
import { leafOf, setChange } from "../weakening";
import { adoptApplication } from "./adopt";
import { allApplicationNames } from "./names";
import { registerApplication } from "./register";

type Access = { resourceAppId: string; roles: string[] };

function sortedAccess(access: readonly Access[] | undefined): Access[] {
  return [...(access ?? [])]
    .map((a) => ({ resourceAppId: a.resourceAppId, roles: [...a.roles].sort() }))
    .sort((a, b) => a.resourceAppId.localeCompare(b.resourceAppId));
}

function weakening(_r: DesiredResource, path: string, before: unknown, after: unknown): ChangeKind | undefined {
  const leaf = leafOf(path);
  if (leaf === "roles" || path.startsWith("requiredResourceAccess")) return setChange(before, after, "grow-weakens");
  if (leaf === "directoryRoles") return setChange(before, after, "grow-weakens");
  return undefined;
}

function summary(r: DesiredResource): string {
  const p = r.properties;
  const permissions = (p["requiredResourceAccess"] as Access[]).reduce((n, a) => n + a.roles.length, 0);
  return `${String(p["preset"])}; ${permissions} application permissions; certificate ${String(p["certificateFile"])}`;
}

/** An app's consent (app-role assignments of its service principal) by resource API and permission value. */
function consentOf(found: Graph.Application, live: LiveSnapshot): Access[] {
  const byResource = new Map<string, string[]>();
  for (const a of live.applicationGrants.get(String(found.appId))?.consent ?? []) {
    const appId = live.resourceAppIds.get(String(a.resourceId).toLowerCase()) ?? String(a.resourceId);
    const value = live.resourceAppRoles.get(appId)?.get(String(a.appRoleId)) ?? String(a.appRoleId);
    byResource.set(appId, [...(byResource.get(appId) ?? []), value]);
  }
  return sortedAccess([...byResource].map(([resourceAppId, roles]) => ({ resourceAppId, roles })));
}

const views: CheckViews<Graph.Application> = {
  find: (r, live) => byNaturalKey(r, live.applications),
  // What `check` can verify from Graph: permissions by value, consent to exactly those, the directory roles, a
  // certificate credential and no client secret. A permission, consent or role added by hand is drift.
  desired: (r, files) => {
    const access = sortedAccess(r.properties["requiredResourceAccess"] as Access[]);
    const roles = [...((r.properties["directoryRoles"] ?? []) as string[])].sort();
    return {
      // The certificate file and preset are inputs, not Graph properties; access and roles are compared below.
      ...checkable(r, ["certificateFile", "preset", "requiredResourceAccess", "directoryRoles"]),
      requiredResourceAccess: access,
      consent: access,
      directoryRoles: roles,
      // Exactly the baseline's certificate, by thumbprint: one added or swapped by hand can sign in as the app.
      credentials: {
        certificates: [files.get(String(r.properties["certificateFile"])) ?? "(unreadable)"],
        clientSecrets: 0,
      },
    };
  },
  live: (_r, found, live) => {
    const access = (found.requiredResourceAccess ?? []).map((a) => ({
      resourceAppId: String(a.resourceAppId),
      roles: (a.resourceAccess ?? [])
        .filter((x) => x.type === "Role")
        .map((x) => live.resourceAppRoles.get(String(a.resourceAppId))?.get(String(x.id)) ?? String(x.id)),
    }));
    const certificates = (found.keyCredentials ?? [])
      .filter((k) => k.type === "AsymmetricX509Cert")
      .map((k) => keyIdentifierThumbprint(k.customKeyIdentifier) ?? String(k.keyId))
      .sort();
    const clientSecrets = (found.passwordCredentials ?? []).length;
    return {
      ...found,
      requiredResourceAccess: sortedAccess(access),
      consent: consentOf(found, live),
      directoryRoles: [...(live.applicationGrants.get(String(found.appId))?.directoryRoles ?? [])],
      credentials: { certificates, clientSecrets },
    };
  },
};

export const application: ResourceDefinition = {
  type: "application",
  endpoint: { api: "graph", path: "/applications", singleton: false },
  permissions: {
    read: [graph("Application.Read.All"), graph("RoleManagement.Read.Directory")],
    write: [
      graph("Application.ReadWrite.All"),
      graph("AppRoleAssignment.ReadWrite.All"),
      graph("RoleManagement.ReadWrite.Directory"),
    ],
  },
  check: views,
  weakening,
  grants: () => true,
  summary,
  order: 2,
  implicitDependencies: noDependencies,
  management: {
    kind: "azuread",
    register: registerApplication,
    names: allApplicationNames,
    adopt: adoptApplication,
  },
};
