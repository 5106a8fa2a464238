/**
 * One HTTP attempt through the Graph SDK's production middleware chain (AuthenticationHandler →
 * RetryHandler → RedirectHandler → TelemetryHandler), ending in our transport instead of the SDK's
 * fetch-based HTTPMessageHandler (see transport.ts). The RetryHandler is configured per request, never
 * replaced; the response is taken raw so errors keep status, headers and body.
 */
import { randomUUID } from "node:crypto";
import {
  Client,
  HTTPMessageHandler,
  MiddlewareFactory,
  RedirectHandlerOptions,
  ResponseType,
  RetryHandlerOptions,
  type AuthenticationProvider,
  type MiddlewareOptions,
} from "@microsoft/microsoft-graph-client";
import { GraphRequestError, InternalError } from "../errors";
import {
  errorFromCredential,
  errorFromResponse,
  errorFromTransport,
  isCredentialErrorName,
  parseRetryAfter,
} from "./failure";
import { CLIENT_REQUEST_ID, type BufferedResponse, type Transport } from "./transport";

export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/**
 * Which responses the SDK RetryHandler may retry: `all` (429/503/504, for idempotent calls), `throttle`
 * (429 only: the request was not processed, so a create may be re-sent) or `none` (the caller retries,
 * e.g. conditional access, whose retries must go through the pacer).
 */
export type SdkRetry = "all" | "throttle" | "none";

/** Why the SDK's retries stopped early: a Retry-After above the cap, or a wait that would pass the deadline. */
export type StopReason = "retryAfter" | "deadline";

/** Bounds on one call's attempts (see deadline.ts). */
export interface CallLimits {
  /** Epoch ms by which every attempt ends, the last byte of its response included. */
  readonly deadline: number;
  /** A Retry-After above this is not waited for. */
  readonly maxRetryAfterSeconds: number;
  readonly onStop?: (reason: StopReason) => void;
}

/** One request as the client layers describe it. */
export interface Call {
  readonly method: Method;
  /** Path relative to the version root (`/groups?$filter=…`), or an absolute https URL (a nextLink). */
  readonly path: string;
  readonly body?: unknown;
  readonly contentType?: string | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly sdkRetry: SdkRetry;
  /** Let the SDK follow redirects (default) or hand 3xx back to the caller (the S&C regional redirect). */
  readonly followRedirects?: boolean;
  readonly limits?: CallLimits | undefined;
}

/** A response of any status that arrived; the caller decides what is an error. */
export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Buffer;
}

/** Path for error messages: relative to the version root, without the query of a nextLink. */
export function displayPath(path: string): string {
  const m = /^https:\/\/[^/]+\/(?:v1\.0|beta|adminapi\/(?:beta|v1\.0))(\/[^?]*)/i.exec(path);
  if (m) return m[1] ?? path;
  return path.startsWith("/") ? path : `/${path}`;
}

/** Creates an SDK client on the SDK's default middleware chain, whose last link is our transport. */
export function createSdkClient(options: {
  readonly authProvider: AuthenticationProvider;
  readonly baseUrl: string;
  readonly defaultVersion: string;
  readonly customHosts: ReadonlySet<string>;
  readonly transport: Transport;
}): Client {
  const middleware = MiddlewareFactory.getDefaultMiddlewareChain(options.authProvider);
  const last = middleware.length - 1;
  // Fails loudly if an SDK upgrade changes the chain's shape, rather than sending through fetch unnoticed.
  if (!(middleware[last] instanceof HTTPMessageHandler))
    throw new InternalError(
      "the Graph SDK's default middleware chain no longer ends with HTTPMessageHandler; review src/graph/transport.ts for this SDK version",
    );
  middleware[last] = options.transport;
  return Client.initWithMiddleware({
    middleware,
    baseUrl: options.baseUrl,
    defaultVersion: options.defaultVersion,
    customHosts: new Set(options.customHosts),
  });
}

/** Sends requests through one SDK client and its transport. */
export class SdkSession {
  constructor(
    private readonly sdk: Client,
    private readonly transport: Transport,
    private readonly retry: { readonly delaySeconds: number; readonly maxRetries: number },
  ) {}

