/**
 * `m365-baseline adopt --stack NAME [--write | --clear]`: before a stack's first `pulumi up` against a tenant that
 * already has hand-made objects, finds each desired object's live counterpart by natural key and records the import
 * ids the program passes as Pulumi's `import` option (read-only without --write). Exit 0, or 1 on a conflict.
 */
import type { Command } from "commander";
import type { CommandModule } from "../main";
import { repoRoot } from "../root";

interface AdoptCliOptions {
  stack: string;
  write?: boolean;
  clear?: boolean;
  json?: boolean;
  dir?: string;
}

export const command: CommandModule = {
  register(program: Command, setExitCode) {
    program
      .command("adopt")
      .description(
        "Find the objects a stack's first pulumi up would create that the tenant already has; record their import ids.",
      )
      .requiredOption("--stack <name>", "stack name (stacks/Pulumi.<name>.yaml)")
      .option("--write", "record the import ids in the stack file (m365-baseline:imports)")
      .option("--clear", "remove m365-baseline:imports (after the first pulumi up has adopted the objects)")
      .option("--json", "print the plan as JSON")
      .option("--dir <path>", "repository root (default: current directory)")
      .action(async (options: AdoptCliOptions) => {
        const root = repoRoot(options.dir);
        const { loadTenant, today } = require("../../tenant") as typeof import("../../tenant");
        const { setStackKey } = require("../../stack/write") as typeof import("../../stack/write");
        const tenant = loadTenant(root, options.stack, today());
        const file = tenant.stack.file;
        if (options.clear) {
          setStackKey(root, file, "imports", undefined);
          process.stdout.write(`Removed m365-baseline:imports from ${file}.\n`);
          return setExitCode(0);
        }
        const { checkTargets } = require("../../check/targets") as typeof import("../../check/targets");
        const { readSnapshot } = require("../../check/snapshot") as typeof import("../../check/snapshot");
        const adopt = require("../../adopt") as typeof import("../../adopt");
        const [target] = checkTargets(root, [tenant], process.env);
        const connection = target!.connect({ deadlineMs: 10 * 60_000 });
        const live = await readSnapshot(connection, tenant.compiled).finally(() => connection.close?.());
        const rows = adopt.planAdoption(tenant.compiled, live, target!.files ?? new Map());
        const { safeJson } = require("../../report/safe-text") as typeof import("../../report/safe-text");
        const { renderAdoption, nextSteps } = require("../../adopt/render") as typeof import("../../adopt/render");
        process.stdout.write(options.json ? `${safeJson(rows)}\n` : renderAdoption(options.stack, rows));
        const conflicts = adopt.conflictIssues(rows, file);
        if (conflicts.length > 0) {
          const { ValidationError } = require("../../errors") as typeof import("../../errors");
          throw new ValidationError(conflicts);
        }
        const imports = adopt.importsOf(rows);
        const count = Object.keys(imports).length;
        if (options.write && count > 0) {
          const { readFileSync, writeFileSync } = require("node:fs") as typeof import("node:fs");
          const before = readFileSync(`${root}/${file}`);
          setStackKey(root, file, "imports", imports);
          try {
            // The file must still load (the program would refuse it otherwise); if not, it is put back as it was.
            loadTenant(root, options.stack, today());
          } catch (error) {
            writeFileSync(`${root}/${file}`, before);
            throw error;
          }
        }
        if (!options.json) process.stdout.write(nextSteps(options.stack, file, count, options.write === true));
        setExitCode(0);
      });
  },
};
