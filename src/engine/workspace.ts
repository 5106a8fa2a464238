/**
 * A copy of this project run through the real Pulumi engine, the way an MSP engineer runs it from a clone: its own
 * Pulumi home, file backend and passphrase secrets, stack files in stacks/, the emulator's CA trusted through
 * SSL_CERT_FILE (Go's own trust setting, for the azuread plugin), never by turning verification off. Used by the
 * real-engine tests and `npm run bench`.
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ALLOW_ENDPOINTS_ENV } from "../graph/endpoints";

/** A finished command: exit code, output, wall time; CPU of the whole process tree and its sampled peak RSS. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  cpuMs: number;
  peakRssMb: number;
}

/** CPU of this process's waited-for children so far (cutime + cstime, /proc/self/stat), in ms. */
function childrenCpuMs(): number {
  const fields = readFileSync("/proc/self/stat", "utf8")
    .replace(/^.*\) /, "")
    .split(" ");
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** Resident memory of `pid` and all its descendants (MB), from /proc; 0 where /proc is not readable. */
function treeRssMb(pid: number): number {
  try {
    const parents = new Map<number, number[]>();
    const rss = new Map<number, number>();
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const fields = readFileSync(`/proc/${entry}/stat`, "utf8")
          .replace(/^.*\) /, "")
          .split(" ");
        const ppid = Number(fields[1]);
        parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
        rss.set(Number(entry), Number(fields[21]) * 4096);
      } catch {
        // the process ended while we looked
      }
    }
    let total = 0;
    const stack = [pid];
    while (stack.length > 0) {
      const p = stack.pop()!;
      total += rss.get(p) ?? 0;
      stack.push(...(parents.get(p) ?? []));
    }
    return total / 1024 / 1024;
  } catch {
    return 0;
  }
}

/** A copy of the project (its files, not the repo's git state) with its own Pulumi home, backend and passphrase. */
export interface EngineWorkspace {
  readonly dir: string;
  /** The emulator's CA certificate as a file (SSL_CERT_FILE and endpoints.caCertificateFile). */
  readonly caFile: string;
  readonly env: NodeJS.ProcessEnv;
  /** Runs the real `pulumi` CLI in the workspace; never throws on a non-zero exit. */
  pulumi(args: readonly string[], extraEnv?: NodeJS.ProcessEnv, sample?: boolean): Promise<CommandResult>;
  /** Runs our CLI (`m365-baseline …`) in the workspace with the engine on PATH. */
  cli(args: readonly string[], extraEnv?: NodeJS.ProcessEnv, sample?: boolean): Promise<CommandResult>;
  stackFile(stack: string): string;
  cleanup(): void;
}

