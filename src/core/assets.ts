/**
 * Local validation of branding assets before any call to Microsoft: the path stays inside the
 * repository, the file exists, images are PNG or JPEG by their magic bytes with pixel dimensions and
 * byte sizes within the Entra portal's limits (MicrosoftDocs/entra-docs
 * docs/fundamentals/how-to-customize-branding.md), and CSS stays under 25 KB.
 */
import { createHash } from "node:crypto";
import { readCapped, repoFile } from "./repo-file";

export const ASSET_KINDS = [
  "backgroundImage",
  "bannerLogo",
  "customCSS",
  "favicon",
  "headerLogo",
  "squareLogo",
  "squareLogoDark",
] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

interface Limit {
  readonly maxWidth?: number;
  readonly maxHeight?: number;
  readonly maxBytes: number;
}

/** Per-stream limits: the Entra portal's values, which are stricter than Graph's documentation. */
export const ASSET_LIMITS: Record<AssetKind, Limit> = {
  backgroundImage: { maxWidth: 1920, maxHeight: 1080, maxBytes: 300 * 1024 },
  bannerLogo: { maxWidth: 245, maxHeight: 36, maxBytes: 50 * 1024 },
  headerLogo: { maxWidth: 245, maxHeight: 36, maxBytes: 10 * 1024 },
  squareLogo: { maxWidth: 240, maxHeight: 240, maxBytes: 50 * 1024 },
  squareLogoDark: { maxWidth: 240, maxHeight: 240, maxBytes: 50 * 1024 },
  favicon: { maxWidth: 32, maxHeight: 32, maxBytes: 5 * 1024 },
  customCSS: { maxBytes: 25 * 1024 },
};

/** A validated asset: its bytes, content type and SHA-256 (drift of an image is a hash difference). */
export interface Asset {
  readonly kind: AssetKind;
  readonly path: string;
  readonly bytes: Buffer;
  readonly contentType: "image/png" | "image/jpeg" | "text/css";
  readonly sha256: string;
}

/** Checks one asset; returns the problem in words (with the fix) or the loaded asset. */
export function loadAsset(
  repoRoot: string,
  kind: AssetKind,
  path: string,
): { ok: true; asset: Asset } | { ok: false; message: string; fix: string } {
  const file = repoFile(repoRoot, path);
  if (!file.ok) return file;
  const limit = ASSET_LIMITS[kind];
  const read = readCapped(file.full, limit.maxBytes);
  if (!read.ok) {
    return {
      ok: false,
      message: `${path} is ${read.size} bytes; ${kind} allows at most ${limit.maxBytes}`,
      fix: "compress or resize the file",
    };
  }
  const bytes = read.bytes;
  const sha256 = sha256Hex(bytes);
  if (kind === "customCSS") {
    if (!path.toLowerCase().endsWith(".css"))
      return { ok: false, message: `${path} is not a .css file`, fix: "customCSS takes a .css file" };
    return { ok: true, asset: { kind, path, bytes, contentType: "text/css", sha256 } };
  }
  const image = imageInfo(bytes);
  if (!image)
    return { ok: false, message: `${path} is not a PNG or JPEG image`, fix: `save ${kind} as PNG (preferred) or JPEG` };
  if ((limit.maxWidth && image.width > limit.maxWidth) || (limit.maxHeight && image.height > limit.maxHeight)) {
    return {
      ok: false,
      message: `${path} is ${image.width}×${image.height} px; ${kind} allows at most ${limit.maxWidth}×${limit.maxHeight}`,
      fix: "resize the image",
    };
  }
  return { ok: true, asset: { kind, path, bytes, contentType: image.contentType, sha256 } };
}

/** Reads type and pixel size from PNG (IHDR) or JPEG (SOFn) headers; undefined for anything else. */
export function imageInfo(
  bytes: Buffer,
): { contentType: "image/png" | "image/jpeg"; width: number; height: number } | undefined {
  if (
    bytes.length >= 24 &&
    bytes.readUInt32BE(0) === 0x89504e47 &&
    bytes.readUInt32BE(4) === 0x0d0a1a0a &&
    bytes.toString("ascii", 12, 16) === "IHDR"
  ) {
    return { contentType: "image/png", width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let offset = 2;
    while (offset + 9 < bytes.length) {
      if (bytes[offset] !== 0xff) return undefined;
      const marker = bytes[offset + 1]!;
      const length = bytes.readUInt16BE(offset + 2);
      // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return {
          contentType: "image/jpeg",
          height: bytes.readUInt16BE(offset + 5),
          width: bytes.readUInt16BE(offset + 7),
        };
      }
      offset += 2 + length;
    }
  }
  return undefined;
}

/** The SHA-256 of `bytes` as lower-case hex: how files and live streams are compared. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}
