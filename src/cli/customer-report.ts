/**
 * Writes the customer reports (src/report/customer.ts) of a check report into a directory: one HTML page per
 * tenant and, with `pdf`, its PDF. Shared by `report customer` (a saved JSON report) and `check --customer-report`.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ValidationError } from "../errors";
import type { CheckReport } from "../report/types";

/** What to write: which stacks (default every tenant of the report), where, and whether to print PDFs. */
export interface CustomerReportRequest {
  readonly stacks?: readonly string[] | undefined;
  readonly outDir: string;
  readonly pdf: boolean;
}

/** Writes each selected tenant's page (and PDF) and returns the files written, in report order. */
export async function writeCustomerReports(report: CheckReport, request: CustomerReportRequest): Promise<string[]> {
  const known = report.tenants.map((t) => t.stack);
  const unknown = (request.stacks ?? []).filter((s) => !known.includes(s));
  if (unknown.length > 0)
    throw new ValidationError(
      unknown.map((s) => ({
        file: "command line",
        path: "--stack",
        message: `the report has no tenant of stack '${s}'`,
        fix: `give one of: ${known.join(", ") || "(the report has no tenants)"}`,
      })),
    );
  const selected = report.tenants.filter((t) => !request.stacks || request.stacks.includes(t.stack));
  const { renderCustomerReport, customerReportFileName } =
    require("../report/customer") as typeof import("../report/customer");
  // Resolve Chromium before writing anything, so a missing browser fails the command with its fix up front.
  const pdf = require("../report/pdf") as typeof import("../report/pdf");
  const printer = request.pdf ? await pdf.openPdfPrinter(pdf.chromiumPath()) : undefined;
  mkdirSync(request.outDir, { recursive: true });
  const written: string[] = [];
  try {
    const frameworks = frameworkLookup();
    for (const tenant of selected) {
      const html = renderCustomerReport(report, tenant, { frameworks });
      const htmlFile = join(request.outDir, customerReportFileName(tenant.stack, "html"));
      writeFileSync(htmlFile, html);
      written.push(htmlFile);
      if (printer) {
        const pdfFile = join(request.outDir, customerReportFileName(tenant.stack, "pdf"));
        writeFileSync(pdfFile, await printer.print(html));
        written.push(pdfFile);
      }
    }
  } finally {
    await printer?.close();
  }
  return written;
}

/** Framework references of every control in the registry, by control id. */
function frameworkLookup(): import("../report/customer").FrameworkLookup {
  const { controls } = require("../controls") as typeof import("../controls");
  return new Map(Object.values(controls).map((c) => [c.id, c.frameworks]));
}

/** Reads a saved `check --json` report, or a ValidationError naming the file and what is wrong with it. */
export function readCheckReport(file: string): CheckReport {
  const problem = (message: string, fix: string) => new ValidationError([{ file, path: "(file)", message, fix }]);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw problem(`cannot read: ${(error as Error).message}`, "give the file `check --json` wrote");
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw problem(`not JSON: ${(error as Error).message}`, "give the file `check --json` wrote");
  }
  // The documented schema of `check --json` (src/report/json-schema.ts): a file that passes renders safely.
  const { checkReportSchema } = require("../report/json-schema") as typeof import("../report/json-schema");
  const parsed = checkReportSchema.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new ValidationError([
      {
        file,
        path: first.path.join(".") || "(file)",
        message: `not a check report: ${first.message}`,
        fix: "give the file `check --json` wrote",
      },
    ]);
  }
  return data as CheckReport;
}
