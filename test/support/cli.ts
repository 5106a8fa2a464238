/** Runs the real CLI (`src/cli/bin.js`) in a child process, as a user would. */
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO } from "./repo";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `m365-baseline <args>` with `cwd`, returning exit code and output. */
export function runCli(args: readonly string[], cwd = REPO, env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [join(REPO, "src/cli/bin.js"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Like runCli, without blocking this process's event loop (for a CLI that talks to an in-process emulator). */
export function runCliAsync(args: readonly string[], cwd = REPO, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, "src/cli/bin.js"), ...args], {
      cwd,
      env: { ...process.env, ...env },
      timeout: 120_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** True when `text` contains a JavaScript stack frame. */
export function hasStackTrace(text: string): boolean {
  return /\n\s+at .+\(.+:\d+:\d+\)/.test(text) || /\n\s+at .+:\d+:\d+/.test(text);
}
