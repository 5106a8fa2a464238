/**
 * Compiles the stacks of a tree (the materialized base ref, or the pull request's working tree) with that tree's
 * own code in a child process: its src/tenant `loadTenant` and tsx loader, never the modules of the process that
 * decides, which can then be the base branch's trusted checkout.
 */
import { spawnSync } from "node:child_process";
import { ValidationError } from "../errors";
import type { CompileAll } from "./index";

// Runs inside the base tree; plain CommonJS so it depends on nothing of ours.
const SCRIPT = `
const root = process.cwd();
const today = process.argv[1];
require(require.resolve("tsx/cjs/api", { paths: [root] })).register();
const { listStacks } = require(root + "/src/stack/load");
const { loadTenant } = require(root + "/src/tenant");
const { ValidationError } = require(root + "/src/errors");
const out = {};
for (const name of listStacks(root + "/stacks")) {
  try {
    const t = loadTenant(root, name, today, { allowUnexcusedWeakenings: true });
    out[name] = { compiled: t.compiled, exceptions: t.stack.config.exceptions, endpoints: t.stack.config.endpoints ?? {} };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    out[name] = { error: error.message };
  }
}
process.stdout.write(JSON.stringify(out));
`;

/** A CompileAll that runs the code found under the root it is given (the base ref's tree). */
export function compileWithOwnCode(today: string): CompileAll {
  return async (root) => {
    const r = spawnSync(process.execPath, ["-e", SCRIPT, today], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 512 * 1024 * 1024,
    });
    if (r.status !== 0) {
      const reason = (r.stderr || r.error?.message || "").split("\n").find((l) => /Error|error/.test(l)) ?? "no output";
      throw new ValidationError([
        {
          file: "(command line)",
          path: "--base",
          message: `the code in ${root} could not compile its stacks (${reason.trim()})`,
          fix: "pass a base ref whose own code runs (its dependencies installed), or fix that ref's code",
        },
      ]);
    }
    return new Map(Object.entries(JSON.parse(r.stdout) as Record<string, never>));
  };
}
