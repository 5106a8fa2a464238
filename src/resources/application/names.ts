/**
 * The Pulumi names of what APP01 registers for one application: the registrar names its resources with these, and
 * `m365-baseline:imports` may name only these. They are in every tenant's state: never rename them.
 */
import type { DesiredResource } from "../../core/desired";

/** One application permission: its resource API and its value. */
export interface Access {
  readonly resourceAppId: string;
  readonly roles: readonly string[];
}

/** The application's properties as compiled (APP01). */
export interface ApplicationProperties {
  readonly displayName: string;
  readonly signInAudience: string;
  readonly requiredResourceAccess: readonly Access[];
  readonly certificateFile: string;
  readonly directoryRoles: readonly string[];
}

/** The names of the application, its certificate, service principal, consent and directory-role resources. */
export interface ApplicationNames {
  readonly application: string;
  readonly certificate: string;
  readonly servicePrincipal: string;
  consent(resourceAppId: string, value: string): string;
  role(roleId: string): string;
}

/**
 * Names for `resource`'s Pulumi resources. A consent is named by its permission value; a value two resource APIs
 * share (User.Read.All on Graph and on SharePoint) also carries the resource app id, so the two never collide.
 */
export function applicationNames(resource: DesiredResource): ApplicationNames {
  const p = resource.properties as unknown as ApplicationProperties;
  const values = p.requiredResourceAccess.flatMap((r) => r.roles);
  const repeated = (value: string) => values.filter((v) => v === value).length > 1;
  return {
    application: resource.name,
    certificate: `${resource.name}-certificate`,
    servicePrincipal: `${resource.name}-sp`,
    consent: (resourceAppId, value) =>
      `${resource.name}-consent-${repeated(value) ? `${resourceAppId}-` : ""}${slug(value)}`,
    role: (roleId) => `${resource.name}-role-${roleId}`,
  };
}

/** Every Pulumi name the registrar gives `resource`'s resources. */
export function allApplicationNames(resource: DesiredResource): string[] {
  const p = resource.properties as unknown as ApplicationProperties;
  const n = applicationNames(resource);
  return [
    n.application,
    n.certificate,
    n.servicePrincipal,
    ...p.requiredResourceAccess.flatMap((r) => r.roles.map((value) => n.consent(r.resourceAppId, value))),
    ...p.directoryRoles.map((role) => n.role(role)),
  ];
}

/** Lower-case letters, digits and dashes: stable Pulumi names from permission values. */
function slug(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}
