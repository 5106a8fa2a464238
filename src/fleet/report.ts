/** Fleet results as a terminal table, Markdown (CI summaries) and JSON. */
import { table } from "../report/table";
import type { FleetOperation, FleetTenantResult } from "./runner";

const show = (v: unknown) => (v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

/** One row per tenant, then every changed property. */
export function renderFleetText(operation: FleetOperation, results: readonly FleetTenantResult[]): string {
  const rows = results.map((r) => [
    r.stack,
    r.status,
    String(r.changes.length),
    `${(r.durationMs / 1000).toFixed(1)} s`,
    r.error ?? "",
  ]);
  const lines = [
    `fleet ${operation}: ${results.length} stack(s)`,
    table(["Stack", "Result", "Changes", "Time", "Error"], rows),
  ];
  for (const r of results.filter((x) => x.changes.length > 0)) {
    lines.push("", `${r.stack}:`);
    for (const c of r.changes) {
      lines.push(`  ${c.op} ${c.type} ${c.name}`);
      for (const p of c.properties) lines.push(`      ${p.path}: ${show(p.before)} → ${show(p.after)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** Summary table first, then details per tenant. */
export function renderFleetMarkdown(operation: FleetOperation, results: readonly FleetTenantResult[]): string {
  const lines = [
    `## m365-baseline fleet ${operation}`,
    "",
    "| Stack | Result | Changes | Error |",
    "| --- | --- | --- | --- |",
  ];
  for (const r of results)
    lines.push(`| ${r.stack} | ${r.status} | ${r.changes.length} | ${(r.error ?? "").replace(/\|/g, "\\|")} |`);
  for (const r of results.filter((x) => x.changes.length > 0)) {
    lines.push("", `### ${r.stack}`, "");
    for (const c of r.changes) {
      lines.push(`- **${c.op}** \`${c.type}\` \`${c.name}\``);
      for (const p of c.properties) lines.push(`  - \`${p.path}\`: \`${show(p.before)}\` → \`${show(p.after)}\``);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** Exit code: 1 when a tenant failed, 2 when drift/changes were found by `drift`, else 0. */
export function fleetExitCode(operation: FleetOperation, results: readonly FleetTenantResult[]): number {
  if (results.some((r) => r.status === "error")) return 1;
  return operation === "drift" && results.some((r) => r.status === "changes") ? 2 : 0;
}
