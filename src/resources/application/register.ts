/**
 * The backup app (APP01): application with application permissions resolved by value per tenant, its
 * public certificate as the only credential, its service principal, admin consent as app-role
 * assignments, and directory roles (Global Reader for Exchange.ManageAsApp).
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type * as azuread from "@pulumi/azuread";
import type * as pulumi from "@pulumi/pulumi";
import type { DesiredResource } from "../../core/desired";
import { azureadModule, pulumiModule } from "../shared/pulumi-modules";

interface Access {
  resourceAppId: string;
  roles: string[];
}

/** Registers the application and everything that makes it usable; returns the application. */
export function registerApplication(
  resource: DesiredResource,
  root: string,
  opts: pulumi.CustomResourceOptions,
): azuread.Application {
  const az = azureadModule();
  const p = resource.properties as {
    displayName: string;
    signInAudience: string;
    requiredResourceAccess: Access[];
    certificateFile: string;
    directoryRoles: string[];
  };
  const provider = opts.provider as azuread.Provider;
  // Resource service principals exist in every tenant; their app-role ids are read, never hard-coded.
  const resources = new Map(
    p.requiredResourceAccess.map((r) => [
      r.resourceAppId,
      az.getServicePrincipalOutput({ clientId: r.resourceAppId }, { provider }),
    ]),
  );
  const roleId = (r: Access, value: string) =>
    resources.get(r.resourceAppId)!.appRoleIds.apply((ids) => {
      const id = ids[value];
      // RunError: the engine prints the message alone, without a stack trace.
      if (!id)
        throw new (pulumiModule().RunError)(
          `${resource.controlId}: app role '${value}' does not exist on resource ${r.resourceAppId} in this tenant (update the preset, or check the resource API is enabled in the tenant)`,
        );
      return id;
    });
  const app = new az.Application(
    resource.name,
    {
      displayName: p.displayName,
      signInAudience: p.signInAudience,
      preventDuplicateNames: true,
      requiredResourceAccesses: p.requiredResourceAccess.map((r) => ({
        resourceAppId: r.resourceAppId,
        resourceAccesses: r.roles.map((value) => ({ id: roleId(r, value), type: "Role" })),
      })),
    },
    opts,
  );
  new az.ApplicationCertificate(
    `${resource.name}-certificate`,
    {
      applicationId: app.id,
      type: "AsymmetricX509Cert",
      encoding: "pem",
      value: readFileSync(resolve(root, p.certificateFile), "utf8"),
    },
    opts,
  );
  const principal = new az.ServicePrincipal(
    `${resource.name}-sp`,
    { clientId: app.clientId, appRoleAssignmentRequired: false },
    opts,
  );
  // Names by permission value; a value two resource APIs share (User.Read.All on Graph and on
  // SharePoint) also carries the resource app id, so the two consents never collide.
  const values = p.requiredResourceAccess.flatMap((r) => r.roles);
  const consentName = (r: Access, value: string) =>
    `${resource.name}-consent-${values.filter((v) => v === value).length > 1 ? `${r.resourceAppId}-` : ""}${slug(value)}`;
  for (const r of p.requiredResourceAccess) {
    for (const value of r.roles) {
      new az.AppRoleAssignment(
        consentName(r, value),
        {
          appRoleId: roleId(r, value),
          principalObjectId: principal.objectId,
          resourceObjectId: resources.get(r.resourceAppId)!.objectId,
        },
        opts,
      );
    }
  }
  for (const role of p.directoryRoles) {
    new az.DirectoryRoleAssignment(
      `${resource.name}-role-${role}`,
      { roleId: role, principalObjectId: principal.objectId, directoryScopeId: "/" },
      opts,
    );
  }
  return app;
}

/** Lower-case letters, digits and dashes: stable Pulumi names from UPNs and permission values. */
function slug(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}
