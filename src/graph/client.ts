/**
 * The GraphClient: what the SDK does not do, added once — conditional-access pacing, eventual-consistency
 * retries, retries of lost responses on idempotent calls, create-safety by natural key, paging, `$batch`.
 */
import { GraphRequestError } from "../errors";
import { batchReads } from "./batch";
import { isAmbiguous, isNoBackingApplication, isNotFound, isThrottled, isTransport } from "./failure";
import { displayPath, type Call, type Method, type Reply, type SdkSession } from "./http";
import { expectList, expectObject } from "./shape";
import { budgetOf, Deadline, type Budget } from "./deadline";
import { backoffDelayMs, sleep, type ResolvedClientOptions } from "./options";
import { isConditionalAccessPath, tenantState } from "./tenant-state";
import type { BatchRead, BatchResult, GraphClient, NaturalKeyLookup, RequestOptions } from "./types";

interface SendOptions {
  /** Safe to re-send after a lost response (GET/PUT/PATCH/DELETE, read-only POSTs such as `$batch`). */
  readonly idempotent: boolean;
}

/** A Graph v1.0 client for one tenant; see GraphClient in types.ts for the contract. */
export class TenantGraphClient implements GraphClient {
  private readonly state;
  private readonly budget: Budget;

  constructor(
    readonly tenantId: string,
    private readonly session: SdkSession,
    private readonly options: ResolvedClientOptions,
  ) {
    this.state = tenantState(tenantId);
    this.budget = budgetOf(options);
  }

  async get<T>(path: string, options?: RequestOptions): Promise<T> {
    const reply = await this.request(
      { method: "GET", path, headers: options?.headers, sdkRetry: "all" },
      { idempotent: true },
    );
    // Every Graph GET this client makes reads an entity or a collection page: a JSON object.
    return expectObject(parseJson(reply, "GET", path), "GET", displayPath(path), reply.status) as T;
  }

  async tryGet<T>(path: string, options?: RequestOptions): Promise<T | undefined> {
    try {
      return await this.get<T>(path, options);
    } catch (error) {
      if (error instanceof GraphRequestError && isNotFound(error)) return undefined;
      throw error;
    }
  }

