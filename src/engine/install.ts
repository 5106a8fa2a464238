/**
 * `npm run engine:install`: builds the real Pulumi CLI from source (the wrapper module in src/engine/cli, pinned by
 * its go.sum, at the version of @pulumi/pulumi in package.json), puts the dynamic-provider host script beside it
 * and reports the language host and the azuread plugin, which the Go module proxy does not serve. Prints the bin
 * folder last; exits 1 while any of the four is missing, so `npm run test:engine` never runs on half an engine.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { locateEngine, type EngineBinary } from "./locate";

const root = resolve(__dirname, "..", "..");
const wrapper = join(root, "src", "engine", "cli");

function go(args: string[], cwd = wrapper): { ok: boolean; out: string } {
  const r = spawnSync("go", args, { cwd, encoding: "utf8", env: { ...process.env, GOFLAGS: "-mod=readonly" } });
  return { ok: r.status === 0, out: `${r.stdout ?? ""}${r.stderr ?? ""}`.trim() };
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Modules a full engine needs that this machine's module proxy refuses; asked again on every run, never assumed. */
const NOT_ON_PROXY: Partial<Record<EngineBinary, (v: { pulumi: string; azuread: string }) => string>> = {
  "pulumi-language-nodejs": (v) => `github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@v${v.pulumi}`,
  "pulumi-resource-azuread": (v) => `github.com/pulumi/pulumi-azuread/provider/v6@v${v.azuread}`,
};

/** The proxy's own words for `mod` (its Error field), so the message says what the registry said today. */
function proxyAnswer(mod: string): string {
  const r = go(["mod", "download", "-json", mod]);
  try {
    const error = (JSON.parse(r.out) as { Error?: string }).Error;
    return error ? error.replace(/\s+/g, " ") : "served (the build recipe here does not cover it yet)";
  } catch {
    return r.out.replace(/\s+/g, " ");
  }
}

function main(): number {
  const engine = locateEngine(root);
  const { bin, versions } = engine;
  mkdirSync(bin, { recursive: true });
  if (spawnSync("go", ["version"], { encoding: "utf8" }).status !== 0) {
    say("engine:install: `go` is not on PATH — install Go 1.25 or newer (it builds the pulumi CLI from source)");
    return 1;
  }
  const goMod = readFileSync(join(wrapper, "go.mod"), "utf8");
  if (!goMod.includes(`github.com/pulumi/pulumi/pkg/v3 v${versions.pulumi}`)) {
    say(
      `engine:install: src/engine/cli/go.mod does not require pkg/v3 v${versions.pulumi} (package.json's @pulumi/pulumi)`,
    );
    say("  fix: set both pulumi requires in src/engine/cli/go.mod to that version, then `go mod tidy` there");
    return 1;
  }
  const cli = join(bin, "pulumi");
  if (!existsSync(cli) || process.argv.includes("--force")) {
    const started = Date.now();
    const ldflags = `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${versions.pulumi}`;
    const r = go(["build", "-trimpath", "-ldflags", ldflags, "-o", cli, "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"]);
    if (!r.ok) {
      say(`engine:install: building the pulumi CLI failed:\n${r.out}`);
      return 1;
    }
    say(`built pulumi v${versions.pulumi} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  // The dynamic-provider host is a shell script inside the sdk/v3 module (nodejs/dist); the CLI starts it by name.
  const dl = go(["mod", "download", "-json", `github.com/pulumi/pulumi/sdk/v3@v${versions.pulumi}`]);
  const sdkDir = dl.ok ? (JSON.parse(dl.out) as { Dir: string }).Dir : "";
  const script = join(sdkDir, "nodejs", "dist", "pulumi-resource-pulumi-nodejs");
  if (sdkDir && existsSync(script)) {
    copyFileSync(script, join(bin, "pulumi-resource-pulumi-nodejs"));
    chmodSync(join(bin, "pulumi-resource-pulumi-nodejs"), 0o755);
  } else {
    say(`engine:install: github.com/pulumi/pulumi/sdk/v3@v${versions.pulumi} has no nodejs/dist script:\n${dl.out}`);
  }
  const missing = locateEngine(root).missing;
  for (const name of missing) {
    const mod = NOT_ON_PROXY[name]?.(versions);
    const answer = mod ? proxyAnswer(mod) : "";
    say(`missing ${name}${mod ? `: the Go module proxy answers for ${mod}: ${answer}` : ""}`);
    say(`  it cannot be built from registries here; place a ${name} matching those versions in ${bin}`);
  }
  say(bin);
  return missing.length === 0 ? 0 : 1;
}

process.exitCode = main();
