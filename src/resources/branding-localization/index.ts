/**
 * A per-locale company branding localization (Graph `organizationalBrandingLocalization`), through our dynamic
 * provider like the default branding.
 */
import { BRANDING_PERMISSIONS, brandingInputs, brandingSummary } from "../organizational-branding";
import { brandingLocalization as logic } from "../organizational-branding/provider";
import { withAssetDigests } from "../shared/views";
import { grantsNothing, noDependencies, type ResourceDefinition } from "../types";

export const brandingLocalization: ResourceDefinition = {
  type: "brandingLocalization",
  endpoint: { api: "graph", path: "/organization/{organizationId}/branding/localizations", singleton: false },
  permissions: BRANDING_PERMISSIONS,
  check: {
    // Not read by `check` yet: a localization is reported missing (issue 13 reads the localizations collection).
    find: () => undefined,
    desired: withAssetDigests,
    live: (_r, found) => found,
  },
  weakening: () => undefined,
  grants: grantsNothing,
  summary: brandingSummary,
  order: 2,
  implicitDependencies: noDependencies,
  management: { kind: "dynamic", pulumiType: "BrandingLocalization", logic, inputs: brandingInputs },
};
