/**
 * `m365-baseline review --base <ref>`: the pull-request security review. Compiles every stack at the
 * base ref and in the working tree (each with its own code), prints what weakens or strengthens each tenant, and
 * exits 3 when a weakening has no unexpired exception (1 when a stack no longer compiles).
 */
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import type { CommandModule } from "../main";
import { repoRoot } from "../root";

interface ReviewOptions {
  base: string;
  dir?: string;
  markdown?: string;
  comment?: string;
  fullReview: string;
  today?: string;
  format: string;
}

export const command: CommandModule = {
  register(program: Command, setExitCode) {
    program
      .command("review")
      .description(
        "Security review of the working tree against a base ref: weakenings need an unexpired exception (exit 3 otherwise).",
      )
      .requiredOption("--base <ref>", "git ref to compare with, e.g. origin/main")
      .option("--dir <path>", "repository root (default: current directory)")
      .option("--format <format>", "markdown (a pull-request comment) or json", "markdown")
      .option("--markdown <file>", "also write the full review as Markdown")
      .option(
        "--comment <file>",
        "also write the pull-request comment: the Markdown review, or a summary when it is over GitHub's 65,536-character limit",
      )
      .option(
        "--full-review <where>",
        "where that summary says the full review is: an https URL (e.g. the workflow run) or a short text",
        "the review's Markdown file (--markdown)",
      )
      .option("--today <date>", "judge exceptions as of this date (YYYY-MM-DD)")
      .action(async (options: ReviewOptions) => {
        if (options.format !== "markdown" && options.format !== "json") {
          const { ValidationError } = require("../../errors") as typeof import("../../errors");
          throw new ValidationError([
            {
              file: "command line",
              path: "--format",
              message: `unknown format '${options.format}'`,
              fix: "use markdown or json",
            },
          ]);
        }
        const { review } = require("../../review") as typeof import("../../review");
        const { renderReviewMarkdown } = require("../../review/markdown") as typeof import("../../review/markdown");
        const { today } = require("../../tenant") as typeof import("../../tenant");
        const date = options.today ?? today();
        // Each side compiles with its own tree's code in a child process, so the deciding code (this process) can be
        // the base branch's checkout while --dir is the pull request's (.github/workflows/pr-review.yml).
        const { compileWithOwnCode } =
          require("../../review/base-compile") as typeof import("../../review/base-compile");
        const result = await review(repoRoot(options.dir), options.base, compileWithOwnCode(date), date);
        const markdown = renderReviewMarkdown(result);
        if (options.markdown) writeFileSync(options.markdown, markdown);
        if (options.comment) {
          const { reviewComment } = require("../../review/comment") as typeof import("../../review/comment");
          writeFileSync(options.comment, reviewComment(result, markdown, options.fullReview));
        }
        const { safeJson } = require("../../report/safe-text") as typeof import("../../report/safe-text");
        process.stdout.write(options.format === "json" ? `${safeJson(result)}\n` : markdown);
        setExitCode(result.exitCode);
      });
  },
};
