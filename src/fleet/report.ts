/** Fleet results as a terminal table, Markdown (CI summaries) and JSON. */
import { mdCode, mdInline } from "../report/markdown-text";
import { safeText } from "../report/safe-text";
import { table } from "../report/table";
import type { FleetOperation, FleetTenantResult } from "./runner";

const show = (v: unknown) => (v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

/** One row per tenant, then every changed property; engine and tenant texts pass `safeText` before the terminal. */
export function renderFleetText(operation: FleetOperation, results: readonly FleetTenantResult[]): string {
  const s = safeText;
  const rows = results.map((r) => [
    s(r.stack),
    r.status,
    String(r.changes.length),
    `${(r.durationMs / 1000).toFixed(1)} s`,
    s(r.error ?? ""),
  ]);
  const lines = [
    `fleet ${operation}: ${results.length} stack(s)`,
    table(["Stack", "Result", "Changes", "Time", "Error"], rows),
  ];
  for (const r of results.filter((x) => x.changes.length > 0)) {
    lines.push("", `${s(r.stack)}:`);
    for (const c of r.changes) {
      lines.push(`  ${s(c.op)} ${s(c.type)} ${s(c.name)}`);
      for (const p of c.properties) lines.push(`      ${s(p.path)}: ${s(show(p.before))} → ${s(show(p.after))}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** Summary table first, then details per tenant; names, values and engine errors are inert (`mdInline` / `mdCode`). */
export function renderFleetMarkdown(operation: FleetOperation, results: readonly FleetTenantResult[]): string {
  const lines = [
    `## m365-baseline fleet ${operation}`,
    "",
    "| Stack | Result | Changes | Error |",
    "| --- | --- | --- | --- |",
  ];
  for (const r of results)
    lines.push(
      `| ${mdInline(r.stack, T)} | ${r.status} | ${r.changes.length} | ${r.error ? mdCode(r.error, { ...T, max: 1000 }) : ""} |`,
    );
  for (const r of results.filter((x) => x.changes.length > 0)) {
    lines.push("", `### ${mdInline(r.stack)}`, "");
    for (const c of r.changes) {
      lines.push(`- **${mdInline(c.op)}** ${mdCode(c.type)} ${mdCode(c.name)}`);
      for (const p of c.properties)
        lines.push(`  - ${mdCode(p.path)}: ${mdCode(show(p.before))} → ${mdCode(show(p.after))}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

const T = { table: true } as const;

/** Exit code: 1 when a tenant failed, 2 when drift/changes were found by `drift`, else 0. */
export function fleetExitCode(operation: FleetOperation, results: readonly FleetTenantResult[]): number {
  if (results.some((r) => r.status === "error")) return 1;
  return operation === "drift" && results.some((r) => r.status === "changes") ? 2 : 0;
}
