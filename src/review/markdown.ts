/**
 * Renders a review as Markdown for a pull-request comment: a summary table first (tenants × weakening /
 * strengthening counts), then per-tenant details with before/after values. Every text a pull request or a tenant
 * controls (stack names, object names, values, exception reasons, compile errors, the base ref) goes through
 * `mdInline` / `mdCode`, so the comment carries no HTML, link, image or mention from its inputs.
 */
import { stacksByPermission } from "../report/consent";
import { mdCode, mdInline } from "../report/markdown-text";
import type { ReviewChange } from "./classify";
import type { ReviewResult, TenantReview } from "./index";
import type { Promotion } from "./promotions";

const ICON: Record<ReviewChange["kind"], string> = {
  weakening: "🔻 weakening",
  strengthening: "🔺 strengthening",
  neutral: "• neutral",
};

/** Markdown for `result`; stable for the same input. */
export function renderReviewMarkdown(result: ReviewResult): string {
  const lines: string[] = [heading(result)];
  const consent = stacksByPermission(result.tenants.map((t) => ({ stack: t.stack, permissions: t.newPermissions })));
  if (consent.length > 0) {
    lines.push(
      '**Consent before merge:** after this change the deploying app needs permissions it did not before; grant them in these tenants first, or `check` and `pulumi up` will be refused there (README, "Permissions the deploying app needs").',
      "",
    );
    // Permissions are the registry's own names; the stacks are file names from the pull request.
    lines.push(...consent.map((c) => `- ${c.permission}: ${c.stacks.map((s) => mdInline(s)).join(", ")}`), "");
  }
  lines.push(...summaryTable(result.tenants));
  for (const t of result.tenants) {
    if (t.changes.length === 0 && !t.error) continue;
    lines.push("", `### ${mdInline(t.stack)}`, "");
    if (t.error)
      lines.push(
        `> **${t.error.side === "head" ? "Does not compile" : "Base did not compile"}:** ${mdCode(t.error.message, { max: 2000 })}`,
        "",
      );
    if (t.changes.length === 0) continue;
    lines.push("| Change | Control | Object | Before | After | Exception |", "| --- | --- | --- | --- | --- | --- |");
    for (const c of t.changes) {
      const excused = c.kind !== "weakening" ? "" : t.unexcused.includes(c) ? "**missing**" : "covered";
      const path = c.path ? ` ${mdCode(c.path, TABLE)}` : "";
      lines.push(
        `| ${ICON[c.kind]} | ${mdInline(c.controlId, TABLE)} | ${mdInline(c.object, TABLE)}${path} | ${value(c.before)} | ${value(c.after)} | ${excused} |`,
      );
    }
    if (t.promotions?.length) lines.push("", ...promotionLines(t.stack, t.promotions));
  }
  return `${lines.join("\n")}\n`;
}

const TABLE = { table: true } as const;

/** One line per reportOnly → enforce change: its evidence file, or the command that produces it. */
function promotionLines(stack: string, promotions: readonly Promotion[]): string[] {
  return promotions.map((p) =>
    p.evidence
      ? `- ${mdInline(p.controlId)} reportOnly → enforce: promotion evidence ${mdCode(p.evidence)}`
      : `- ${mdInline(p.controlId)} reportOnly → enforce: **no promotion evidence**: run ` +
        mdCode(`m365-baseline promote --stack ${stack} ${p.controlId} --write`) +
        " and commit the file it writes",
  );
}

/** The comment's first line and the verdict, the start of both the full review and its summary. */
export function heading(result: ReviewResult): string {
  return `## m365-baseline security review (against ${mdCode(result.base)})\n\n${verdict(result)}\n`;
}

/** The tenants × counts table, one row per given tenant. */
export function summaryTable(tenants: readonly TenantReview[]): string[] {
  const lines = ["| Tenant | Weakening | Strengthening | Neutral | Unexcused |", "| --- | ---: | ---: | ---: | ---: |"];
  for (const t of tenants) {
    const neutral = t.changes.length - t.weakenings - t.strengthenings;
    const status = t.error?.side === "head" ? "compile error" : String(t.unexcused.length);
    lines.push(`| ${mdInline(t.stack, TABLE)} | ${t.weakenings} | ${t.strengthenings} | ${neutral} | ${status} |`);
  }
  return lines;
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
  return mdCode(typeof v === "string" ? v : (JSON.stringify(v) ?? String(v)), TABLE);
}
