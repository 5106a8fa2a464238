/**
 * `m365-baseline fleet <preview|up|drift>`: the Pulumi side for many tenants. Needs the `pulumi` CLI;
 * without it, one line says how to install it and the exit code is 4.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import type { CommandModule } from "../main";
import { repoRoot } from "../root";

interface FleetOptions {
  dir?: string;
  stacks?: string;
  concurrency: string;
  shard?: string;
  json?: boolean;
  markdown?: string;
}

export const command: CommandModule = {
  register(program: Command, setExitCode) {
    program
      .command("fleet")
      .description("Run pulumi preview, up or drift (preview --refresh) over many tenant stacks in parallel.")
      .argument("<operation>", "preview | up | drift")
      .option("--dir <path>", "project directory (default: current directory)")
      .option("--stacks <names>", "comma-separated stacks (default: every stacks/Pulumi.<name>.yaml)")
      .option("--concurrency <n>", "stacks at a time", "4")
      .option("--shard <i/n>", "only shard i of n (deterministic; for CI matrices)")
      .option("--json", "print JSON instead of a table")
      .option("--markdown <file>", "also write a Markdown summary")
      .action(async (operation: string, options: FleetOptions) => {
        const { ValidationError } = require("../../errors") as typeof import("../../errors");
        if (!["preview", "up", "drift"].includes(operation))
          throw new ValidationError([
            {
              file: "command line",
              path: "operation",
              message: `unknown operation '${operation}'`,
              fix: "use preview, up or drift",
            },
          ]);
        const op = operation as import("../../fleet/runner").FleetOperation;
        const root = repoRoot(options.dir);
        const { listStacks } = require("../../stack/load") as typeof import("../../stack/load");
        const { parseShard, shardStacks } = require("../../fleet/shard") as typeof import("../../fleet/shard");
        let stacks = options.stacks
          ? options.stacks
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean)
          : listStacks(join(root, "stacks"));
        if (options.shard) stacks = shardStacks(stacks, parseShard(options.shard));
        const { stackNameIssue } = require("../../stack/files") as typeof import("../../stack/files");
        const badNames = stacks.flatMap((s) => stackNameIssue(s, "--stacks") ?? []);
        if (badNames.length > 0) throw new ValidationError(badNames);
        const concurrency = Number(options.concurrency);
        if (!Number.isInteger(concurrency) || concurrency < 1)
          throw new ValidationError([
            {
              file: "command line",
              path: "--concurrency",
              message: `'${options.concurrency}' is not a positive integer`,
              fix: "give e.g. --concurrency 4",
            },
          ]);
        const { findPulumiCli, runFleet } = require("../../fleet/runner") as typeof import("../../fleet/runner");
        const cli = await findPulumiCli();
        if (!cli.ok) {
          process.stderr.write(`${cli.message}\n`);
          setExitCode(4);
          return;
        }
        const { safeJson, safeText } = require("../../report/safe-text") as typeof import("../../report/safe-text");
        // On a terminal one updating line (done/total, errors, elapsed, ETA); in a log each finished stack's line,
        // plus the same summary every 10 stacks or 10 s.
        const { progressWriter } = require("../progress") as typeof import("../progress");
        const tty = process.stderr.isTTY === true;
        const counter = progressWriter(process.stderr, { label: `fleet ${op}`, total: stacks.length });
        const progress = (stack: string, state: string) => {
          if (state === "started") return;
          if (!tty) process.stderr.write(`  ${safeText(`${stack}: ${state}`)}\n`);
          counter.tenantDone(state === "error");
        };
        const results = await runFleet(cli.command, root, stacks, op, { concurrency, onProgress: progress });
        counter.finish();
        const report = require("../../fleet/report") as typeof import("../../fleet/report");
        process.stdout.write(
          options.json ? `${safeJson({ operation: op, results })}\n` : report.renderFleetText(op, results),
        );
        if (options.markdown) writeFileSync(options.markdown, report.renderFleetMarkdown(op, results));
        setExitCode(report.fleetExitCode(op, results));
      });
  },
};
