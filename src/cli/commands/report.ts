/**
 * `m365-baseline report customer`: the customer's shared-responsibility report (one printable HTML page per
 * tenant, optionally PDF) from a saved `check --json` report, so it needs no tenant access.
 */
import type { Command } from "commander";
import type { CommandModule } from "../main";

interface CustomerOptions {
  from: string;
  stack?: string[];
  out: string;
  pdf?: boolean;
}

export const command: CommandModule = {
  register(program: Command) {
    const report = program.command("report").description("Reports built from a saved check report.");
    report
      .command("customer")
      .description("The customer's shared-responsibility report per tenant: printable HTML, and PDF with --pdf.")
      .requiredOption("--from <file>", "a report written by check --json")
      .option("--stack <names...>", "only these stacks (default: every tenant in the report)")
      .requiredOption("--out <dir>", "directory for <stack>.html (and <stack>.pdf)")
      .option("--pdf", "also print each page to PDF through Chromium (M365B_CHROMIUM, default /usr/bin/chromium)")
      .action(async (options: CustomerOptions) => {
        const { readCheckReport, writeCustomerReports } =
          require("../customer-report") as typeof import("../customer-report");
        const { safeText } = require("../../report/safe-text") as typeof import("../../report/safe-text");
        const written = await writeCustomerReports(readCheckReport(options.from), {
          stacks: options.stack,
          outDir: options.out,
          pdf: options.pdf === true,
        });
        for (const file of written) process.stdout.write(`${safeText(file)}\n`);
      });
  },
};
