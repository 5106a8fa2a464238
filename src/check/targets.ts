/**
 * Check targets from stack files: each stack compiled offline, and a lazy connection built from the
 * stack's non-secret keys plus credentials from the environment (a check needs no Pulumi and no state).
 */
import { ASSET_KINDS, loadAsset, type AssetKind } from "../core/assets";
import { certificateThumbprint } from "../core/certificate";
import { readCapped, repoFile } from "../core/repo-file";
import { MAX_CERTIFICATE_BYTES } from "../tenant/files";
import type { CompiledTenant } from "../core/desired";
import { connect, settingsFromConfig, type ClientOptions, type ConnectionSettings } from "../graph";
import { SUPPORTING_CONTROL } from "../compile";
import { controls } from "../controls";
import type { ControlDefinition } from "../controls/types";
import type { LoadedTenant } from "../tenant";
import type { CheckTarget, ControlInfo } from "./index";

/** Registry metadata `check` reports with. */
export function controlInfo(): Map<string, ControlInfo> {
  const info = new Map(
    (Object.values(controls) as ControlDefinition<unknown>[]).map((c) => [
      c.id,
      {
        id: c.id,
        title: c.title,
        severity: c.severity,
        secureScore: c.secureScore,
        licence: c.licence,
        frameworks: c.frameworks,
      } as ControlInfo,
    ]),
  );
  info.set(SUPPORTING_CONTROL.id, { ...SUPPORTING_CONTROL, secureScore: [] });
  return info;
}

/**
 * Connection settings for a loaded stack: tenant, deployment and endpoints from the file; the PEM from
 * `M365B_CERTIFICATE_PEM_<STACK>` or `M365B_CERTIFICATE_PEM` (stack secrets are encrypted in the file).
 */
export function stackSettings(root: string, tenant: LoadedTenant, env: NodeJS.ProcessEnv): ConnectionSettings {
  const config = tenant.stack.config as unknown as Record<string, unknown>;
  const own = env[`M365B_CERTIFICATE_PEM_${tenant.stack.name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`];
  const get = (key: string): string | undefined => {
    const name = key.replace(/^m365-baseline:/, "");
    if (name === "certificatePem") return own ?? tenant.stack.secrets.certificatePem;
    const value = config[name];
    return value === undefined ? undefined : typeof value === "string" ? value : JSON.stringify(value);
  };
  return settingsFromConfig(get, env, { file: tenant.stack.file, baseDir: root });
}

/**
 * An `adjust` for `checkTargets` that sends every call of every stack to one local emulator and trusts its CA: the
 * demo, the benchmark and the tests use it, so only endpoints and trust differ from production.
 */
export function atEmulator(emulator: {
  readonly graphBaseUrl: string;
  readonly authorityHost: string;
  readonly complianceBaseUrl: string;
  readonly caCertificatePem: string;
}): (stack: string, settings: ConnectionSettings) => ConnectionSettings {
  return (_stack, s) => ({
    ...s,
    graphBaseUrl: emulator.graphBaseUrl,
    authorityHost: emulator.authorityHost,
    complianceBaseUrl: emulator.complianceBaseUrl,
    caCertificatePem: emulator.caCertificatePem,
  });
}

/** One check target per loaded tenant; `adjust` lets the demo point settings at its emulator. */
export function checkTargets(
  root: string,
  tenants: readonly LoadedTenant[],
  env: NodeJS.ProcessEnv,
  options: {
    readonly client?: ClientOptions;
    readonly adjust?: (stack: string, settings: ConnectionSettings) => ConnectionSettings;
  } = {},
): CheckTarget[] {
  return tenants.map((t) => ({
    stack: t.stack.name,
    compiled: t.compiled,
    exceptions: t.stack.config.exceptions,
    files: fileDigests(root, t.compiled),
    ...(t.withLicences ? { compileFor: withLicences(t.withLicences) } : {}),
    connect: (limits) => {
      const settings = stackSettings(root, t, env);
      const client: ClientOptions = {
        ...options.client,
        connectionDeadlineMs: Math.min(options.client?.connectionDeadlineMs ?? Infinity, limits.deadlineMs),
      };
      return connect(options.adjust ? options.adjust(t.stack.name, settings) : settings, client);
    },
  }));
}

/** `compileFor` of a `licences: auto` stack: its compiled baseline for the derived licences. */
function withLicences(compileFor: NonNullable<LoadedTenant["withLicences"]>): NonNullable<CheckTarget["compileFor"]> {
  return (licences) => compileFor(licences).compiled;
}

/**
 * The digest of every file the compiled tenant names (already validated by loadTenant), by path: SHA-256 of branding
 * files, the SHA-1 thumbprint of an application's certificate.
 */
function fileDigests(root: string, compiled: CompiledTenant): Map<string, string> {
  const digests = new Map<string, string>();
  for (const r of compiled.resources) {
    const assets = (r.properties["assets"] ?? {}) as Partial<Record<AssetKind, string>>;
    for (const kind of ASSET_KINDS) {
      const path = assets[kind];
      if (path === undefined || digests.has(path)) continue;
      const loaded = loadAsset(root, kind, path);
      if (loaded.ok) digests.set(path, loaded.asset.sha256);
    }
    const certificate = r.type === "application" ? r.properties["certificateFile"] : undefined;
    const file = typeof certificate === "string" ? repoFile(root, certificate) : undefined;
    const read = file?.ok ? readCapped(file.full, MAX_CERTIFICATE_BYTES) : undefined;
    const thumbprint = read?.ok ? certificateThumbprint(read.bytes) : undefined;
    if (thumbprint && typeof certificate === "string") digests.set(certificate, thumbprint);
  }
  return digests;
}
