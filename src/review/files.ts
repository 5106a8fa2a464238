/**
 * What a compiled tenant's referenced files hold, for the review: the desired state names files by path, so a
 * replaced certificate or logo behind an unchanged path would otherwise be invisible in a pull request.
 */
import { createHash, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import type { CompiledTenant } from "../core/desired";
import { repoFile } from "../core/repo-file";

/** `<resource>:<key>` → the file's digest: a certificate's SHA-1 thumbprint as Entra shows it, else SHA-256. */
export type FileDigests = Readonly<Record<string, string>>;

/** Digests of every file `compiled` refers to under `root` (a missing file has none: compile reports it). */
export function fileDigests(root: string, compiled: CompiledTenant): FileDigests {
  const out: Record<string, string> = {};
  for (const r of compiled.resources) {
    const refs: [string, unknown][] = r.type === "application" ? [["certificateFile", r.properties["certificateFile"]]] : [];
    const assets = r.properties["assets"];
    if (assets && typeof assets === "object") for (const [kind, path] of Object.entries(assets)) refs.push([`assets.${kind}`, path]);
    for (const [key, path] of refs) {
      if (typeof path !== "string") continue;
      const file = repoFile(root, path);
      if (!file.ok) continue;
      const bytes = readFileSync(file.full);
      out[`${r.name}:${key}`] = key === "certificateFile" ? thumbprint(bytes) : `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
    }
  }
  return out;
}

function thumbprint(bytes: Buffer): string {
  try {
    return `thumbprint:${new X509Certificate(bytes).fingerprint.replace(/:/g, "")}`;
  } catch {
    return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
  }
}
