/**
 * The HTTP transport under the Graph SDK: the last link of the SDK's middleware chain sends each request
 * with undici's `request` on a process-wide keep-alive pool, in place of the SDK's HTTPMessageHandler,
 * which calls Node's global fetch. Same wire behaviour (no redirect is followed here: the SDK's
 * RedirectHandler decides), without WHATWG Request/Response streams, which measured about a fifth of a
 * fleet check's CPU. It trusts the system CAs plus an optional extra CA (the emulator's) without touching
 * process-wide state, counts every HTTP request (retries included), and remembers the real transport
 * error of a failed request, which the SDK would otherwise flatten to its message. An attempt's headers must come
 * within `requestTimeoutMs` and its whole body within as long again (undici's bodyTimeout is per chunk, so a
 * server dripping bytes would never trip it), every attempt ends by its call's deadline, and `close()` ends
 * whatever is still in flight.
 */
import * as https from "node:https";
import * as tls from "node:tls";
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { Agent, request, type Dispatcher } from "undici";
import { GraphRequestError, InternalError } from "../errors";
import { DEADLINE_CODE } from "./deadline";
import { NO_RESPONSE } from "./failure";

/** Header the client sets on every attempt; Graph echoes it and we key transport errors by it. */
export const CLIENT_REQUEST_ID = "client-request-id";

/**
 * A response whose body is already read: the parts of fetch's Response that the SDK's handlers (status,
 * headers) and our session (the bytes) use.
 */
export class BufferedResponse {
  constructor(
    readonly status: number,
    readonly headers: Headers,
    private readonly bytes: Buffer,
    /** The URL requested: the SDK's RedirectHandler drops `Authorization` when a redirect leaves its origin. */
    readonly url: string = "",
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  /** The body as received. */
  body(): Buffer {
    return this.bytes;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return new Uint8Array(this.bytes).buffer;
  }

  async text(): Promise<string> {
    return this.bytes.toString("utf8");
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.bytes.toString("utf8")) as unknown;
  }
}

type Body = string | Buffer | Uint8Array | null | undefined;

/**
 * One tenant connection's view of the HTTP pool: counts requests and captures transport errors by
 * client-request-id, while the sockets come from a process-wide pool per trust setting. Every tenant
 * talks to the same hosts (graph.microsoft.com, the S&C endpoint), so sharing keep-alive TLS sessions
 * across tenants saves a handshake per tenant and host; the per-tenant `close()` leaves the pool open.
 */
export class Transport implements Middleware {
  private requests = 0;
  private readonly errors = new Map<string, Error>();
  private readonly deadlines = new Map<string, number>();
  private readonly closed = new AbortController();
  private readonly pool: Agent;
  private readonly requestTimeoutMs: number;

  constructor(options: { readonly caCertificatePem?: string | undefined; readonly requestTimeoutMs: number }) {
    this.pool = sharedPool(options.caCertificatePem, options.requestTimeoutMs);
    this.requestTimeoutMs = options.requestTimeoutMs;
  }

  /** Makes every attempt of the request with this client-request-id end by `deadline` (epoch ms). */
  limit(clientRequestId: string, deadline: number): void {
    if (Number.isFinite(deadline)) this.deadlines.set(clientRequestId, deadline);
  }

  /** The SDK chain's last link: sends the context's request and sets its response. */
  async execute(context: Context): Promise<void> {
    const url = typeof context.request === "string" ? context.request : context.request.url;
    const options = context.options ?? {};
    const headers = headerRecord(options.headers);
    const body: unknown = options.body;
    // The SDK passes strings (serialized JSON) and Buffers through; we never send Blob, FormData or streams.
    if (body != null && typeof body !== "string" && !(body instanceof Uint8Array)) {
      const error = new InternalError(
        `the transport cannot send a request body of type ${Object.prototype.toString.call(body)}`,
      );
      // Kept like a transport error: the SDK would flatten it into a GraphError on its way up.
      if (headers[CLIENT_REQUEST_ID]) this.errors.set(headers[CLIENT_REQUEST_ID], error);
      throw error;
    }
    // A bearer token never travels over plain http, whoever redirected there (RFC 6750 §5.3: TLS is mandatory).
    if (headers["authorization"] && !url.startsWith("https://")) {
      // ECONNRESET, the code a failure without a response gets, as the transport has always reported it.
      const error = noResponse(
        options.method ?? "GET",
        url,
        "ECONNRESET",
        `refused to send the bearer token to ${new URL(url).origin}: not https (a redirect led there)`,
      );
      if (headers[CLIENT_REQUEST_ID]) this.errors.set(headers[CLIENT_REQUEST_ID], error);
      throw error;
    }
    context.response = (await this.send(url, options.method ?? "GET", headers, body)) as unknown as Response;
  }

