/**
 * Shared pieces of the `check` views: the compiled keys no Graph read can verify, and branding assets, which
 * `check` compares by presence (the live object names each stream's relative URL).
 */
import type { DesiredResource } from "../../core/desired";
import type { Json } from "../types";

/**
 * Compiled keys `check` does not compare: files and presets (verified elsewhere or not readable back),
 * write-only settings (mailNickname, acknowledgements) and the break-glass group's description.
 */
const NOT_READ_BACK = [
  "assets",
  "certificateFile",
  "directoryRoles",
  "preset",
  "requiredResourceAccess",
  "members",
  "mailNickname",
  "description",
  "preservationLockAcknowledged",
];

/** The compiled properties without the keys no read can verify. */
export function checkable(resource: DesiredResource): Json {
  return Object.fromEntries(Object.entries(resource.properties).filter(([k]) => !NOT_READ_BACK.includes(k)));
}

/**
 * The compiled properties with each branding asset as its file's SHA-256 (`{ bannerLogo: "<hex>" }`), or `true`
 * (present) when the digest is not known.
 */
export function withAssetDigests(resource: DesiredResource, files: ReadonlyMap<string, string>): Json {
  const assets = resource.properties["assets"];
  if (!isObject(assets)) return checkable(resource);
  const digests = Object.keys(assets)
    .sort()
    .map((k) => [k, files.get(String(assets[k])) ?? true]);
  return { ...checkable(resource), assets: Object.fromEntries(digests) };
}

/** A plain object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
