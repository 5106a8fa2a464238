/**
 * Shared pieces of the `check` views: the compiled properties minus what no read can verify, and branding assets
 * as their files' SHA-256.
 */
import type { DesiredResource } from "../../core/desired";
import type { Json } from "../types";

/** The compiled properties without `omit`: the keys the type compiles that no Graph read can verify. */
export function checkable(resource: DesiredResource, omit: readonly string[] = []): Json {
  return Object.fromEntries(Object.entries(resource.properties).filter(([k]) => !omit.includes(k)));
}

/**
 * The compiled properties with each branding asset as its file's SHA-256 (`{ bannerLogo: "<hex>" }`), or `true`
 * (present) when the digest is not known.
 */
export function withAssetDigests(resource: DesiredResource, files: ReadonlyMap<string, string>): Json {
  const assets = resource.properties["assets"];
  if (!isObject(assets)) return checkable(resource, ["assets"]);
  const digests = Object.keys(assets)
    .sort()
    .map((k) => [k, files.get(String(assets[k])) ?? true]);
  return { ...checkable(resource, ["assets"]), assets: Object.fromEntries(digests) };
}

/** A plain object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