  /**
   * Sends one HTTP request (any status is a response); a transport failure is remembered under the request's
   * client-request-id, then thrown.
   */
  async send(url: string, method: string, headers: Record<string, string>, body?: Body): Promise<BufferedResponse> {
    const id = headers[CLIENT_REQUEST_ID];
    const deadline = (id ? this.deadlines.get(id) : undefined) ?? Infinity;
    const signals = [this.closed.signal];
    const late = Number.isFinite(deadline) ? AbortSignal.timeout(Math.max(0, deadline - Date.now())) : undefined;
    if (late) signals.push(late);
    // The header phase keeps undici's headersTimeout (from the request's sending); the body gets the same time in
    // all, which undici's per-chunk bodyTimeout does not give.
    const bodyTime = new AbortController();
    signals.push(bodyTime.signal);
    let bodyTimer: NodeJS.Timeout | undefined;
    try {
      if (this.closed.signal.aborted) throw closedError(method, url);
      this.requests++;
      const reply = await request(url, {
        method: method as Dispatcher.HttpMethod,
        headers,
        body: body ?? null,
        dispatcher: this.pool,
        signal: AbortSignal.any(signals),
      });
      bodyTimer = setTimeout(() => bodyTime.abort(), this.requestTimeoutMs);
      const bytes = Buffer.from(await reply.body.arrayBuffer());
      return new BufferedResponse(reply.statusCode, responseHeaders(reply.headers), bytes, url);
    } catch (thrown) {
      const error: unknown = this.closed.signal.aborted
        ? closedError(method, url)
        : late?.aborted
          ? noResponse(method, url, DEADLINE_CODE, "the call's deadline passed before the response was complete")
          : bodyTime.signal.aborted
            ? noResponse(
                method,
                url,
                "ETIMEDOUT",
                `no response in time (no complete response within ${this.requestTimeoutMs} ms)`,
              )
            : thrown;
      if (id && error instanceof Error) this.errors.set(id, error);
      throw error;
    } finally {
      clearTimeout(bodyTimer);
    }
  }

  /** HTTP requests sent through this transport so far, each retry counted. */
  requestCount(): number {
    return this.requests;
  }

  /** The transport error of the request with this client-request-id, removed once read. */
  takeError(clientRequestId: string): Error | undefined {
    const error = this.errors.get(clientRequestId);
    this.forget(clientRequestId);
    return error;
  }

  /** Forgets a request that completed, so the maps do not grow. */
  forget(clientRequestId: string): void {
    this.errors.delete(clientRequestId);
    this.deadlines.delete(clientRequestId);
  }

  /**
   * Ends this tenant's use of the transport: requests still in flight end with a ConnectionClosed error and later
   * ones are refused; the shared pool's idle sockets close on their own.
   */
  async close(): Promise<void> {
    this.closed.abort();
    this.errors.clear();
    this.deadlines.clear();
  }
}

/**
 * A failure of the transport's own making (no response): `url` stands for the path until `errorFromTransport`
 * puts the call's method and path in.
 */
function noResponse(method: string, url: string, code: string, message: string): GraphRequestError {
  return new GraphRequestError({ status: NO_RESPONSE, code, message, method, path: url });
}

/** The error of an attempt in flight when `close()` ended the tenant's use of the transport. */
function closedError(method: string, url: string): GraphRequestError {
  return noResponse(method, url, "ConnectionClosed", "the tenant's connection was closed before the response arrived");
}

/** The SDK's request headers (a plain object or Headers) as a plain object with lower-case names. */
function headerRecord(headers: unknown): Record<string, string> {
  const record: Record<string, string> = {};
  if (!headers || typeof headers !== "object") return record;
  const entries: Iterable<[string, unknown]> =
    headers instanceof Headers
      ? headers.entries()
      : Array.isArray(headers)
        ? (headers as [string, unknown][])
        : Object.entries(headers);
  for (const [name, value] of entries) record[name.toLowerCase()] = String(value);
  return record;
}

/** undici's response headers (repeated ones as arrays) as fetch's Headers. */
function responseHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.append(name, value);
  }
  return headers;
}

const pools = new Map<string, Agent>();

/** The process-wide keep-alive pool for a trust setting and timeout. Idle sockets do not hold the process open. */
function sharedPool(caCertificatePem: string | undefined, requestTimeoutMs: number): Agent {
  const key = `${requestTimeoutMs}|${caCertificatePem ?? ""}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = new Agent({
      connect: caCertificatePem ? { secureContext: secureContextFor(caCertificatePem) } : {},
      headersTimeout: requestTimeoutMs,
      bodyTimeout: requestTimeoutMs,
      keepAliveTimeout: 4_000,
    });
    pools.set(key, pool);
  }
  return pool;
}

// Parsing ~150 root certificates costs tens of milliseconds, and Node would do it for every socket if
// given `ca`; one secure context (and one agent for @azure/identity) per extra CA is built lazily instead.
const contexts = new Map<string, tls.SecureContext>();
const identityAgents = new Map<string, https.Agent>();

/** A TLS context trusting the system CAs plus the given CA, shared by every connection in the process. */
export function secureContextFor(caCertificatePem: string): tls.SecureContext {
  let context = contexts.get(caCertificatePem);
  if (!context) {
    context = tls.createSecureContext({ ca: [...tls.rootCertificates, caCertificatePem] });
    contexts.set(caCertificatePem, context);
  }
  return context;
}

/** An https agent for @azure/identity's pipeline that trusts the extra CA, or undefined for its defaults. */
export function identityAgent(caCertificatePem: string | undefined): https.Agent | undefined {
  if (!caCertificatePem) return undefined;
  let agent = identityAgents.get(caCertificatePem);
  if (!agent) {
    agent = new https.Agent({ keepAlive: true, secureContext: secureContextFor(caCertificatePem) });
    identityAgents.set(caCertificatePem, agent);
  }
  return agent;
}
