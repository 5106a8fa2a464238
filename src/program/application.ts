/**
 * The backup app (APP01): application with application permissions resolved by value per tenant, its
 * public certificate as the only credential, its service principal, admin consent as app-role
 * assignments, and directory roles (Global Reader for Exchange.ManageAsApp).
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import type { DesiredResource } from "../core/desired";
import { slug } from "./group";

interface Access { resourceAppId: string; roles: string[] }

/** Registers the application and everything that makes it usable; returns the application. */
export function registerApplication(resource: DesiredResource, root: string, opts: pulumi.CustomResourceOptions): azuread.Application {
  const p = resource.properties as { displayName: string; signInAudience: string; requiredResourceAccess: Access[]; certificateFile: string; directoryRoles: string[] };
  const provider = opts.provider as azuread.Provider;
  // Resource service principals exist in every tenant; their app-role ids are read, never hard-coded.
  const resources = new Map(p.requiredResourceAccess.map((r) => [r.resourceAppId, azuread.getServicePrincipalOutput({ clientId: r.resourceAppId }, { provider })]));
  const roleId = (r: Access, value: string) => resources.get(r.resourceAppId)!.appRoleIds.apply((ids) => {
    const id = ids[value];
    // RunError: the engine prints the message alone, without a stack trace.
    if (!id) throw new pulumi.RunError(`${resource.controlId}: app role '${value}' does not exist on resource ${r.resourceAppId} in this tenant (update the preset, or check the resource API is enabled in the tenant)`);
    return id;
  });
  const app = new azuread.Application(resource.name, {
    displayName: p.displayName,
    signInAudience: p.signInAudience,
    preventDuplicateNames: true,
    requiredResourceAccesses: p.requiredResourceAccess.map((r) => ({ resourceAppId: r.resourceAppId, resourceAccesses: r.roles.map((value) => ({ id: roleId(r, value), type: "Role" })) })),
  }, opts);
  new azuread.ApplicationCertificate(`${resource.name}-certificate`, {
    applicationId: app.id,
    type: "AsymmetricX509Cert",
    encoding: "pem",
    value: readFileSync(resolve(root, p.certificateFile), "utf8"),
  }, opts);
  const principal = new azuread.ServicePrincipal(`${resource.name}-sp`, { clientId: app.clientId, appRoleAssignmentRequired: false }, opts);
  // Names by permission value; a value two resource APIs share (User.Read.All on Graph and on
  // SharePoint) also carries the resource app id, so the two consents never collide.
  const values = p.requiredResourceAccess.flatMap((r) => r.roles);
  const consentName = (r: Access, value: string) => `${resource.name}-consent-${values.filter((v) => v === value).length > 1 ? `${r.resourceAppId}-` : ""}${slug(value)}`;
  for (const r of p.requiredResourceAccess) {
    for (const value of r.roles) {
      new azuread.AppRoleAssignment(consentName(r, value), {
        appRoleId: roleId(r, value),
        principalObjectId: principal.objectId,
        resourceObjectId: resources.get(r.resourceAppId)!.objectId,
      }, opts);
    }
  }
  for (const role of p.directoryRoles) {
    new azuread.DirectoryRoleAssignment(`${resource.name}-role-${role}`, { roleId: role, principalObjectId: principal.objectId, directoryScopeId: "/" }, opts);
  }
  return app;
}
