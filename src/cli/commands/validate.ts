/** `m365-baseline validate`: every stack and its baseline checked offline; all problems at once. */
import type { Command } from "commander";
import type { CommandModule } from "../main";
import { repoRoot } from "../root";

export const command: CommandModule = {
  register(program: Command, setExitCode) {
    program
      .command("validate")
      .description(
        "Validate every stack file, its baseline and referenced files (offline, no call to Microsoft); warnings do not fail it.",
      )
      .option("--dir <path>", "repository root (default: current directory)")
      .option("--stack <names...>", "only these stacks")
      .action((options: { dir?: string; stack?: string[] }) => {
        const { loadAllTenants, today } = require("../../tenant") as typeof import("../../tenant");
        const tenants = options.stack
          ? loadAllTenants(repoRoot(options.dir), today(), options.stack)
          : loadAllTenants(repoRoot(options.dir), today());
        const { safeText } = require("../../report/safe-text") as typeof import("../../report/safe-text");
        const { AUTO_LICENCES_NOTE } = require("../../core/licences") as typeof import("../../core/licences");
        for (const t of tenants) {
          const off = t.compiled.outcomes
            .filter((o) => o.status !== "applied")
            .map((o) => `${o.controlId} ${o.status}`);
          const auto = t.stack.config.licences === "auto" ? `; ${AUTO_LICENCES_NOTE}` : "";
          const line = `ok  ${t.stack.file}: ${t.compiled.resources.length} resources from baseline ${t.baseline.name}${off.length ? ` (${off.join(", ")})` : ""}${auto}`;
          process.stdout.write(`${safeText(line)}\n`);
        }
        // Warnings never fail validation: printed on stderr, one per line, so CI logs show them beside the errors.
        const { formatIssue } = require("../../errors") as typeof import("../../errors");
        const { copiedStackWarningsIn } = require("../../tenant/copied") as typeof import("../../tenant/copied");
        const copied = copiedStackWarningsIn(repoRoot(options.dir));
        const warnings = tenants.flatMap((t) => [...t.warnings, ...(copied.get(t.stack.name) ?? [])]);
        for (const w of warnings) process.stderr.write(`warning: ${formatIssue(w)}\n`);
        if (tenants.length === 0)
          process.stdout.write("no stacks found under stacks/ (add stacks/Pulumi.<tenant>.yaml)\n");
        setExitCode(0);
      });
  },
};
