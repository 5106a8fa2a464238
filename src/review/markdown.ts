/**
 * Renders a review as Markdown for a pull-request comment: a summary table first (tenants × weakening /
 * strengthening counts), then per-tenant details with before/after values.
 */
import { stacksByPermission } from "../report/consent";
import type { ReviewChange } from "./classify";
import type { ReviewResult } from "./index";

const ICON: Record<ReviewChange["kind"], string> = {
  weakening: "🔻 weakening",
  strengthening: "🔺 strengthening",
  neutral: "• neutral",
};

/** Markdown for `result`; stable for the same input. */
export function renderReviewMarkdown(result: ReviewResult): string {
  const lines: string[] = [`## m365-baseline security review (against \`${result.base}\`)`, ""];
  lines.push(verdict(result), "");
  const consent = stacksByPermission(result.tenants.map((t) => ({ stack: t.stack, permissions: t.newPermissions })));
  if (consent.length > 0) {
    lines.push(
      '**Consent before merge:** after this change the deploying app needs permissions it did not before; grant them in these tenants first, or `check` and `pulumi up` will be refused there (README, "Permissions the deploying app needs").',
      "",
    );
    lines.push(...consent.map((c) => `- ${c.permission}: ${c.stacks.join(", ")}`), "");
  }
  lines.push("| Tenant | Weakening | Strengthening | Neutral | Unexcused |", "| --- | ---: | ---: | ---: | ---: |");
  for (const t of result.tenants) {
    const neutral = t.changes.length - t.weakenings - t.strengthenings;
    const status = t.error?.side === "head" ? "compile error" : String(t.unexcused.length);
    lines.push(`| ${t.stack} | ${t.weakenings} | ${t.strengthenings} | ${neutral} | ${status} |`);
  }
  for (const t of result.tenants) {
    if (t.changes.length === 0 && !t.error) continue;
    lines.push("", `### ${t.stack}`, "");
    if (t.error)
      lines.push(
        `> **${t.error.side === "head" ? "Does not compile" : "Base did not compile"}:** ${cell(t.error.message)}`,
        "",
      );
    if (t.changes.length === 0) continue;
    lines.push("| Change | Control | Object | Before | After | Exception |", "| --- | --- | --- | --- | --- | --- |");
    for (const c of t.changes) {
      const excused = c.kind !== "weakening" ? "" : t.unexcused.includes(c) ? "**missing**" : "covered";
      lines.push(
        `| ${ICON[c.kind]} | ${c.controlId} | ${cell(c.object)}${c.path ? ` \`${cell(c.path)}\`` : ""} | ${value(c.before)} | ${value(c.after)} | ${excused} |`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

function verdict(result: ReviewResult): string {
  if (result.exitCode === 1) return "**A stack does not compile at the head of this branch.**";
  const unexcused = result.tenants.reduce((n, t) => n + t.unexcused.length, 0);
  if (unexcused > 0)
    return `**${unexcused} weakening change(s) have no unexpired exception.** Add an exception (control, reason, expires) to the tenant's stack file or revert the change.`;
  const changes = result.tenants.reduce((n, t) => n + t.changes.length, 0);
  return changes === 0
    ? "No change to any tenant's compiled baseline."
    : "Every weakening change is covered by an unexpired exception.";
}

function value(v: unknown): string {
  if (v === undefined) return "—";
  return `\`${cell(typeof v === "string" ? v : JSON.stringify(v))}\``;
}

/** Escapes a value for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ").slice(0, 300);
}
