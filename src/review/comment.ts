/**
 * The pull-request comment of a review. GitHub refuses a comment body over 65,536 characters ("Body is too long
 * (maximum is 65536 characters)", github.com/orgs/community/discussions/41331), and the comment action would then
 * fail the job with the gate's verdict unposted; so a larger review is posted as a summary that says where the full
 * review is (the workflow uploads it as an artifact), and the full text is written to its own file as before.
 */
import { mdCode } from "../report/markdown-text";
import type { ReviewResult, TenantReview } from "./index";
import { heading, summaryTable } from "./markdown";

/** GitHub's limit on a comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

// Room for what the posting action adds (marocchino/sticky-pull-request-comment appends a hidden header marker).
// Sizes are measured in UTF-8 bytes, which is never less than the characters GitHub counts however it counts them.
const BUDGET = GITHUB_COMMENT_LIMIT - 1_024;

/**
 * Returns `full` when it fits in one comment, else a summary (verdict, tenants with changes, the way to the full
 * review at `fullReview`, a link when it is an https URL) that always fits.
 */
export function reviewComment(result: ReviewResult, full: string, fullReview: string): string {
  const size = Buffer.byteLength(full, "utf8");
  if (size <= BUDGET) return full;
  const where = /^https:\/\/[^\s<>()]+$/.test(fullReview)
    ? `[the workflow run's artifacts](${fullReview})`
    : mdCode(fullReview);
  const note = `The full review (${size.toLocaleString("en-US")} characters) is longer than GitHub allows in a comment (${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")}); it is in ${where}. Below: the tenants this change touches.`;
  const changed = [...result.tenants].sort(order).filter((t) => t.changes.length > 0 || t.error);
  const [head, rule, ...rows] = summaryTable(changed);
  const top = `${heading(result)}\n${note}\n\n${head}\n${rule}\n`;
  let body = top;
  for (let i = 0; i < rows.length; i++) {
    const tail = `\n${rows.length - i} more tenant(s) with changes: see the full review.\n`;
    const next = `${body}${rows[i]}\n`;
    // Keep room for the closing line whenever a row might be the last that fits.
    if (Buffer.byteLength(next, "utf8") + Buffer.byteLength(tail, "utf8") > BUDGET) return `${body}${tail}`;
    body = next;
  }
  return body;
}

/** Tenants that block the merge first (head compile errors, unexcused weakenings), then by stack name. */
function order(a: TenantReview, b: TenantReview): number {
  const rank = (t: TenantReview) => (t.error?.side === "head" ? 0 : t.unexcused.length > 0 ? 1 : 2);
  return rank(a) - rank(b) || a.stack.localeCompare(b.stack);
}
