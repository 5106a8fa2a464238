/**
 * The HTTP transport under the Graph SDK: one undici dispatcher per connection, handed to Node's fetch
 * through the SDK's `fetchOptions`. It trusts the system CAs plus an optional extra CA (the emulator's)
 * without touching process-wide state, counts every HTTP request (retries included), and remembers the
 * real transport error of a failed request, which the SDK would otherwise flatten to "fetch failed".
 */
import * as https from "node:https";
import * as tls from "node:tls";
import { Agent, DecoratorHandler, type Dispatcher } from "undici";

/** Header the client sets on every attempt; Graph echoes it and we key transport errors by it. */
export const CLIENT_REQUEST_ID = "client-request-id";

function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (Array.isArray(headers)) {
    // undici passes either flat [k, v, k, v] or [[k, v], …].
    for (let i = 0; i < headers.length; i++) {
      const item: unknown = headers[i];
      if (Array.isArray(item) && String(item[0]).toLowerCase() === name) return String(item[1]);
      if (!Array.isArray(item) && i % 2 === 0 && String(item).toLowerCase() === name) return String(headers[i + 1]);
    }
    return undefined;
  }
  if (typeof headers === "object") {
    for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
      if (k.toLowerCase() === name) return Array.isArray(v) ? String(v[0]) : String(v);
    }
  }
  return undefined;
}

class ErrorCapturingHandler extends DecoratorHandler {
  constructor(handler: Dispatcher.DispatchHandlers, private readonly record: (error: Error) => void) {
    super(handler);
  }
  // DecoratorHandler forwards onError at run time, but its type declarations omit it.
  onError(error: Error): void {
    this.record(error);
    (DecoratorHandler.prototype as unknown as { onError(this: unknown, e: Error): void }).onError.call(this, error);
  }
}

/**
 * One tenant connection's view of the HTTP pool: counts requests and captures transport errors by
 * client-request-id, while the sockets come from a process-wide pool per trust setting. Every tenant
 * talks to the same hosts (graph.microsoft.com, the S&C endpoint), so sharing keep-alive TLS sessions
 * across tenants saves a handshake per tenant and host; the per-tenant `close()` leaves the pool open.
 */
export class Transport extends Agent {
  private requests = 0;
  private readonly errors = new Map<string, Error>();
  private readonly pool: Agent;

  constructor(options: { readonly caCertificatePem?: string | undefined; readonly requestTimeoutMs: number }) {
    // The inherited pool is never used: dispatch goes to the shared one.
    super();
    this.pool = sharedPool(options.caCertificatePem, options.requestTimeoutMs);
  }

  override dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandlers): boolean {
    this.requests++;
    const id = headerValue(opts.headers, CLIENT_REQUEST_ID);
    if (!id) return this.pool.dispatch(opts, handler);
    return this.pool.dispatch(opts, new ErrorCapturingHandler(handler, (error) => this.errors.set(id, error)));
  }

  /** HTTP requests sent through this transport so far, each retry counted. */
  requestCount(): number {
    return this.requests;
  }

  /** The transport error of the request with this client-request-id, removed once read. */
  takeError(clientRequestId: string): Error | undefined {
    const error = this.errors.get(clientRequestId);
    this.errors.delete(clientRequestId);
    return error;
  }

  /** Forgets a request that completed, so the map does not grow. */
  forget(clientRequestId: string): void {
    this.errors.delete(clientRequestId);
  }
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
