/**
 * Puts text from a stack file, a tenant or Microsoft (display names, reasons, values, error messages, paths) into
 * GitHub-flavoured Markdown inertly. Such text goes into a code span: GFM interprets no HTML, emphasis, link,
 * image or autolink inside one (GFM spec, "Code spans"), and GitHub neither links nor notifies an `@mention` inside
 * `code` (GitHub Docs, "Basic writing and formatting syntax": mentions notify; code is shown as written). What a
 * code span cannot neutralise is handled here: a backtick run (a longer fence), a table's `|` (`\|`, which GFM
 * unescapes inside cells, spec "Tables"), line breaks (they would end the table row or the blockquote) and
 * control or bidi characters (`safeText`).
 */
import { safeText } from "./safe-text";

/** Where the text goes: a table cell needs its pipes escaped. */
export interface MarkdownTextOptions {
  readonly table?: boolean;
  /** Longest text kept, in characters; longer text ends with `…` (default 300). */
  readonly max?: number;
}

// Letters, digits, `-` and `_` after a first letter or digit: no Markdown meaning, no autolink (`www.`, `://`
// and `@` need characters outside this set), no emphasis (GFM does not open `_` inside a word).
const PLAIN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** Returns `text` as an inert Markdown code span (exact content, one line, at most `max` characters). */
export function mdCode(text: string, options: MarkdownTextOptions = {}): string {
  let content = safeText(text.replace(/\r\n|\r|\n/g, " "));
  const chars = Array.from(content);
  const max = options.max ?? 300;
  if (chars.length > max) content = `${chars.slice(0, max - 1).join("")}…`;
  if (options.table) content = content.replace(/\|/g, "\\|");
  if (content === "") return "*(empty)*";
  const longest = Math.max(0, ...Array.from(content.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  // CommonMark strips one space from each end when both ends have one, and a backtick at an end would join the
  // fence: padding both ends keeps the content exact.
  const pad = /^[` ]|[` ]$/.test(content) ? " " : "";
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** Returns a plain identifier (`contoso`, `CA02`, `ca02-require-mfa`) as is and any other text as `mdCode`. */
export function mdInline(text: string, options: MarkdownTextOptions = {}): string {
  return PLAIN.test(text) && text.length <= (options.max ?? 300) ? text : mdCode(text, options);
}
