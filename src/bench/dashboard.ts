/**
 * The fleet dashboard's time to first render at 1,000 tenants in headless Chromium (issue 19): from navigation start
 * to the tenants table's first rows, as the page itself records it (`window.__firstRowMs`, `performance.now()`).
 * A benchmark, not a test: the browser test asserts behaviour, never a time.
 */
import { CHROMIUM_ARGS, DEFAULT_CHROMIUM } from "../report/pdf";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderHtml } from "../report/html";
import { sampleControls, sampleFleetReport, sampleHistory } from "../report/sample-fleet";
import { table } from "../report/table";

const NOTE = [
  "From navigation start to the tenants table's first page (100 rows) in the DOM, in headless Chromium from file://,",
  "30 history runs embedded (sparklines). It includes parsing the HTML and the embedded JSON and drawing the KPIs and",
  "control bars; painting comes after. The median of the loads after one warm-up load, each in a fresh page.",
].join(" ");

/** Renders a 1,000-tenant dashboard (with 30 history runs) and loads it `loads` times; the section and its JSON. */
export async function benchDashboard(loads = 5): Promise<{ markdown: string; json: unknown }> {
  const title = "## Dashboard: 1,000 tenants — time to first render";
  if (!existsSync(DEFAULT_CHROMIUM))
    return { markdown: `${title}\n\nskipped: no chromium at ${DEFAULT_CHROMIUM}.`, json: null };
  const { chromium } = require("playwright-core") as typeof import("playwright-core");
  const dir = mkdtempSync(join(tmpdir(), "m365b-bench-dashboard-"));
  const file = join(dir, "dashboard.html");
  try {
    const report = sampleFleetReport(1000);
    const started = performance.now();
    const html = renderHtml(report, { controls: sampleControls(), history: sampleHistory(report, 30) });
    const renderMs = performance.now() - started;
    writeFileSync(file, html);
    const browser = await chromium.launch({ executablePath: DEFAULT_CHROMIUM, args: [...CHROMIUM_ARGS] });
    const times: number[] = [];
    try {
      for (let i = 0; i <= loads; i++) {
        // A fresh page each time; the first load (cold browser caches) is a warm-up, not counted.
        const page = await browser.newPage();
        await page.goto(`file://${file}`);
        await page.waitForFunction(
          () => (globalThis as unknown as { __firstRowMs?: number }).__firstRowMs !== undefined,
        );
        const ms = await page.evaluate(() => (globalThis as unknown as { __firstRowMs: number }).__firstRowMs);
        if (i > 0) times.push(ms);
        await page.close();
      }
    } finally {
      await browser.close();
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    const row = {
      tenants: 1000,
      htmlBytes: statSync(file).size,
      renderHtmlMs: renderMs,
      firstRenderMedianMs: median,
      firstRenderMaxMs: times.at(-1)!,
    };
    const markdown = `${title}\n\n${table(
      ["Tenants", "HTML MB", "renderHtml ms", "First render ms (median)", "First render ms (max)", "Loads"],
      [
        [
          "1000",
          (row.htmlBytes / 1e6).toFixed(1),
          row.renderHtmlMs.toFixed(0),
          median.toFixed(0),
          row.firstRenderMaxMs.toFixed(0),
          String(loads),
        ],
      ],
    )}\n\n${NOTE}`;
    return { markdown, json: row };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
