/**
 * HTML to PDF through Chromium's print-to-PDF, driven by playwright-core (which ships no browser: it drives the
 * system's Chromium). `page.pdf` honours the page's `@page` and `@media print` rules
 * (playwright.dev/docs/api/class-page#page-pdf). The page is set from a string and every request it would make is
 * refused, so rendering never touches the network.
 */
import { existsSync } from "node:fs";
import { ValidationError } from "../errors";

/** Debian's and Ubuntu's Chromium package path; `M365B_CHROMIUM` overrides it. */
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

// Headless, no sandbox (containers and CI runners often lack the user namespaces it needs), and none of the
// background services that would call Google on start (peter.sh/experiments/chromium-command-line-switches).
/** Chromium's flags for every headless use here (the PDF, the dashboard's browser test and benchmark). */
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The Chromium executable to use, or a ValidationError naming the fix when there is none. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const path = env["M365B_CHROMIUM"] || DEFAULT_CHROMIUM;
  if (existsSync(path)) return path;
  throw new ValidationError([
    {
      file: "command line",
      path: "--pdf",
      message: `no Chromium at ${path}: --pdf prints the HTML through Chromium's print-to-PDF`,
      fix: "install it (apt-get install chromium) or set M365B_CHROMIUM to a Chromium or Chrome executable",
    },
  ]);
}

/** A launched browser that prints HTML pages to A4 PDFs; close it when done. */
export interface PdfPrinter {
  print(html: string): Promise<Buffer>;
  close(): Promise<void>;
}

/** Launches Chromium once (launching is the slow part) for printing many pages. */
export async function openPdfPrinter(executablePath: string = chromiumPath()): Promise<PdfPrinter> {
  let playwright: typeof import("playwright-core");
  try {
    playwright = require("playwright-core") as typeof import("playwright-core");
  } catch {
    throw new ValidationError([
      {
        file: "command line",
        path: "--pdf",
        message: "playwright-core, which drives Chromium, is not installed",
        fix: "install the development dependencies (npm ci) or leave out --pdf and print the HTML from a browser",
      },
    ]);
  }
  const { chromium } = playwright;
  const browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
  return {
    async print(html) {
      const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
      try {
        const page = await context.newPage();
        // The report is self-contained; anything it would fetch is refused rather than loaded.
        await page.route("**/*", (route) => route.abort());
        await page.setContent(html, { waitUntil: "load" });
        return await page.pdf({ format: "A4", printBackground: true });
      } finally {
        await context.close();
      }
    },
    close: () => browser.close(),
  };
}
