/**
 * `m365-baseline promote --stack NAME CONTROL… [--days N] [--write] [--evidence FILE] [--json]`: the gate before
 * conditional-access controls go from reportOnly to enforce (src/promote). It prints the evidence; exit 1 and nothing
 * written when a break-glass principal would be in scope of an enforced policy. With `--write` it sets
 * `stages.<id>: enforce` in the stack file (comments kept) and writes the evidence as Markdown, by default to
 * docs/promotions/<stack>-<CONTROLS>-<date>.md, the file `review` looks for beside the stage change.
 */
import type { Command } from "commander";
import type { CommandModule } from "../main";
import { repoRoot } from "../root";

interface Options {
  stack: string;
  days: string;
  write?: boolean;
  evidence?: string;
  json?: boolean;
  dir?: string;
}

export const command: CommandModule = {
  register(program: Command, setExitCode) {
    program
      .command("promote")
      .description(
        "Check that report-only CA controls are safe to enforce (break-glass, What-If, sign-ins), then enforce.",
      )
      .argument("<controls...>", "control ids to promote, e.g. CA02 CA03")
      .requiredOption("--stack <name>", "stack name (stacks/Pulumi.<name>.yaml)")
      .option("--days <n>", "sign-in log window in days", "14")
      .option("--write", "when safe, set stages.<id>: enforce in the stack file and write the evidence file")
      .option("--evidence <file>", "write the evidence as Markdown here (default with --write: docs/promotions/…)")
      .option("--json", "print the evidence as JSON")
      .option("--dir <path>", "repository root (default: current directory)")
      .action(async (controls: string[], options: Options) => {
        const root = repoRoot(options.dir);
        const { ValidationError } = require("../../errors") as typeof import("../../errors");
        const days = Number(options.days);
        if (!Number.isInteger(days) || days < 1 || days > 30)
          throw new ValidationError([
            {
              file: "command line",
              path: "--days",
              message: `--days must be a whole number of days from 1 to 30, got '${options.days}'`,
              // Entra keeps sign-in logs 30 days with P1/P2:
              // https://learn.microsoft.com/entra/identity/monitoring-health/reference-reports-data-retention
              fix: "use e.g. --days 14; Entra keeps sign-in logs for 30 days",
            },
          ]);
        const ids = [...new Set(controls.map((c) => c.toUpperCase()))];
        const { loadTenant, compileStack, today } = require("../../tenant") as typeof import("../../tenant");
        const promote = require("../../promote") as typeof import("../../promote");
        const offline = require("../../promote/offline") as typeof import("../../promote/offline");
        const live = require("../../promote/live") as typeof import("../../promote/live");
        const { checkTargets } = require("../../check/targets") as typeof import("../../check/targets");
        const { graphRoot } = require("../../graph/roots") as typeof import("../../graph/roots");
        const date = today();
        const tenant = loadTenant(root, options.stack, date);
        promote.checkPromotable(tenant, ids);
        // The stack exactly as it will be after --write: compiled by the real compile, so its guardrails run too.
        const stages = {
          ...tenant.stack.config.stages,
          ...Object.fromEntries(ids.map((id) => [id, "enforce" as const])),
        };
        const after = compileStack(root, { ...tenant.stack, config: { ...tenant.stack.config, stages } }, date);
        const principals = offline.breakGlassPrincipals(tenant.stack.config);
        const policies = after.compiled.resources.filter((r) => r.type === "conditionalAccessPolicy");
        const hits = offline.breakGlassHits(policies, principals, offline.compiledMembership(after.compiled));
        const named = promote.policyNames(after.compiled, ids);
        const [target] = checkTargets(root, [tenant], process.env);
        const connection = target!.connect({ deadlineMs: 5 * 60_000 });
        const base = graphRoot(connection);
        const users = principals.filter((p) => p.kind === "user").map((p) => p.name);
        const since = new Date(Date.now() - days * 86_400_000);
        const [whatIf, impact] = await (async () => {
          try {
            return [
              await live.whatIf(
                connection.graph,
                base,
                users,
                named.map((n) => n.policy),
              ),
              await live.reportOnlyImpact(
                connection.graph,
                named.map((n) => n.policy),
                since,
              ),
            ] as const;
          } finally {
            await connection.close?.();
          }
        })();
        const evidence = {
          stack: tenant.stack.name,
          tenantId: tenant.compiled.tenantId,
          displayName: tenant.compiled.displayName,
          date,
          days,
          controls: named,
          offline: hits,
          breakGlass: principals.map((p) => `${p.kind} ${p.name}`),
          whatIf,
          impact,
        };
        const { safeJson, safeLines } = require("../../report/safe-text") as typeof import("../../report/safe-text");
        const isRefused = promote.refused(evidence);
        const file =
          options.evidence ?? (options.write ? promote.evidenceFile(tenant.stack.name, ids, date) : undefined);
        if (!isRefused && options.write) {
          const { setStackKey } = require("../../stack/write") as typeof import("../../stack/write");
          for (const id of ids) setStackKey(root, tenant.stack.file, "stages", "enforce", [id]);
        }
        if (!isRefused && file) {
          const { mkdirSync, writeFileSync } = require("node:fs") as typeof import("node:fs");
          const { dirname, resolve } = require("node:path") as typeof import("node:path");
          mkdirSync(dirname(resolve(root, file)), { recursive: true });
          writeFileSync(resolve(root, file), promote.renderEvidence(evidence, "markdown"));
        }
        const set = `${ids.map((id) => `stages.${id}: enforce`).join(", ")} in ${tenant.stack.file}`;
        const written = isRefused
          ? ""
          : [
              options.write ? `Set ${set}.` : `Run again with --write to set ${set}.`,
              file ? `Evidence written to ${file}; commit it with the stage change.` : "",
            ]
              .filter(Boolean)
              .map((l) => `${l}\n`)
              .join("");
        process.stdout.write(
          options.json
            ? `${safeJson({ ...evidence, refused: isRefused, evidenceFile: isRefused ? undefined : file })}\n`
            : safeLines(`${promote.renderEvidence(evidence, "text")}${written}`),
        );
        setExitCode(isRefused ? 1 : 0);
      });
  },
};
