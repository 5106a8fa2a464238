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
  history?: string;
  historyKeep: string;
  notify?: string[];
  customerReport?: string;
  pdf?: boolean;
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
      .option(
        "--html <file>",
        "also write the fleet dashboard (one self-contained HTML file; with --history, drift over time)",
      )
      .option("--markdown <file>", "also write a Markdown report")
      .option("--customer-report <dir>", "also write each tenant's shared-responsibility report (<stack>.html)")
      .option("--pdf", "with --customer-report: also print each to PDF through Chromium")
      .option("--dir <path>", "repository root (default: current directory)")
      .option("--history <dir>", "append this run to a history directory (one JSON file per run)")
      .option("--history-keep <n>", "run files the history keeps (older ones are deleted)", "90")
      .option(
        "--notify <url>",
        "POST the changes since the previous run to a webhook (Teams, Slack or JSON; repeatable; needs --history)",
        (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
      )
      .action(async (options: CheckCliOptions) => {
        const { ValidationError } = require("../../errors") as typeof import("../../errors");
        const root = repoRoot(options.dir);
        // History and webhooks are validated, and the previous run read, before any tenant is called.
        const alerts = prepareAlerts(options);
        // So is --pdf: a missing Chromium is found before minutes of tenant reads, not after.
        if (options.pdf && !options.customerReport)
          throw new ValidationError([
            {
              file: "command line",
              path: "--pdf",
              message: "prints the customer reports, so it needs --customer-report",
              fix: "add --customer-report <dir>, or leave out --pdf",
            },
          ]);
        if (options.pdf) (require("../../report/pdf") as typeof import("../../report/pdf")).chromiumPath();
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
        const targets = checkTargets(root, tenants, process.env);
        // A fleet run shows its progress on stderr (stdout carries the report, so --json stays parseable).
        const { progressWriter } = require("../progress") as typeof import("../progress");
        const progress =
          targets.length > 1 ? progressWriter(process.stderr, { label: "check", total: targets.length }) : undefined;
        const report = await runCheck(targets, {
          concurrency,
          controls: controlInfo(),
          baselineVersion: baselineVersion(root),
          invalid,
          onTenantDone: (t) => progress?.tenantDone(t.status === "error"),
        });
        progress?.finish();
        const render = require("../../report") as typeof import("../../report");
        process.stdout.write(
          options.json
            ? render.renderJson(report)
            : render.renderTerminal(report, { color: process.stdout.isTTY === true }),
        );
        if (options.html) writeFileSync(options.html, render.renderHtml(report, dashboardOptions(alerts, report)));
        if (options.markdown) writeFileSync(options.markdown, render.renderMarkdown(report));
        if (options.customerReport) {
          const { writeCustomerReports } = require("../customer-report") as typeof import("../customer-report");
          const files = await writeCustomerReports(report, {
            outDir: options.customerReport,
            pdf: options.pdf === true,
          });
          const { safeText } = require("../../report/safe-text") as typeof import("../../report/safe-text");
          for (const file of files) process.stderr.write(`customer report: ${safeText(file)}\n`);
        }
        const failedNotify = alerts ? await recordAndNotify(alerts, report) : false;
        // A failed alert fails an otherwise clean run (exit 1); drift (2) and errors (1) already fail it and keep
        // their code, so a scheduler still tells drift from errors. Each failure is on stderr either way.
        const code = checkExitCode(report);
        setExitCode(failedNotify && code === 0 ? 1 : code);
      });
  },
};

interface Alerts {
  readonly dir: string;
  readonly keep: number;
  readonly targets: readonly import("../../notify/payload").NotifyTarget[];
  readonly previous: import("../../notify/history").HistoryRun | undefined;
}