  /** Sends one call; resolves with any HTTP response (2xx or not), rejects with GraphRequestError when none arrived. */
  async send(call: Call): Promise<Reply> {
    const id = randomUUID();
    const request = this.sdk
      .api(call.path)
      .responseType(ResponseType.RAW)
      .middlewareOptions(this.middlewareOptions(call))
      .header(CLIENT_REQUEST_ID, id);
    for (const [name, value] of Object.entries(call.headers ?? {})) request.header(name, value);
    if (call.contentType) request.header("Content-Type", call.contentType);
    if (call.limits) this.transport.limit(id, call.limits.deadline);
    try {
      const response = (await this.invoke(request, call)) as BufferedResponse;
      this.transport.forget(id);
      return { status: response.status, headers: response.headers, bytes: response.body() };
    } catch (error) {
      throw this.mapThrown(error, call, id);
    }
  }

  /** Sends one call and throws GraphRequestError for any non-2xx status. */
  async sendOk(call: Call): Promise<Reply> {
    const reply = await this.send(call);
    if (reply.status >= 200 && reply.status < 300) return reply;
    throw errorFromResponse(
      call.method,
      displayPath(call.path),
      reply.status,
      reply.headers,
      reply.bytes.toString("utf8"),
    );
  }

  private invoke(request: ReturnType<Client["api"]>, call: Call): Promise<unknown> {
    const body = call.body instanceof Uint8Array && !Buffer.isBuffer(call.body) ? Buffer.from(call.body) : call.body;
    switch (call.method) {
      case "GET":
        return request.get();
      case "POST":
        return request.post(body);
      case "PATCH":
        return request.patch(body);
      case "PUT":
        return request.put(body);
      case "DELETE":
        return request.delete();
    }
  }

  private middlewareOptions(call: Call): MiddlewareOptions[] {
    const limited = (attempt: unknown, response: Response): boolean =>
      this.withinLimits(call.limits, attempt, response);
    const shouldRetry =
      call.sdkRetry === "all"
        ? (...args: unknown[]) => limited(args[1], args[4] as Response)
        : call.sdkRetry === "throttle"
          ? (...args: unknown[]) => (args[4] as Response).status === 429 && limited(args[1], args[4] as Response)
          : () => false;
    const options: MiddlewareOptions[] = [
      new RetryHandlerOptions(this.retry.delaySeconds, this.retry.maxRetries, shouldRetry),
    ];
    if (call.followRedirects === false) options.push(new RedirectHandlerOptions(5, () => false));
    return options;
  }

  /**
   * Whether the SDK's next retry stays within the call's limits: its Retry-After at most the cap, and its wait (the
   * Retry-After, else an upper bound of the SDK's backoff, RetryHandler.getDelay) ending before the deadline.
   */
  private withinLimits(limits: CallLimits | undefined, attempt: unknown, response: Response): boolean {
    if (!limits) return true;
    const retryAfter = parseRetryAfter(response.headers?.get("retry-after"));
    if (retryAfter !== undefined && retryAfter > limits.maxRetryAfterSeconds) {
      limits.onStop?.("retryAfter");
      return false;
    }
    const next = (typeof attempt === "number" ? attempt : 0) + 1;
    const backoff = (next >= 2 ? Math.round((2 ** next - 1) / 2) : 0) + this.retry.delaySeconds + 1;
    if (Date.now() + Math.min(retryAfter ?? backoff, 181) * 1000 > limits.deadline) {
      limits.onStop?.("deadline");
      return false;
    }
    return true;
  }

  private mapThrown(error: unknown, call: Call, id: string): GraphRequestError | InternalError {
    const path = displayPath(call.path);
    if (error instanceof GraphRequestError) return error;
    const transportError = this.transport.takeError(id);
    if (transportError instanceof InternalError) return transportError;
    if (transportError) return errorFromTransport(call.method, path, transportError);
    const e = error as { code?: unknown; name?: unknown; message?: unknown } | undefined;
    if (isCredentialErrorName(e?.code) || isCredentialErrorName(e?.name)) {
      return errorFromCredential(call.method, path, String(e?.code ?? e?.name), String(e?.message ?? ""));
    }
    const code =
      typeof e?.code === "string" && e.code ? e.code : typeof e?.name === "string" ? e.name : "RequestFailed";
    const message =
      typeof e?.message === "string" && e.message ? e.message : "the request failed before a response arrived";
    return new GraphRequestError({ status: 0, code, message, method: call.method, path });
  }
}
