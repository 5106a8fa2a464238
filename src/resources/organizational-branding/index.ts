/**
 * Company branding (Graph `organizationalBranding`, the default localization "0"): texts and complex settings by
 * PATCH, each image or stylesheet as a stream, through our dynamic provider (`@pulumi/azuread` has no branding).
 * The plan and review treat it as neutral: branding grants nothing and protects nothing.
 */
import type * as Graph from "@microsoft/microsoft-graph-types";
import { ASSET_KINDS, loadAsset, type AssetKind } from "../../core/assets";
import type { DesiredResource } from "../../core/desired";
import { graph } from "../../controls/types";
import { ValidationError } from "../../errors";
import { withAssetDigests } from "../shared/views";
import { grantsNothing, noDependencies, type Json, type ResourceDefinition } from "../types";
import { organizationalBranding as logic } from "./provider";

/** The live branding's streams as presence flags: Graph names each uploaded stream's `<kind>RelativeUrl`. */
export function streams(b: Graph.OrganizationalBrandingProperties): Record<string, boolean> {
  const urls = {
    backgroundImage: b.backgroundImageRelativeUrl,
    bannerLogo: b.bannerLogoRelativeUrl,
    customCSS: b.customCSSRelativeUrl,
    favicon: b.faviconRelativeUrl,
    headerLogo: b.headerLogoRelativeUrl,
    squareLogo: b.squareLogoRelativeUrl,
    squareLogoDark: b.squareLogoDarkRelativeUrl,
  };
  return Object.fromEntries(Object.entries(urls).map(([k, v]) => [k, Boolean(v)]));
}

/**
 * Dynamic inputs: the compiled properties with each asset file as its SHA-256 (diffed) and its path (read at apply).
 */
export function brandingInputs(resource: DesiredResource, root: string): Json {
  const { assets, ...rest } = resource.properties as { assets?: Partial<Record<AssetKind, string>> } & Json;
  const hashes: Record<string, string> = {};
  const assetPaths: Record<string, string> = {};
  for (const kind of ASSET_KINDS) {
    const path = assets?.[kind];
    if (path === undefined) continue;
    const loaded = loadAsset(root, kind, path);
    if (!loaded.ok) throw new ValidationError([{ file: path, path: kind, message: loaded.message, fix: loaded.fix }]);
    hashes[kind] = loaded.asset.sha256;
    assetPaths[kind] = path;
  }
  return { ...rest, assets: hashes, assetPaths };
}

/** Texts and images in a few words. */
export function brandingSummary(r: DesiredResource): string {
  const p = r.properties;
  const texts = Object.keys(p).filter((k) => /Text$/.test(k)).length;
  return `texts ${texts}; images ${Object.keys((p["assets"] ?? {}) as Json).join(",") || "none"}`;
}

export const BRANDING_PERMISSIONS = {
  read: [graph("Organization.Read.All")],
  write: [graph("OrganizationalBranding.ReadWrite.All"), graph("Organization.Read.All")],
};

export const organizationalBranding: ResourceDefinition = {
  type: "organizationalBranding",
  endpoint: { api: "graph", path: "/organization/{organizationId}/branding", singleton: true },
  permissions: BRANDING_PERMISSIONS,
  check: {
    find: (_r, live) => live.singletons["organizationalBranding"],
    desired: withAssetDigests,
    // A stream the snapshot read is compared by content (a logo swapped by hand is drift), others by presence.
    live: (_r, found: Graph.OrganizationalBranding, live) => {
      const present = streams(found);
      const assets = Object.fromEntries(Object.entries(present).map(([k, v]) => [k, live.brandingStreams.get(k) ?? v]));
      return { ...found, assets };
    },
  },
  weakening: () => undefined,
  grants: grantsNothing,
  summary: brandingSummary,
  order: 2,
  implicitDependencies: noDependencies,
  management: { kind: "dynamic", pulumiType: "OrganizationalBranding", logic, inputs: brandingInputs },
};
