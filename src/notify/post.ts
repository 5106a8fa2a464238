/**
 * Posts a drift alert to a webhook with Node's built-in fetch. Webhooks are not Microsoft Graph, so this is not in
 * `src/graph/` (the only code that talks HTTP to Microsoft): it sends one JSON body to one URL the operator gave.
 */
import { safeJsonLine } from "../report/safe-text";
import type { NotifyTarget } from "./payload";

/** Time one attempt may take. */
export const NOTIFY_TIMEOUT_MS = 10_000;

/** The longest Retry-After honoured before the one retry (a nightly job should not hang on a webhook). */
export const MAX_RETRY_AFTER_MS = 5_000;

export interface PostOptions {
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly timeoutMs?: number;
}

/** The outcome of one post: `ok`, or why not (never the URL: it holds the webhook's secret). */
export type PostResult =
  { readonly ok: true; readonly status: number } | { readonly ok: false; readonly error: string };

/** POSTs `body` as JSON to `target`, retrying once on 429 or 5xx after Retry-After (at most 5 s, default 1 s). */
export async function postWebhook(target: NotifyTarget, body: unknown, options: PostOptions = {}): Promise<PostResult> {
  const send = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const text = safeJsonLine(body);
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await send(target.url, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8" },
        body: text,
        // A redirect would send the alert somewhere the operator did not name.
        redirect: "error",
        signal: AbortSignal.timeout(options.timeoutMs ?? NOTIFY_TIMEOUT_MS),
      });
    } catch (error) {
      const e = error as Error;
      const timedOut = e.name === "TimeoutError" || e.name === "AbortError";
      return { ok: false, error: timedOut ? "timed out" : `request failed (${cause(e)})` };
    }
    // The body is not needed (Slack answers "ok", Teams workflows 202 with none); reading it frees the connection.
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return { ok: true, status: response.status };
    const retryable = response.status === 429 || response.status >= 500;
    if (!retryable || attempt === 2) return { ok: false, error: `HTTP ${response.status}` };
    await sleep(retryAfterMs(response.headers.get("retry-after"), Date.now()));
  }
}

/**
 * Retry-After as milliseconds to wait, capped at `MAX_RETRY_AFTER_MS`: delay-seconds or an HTTP date
 * (https://www.rfc-editor.org/rfc/rfc9110#name-retry-after); 1 s when absent or unreadable.
 */
export function retryAfterMs(header: string | null, now: number): number {
  if (header === null || header.trim() === "") return 1_000;
  const seconds = /^\s*\d+\s*$/.test(header) ? Number(header) * 1000 : Date.parse(header) - now;
  if (Number.isNaN(seconds)) return 1_000;
  return Math.min(Math.max(0, seconds), MAX_RETRY_AFTER_MS);
}

function cause(error: Error): string {
  const c = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  // Node's fetch wraps the socket error; its code (ECONNREFUSED, ENOTFOUND) is the useful part, never the URL.
  return c?.code ?? error.message.replace(/https?:\/\/\S+/g, "<url>");
}
