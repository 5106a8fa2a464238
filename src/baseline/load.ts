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
  const loaded = require(path) as Record<string, unknown>;
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

/** Registers tsx's CommonJS loader unless something (tsx, ts-node under Pulumi) already handles `.ts`. */
function ensureTypeScriptLoader(): void {
  // require.extensions is deprecated, but it is how CJS loaders announce themselves.
  if (require.extensions[".ts"]) return;
  (require("tsx/cjs/api") as { register: () => void }).register();
}
