/**
 * Materializes a git ref — every tracked file: baselines, stacks, assets *and its own src/* — into a temporary
 * folder that links only the working tree's node_modules. The base side must compile with the base's code: with
 * the working tree's, a pull request that changes a control's compile (say, enforced policies compiled as
 * `disabled`) would compare the change with itself and report no change.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ValidationError } from "../errors";

/** A checked-out copy of a ref's inputs; call `dispose` when done. */
export interface RefTree {
  readonly root: string;
  dispose(): void;
}

/** Checks out every tracked file of `ref` into a temp folder whose node_modules links to `repoRoot`'s. */
export function materializeRef(repoRoot: string, ref: string): RefTree {
  const commit = resolveRef(repoRoot, ref);
  const root = mkdtempSync(join(tmpdir(), "m365b-review-"));
  try {
    const archive = execFileSync("git", ["archive", "--format=tar", commit], {
      cwd: repoRoot,
      maxBuffer: 512 * 1024 * 1024,
    });
    execFileSync("tar", ["-x", "-C", root], { input: archive, maxBuffer: 64 * 1024 * 1024 });
    mkdirSync(join(root, "stacks"), { recursive: true });
    if (existsSync(join(repoRoot, "node_modules")))
      symlinkSync(join(repoRoot, "node_modules"), join(root, "node_modules"));
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return { root, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

/** Resolves `ref` to a commit id, or fails with a ValidationError that says how to fetch it. */
export function resolveRef(repoRoot: string, ref: string): string {
  try {
    return execFileSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
      cwd: repoRoot,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    throw new ValidationError([
      {
        file: "(command line)",
        path: "--base",
        message: `git ref '${ref}' does not name a commit in ${repoRoot}`,
        fix: "pass a branch, tag or commit that exists locally; in CI check out with fetch-depth: 0 or run 'git fetch origin <branch>' first",
      },
    ]);
  }
}
