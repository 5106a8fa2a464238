/**
 * `$batch` of reads: chunks of at most 20 (Graph's limit), per-item 429/503/504 retried after the item's
 * Retry-After, conditional-access reads sent one by one through the pacer (each inner request counts
 * against the 1 request/s limit).
 */
import { GraphRequestError, InternalError } from "../errors";
import { errorFromResponse } from "./failure";
import { sleep } from "./options";
import type { StopReason } from "./http";
import { expectObject, invalidBody } from "./shape";
import type { BatchRead, BatchResult } from "./types";

/** Graph's maximum number of requests in one `$batch`. */
export const MAX_BATCH = 20;

interface BatchResponseItem {
  readonly id: string;
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

/** What batchReads needs from the client. */
export interface BatchDeps {
  readonly isPaced: (read: BatchRead) => boolean;
  readonly single: (read: BatchRead) => Promise<BatchResult>;
  readonly post: (body: unknown) => Promise<{ readonly responses?: readonly BatchResponseItem[] }>;
  /** The wait before retry `attempt`, or why there is none (the Retry-After is over the cap, or the deadline). */
  readonly retryDelayMs: (attempt: number, retryAfterSeconds: number | undefined) => number | StopReason;
  /** The final error of a read whose retries stopped for `reason`, from its last one. */
  readonly giveUp: (error: GraphRequestError, reason: StopReason) => GraphRequestError;
  readonly maxRetries: number;
  /** Every item of a collection from its `@odata.nextLink` on. */
  readonly list: (nextLink: string) => Promise<unknown[]>;
}

/** Runs the reads, batching where allowed; every read gets a result keyed by its id. */
export async function batchReads(reads: readonly BatchRead[], deps: BatchDeps): Promise<Map<string, BatchResult>> {
  const ids = new Set(reads.map((r) => r.id.toLowerCase()));
  if (ids.size !== reads.length) throw new InternalError("batch() was given duplicate read ids");
  const results = new Map<string, BatchResult>();
  const batched = reads.filter((r) => !deps.isPaced(r));
  for (const read of reads.filter((r) => deps.isPaced(r))) results.set(read.id, await deps.single(read));
  const chunks: BatchRead[][] = [];
  for (let i = 0; i < batched.length; i += MAX_BATCH) chunks.push(batched.slice(i, i + MAX_BATCH));
  await Promise.all(chunks.map((chunk) => runChunk(chunk, deps, results)));
  await Promise.all(reads.map((read) => followPages(read, deps, results)));
  return results;
}

/**
 * A collection answered in pages inside `$batch` carries `@odata.nextLink` (Graph's paging applies per request:
 * learn.microsoft.com/graph/paging); the rest is read so a tenant with more objects than a page is seen whole. A read
 * with `$top` asked for that many and stops there (Graph still sends a nextLink when more remain).
 */
async function followPages(read: BatchRead, deps: BatchDeps, results: Map<string, BatchResult>): Promise<void> {
  const result = results.get(read.id);
  if (!result?.ok || /[?&]\$top=/.test(read.url)) return;
  const body = result.body as { value?: unknown; "@odata.nextLink"?: unknown } | undefined;
  const next = body?.["@odata.nextLink"];
  if (typeof next !== "string" || !Array.isArray(body?.value)) return;
  try {
    const rest = await deps.list(next);
    const { "@odata.nextLink": _next, ...whole } = body;
    results.set(read.id, { ok: true, status: result.status, body: { ...whole, value: [...body.value, ...rest] } });
  } catch (error) {
    if (!(error instanceof GraphRequestError)) throw error;
    results.set(read.id, { ok: false, error });
  }
}

async function runChunk(
  chunk: readonly BatchRead[],
  deps: BatchDeps,
  results: Map<string, BatchResult>,
): Promise<void> {
  let pending = [...chunk];
  for (let attempt = 0; pending.length > 0; attempt++) {
    const byKey = new Map(pending.map((read, i) => [String(i + 1), read]));
    const reply = await deps.post({
      requests: [...byKey].map(([id, read]) => ({
        id,
        method: "GET",
        url: read.url.startsWith("/") ? read.url : `/${read.url}`,
        ...(read.headers ? { headers: read.headers } : {}),
      })),
    });
    // Without a `responses` list no read has an answer: the batch failed, it did not find nothing.
    if (!Array.isArray(reply.responses))
      throw invalidBody("POST", "/$batch", 200, "the $batch response has no `responses` list");
    const retry: BatchRead[] = [];
    const lastErrors = new Map<BatchRead, GraphRequestError>();
    let retryAfter: number | undefined;
    for (const [key, read] of byKey) {
      const item = reply.responses.find((r) => typeof r === "object" && r !== null && String(r.id) === key);
      if (!item) {
        results.set(read.id, {
          ok: false,
          error: errorFromResponse(
            "GET",
            read.url,
            500,
            new Headers(),
            '{"error":{"code":"MissingBatchResponse","message":"the $batch response had no entry for this request"}}',
          ),
        });
        continue;
      }
      const headers = new Headers(item.headers ?? {});
      if ((item.status === 429 || item.status === 503 || item.status === 504) && attempt < deps.maxRetries) {
        retry.push(read);
        const error = errorFromResponse("GET", read.url, item.status, headers, JSON.stringify(item.body ?? ""));
        lastErrors.set(read, error);
        // Seconds or an HTTP date (RFC 9110 §10.2.3), as failure.ts parses it for any response.
        if (error.retryAfterSeconds !== undefined) retryAfter = Math.max(retryAfter ?? 0, error.retryAfterSeconds);
        continue;
      }
      if (item.status >= 200 && item.status < 300) results.set(read.id, okItem(read, item));
      else
        results.set(read.id, {
          ok: false,
          error: errorFromResponse("GET", read.url, item.status, headers, JSON.stringify(item.body ?? "")),
        });
    }
    pending = retry;
    if (pending.length === 0) break;
    const wait = deps.retryDelayMs(attempt + 1, retryAfter);
    if (typeof wait === "number") {
      await sleep(wait);
      continue;
    }
    for (const read of pending) results.set(read.id, { ok: false, error: deps.giveUp(lastErrors.get(read)!, wait) });
    pending = [];
  }
}

/** A 2xx item's result: its body must be a JSON object (every read batched here is an entity or a collection). */
function okItem(read: BatchRead, item: BatchResponseItem): BatchResult {
  try {
    return { ok: true, status: item.status, body: expectObject(item.body, "GET", read.url, item.status) };
  } catch (error) {
    if (error instanceof GraphRequestError) return { ok: false, error };
    throw error;
  }
}
