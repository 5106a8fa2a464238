/**
 * HTML escaping for text from a tenant or a stack (names, values, reasons, errors): the five characters that
 * can open markup or end an attribute become character references (HTML Living Standard, "Escaping a string"),
 * after `safeText` has made control and bidi characters visible, so a printed page cannot be reordered either.
 */
import { safeText } from "./safe-text";

const REFERENCES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** `text` as inert HTML text or attribute content: control/bidi characters shown as `\uXXXX`, markup escaped. */
export function escapeHtml(text: string): string {
  return safeText(text).replace(/[&<>"']/g, (c) => REFERENCES[c]!);
}
