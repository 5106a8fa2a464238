/** Where the CLI finds the repository (baselines/, stacks/): `--dir`, else the current directory. */
import { resolve } from "node:path";

/** The repository root for a command, from its `--dir` option or the working directory. */
export function repoRoot(dir: string | undefined): string {
  return resolve(dir ?? process.cwd());
}