/** Runs `command` asynchronously (the in-process emulator must keep answering while it runs). */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; input?: string; sample?: boolean },
): Promise<CommandResult> {
  const started = Date.now();
  const cpuBefore = childrenCpuMs();
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let peak = 0;
    const sampler = options.sample
      ? setInterval(() => (peak = Math.max(peak, treeRssMb(child.pid ?? 0))), 250)
      : undefined;
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (sampler) clearInterval(sampler);
      resolve({
        code: code ?? -1,
        stdout,
        stderr,
        ms: Date.now() - started,
        cpuMs: childrenCpuMs() - cpuBefore,
        peakRssMb: Math.round(peak),
      });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** Copies the project into a temp folder (node_modules linked) and logs the real CLI into a file backend there. */
export async function engineWorkspace(options: {
  root: string;
  bin: string;
  caCertificatePem: string;
  emulatorUrl: string;
  stacks?: Record<string, string>;
}): Promise<EngineWorkspace> {
  const { root, bin } = options;
  const dir = mkdtempSync(join(tmpdir(), "m365b-engine-"));
  const caFile = join(dir, "emulator-ca.pem");
  writeFileSync(caFile, options.caCertificatePem);
  const project = join(dir, "project");
  mkdirSync(project);
  for (const f of ["Pulumi.yaml", "package.json", "tsconfig.json"]) cpSync(join(root, f), join(project, f));
  for (const d of ["src", "baselines", "stacks"]) cpSync(join(root, d), join(project, d), { recursive: true });
  symlinkSync(join(root, "node_modules"), join(project, "node_modules"), "dir");
  for (const [name, text] of Object.entries(options.stacks ?? {}))
    writeFileSync(join(project, "stacks", `Pulumi.${name}.yaml`), text);
  mkdirSync(join(dir, "state"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}:${process.env["PATH"] ?? ""}`,
    PULUMI_HOME: join(dir, "home"),
    PULUMI_BACKEND_URL: `file://${join(dir, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "engine-test-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    // No network here: a plugin the engine does not find must be an error, not a download attempt.
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    SSL_CERT_FILE: caFile,
    // The operator's opt-in for a non-Microsoft endpoint; the stack files only name it.
    [ALLOW_ENDPOINTS_ENV]: options.emulatorUrl,
    XDG_RUNTIME_DIR: join(dir, "run"),
    NO_COLOR: "1",
  };
  delete env["PULUMI_ACCESS_TOKEN"];
  delete env["M365B_ENGINE_REQUIRED"];
  mkdirSync(join(dir, "run"), { mode: 0o700 });
  const ws: EngineWorkspace = {
    dir: project,
    caFile,
    env,
    pulumi: (args, extraEnv = {}, sample = false) =>
      run(join(bin, "pulumi"), ["--non-interactive", ...args], { cwd: project, env: { ...env, ...extraEnv }, sample }),
    cli: (args, extraEnv = {}, sample = false) =>
      run(process.execPath, [join(project, "src", "cli", "bin.js"), ...args], {
        cwd: project,
        env: { ...env, ...extraEnv },
        sample,
      }),
    stackFile: (stack) => readFileSync(join(project, "stacks", `Pulumi.${stack}.yaml`), "utf8"),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  return ws;
}

/** A PKCS#12 (base64) of `pem`'s key and certificate, as an MSP exports the deploying app's credential. */
export function pfxOf(pem: { key: string; cert: string }, password = ""): string {
  const dir = mkdtempSync(join(tmpdir(), "m365b-pfx-"));
  try {
    writeFileSync(join(dir, "key.pem"), pem.key, { mode: 0o600 });
    writeFileSync(join(dir, "cert.pem"), pem.cert);
    const r = spawnSync(
      "openssl",
      ["pkcs12", "-export", "-inkey", "key.pem", "-in", "cert.pem", "-out", "app.pfx", "-passout", `pass:${password}`],
      { cwd: dir, encoding: "utf8" },
    );
    if (r.status !== 0) throw new Error(`openssl pkcs12 failed: ${r.stderr}`);
    return readFileSync(join(dir, "app.pfx")).toString("base64");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The steps of `pulumi preview --json` / `up --json`, as `op urn-name type [diff keys]`. */
export interface PreviewStep {
  op: string;
  urn: string;
  type: string;
  name: string;
  diffs: string[];
}

/** Parses the JSON the CLI prints with `--json` (preview: `steps`; the last JSON object in stdout). */
export function previewSteps(stdout: string): { steps: PreviewStep[]; changeSummary: Record<string, number> } {
  const start = stdout.indexOf("{");
  const json = JSON.parse(stdout.slice(start)) as {
    steps?: { op: string; urn: string; diffs?: string[]; newState?: { type: string }; oldState?: { type: string } }[];
    changeSummary?: Record<string, number>;
  };
  const steps = (json.steps ?? []).map((s) => ({
    op: s.op,
    urn: s.urn,
    type: s.newState?.type ?? s.oldState?.type ?? "",
    name: s.urn.split("::").pop() ?? "",
    diffs: s.diffs ?? [],
  }));
  return { steps, changeSummary: json.changeSummary ?? {} };
}

/** `pulumi stack init` and the config an emulator run needs: endpoints, its CA, the deploying app's PEM and PFX. */
export async function initStack(
  ws: EngineWorkspace,
  stack: string,
  emulatorUrl: string,
  pem: { key: string; cert: string },
): Promise<void> {
  const steps: string[][] = [
    ["stack", "init", stack],
    ...["graph", "authority", "compliance"].map((key) => [
      "config",
      "set",
      "--stack",
      stack,
      "--path",
      `m365-baseline:endpoints.${key}`,
      emulatorUrl,
    ]),
    ["config", "set", "--stack", stack, "--path", "m365-baseline:endpoints.caCertificateFile", ws.caFile],
    // `--` ends the flags: a PEM starts with dashes.
    ["config", "set", "--stack", stack, "--secret", "--", "m365-baseline:certificatePem", `${pem.key}\n${pem.cert}`],
    ["config", "set", "--stack", stack, "--secret", "--", "m365-baseline:certificatePfx", pfxOf(pem)],
  ];
  for (const args of steps) {
    const r = await ws.pulumi(args);
    if (r.code !== 0) throw new Error(`pulumi ${args.slice(0, 3).join(" ")} failed: ${r.stderr.slice(0, 300)}`);
  }
}
