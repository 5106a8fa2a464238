/**
 * The backup app (APP01): application with application permissions resolved by value per tenant, its
 * public certificate as the only credential, its service principal, admin consent as app-role
 * assignments, and directory roles (Global Reader for Exchange.ManageAsApp).
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type * as azuread from "@pulumi/azuread";
import type { DesiredResource } from "../../core/desired";
import type { RegisterContext } from "../types";
import { azureadModule, pulumiModule } from "../shared/pulumi-modules";
import { applicationNames, type Access, type ApplicationProperties } from "./names";

/** Registers the application and everything that makes it usable; returns the application. */
export function registerApplication(
  resource: DesiredResource,
  { root, opts, optsFor }: Pick<RegisterContext, "root" | "opts" | "optsFor">,
): azuread.Application {
  const az = azureadModule();
  const p = resource.properties as unknown as ApplicationProperties;
  const names = applicationNames(resource);
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
    names.application,
    {
      displayName: p.displayName,
      signInAudience: p.signInAudience,
      preventDuplicateNames: true,
      requiredResourceAccesses: p.requiredResourceAccess.map((r) => ({
        resourceAppId: r.resourceAppId,
        resourceAccesses: r.roles.map((value) => ({ id: roleId(r, value), type: "Role" })),
      })),
    },
    optsFor(names.application),
  );
  new az.ApplicationCertificate(
    names.certificate,
    {
      applicationId: app.id,
      type: "AsymmetricX509Cert",
      encoding: "pem",
      value: readFileSync(resolve(root, p.certificateFile), "utf8"),
    },
    optsFor(names.certificate),
  );
  const principal = new az.ServicePrincipal(
    names.servicePrincipal,
    { clientId: app.clientId, appRoleAssignmentRequired: false },
    optsFor(names.servicePrincipal),
  );
  for (const r of p.requiredResourceAccess) {
    for (const value of r.roles) {
      const name = names.consent(r.resourceAppId, value);
      new az.AppRoleAssignment(
        name,
        {
          appRoleId: roleId(r, value),
          principalObjectId: principal.objectId,
          resourceObjectId: resources.get(r.resourceAppId)!.objectId,
        },
        optsFor(name),
      );
    }
  }
  for (const role of p.directoryRoles) {
    new az.DirectoryRoleAssignment(
      names.role(role),
      { roleId: role, principalObjectId: principal.objectId, directoryScopeId: "/" },
      optsFor(names.role(role)),
    );
  }
  return app;
}
