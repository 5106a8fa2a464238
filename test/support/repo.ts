/** Temporary repositories for tests: the real baselines and assets, with stack files the test writes. */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse, stringify } from "yaml";

export const REPO = resolve(__dirname, "../..");

/** The `config:` map of a committed example stack, as a plain object to mutate. */
export function exampleConfig(name: "contoso" | "fabrikam"): Record<string, unknown> {
  return (
    parse(readFileSync(join(REPO, "stacks", `Pulumi.${name}.yaml`), "utf8")) as { config: Record<string, unknown> }
  ).config;
}

/** A temp repository with a copy of the real `baselines/` and a `stacks/` holding `stacks`. */
export function tempRepo(
  stacks: Record<string, Record<string, unknown> | string>,
  extra: Record<string, string | Buffer> = {},
): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), "m365b-repo-"));
  mkdirSync(join(root, "stacks"));
  // Referenced files must really be inside the repository (no link out of it), so the baselines are copied;
  // src/ is linked so that a baseline's `../src/…` import is the same module the test loaded.
  cpSync(join(REPO, "baselines"), join(root, "baselines"), { recursive: true });
  symlinkSync(join(REPO, "src"), join(root, "src"), "dir");
  for (const [name, config] of Object.entries(stacks)) {
    writeFileSync(
      join(root, "stacks", `Pulumi.${name}.yaml`),
      typeof config === "string" ? config : stringify({ config }),
    );
  }
  for (const [path, content] of Object.entries(extra)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * A temp git-ready copy of the project for `review` tests: baselines, stacks and src/ (the base ref compiles with
 * its own committed code), package.json and tsconfig.json, node_modules linked and ignored. `git` runs in it with
 * a test identity; nothing is initialised yet.
 */
export function reviewRepo(prefix: string): { root: string; git: (...args: string[]) => string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  for (const dir of ["baselines", "stacks", "src"]) cpSync(join(REPO, dir), join(root, dir), { recursive: true });
  for (const f of ["package.json", "tsconfig.json"]) cpSync(join(REPO, f), join(root, f));
  symlinkSync(join(REPO, "node_modules"), join(root, "node_modules"));
  writeFileSync(join(root, ".gitignore"), "node_modules\n");
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  return { root, git, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
