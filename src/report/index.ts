/** Renderers for a check report: terminal, JSON, Markdown and the self-contained HTML dashboard. */
import type { CheckReport } from "./types";

export { renderTerminal } from "./terminal";
export { renderMarkdown } from "./markdown";
export { renderHtml } from "./html";
export type * from "./types";

/** The report as stable, indented JSON (exactly `CheckReport`). */
export function renderJson(report: CheckReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
