/** `m365-baseline plan --stack NAME`: the exact desired state the baseline puts into one tenant. */
import type { Command } from "commander";
import type { CommandModule } from "../main";
import { repoRoot } from "../root";

export const command: CommandModule = {
  register(program: Command, setExitCode) {
    program
      .command("plan")
      .description("Show the desired state (Graph vocabulary) the baseline compiles for one tenant, offline.")
      .requiredOption("--stack <name>", "stack name (stacks/Pulumi.<name>.yaml)")
      .option("--dir <path>", "repository root (default: current directory)")
      .option("--json", "print the compiled tenant as JSON")
      .action((options: { stack: string; dir?: string; json?: boolean }) => {
        const { loadTenant, today } = require("../../tenant") as typeof import("../../tenant");
        const { compiled, stack, baseline } = loadTenant(repoRoot(options.dir), options.stack, today());
        const { renderPlanTable } = require("../plan-table") as typeof import("../plan-table");
        const { renderOrigins } = require("../plan-origins") as typeof import("../plan-origins");
        const { safeJson } = require("../../report/safe-text") as typeof import("../../report/safe-text");
        const { AUTO_LICENCES_NOTE } = require("../../core/licences") as typeof import("../../core/licences");
        // --json stays the compiled tenant alone: the origins are for the reader, not for tools diffing the state.
        process.stdout.write(
          options.json ? `${safeJson(compiled)}\n` : renderPlanTable(compiled) + renderOrigins(stack, baseline.file),
        );
        // The plan of a licences: auto stack shows every licensed control; say so where the reader looks (stderr
        // beside --json, whose stdout tools parse).
        if (stack.config.licences === "auto")
          (options.json ? process.stderr : process.stdout).write(`${AUTO_LICENCES_NOTE}\n`);
        setExitCode(0);
      });
  },
};
