/**
 * The customer report's PDF through the system Chromium (playwright-core's print-to-PDF). PDF text is in compressed
 * streams, so the text is checked in the page Chromium printed (`textContent`) and, when poppler's `pdftotext` is
 * installed, in the PDF itself; the PDF's own structure gives its page count.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_CHROMIUM, openPdfPrinter } from "../../../src/report/pdf";
import { renderCustomerReport } from "../../../src/report/customer";
import { renderJson, type CheckReport, type ControlResult } from "../../../src/report";
import { runCli } from "../../support/cli";
import { HOSTILE, hostileReport } from "../../support/hostile";

const chromium = process.env["M365B_CHROMIUM"] || DEFAULT_CHROMIUM;
const hasChromium = existsSync(chromium);
if (!hasChromium) console.log(`skipping the customer PDF tests: no Chromium at ${chromium} (apt-get install chromium)`);
const hasPdftotext = spawnSync("sh", ["-c", "command -v pdftotext"]).status === 0;
if (hasChromium && !hasPdftotext)
  console.log("skipping the PDF text assertion: pdftotext (poppler-utils) is not installed; textContent is checked");

/** Page objects (`/Type /Page`, not the `/Type /Pages` tree nodes): Chromium writes them uncompressed. */
function pageCount(pdf: Buffer): number {
  return (pdf.toString("latin1").match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
}

function reportWith(controls: number): CheckReport {
  const rows: ControlResult[] = Array.from({ length: controls }, (_, i) => ({
    controlId: `CA${String(i + 1).padStart(2, "0")}`,
    title: i === 0 ? "Block legacy authentication" : `Control number ${i + 1}`,
    severity: "high",
    status: i % 2 === 0 ? "compliant" : "drifted",
    resources: [],
    differences: i % 2 === 0 ? [] : [{ path: "state", desired: "enabled", live: "disabled" }],
  }));
  return {
    schemaVersion: 1,
    generatedAt: "2026-11-23T00:00:00.000Z",
    baselineVersion: "abc1234",
    summary: { tenants: 1, compliant: 0, drifted: 1, errors: 0 },
    tenants: [
      {
        stack: "contoso",
        tenantId: "6b0c3a52-7a3e-4d0b-9f0e-1c2d3e4f5a61",
        displayName: "Contoso Pharmaceuticals",
        status: "drifted",
        controls: rows,
        unmanaged: [],
        secureScore: { currentScore: 41, maxScore: 100, actions: [], gainByBaseline: 20 },
        requests: 1,
        durationMs: 1,
      },
    ],
  };
}

describe.skipIf(!hasChromium)("customer report PDF", () => {
  it("prints one A4 page for a short report and more for a long one; the printed page holds the texts", async () => {
    const printer = await openPdfPrinter(chromium);
    try {
      const short = reportWith(1);
      const shortPdf = await printer.print(renderCustomerReport(short, short.tenants[0]!));
      expect(shortPdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      expect(pageCount(shortPdf)).toBe(1);
      const long = reportWith(80);
      const longPdf = await printer.print(renderCustomerReport(long, long.tenants[0]!));
      // 80 rows at one line each need two to three pages of table after the page's fixed sections.
      expect(pageCount(longPdf)).toBeGreaterThanOrEqual(3);
      expect(pageCount(longPdf)).toBeLessThanOrEqual(6);
    } finally {
      await printer.close();
    }
  });

  it("the page Chromium prints carries the tenant name and a control title (textContent)", async () => {
    const { chromium: browserType } = await import("playwright-core");
    const browser = await browserType.launch({ executablePath: chromium, args: ["--headless", "--no-sandbox"] });
    try {
      const page = await browser.newPage();
      const report = reportWith(3);
      await page.setContent(renderCustomerReport(report, report.tenants[0]!));
      const text = (await page.textContent("body")) ?? "";
      expect(text).toContain("Security responsibilities — Contoso Pharmaceuticals");
      expect(text).toContain("Block legacy authentication");
      expect(pageCount(await page.pdf({ format: "A4", printBackground: true }))).toBe(1);
    } finally {
      await browser.close();
    }
  });

  it("a browser parsing pages of hostile texts finds only the page's own elements and no event handler", async () => {
    const { chromium: browserType } = await import("playwright-core");
    const browser = await browserType.launch({ executablePath: chromium, args: ["--headless", "--no-sandbox"] });
    try {
      const page = await browser.newPage();
      const own = reportWith(1);
      await page.setContent(renderCustomerReport(own, own.tenants[0]!));
      // Expressions as strings: the test's TypeScript has no DOM library; they run in the page.
      const tags = () =>
        page.evaluate<string[]>('[...new Set([...document.querySelectorAll("*")].map((e) => e.tagName))].sort()');
      const handlers = () =>
        page.evaluate<number>(
          '[...document.querySelectorAll("*")].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length',
        );
      const allowed = new Set([...(await tags()), "H3", "P", "SPAN"]);
      for (const text of HOSTILE) {
        const report = hostileReport(text);
        await page.setContent(renderCustomerReport(report, report.tenants[0]!));
        expect((await tags()).filter((t) => !allowed.has(t))).toEqual([]);
        expect(await handlers()).toBe(0);
        expect(await page.textContent("h1")).toContain("Security responsibilities — ");
      }
    } finally {
      await browser.close();
    }
  });

  let cliPdf = "";
  it("report customer --pdf writes <stack>.pdf beside <stack>.html", () => {
    const dir = mkdtempSync(join(tmpdir(), "m365b-pdf-"));
    writeFileSync(join(dir, "report.json"), renderJson(reportWith(2)));
    const out = join(dir, "out");
    const r = runCli(["report", "customer", "--from", join(dir, "report.json"), "--out", out, "--pdf"], undefined, {
      M365B_CHROMIUM: chromium,
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual([join(out, "contoso.html"), join(out, "contoso.pdf")]);
    const pdf = readFileSync(join(out, "contoso.pdf"));
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pageCount(pdf)).toBe(1);
    cliPdf = join(out, "contoso.pdf");
  });

  it.skipIf(!hasPdftotext)("the PDF's own text holds the tenant name and a control title (pdftotext)", () => {
    expect(cliPdf).not.toBe("");
    // -layout keeps each table row on its lines; a cell's text may wrap onto the next line, so spaces are joined.
    const text = execFileSync("pdftotext", ["-layout", cliPdf, "-"], { encoding: "utf8" });
    expect(text).toContain("Contoso Pharmaceuticals");
    expect(text).toMatch(/CA01 +Block legacy/);
    // No header or status broken inside a word (a table column too narrow to hold it).
    expect(text).toMatch(/Control +Title +Status +Detail/);
    expect(text).toMatch(/CA01 .*compliant/);
  });
});
