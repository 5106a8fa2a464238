/**
 * What a compiled tenant's referenced files hold, for the review: the desired state names files by path, so a
 * replaced certificate or logo behind an unchanged path would otherwise be invisible in a pull request.
 */
import { createHash } from "node:crypto";
import { ASSET_KINDS, loadAsset, type AssetKind } from "../core/assets";
import { certificateThumbprint } from "../core/certificate";
import type { CompiledTenant } from "../core/desired";
import { readCapped, repoFile } from "../core/repo-file";
import { MAX_CERTIFICATE_BYTES } from "../tenant/files";

/** `<resource>:<key>` → the file's digest: a certificate's SHA-1 thumbprint as Entra shows it, else SHA-256. */
export type FileDigests = Readonly<Record<string, string>>;

/** Digests of every file `compiled` refers to under `root` (a missing file has none: compile reports it). */
export function fileDigests(root: string, compiled: CompiledTenant): FileDigests {
  const out: Record<string, string> = {};
  for (const r of compiled.resources) {
    const certificate = r.type === "application" ? r.properties["certificateFile"] : undefined;
    const file = typeof certificate === "string" ? repoFile(root, certificate) : undefined;
    // Bounded read: a certificate past the cap (refused by validation) is compared by its size, never loaded whole.
    const read = file?.ok ? readCapped(file.full, MAX_CERTIFICATE_BYTES) : undefined;
    if (read) out[`${r.name}:certificateFile`] = read.ok ? thumbprint(read.bytes) : `oversized:${read.size}`;
    // Images and CSS: the same SHA-256 the providers upload and compare by (core/assets).
    const assets = r.properties["assets"];
    for (const [kind, path] of Object.entries(assets && typeof assets === "object" ? assets : {})) {
      const asset =
        ASSET_KINDS.includes(kind as AssetKind) && typeof path === "string"
          ? loadAsset(root, kind as AssetKind, path)
          : undefined;
      if (asset?.ok) out[`${r.name}:assets.${kind}`] = `sha256:${asset.asset.sha256}`;
    }
  }
  return out;
}

function thumbprint(bytes: Buffer): string {
  const sha1 = certificateThumbprint(bytes);
  return sha1 ? `thumbprint:${sha1}` : `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
