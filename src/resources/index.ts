/**
 * The registry of managed resource types: one definition per `ResourceType`, each in its own folder. `check`,
 * `review`, the plan, the Pulumi program and the dynamic provider loop over it; a type without a definition, or a
 * definition without one of its parts, does not compile.
 */
import type { ResourceType } from "../core/desired";
import type { ResourceLogic } from "../providers/types";
import { application } from "./application";
import { authenticationMethodsPolicy } from "./authentication-methods-policy";
import { authorizationPolicy } from "./authorization-policy";
import { brandingLocalization } from "./branding-localization";
import { conditionalAccessPolicy } from "./conditional-access-policy";
import { group } from "./group";
import { identitySecurityDefaultsEnforcementPolicy } from "./identity-security-defaults-enforcement-policy";
import { namedLocation } from "./named-location";
import { organizationalBranding } from "./organizational-branding";
import { retentionCompliancePolicy } from "./retention-compliance-policy";
import { retentionComplianceRule } from "./retention-compliance-rule";
import { retentionLabel } from "./retention-label";
import type { ResourceDefinition } from "./types";

export const RESOURCES = {
  conditionalAccessPolicy,
  namedLocation,
  group,
  organizationalBranding,
  brandingLocalization,
  retentionLabel,
  retentionCompliancePolicy,
  retentionComplianceRule,
  identitySecurityDefaultsEnforcementPolicy,
  authorizationPolicy,
  authenticationMethodsPolicy,
  application,
} as const satisfies Record<ResourceType, ResourceDefinition>;

/** The definition of `type`. */
export function resourceDefinition(type: ResourceType): ResourceDefinition {
  return RESOURCES[type];
}

/** Every definition, in registry order. */
export const resourceDefinitions: readonly ResourceDefinition[] = Object.values(RESOURCES);

/** The dynamic-provider logic per Pulumi type name (`pulumi-nodejs:dynamic/m365:<name>`). */
export const DYNAMIC_LOGIC: Readonly<Record<string, ResourceLogic>> = Object.fromEntries(
  resourceDefinitions.flatMap((d) =>
    d.management.kind === "dynamic" ? [[d.management.pulumiType, d.management.logic]] : [],
  ),
);