/** Validates --history, --history-keep and --notify and reads the previous run; undefined without --history. */
function prepareAlerts(options: CheckCliOptions): Alerts | undefined {
  const { ValidationError } = require("../../errors") as typeof import("../../errors");
  const { parseNotifyTarget } = require("../../notify/payload") as typeof import("../../notify/payload");
  const issues: import("../../errors").Issue[] = [];
  const notify = options.notify ?? [];
  const targets = notify.map(parseNotifyTarget).filter((t) => {
    if ("fix" in t) issues.push(t);
    return !("fix" in t);
  }) as import("../../notify/payload").NotifyTarget[];
  if (notify.length > 0 && !options.history)
    issues.push({
      file: "command line",
      path: "--notify",
      message: "needs --history: an alert is what changed since the previous run, which the history holds",
      fix: "add --history <dir> (kept between runs, e.g. a CI cache or artifact)",
    });
  const keep = Number(options.historyKeep);
  if (!Number.isInteger(keep) || keep < 1)
    issues.push({
      file: "command line",
      path: "--history-keep",
      message: `'${options.historyKeep}' is not a positive integer`,
      fix: "give e.g. --history-keep 90",
    });
  if (issues.length > 0) throw new ValidationError(issues);
  if (!options.history) return undefined;
  const { readLatestRun } = require("../../notify/store") as typeof import("../../notify/store");
  return { dir: options.history, keep, targets, previous: readLatestRun(options.history) };
}

/**
 * The dashboard's control metadata (framework references) and, with --history, the runs so far plus this one (not yet
 * written: the history is written after the reports, so a failed write never costs the reports).
 */
function dashboardOptions(
  alerts: Alerts | undefined,
  report: import("../../report").CheckReport,
): import("../../report/html").HtmlOptions {
  const { controlInfo } = require("../../check/targets") as typeof import("../../check/targets");
  const controls = controlInfo();
  if (!alerts) return { controls };
  const { summarizeRun } = require("../../notify/history") as typeof import("../../notify/history");
  const { readRuns } = require("../../notify/store") as typeof import("../../notify/store");
  // The runs that stay after this one is written and the history pruned; of each older run the dashboard needs only
  // its statuses (first-seen times come from this run), so the differences are dropped as each file is read.
  const { runs, invalid } = readRuns(alerts.dir, alerts.keep - 1, (run) => ({
    runAt: run.runAt,
    tenants: run.tenants.map((t) => ({
      stack: t.stack,
      controls: t.controls.map((c) => ({ controlId: c.controlId, status: c.status, differences: [] })),
    })),
  }));
  for (const name of invalid)
    process.stderr.write(`history: ${join(alerts.dir, name)}: not a check history run; left out of the dashboard\n`);
  return { controls, history: [...runs, summarizeRun(report, alerts.previous)] };
}

/** Appends the run to the history, prunes it, and posts the changes to each webhook; true when a post failed. */
async function recordAndNotify(alerts: Alerts, report: import("../../report").CheckReport): Promise<boolean> {
  const { summarizeRun, runChanges } = require("../../notify/history") as typeof import("../../notify/history");
  const { writeRun, pruneRuns } = require("../../notify/store") as typeof import("../../notify/store");
  const run = summarizeRun(report, alerts.previous);
  const changes = runChanges(alerts.previous, run);
  const file = writeRun(alerts.dir, run);
  pruneRuns(alerts.dir, alerts.keep);
  process.stderr.write(`history: ${file}: ${changes.length} change(s) since the previous run\n`);
  if (changes.length === 0 || alerts.targets.length === 0) return false;
  const { notifyPayload } = require("../../notify/payload") as typeof import("../../notify/payload");
  const { postWebhook } = require("../../notify/post") as typeof import("../../notify/post");
  const message = {
    runAt: run.runAt,
    baselineVersion: run.baselineVersion,
    firstRun: alerts.previous === undefined,
    changes,
  };
  let failed = false;
  for (const target of alerts.targets) {
    const result = await postWebhook(target, notifyPayload(target.format, message));
    if (result.ok) process.stderr.write(`notify: ${target.format} ${target.shown}: sent ${changes.length} change(s)\n`);
    else {
      failed = true;
      process.stderr.write(`notify: ${target.format} ${target.shown}: not sent: ${result.error}\n`);
    }
  }
  return failed;
}

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
