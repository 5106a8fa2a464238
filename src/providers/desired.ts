/**
 * From compiled desired resources to the inputs of our dynamic resources: Graph/S&C properties as
 * compiled, with branding files turned into SHA-256 hashes (diffed) plus their paths (read at apply).
 */
import { ASSET_KINDS, loadAsset, type AssetKind } from "../core/assets";
import type { DesiredResource, ResourceType } from "../core/desired";
import { ValidationError } from "../errors";

/** Dynamic resource type per desired resource type; types `@pulumi/azuread` manages are absent. */
export const DYNAMIC_TYPES: Partial<Record<ResourceType, string>> = {
  organizationalBranding: "OrganizationalBranding",
  brandingLocalization: "BrandingLocalization",
  retentionLabel: "RetentionLabel",
  retentionCompliancePolicy: "RetentionPolicy",
  retentionComplianceRule: "RetentionRule",
  identitySecurityDefaultsEnforcementPolicy: "SecurityDefaults",
  authorizationPolicy: "AuthorizationPolicy",
  authenticationMethodsPolicy: "AuthenticationMethodsPolicy",
};

/** The dynamic type and inputs for `resource`; asset files are hashed from `root`. */
export function dynamicInputs(resource: DesiredResource, root: string): { type: string; inputs: Record<string, unknown> } {
  const type = DYNAMIC_TYPES[resource.type];
  if (!type) throw new Error(`${resource.type} is not a dynamic resource type`);
  if (resource.type !== "organizationalBranding" && resource.type !== "brandingLocalization") return { type, inputs: { ...resource.properties } };
  const { assets, ...rest } = resource.properties as { assets?: Partial<Record<AssetKind, string>> } & Record<string, unknown>;
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
  return { type, inputs: { ...rest, assets: hashes, assetPaths } };
}
