/** `m365-baseline plan --stack NAME`: the exact desired state the baseline puts into one tenant. */
import type { Command } from "commander";
import type { CommandModule } from "../main";
import { repoRoot } from "../root";
import type { CompiledTenant } from "../../core/desired";

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
        const { compiled } = loadTenant(repoRoot(options.dir), options.stack, today());
        process.stdout.write(options.json ? `${JSON.stringify(compiled, null, 2)}\n` : renderPlan(compiled));
        setExitCode(0);
      });
  },
};

/** The plan as text: controls with their outcome, then every resource with its properties. */
export function renderPlan(compiled: CompiledTenant): string {
  const out = [`${compiled.displayName} (${compiled.stack}, ${compiled.tenantId}) — baseline ${compiled.baseline}`, "", "Controls:"];
  for (const o of compiled.outcomes) out.push(`  ${o.controlId.padEnd(8)}${o.status.padEnd(12)}${o.stage}${o.reason ? ` — ${o.reason}` : ""}${o.expires ? ` (until ${o.expires})` : ""}`);
  out.push("", `Resources (${compiled.resources.length}):`);
  for (const r of compiled.resources) {
    out.push(`  ${r.name}  [${r.type}, ${r.controlId}, ${r.stage}]`);
    for (const line of JSON.stringify(r.properties, null, 2).split("\n")) out.push(`      ${line}`);
  }
  return `${out.join("\n")}\n`;
}
