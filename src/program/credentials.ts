/**
 * The deploying app's PKCS#12 as the azuread provider can use it. pulumi-azuread 6.9.1 checks credentials before it
 * configures (provider/resources.go, preConfigureCallback) and that check reads only `clientCertificatePath` /
 * ARM_CLIENT_CERTIFICATE_PATH ("We don't handle ClientCertData yet"): a base64 `clientCertificate` alone fails with
 * "failed to load Azure credentials … Azure CLI". So a PFX held as a Pulumi secret is written to a private file.
 */
import { createHash } from "node:crypto";
import { chmodSync, lstatSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ValidationError } from "../errors";

/**
 * Writes the base64 PKCS#12 to a 0600 file in a 0700 per-user folder and returns its path, which is named by the
 * content's hash so that the provider's configuration (and so every resource on it) does not change between runs.
 */
export function privatePfxFile(base64: string, where: { file: string; key: string }, env: NodeJS.ProcessEnv): string {
  const text = base64.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw new ValidationError([
      {
        file: where.file,
        path: where.key,
        message: "is not base64 (a PKCS#12 file encoded with base64 -w0)",
        fix: `pulumi config set --secret ${where.key} "$(base64 -w0 deploy-app.pfx)"`,
      },
    ]);
  }
  const uid = typeof process.getuid === "function" ? String(process.getuid()) : "user";
  const dir = join(env["XDG_RUNTIME_DIR"] || tmpdir(), `m365-baseline-${uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Refuse a folder someone else made (or a link to one): the key would be readable by them.
  const stat = lstatSync(dir);
  if (!stat.isDirectory() || (typeof process.getuid === "function" && stat.uid !== process.getuid())) {
    throw new ValidationError([
      {
        file: dir,
        path: "",
        message: "is not a folder of this user",
        fix: "remove it so m365-baseline can create a private one",
      },
    ]);
  }
  chmodSync(dir, 0o700);
  const path = join(dir, `deploy-${createHash("sha256").update(text).digest("hex").slice(0, 32)}.pfx`);
  writeFileSync(path, Buffer.from(text, "base64"), { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}
