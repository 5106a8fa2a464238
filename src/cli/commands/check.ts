/**
 * `m365-baseline check`: read-only compliance of live tenants against their compiled baselines, with
 * read-only permissions and no Pulumi state. Exit 0 compliant, 2 drift or missing, 1 errors.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import type { CommandModule } from "../main";
import { repoRoot } from "../root";

interface CheckCliOptions {
  stack?: string[];
  all?: boolean;
  json?: boolean;
  concurrency: string;
  shard?: string;
  html?: string;
  markdown?: string;
  dir?: string;
}

export const command: CommandModule = {
  register(program: Command, setExitCode) {
    program
      .command("check")
      .description(
        "Check live tenants against their baselines (read-only). Credentials: M365B_CERTIFICATE_PEM[_<STACK>], OIDC or Azure CLI per stack.",
      )
      .option("--stack <names...>", "stacks to check")
      .option("--all", "check every stack under stacks/")
      .option("--shard <i/n>", "only shard i of n of the selected stacks")
      .option("--concurrency <n>", "tenants at a time", "8")
      .option("--json", "print the report as JSON")
      .option("--html <file>", "also write the HTML dashboard")
      .option("--markdown <file>", "also write a Markdown report")
      .option("--dir <path>", "repository root (default: current directory)")
      .action(async (options: CheckCliOptions) => {
        const { ValidationError } = require("../../errors") as typeof import("../../errors");
        const root = repoRoot(options.dir);
        const { listStacks } = require("../../stack/load") as typeof import("../../stack/load");
        if (!options.all && !options.stack)
          throw new ValidationError([
            {
              file: "command line",
              path: "--stack",
              message: "no stacks selected",
              fix: "give --stack <name…> or --all",
            },
          ]);
        let names = options.all ? listStacks(join(root, "stacks")) : options.stack!;
        const { parseShard, shardStacks } = require("../../fleet/shard") as typeof import("../../fleet/shard");
        const shard = options.shard ? parseShard(options.shard) : undefined;
        if (shard) names = shardStacks(names, shard);
        const concurrency = Number(options.concurrency);
        if (!Number.isInteger(concurrency) || concurrency < 1)
          throw new ValidationError([
            {
              file: "command line",
              path: "--concurrency",
              message: `'${options.concurrency}' is not a positive integer`,
              fix: "give e.g. --concurrency 8",
            },
          ]);
        const { loadEachTenant, today } = require("../../tenant") as typeof import("../../tenant");
        const { tenants, failed } = loadEachTenant(root, today(), names);
        // --all also reports the files under stacks/ that are not read as stacks (once: in the first shard).
        const { strayStackFiles } = require("../../stack/files") as typeof import("../../stack/files");
        const stray = options.all && (shard?.index ?? 1) === 1 ? strayStackFiles(root) : [];
        const invalid = [
          ...failed,
          ...stray.map((i) => ({ stack: i.file.replace(/^stacks\//, ""), tenantId: "", issues: [i] })),
        ];
        // Each invalid stack stays one error row; its issues are also printed whole, one per line, as validate does.
        const { formatIssue } = require("../../errors") as typeof import("../../errors");
        for (const f of invalid) for (const issue of f.issues) process.stderr.write(`${formatIssue(issue)}\n`);
        const { checkTargets, controlInfo } = require("../../check/targets") as typeof import("../../check/targets");
        const { runCheck, checkExitCode } = require("../../check") as typeof import("../../check");
        const report = await runCheck(checkTargets(root, tenants, process.env), {
          concurrency,
          controls: controlInfo(),
          baselineVersion: baselineVersion(root),
          invalid,
        });
        const render = require("../../report") as typeof import("../../report");
        process.stdout.write(
          options.json
            ? render.renderJson(report)
            : render.renderTerminal(report, { color: process.stdout.isTTY === true }),
        );
        if (options.html) writeFileSync(options.html, render.renderHtml(report));
        if (options.markdown) writeFileSync(options.markdown, render.renderMarkdown(report));
        setExitCode(checkExitCode(report));
      });
  },
};

/** The repository's commit (short), so reports say which baseline version they were checked against. */
export function baselineVersion(root: string): string {
  try {
    return (require("node:child_process") as typeof import("node:child_process"))
      .execFileSync("git", ["rev-parse", "--short", "HEAD"], {
        cwd: root,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      })
      .trim();
  } catch {
    return "working tree";
  }
}
