/**
 * Where the real Pulumi engine lives on this machine: the `pulumi` CLI, the Node language host, the
 * dynamic-provider host script and the azuread resource plugin, at the versions package.json pins.
 * `npm run engine:install` fills the folder; the real-engine tests and the benchmark read it.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** The four executables a `pulumi preview` of this project starts (the CLI finds the others on PATH). */
export const ENGINE_BINARIES = [
  "pulumi",
  "pulumi-language-nodejs",
  "pulumi-resource-pulumi-nodejs",
  "pulumi-resource-azuread",
] as const;
export type EngineBinary = (typeof ENGINE_BINARIES)[number];

/**
 * The engine versions this project pins: @pulumi/pulumi's for the CLI and language host, @pulumi/azuread's for the
 * plugin.
 */
export interface EngineVersions {
  readonly pulumi: string;
  readonly azuread: string;
}

/** What was found: the bin folder, the versions it is keyed by and which executables are not there. */
export interface LocatedEngine {
  readonly bin: string;
  readonly versions: EngineVersions;
  readonly missing: readonly EngineBinary[];
}

/** Reads the pinned versions from the project's package.json. */
export function engineVersions(root: string): EngineVersions {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  const pin = (name: string): string => {
    const v = pkg.dependencies[name];
    if (!v || !/^\d+\.\d+\.\d+$/.test(v)) throw new Error(`package.json must pin ${name} to an exact version`);
    return v;
  };
  return { pulumi: pin("@pulumi/pulumi"), azuread: pin("@pulumi/azuread") };
}

/** The bin folder for `versions`: M365B_ENGINE_DIR, else the user's cache folder keyed by both versions. */
export function engineBinDir(versions: EngineVersions, env: NodeJS.ProcessEnv = process.env): string {
  if (env["M365B_ENGINE_DIR"]) return env["M365B_ENGINE_DIR"];
  const cache = env["XDG_CACHE_HOME"] || join(homedir(), ".cache");
  return join(cache, "m365-baseline", "engine", `pulumi-${versions.pulumi}-azuread-${versions.azuread}`, "bin");
}

/** Locates the engine for the project at `root`. */
export function locateEngine(root: string, env: NodeJS.ProcessEnv = process.env): LocatedEngine {
  const versions = engineVersions(root);
  const bin = engineBinDir(versions, env);
  return { bin, versions, missing: ENGINE_BINARIES.filter((b) => !existsSync(join(bin, b))) };
}
