/**
 * Materializes the baseline inputs (baselines/ and stacks/) of a git ref into a temporary folder that
 * reuses the working tree's code and node_modules, so the base side compiles with today's compiler.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ValidationError } from "../errors";

/** The folders whose content defines what a tenant gets; everything else comes from the working tree. */
const INPUT_DIRS = ["baselines", "stacks"] as const;

/** A checked-out copy of a ref's inputs; call `dispose` when done. */
export interface RefTree {
  readonly root: string;
  dispose(): void;
}

/** Checks out `ref`'s baselines/ and stacks/ into a temp folder linked to `repoRoot`'s src/ and node_modules/. */
export function materializeRef(repoRoot: string, ref: string): RefTree {
  const commit = resolveRef(repoRoot, ref);
  const root = mkdtempSync(join(tmpdir(), "m365b-review-"));
  try {
    for (const dir of INPUT_DIRS) {
      mkdirSync(join(root, dir), { recursive: true });
      if (!treeHasPath(repoRoot, commit, dir)) continue;
      const archive = execFileSync("git", ["archive", "--format=tar", commit, dir], { cwd: repoRoot, maxBuffer: 256 * 1024 * 1024 });
      execFileSync("tar", ["-x", "-C", root], { input: archive });
    }
    for (const shared of ["src", "node_modules", "package.json", "tsconfig.json"]) {
      if (existsSync(join(repoRoot, shared))) symlinkSync(join(repoRoot, shared), join(root, shared));
    }
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return { root, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

/** Resolves `ref` to a commit id, or fails with a ValidationError that says how to fetch it. */
export function resolveRef(repoRoot: string, ref: string): string {
  try {
    return execFileSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
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

function treeHasPath(repoRoot: string, commit: string, path: string): boolean {
  const out = execFileSync("git", ["ls-tree", "--name-only", commit, path], { cwd: repoRoot, encoding: "utf8" });
  return out.trim().length > 0;
}
