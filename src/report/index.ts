/** Renderers for a check report: terminal, JSON, Markdown and the self-contained HTML dashboard. */
import { safeJson } from "./safe-text";
import type { CheckReport } from "./types";

export { renderTerminal } from "./terminal";
export { renderMarkdown } from "./markdown";
export { renderHtml } from "./html";
export type * from "./types";

/** The report as stable, indented JSON (exactly `CheckReport`, with control and bidi characters `\u`-escaped). */
export function renderJson(report: CheckReport): string {
  return `${safeJson(report)}\n`;
}
