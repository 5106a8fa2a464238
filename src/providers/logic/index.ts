/** The provider logic per dynamic resource type, keyed by the type name in `pulumi-nodejs:dynamic/m365:<type>`. */
import { authenticationMethodsPolicy } from "./authentication-methods";
import { brandingLocalization, organizationalBranding } from "./branding";
import { retentionLabel, retentionPolicy, retentionRule } from "./retention";
import { authorizationPolicy, securityDefaults } from "./singleton";
import type { ResourceLogic } from "../types";

export const LOGIC: Readonly<Record<string, ResourceLogic>> = Object.fromEntries(
  [organizationalBranding, brandingLocalization, retentionLabel, retentionPolicy, retentionRule, securityDefaults, authorizationPolicy, authenticationMethodsPolicy].map((l) => [l.type, l]),
);
