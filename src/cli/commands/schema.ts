/** `m365-baseline schema`: writes (or checks) `stacks/schema.json` and `docs/permissions.md`. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Command } from "commander";
import type { CommandModule } from "../main";
import { repoRoot } from "../root";

/** The generated files under `root`, with their expected content. */
export function generatedFiles(root: string): { path: string; content: string }[] {
  const { groupJsonSchema, stackJsonSchema } =
    require("../../stack/json-schema") as typeof import("../../stack/json-schema");
  const { permissionsMarkdown } = require("../../controls/permissions") as typeof import("../../controls/permissions");
  const { permissionsReadmeTable } =
    require("../../controls/permissions") as typeof import("../../controls/permissions");
  const readme = join(root, "README.md");
  const files = [
    { path: join(root, "stacks", "schema.json"), content: stackJsonSchema() },
    { path: join(root, "stacks", "groups", "schema.json"), content: groupJsonSchema() },
    { path: join(root, "docs", "permissions.md"), content: permissionsMarkdown() },
    {
      path: join(root, "docs", "check-report.schema.json"),
      content: (
        require("../../report/json-schema") as typeof import("../../report/json-schema")
      ).checkReportJsonSchema(),
    },
  ];
  // The README keeps a generated permissions table between markers; the rest of it is hand-written.
  if (existsSync(readme)) {
    const text = readFileSync(readme, "utf8");
    const updated = text.replace(
      /(<!-- permissions:start -->)[\s\S]*?(<!-- permissions:end -->)/,
      `$1\n${permissionsReadmeTable()}\n$2`,
    );
    files.push({ path: readme, content: updated });
  }
  return files;
}

export const command: CommandModule = {
  register(program: Command, setExitCode) {
    program
      .command("schema")
      .description(
        "Regenerate the stack and group JSON Schemas and docs/permissions.md from the code (--check: fail if stale).",
      )
      .option("--dir <path>", "repository root (default: current directory)")
      .option("--check", "only check that the files are up to date")
      .action((options: { dir?: string; check?: boolean }) => {
        let stale = 0;
        for (const file of generatedFiles(repoRoot(options.dir))) {
          const current = existsSync(file.path) ? readFileSync(file.path, "utf8") : undefined;
          if (current === file.content) continue;
          if (options.check) {
            process.stderr.write(`${file.path}: out of date (run 'npm run schema' and commit the result)\n`);
            stale++;
          } else {
            mkdirSync(dirname(file.path), { recursive: true });
            writeFileSync(file.path, file.content);
            process.stdout.write(`wrote ${file.path}\n`);
          }
        }
        setExitCode(stale > 0 ? 1 : 0);
      });
  },
};
