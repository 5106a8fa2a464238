/**
 * Checks of repository files a compiled tenant refers to (branding images and CSS, the backup app's
 * public certificate), run before any call to Microsoft so a bad file never half-applies a tenant.
 */
import { X509Certificate } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { ASSET_KINDS, loadAsset, type AssetKind } from "../core/assets";
import { readCapped, repoFile } from "../core/repo-file";
import type { CompiledTenant } from "../core/desired";
import type { Issue } from "../errors";
import { findControl } from "../controls";
import { stackParameters } from "../stack/parameters";
import type { StackConfig } from "../stack/schema";

/** A PEM certificate is a few KB; 64 KiB leaves room for a chain and refuses a huge file before it is read. */
export const MAX_CERTIFICATE_BYTES = 64 * 1024;

/** Where a file path was written, so the issue names the file and key the user must edit. */
export interface PathOrigin {
  readonly file: string;
  readonly path: string;
}

/** Every problem with files referenced by `compiled`; `origin` says where each reference came from. */
export function checkReferencedFiles(
  root: string,
  compiled: CompiledTenant,
  origin: (controlId: string, key: string) => PathOrigin,
  today: string,
): Issue[] {
  const issues: Issue[] = [];
  for (const resource of compiled.resources) {
    if (resource.type === "organizationalBranding" || resource.type === "brandingLocalization") {
      const assets = (resource.properties["assets"] ?? {}) as Partial<Record<AssetKind, string>>;
      for (const kind of ASSET_KINDS) {
        const path = assets[kind];
        if (path === undefined) continue;
        const result = loadAsset(root, kind, path);
        const key =
          resource.type === "brandingLocalization"
            ? `localizations[${resource.naturalKey}].assets.${kind}`
            : `assets.${kind}`;
        if (!result.ok) issues.push({ ...origin(resource.controlId, key), message: result.message, fix: result.fix });
      }
    }
    if (resource.type === "application") {
      const path = String(resource.properties["certificateFile"]);
      const problem = checkPublicCertificate(root, path, today);
      if (problem) issues.push({ ...origin(resource.controlId, "certificateFile"), ...problem });
    }
  }
  return issues;
}

/** A public certificate file must exist inside the repository, hold no private key and not have expired. */
export function checkPublicCertificate(
  root: string,
  path: string,
  today: string,
): { message: string; fix: string } | undefined {
  const file = repoFile(root, path);
  if (!file.ok)
    return {
      message: file.message,
      fix: /not found/.test(file.message)
        ? "add the backup app's PUBLIC certificate (PEM) to the repository or correct the path"
        : file.fix,
    };
  const read = readCapped(file.full, MAX_CERTIFICATE_BYTES);
  if (!read.ok)
    return {
      message: `${path} is ${read.size} bytes; a certificate file may have at most ${MAX_CERTIFICATE_BYTES}`,
      fix: "commit only the PEM certificate (a few KB), not a bundle or archive",
    };
  const text = read.bytes.toString("utf8");
  // A private key in the repository is a leaked secret; refuse it before anything else.
  if (/PRIVATE KEY-----/.test(text))
    return {
      message: `${path} contains a private key`,
      fix: "commit only the public certificate (-----BEGIN CERTIFICATE-----); keep the key in the backup product and rotate it now",
    };
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(text);
  } catch {
    return {
      message: `${path} is not a PEM certificate`,
      fix: "export the certificate as PEM (-----BEGIN CERTIFICATE-----)",
    };
  }
  const notAfter = new Date(certificate.validTo).toISOString().slice(0, 10);
  if (notAfter < today)
    return {
      message: `certificate in ${path} expired on ${notAfter}`,
      fix: "issue a new certificate for the backup app and replace the file",
    };
  return undefined;
}

/**
 * The emulator's CA certificate (`endpoints.caCertificateFile`, relative to the repository root or absolute, since
 * the emulator writes it outside the repository) must be a regular PEM file of at most MAX_CERTIFICATE_BYTES.
 */
export function checkCaCertificateFile(root: string, config: StackConfig, file: string): Issue[] {
  const path = config.endpoints?.caCertificateFile;
  if (path === undefined) return [];
  const where = { file, path: "m365-baseline:endpoints.caCertificateFile" };
  const full = resolve(root, path);
  const problem = (message: string, fix: string): Issue[] => [{ ...where, message, fix }];
  if (!existsSync(full)) return problem(`file not found: ${path}`, "point it at the CA certificate the emulator wrote");
  if (!statSync(full).isFile())
    return problem(`${path} is not a regular file`, "point it at a PEM file, not a folder, device or pipe");
  const read = readCapped(full, MAX_CERTIFICATE_BYTES);
  if (!read.ok)
    return problem(
      `${path} is ${read.size} bytes; a certificate file may have at most ${MAX_CERTIFICATE_BYTES}`,
      "point it at the emulator's CA certificate (PEM, a few KB)",
    );
  if (!read.bytes.toString("utf8").includes("-----BEGIN CERTIFICATE-----"))
    return problem(`${path} is not a PEM certificate`, "point it at the CA certificate (-----BEGIN CERTIFICATE-----)");
  return [];
}

/** Origin of a control parameter: the stack file when the stack sets it, the baseline file otherwise. */
export function parameterOrigin(
  stack: StackConfig,
  stackFile: string,
  baselineFile: string,
): (controlId: string, key: string) => PathOrigin {
  return (controlId, key) => {
    const { key: top, value: section } = stackParameters(stack, controlId, findControl(controlId)?.stackSection);
    const head = key.split(/[.[]/)[0]!;
    if (section && head in section) return { file: stackFile, path: `m365-baseline:${top}.${key}` };
    return { file: baselineFile, path: `controls.${controlId}.params.${key}` };
  };
}
