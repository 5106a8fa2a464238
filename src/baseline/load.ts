/**
 * Loading `baselines/<name>.ts` by name: the file is TypeScript, required at run time so that editing a
 * baseline needs no build step, and it must export the result of `defineBaseline()`.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ValidationError } from "../errors";
import type { Baseline } from "./define";

/** Baseline names available under `<root>/baselines`, sorted. */
export function listBaselines(root: string): string[] {
  const dir = join(root, "baselines");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^[a-z0-9-]+\.ts$/.test(f))
    .map((f) => f.slice(0, -3))
    .sort();
}

/**
 * Loads the baseline `name` for the stack file `stackFile`; a missing or malformed baseline is a
 * ValidationError naming the stack's `m365-baseline:baseline` key and the baselines that exist.
 */
export function loadBaseline(root: string, name: string, stackFile: string): Baseline {
  const path = join(root, "baselines", `${name}.ts`);
  if (!existsSync(path)) {
    throw new ValidationError([
      {
        file: stackFile,
        path: "m365-baseline:baseline",
        message: `baseline '${name}' not found (no baselines/${name}.ts)`,
        fix: `use one of: ${listBaselines(root).join(", ") || "(none; create baselines/<name>.ts with defineBaseline())"}`,
      },
    ]);
  }
  ensureTypeScriptLoader();
  // The module validates itself through defineBaseline() at load and throws ValidationError on bad params.
  const loaded = requireBaseline(path, `baselines/${name}.ts`);
  const baseline = (loaded["default"] ?? loaded["baseline"]) as Baseline | undefined;
  if (!baseline || typeof baseline !== "object" || !(baseline.controls instanceof Map)) {
    throw new ValidationError([
      {
        file: `baselines/${name}.ts`,
        path: "",
        message: "the file does not export a baseline",
        fix: "end it with `export default defineBaseline({ … })`",
      },
    ]);
  }
  if (baseline.name !== name) {
    throw new ValidationError([
      {
        file: `baselines/${name}.ts`,
        path: "name",
        message: `declares name '${baseline.name}'`,
        fix: `set name: "${name}" (a baseline's name is its file name)`,
      },
    ]);
  }
  return baseline;
}

/**
 * Requires a baseline module; anything it throws while compiling or running (a syntax error, a bad import, a
 * thrown Error) is the baseline file's problem, reported with the file and the first line of the error.
 */
function requireBaseline(path: string, file: string): Record<string, unknown> {
  try {
    return require(path) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    // esbuild (through tsx) reports a syntax error as "<path>:<line>:<column>: ERROR: <what>" on its second line.
    const transform = /:(\d+):(\d+): ERROR: (.*)/.exec(text);
    const first = text.split("\n").find((l) => l.trim() !== "") ?? text;
    const what = transform ? `syntax error: ${transform[3]}` : first.length > 300 ? `${first.slice(0, 297)}...` : first;
    throw new ValidationError([
      {
        file,
        path: "",
        line: transform ? Number(transform[1]) : undefined,
        column: transform ? Number(transform[2]) : undefined,
        message: `the baseline failed to load: ${what}`,
        fix: `correct ${file} (npx tsc --noEmit -p tsconfig.json shows the error in context)`,
      },
    ]);
  }
}

/** Registers tsx's CommonJS loader unless something (tsx, ts-node under Pulumi) already handles `.ts`. */
function ensureTypeScriptLoader(): void {
  // require.extensions is deprecated, but it is how CJS loaders announce themselves.
  if (require.extensions[".ts"]) return;
  (require("tsx/cjs/api") as { register: () => void }).register();
}
