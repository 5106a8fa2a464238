/**
 * A per-locale company branding localization (Graph `organizationalBrandingLocalization`), through our dynamic
 * provider like the default branding.
 */
import type * as Graph from "@microsoft/microsoft-graph-types";
import { BRANDING_PERMISSIONS, brandingInputs, brandingSummary, streams } from "../organizational-branding";
import { brandingLocalization as logic } from "../organizational-branding/provider";
import { withAssetDigests } from "../shared/views";
import { grantsNothing, noDependencies, type ResourceDefinition } from "../types";

export const brandingLocalization: ResourceDefinition = {
  type: "brandingLocalization",
  endpoint: { api: "graph", path: "/organization/{organizationId}/branding/localizations", singleton: false },
  permissions: BRANDING_PERMISSIONS,
  check: {
    find: (r, live) =>
      live.brandingLocalizations.find((l) => String(l.id).toLowerCase() === r.naturalKey.toLowerCase()),
    // A localization's streams are compared by presence (only the default branding's are read by content).
    desired: (r) => withAssetDigests(r, new Map()),
    live: (_r, found: Graph.OrganizationalBrandingLocalization) => ({ ...found, assets: streams(found) }),
  },
  weakening: () => undefined,
  grants: grantsNothing,
  summary: brandingSummary,
  order: 2,
  implicitDependencies: noDependencies,
  management: { kind: "dynamic", pulumiType: "BrandingLocalization", logic, inputs: brandingInputs },
};
