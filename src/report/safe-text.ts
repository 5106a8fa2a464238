/**
 * The one sanitiser for text that reaches a terminal: live names (a policy's or app's displayName), Graph and
 * S&C error messages and stack values may hold ANSI escapes, carriage returns, other C0/C1 controls or bidi
 * overrides, which can recolour, erase or reorder what an operator reads (ECMA-48 control functions; "Trojan
 * Source", CVE-2021-42574, for bidi). Each such character is shown as a visible `\uXXXX` escape instead.
 */

// C0 (tab and newline included: a name must not start a forged table row), DEL, C1, the Arabic letter mark,
// LRM/RLM, the bidi embeddings/overrides and isolates (Unicode UAX #9), and the line/paragraph separators.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Same as UNSAFE minus C0, which JSON.stringify already escapes. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** Returns `text` with every control or bidi character replaced by a visible `\uXXXX` escape (one line, inert). */
export function safeText(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** Like `safeText` for each line of a multi-line text of our own (CRLF or LF), keeping the line breaks. */
export function safeLines(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => safeText(line))
    .join("\n");
}

/** `JSON.stringify(value, null, 2)` with DEL, C1 and bidi characters escaped too: the same data, inert on screen. */
export function safeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, escape);
}

/** `JSON.stringify(value)` on one line, DEL, C1 and bidi characters escaped as `safeJson` does (webhook bodies). */
export function safeJsonLine(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE_IN_JSON, escape);
}