  async list<T>(path: string, options?: RequestOptions): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    while (next !== undefined) {
      const page: Record<string, unknown> = await this.get(next, options);
      items.push(...expectList<T>(page, "GET", displayPath(next)));
      const link = page["@odata.nextLink"];
      if (link !== undefined && (typeof link !== "string" || !link.startsWith("https://"))) {
        throw new GraphRequestError({
          status: 200,
          code: "InvalidNextLink",
          message: `@odata.nextLink is not an absolute https URL: ${String(link)}`,
          method: "GET",
          path: displayPath(path),
        });
      }
      next = link;
    }
    return items;
  }

  async create<T>(
    path: string,
    body: unknown,
    options?: RequestOptions & { readonly naturalKey?: NaturalKeyLookup },
  ): Promise<T> {
    const naturalKey = options?.naturalKey;
    for (let attempt = 1; ; attempt++) {
      try {
        const created = parseJson<T>(
          await this.request(
            { method: "POST", path, body, headers: options?.headers, sdkRetry: "throttle" },
            { idempotent: false },
          ),
          "POST",
          path,
        );
        this.remember(created);
        return created;
      } catch (error) {
        if (
          !naturalKey ||
          !(error instanceof GraphRequestError) ||
          !isAmbiguous(error) ||
          attempt > this.options.transport.retries
        )
          throw error;
        // The POST may have succeeded before the failure: look before creating again.
        const existing = await this.lookUp<T>(naturalKey, options?.headers);
        if (existing !== undefined) {
          this.remember(existing);
          return existing;
        }
        await sleep(backoffDelayMs(this.options.transport, attempt));
      }
    }
  }

  async post<T>(path: string, body: unknown, options?: RequestOptions): Promise<T> {
    const reply = await this.request(
      { method: "POST", path, body, headers: options?.headers, sdkRetry: "throttle" },
      { idempotent: false },
    );
    const result = parseJson<T>(reply, "POST", path);
    if (reply.status === 201) this.remember(result);
    return result;
  }

  async patch(path: string, body: unknown, options?: RequestOptions): Promise<void> {
    await this.request(
      { method: "PATCH", path, body, headers: options?.headers, sdkRetry: "all" },
      { idempotent: true },
    );
  }

  async putStream(
    path: string,
    data: Uint8Array | string,
    contentType: string,
    options?: RequestOptions,
  ): Promise<void> {
    const body = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data);
    await this.request(
      { method: "PUT", path, body, contentType, headers: options?.headers, sdkRetry: "all" },
      { idempotent: true },
    );
  }

  async getStream(path: string, options?: RequestOptions): Promise<Uint8Array | undefined> {
    try {
      const reply = await this.request(
        { method: "GET", path, headers: options?.headers, sdkRetry: "all" },
        { idempotent: true },
      );
      // Graph answers an unset stream with 200 and an empty JSON object, not 404 (Graph docs,
      // organizationalbranding-get: the unset-stream example answers 200 with {}).
      const unset =
        reply.bytes.length === 0 ||
        (/json/i.test(reply.headers.get("content-type") ?? "") && reply.bytes.toString("utf8").trim() === "{}");
      return unset ? undefined : new Uint8Array(reply.bytes);
    } catch (error) {
      if (error instanceof GraphRequestError && isNotFound(error)) return undefined;
      throw error;
    }
  }

  async delete(path: string, options?: RequestOptions): Promise<void> {
    try {
      await this.request({ method: "DELETE", path, headers: options?.headers, sdkRetry: "all" }, { idempotent: true });
    } catch (error) {
      if (error instanceof GraphRequestError && isNotFound(error)) return;
      throw error;
    }
  }

  batch(reads: readonly BatchRead[]): Promise<Map<string, BatchResult>> {
    // One deadline for the batch's rounds of item retries; each `$batch` POST also has its own.
    const deadline = new Deadline(this.tenantId, this.budget);
    return batchReads(reads, {
      isPaced: (read) => isConditionalAccessPath(read.url),
      single: async (read) => {
        try {
          return { ok: true, status: 200, body: await this.get(read.url, { headers: read.headers }) };
        } catch (error) {
          if (error instanceof GraphRequestError) return { ok: false, error };
          throw error;
        }
      },
      post: async (body) => {
        const reply = await this.request(
          { method: "POST", path: "/$batch", body, sdkRetry: "all" },
          { idempotent: true },
        );
        return expectObject(parseJson(reply, "POST", "/$batch"), "POST", "/$batch", reply.status);
      },
      retryDelayMs: (attempt, retryAfterSeconds) => {
        if ((retryAfterSeconds ?? 0) > this.options.maxRetryAfterSeconds) return "retryAfter";
        const ms = Math.max(
          (retryAfterSeconds ?? 0) * 1000,
          backoffDelayMs(
            { retries: 0, initialDelayMs: this.options.sdkRetryDelaySeconds * 1000, maxDelayMs: 180_000 },
            attempt,
          ),
        );
        return deadline.allows(ms) ? ms : "deadline";
      },
      giveUp: (error, reason) => (reason === "retryAfter" ? deadline.tooLong(error) : deadline.expired(error)),
      maxRetries: this.options.sdkMaxRetries,
      list: (nextLink) => this.list(nextLink),
    });
  }

  /** Sends a call with pacing and the retries this layer owns; returns a 2xx reply or throws GraphRequestError. */
  private async request(call: Call, send: SendOptions): Promise<Reply> {
    const paced = isConditionalAccessPath(displayPath(call.path));
    const o = this.options;
    const deadline = new Deadline(this.tenantId, this.budget);
    const limited: Call = { ...call, limits: deadline.limits() };
    let throttled = 0;
    let transport = 0;
    let consistency = 0;
    for (;;) {
      try {
        if (!paced) return await this.session.sendOk(limited);
        return await this.state.pacer.run(o.conditionalAccessIntervalMs, () =>
          this.session.sendOk({ ...limited, sdkRetry: "none" }),
        );
      } catch (error) {
        if (!(error instanceof GraphRequestError)) throw error;
        const final = deadline.final(error);
        if (final) throw final;
        if (
          paced &&
          isThrottled(error) &&
          (error.status === 429 || send.idempotent) &&
          ++throttled <= o.conditionalAccessThrottle.retries
        ) {
          // Microsoft's CA 429s carry no Retry-After: back off at least one interval, then queue again.
          await deadline.pause(
            Math.max((error.retryAfterSeconds ?? 0) * 1000, backoffDelayMs(o.conditionalAccessThrottle, throttled)),
            error,
          );
          continue;
        }
        if (send.idempotent && isTransport(error) && ++transport <= o.transport.retries) {
          await deadline.pause(backoffDelayMs(o.transport, transport), error);
          continue;
        }
        // A DELETE whose earlier attempt lost its response may already have worked: its 404 is final.
        const mayHaveApplied = call.method === "DELETE" && (transport > 0 || throttled > 0);
        if (!mayHaveApplied && this.isConsistencyLag(error, call) && ++consistency <= o.consistency.retries) {
          await deadline.pause(backoffDelayMs(o.consistency, consistency), error);
          continue;
        }
        throw error;
      }
    }
  }

  /** A 404 on an object this process just created, or a service principal whose new application has not replicated. */
  private isConsistencyLag(error: GraphRequestError, call: Call): boolean {
    if (isNoBackingApplication(error)) return true;
    if (!isNotFound(error)) return false;
    const body = call.body === undefined || Buffer.isBuffer(call.body) ? undefined : JSON.stringify(call.body);
    return this.state.recent.mentionedIn(call.path, body);
  }

  private async lookUp<T>(
    key: NaturalKeyLookup,
    headers: Readonly<Record<string, string>> | undefined,
  ): Promise<T | undefined> {
    const separator = key.collectionPath.includes("?") ? "&" : "?";
    const path = `${key.collectionPath}${separator}$filter=${encodeURIComponent(key.filter)}`;
    for (let attempt = 1; attempt <= this.options.createLookupAttempts; attempt++) {
      const page: unknown = await this.get(path, { headers });
      const found = [...expectList<T & { createdDateTime?: string }>(page, "GET", displayPath(path))].sort((a, b) =>
        String(b.createdDateTime ?? "").localeCompare(String(a.createdDateTime ?? "")),
      );
      if (found[0] !== undefined) return found[0];
      // A create that succeeded may take a moment to show in the collection.
      if (attempt < this.options.createLookupAttempts) await sleep(this.options.createLookupDelayMs);
    }
    return undefined;
  }

  private remember(created: unknown): void {
    if (typeof created !== "object" || created === null) return;
    const ids = ["id", "appId"]
      .map((k) => (created as Record<string, unknown>)[k])
      .filter((v): v is string => typeof v === "string");
    this.state.recent.remember(ids, this.options.recentWindowMs);
  }
}

/** Parses a 2xx JSON body; an unparsable one becomes a GraphRequestError naming the call. */
export function parseJson<T>(reply: Reply, method: Method = "GET", path = "(unknown)"): T {
  if (reply.status === 204 || reply.bytes.length === 0) return undefined as T;
  try {
    return JSON.parse(reply.bytes.toString("utf8")) as T;
  } catch {
    const sample = reply.bytes.toString("utf8").replace(/\0/g, "").slice(0, 120);
    throw new GraphRequestError({
      status: reply.status,
      code: "InvalidResponseBody",
      message: `the response is not JSON: ${sample}`,
      method,
      path: displayPath(path),
      requestId: reply.headers.get("request-id") ?? undefined,
    });
  }
}
