/**
 * What `m365-baseline adopt` finds for APP01's resources: the same-name application, its service principal, the
 * certificate with the baseline's thumbprint, each consented permission and each directory role assignment. Import
 * ids are in the forms @pulumi/azuread documents for each resource ("## Import").
 */
import type * as Graph from "@microsoft/microsoft-graph-types";
import type { LiveSnapshot } from "../../check/snapshot";
import { keyIdentifierThumbprint } from "../../core/certificate";
import type { DesiredResource } from "../../core/desired";
import { adoptOne, sameName } from "../shared/adopt";
import type { Adoption, FileDigests } from "../types";
import { allApplicationNames, applicationNames, type ApplicationProperties } from "./names";

/** One adoption per Pulumi resource APP01 registers for `resource`, in the registrar's order. */
export function adoptApplication(resource: DesiredResource, live: LiveSnapshot, files: FileDigests): Adoption[] {
  const app = adoptOne(resource.name, "application", sameName(resource, live.applications), (id) => {
    return `/applications/${id}`;
  });
  if (app.action !== "adopt")
    return allApplicationNames(resource).map((name) => (name === resource.name ? app : { name, action: "create" }));
  const found = live.applications.find((a) => a.id === app.id)!;
  const p = resource.properties as unknown as ApplicationProperties;
  const n = applicationNames(resource);
  const grants = live.applicationGrants.get(String(found.appId));
  const one = (name: string, id: string | null | undefined, importId: string): Adoption =>
    id ? { name, action: "adopt", id, importId } : { name, action: "create" };
  const thumbprint = files.get(p.certificateFile);
  const certificate = (found.keyCredentials ?? []).find(
    (k) => thumbprint !== undefined && keyIdentifierThumbprint(k.customKeyIdentifier) === thumbprint,
  );
  const out = [
    app,
    one(n.certificate, certificate?.keyId, `${String(found.id)}/certificate/${String(certificate?.keyId)}`),
    one(n.servicePrincipal, grants?.servicePrincipalId, `/servicePrincipals/${String(grants?.servicePrincipalId)}`),
  ];
  for (const access of p.requiredResourceAccess)
    for (const value of access.roles) {
      const assignment = consented(grants?.consent ?? [], live, access.resourceAppId, value);
      out.push(
        one(
          n.consent(access.resourceAppId, value),
          assignment?.id,
          `/servicePrincipals/${String(assignment?.resourceId)}/appRoleAssignedTo/${String(assignment?.id)}`,
        ),
      );
    }
  for (const role of p.directoryRoles) {
    const assignment = (grants?.roleAssignments ?? []).find(
      (a) => String(a.roleDefinitionId).toLowerCase() === role.toLowerCase() && (a.directoryScopeId ?? "/") === "/",
    );
    out.push(one(n.role(role), assignment?.id, String(assignment?.id)));
  }
  return out;
}

/** The app-role assignment granting `value` of the resource API `resourceAppId`, if the app holds one. */
function consented(
  consent: readonly Graph.AppRoleAssignment[],
  live: LiveSnapshot,
  resourceAppId: string,
  value: string,
): Graph.AppRoleAssignment | undefined {
  return consent.find(
    (a) =>
      live.resourceAppIds.get(String(a.resourceId).toLowerCase()) === resourceAppId &&
      live.resourceAppRoles.get(resourceAppId)?.get(String(a.appRoleId)) === value,
  );
}
