/**
 * Bounds on how long one call may take. Microsoft asks clients to wait as long as Retry-After says
 * (learn.microsoft.com/graph/throttling), but a Retry-After of a day, a server that keeps answering 429 or one that
 * drips its body a byte at a time would hold a tenant's check, and the fleet run waiting on it, without end. Each
 * call therefore has a deadline (the earlier of its own budget and its connection's), and a Retry-After above the
 * cap is not waited for: the call ends with a GraphRequestError naming the tenant, the request and what to do.
 */
import { GraphRequestError } from "../errors";
import type { CallLimits, StopReason } from "./http";
import { sleep, type ResolvedClientOptions } from "./options";

/** Code of the error for a call whose deadline passed (never retried: the time is spent). */
export const DEADLINE_CODE = "RequestDeadlineExceeded";

/** The time one call may take, as the client resolved it. */
export interface Budget {
  readonly requestMs: number;
  /** When the connection's own budget ends (epoch ms; Infinity for none) and how long it was. */
  readonly connection: { readonly at: number; readonly ms: number };
  readonly maxRetryAfterSeconds: number;
}

/** The time budget of a connection's calls, counted from now (the client is created by `connect()`). */
export function budgetOf(options: ResolvedClientOptions): Budget {
  return {
    requestMs: options.requestDeadlineMs,
    connection: { at: Date.now() + options.connectionDeadlineMs, ms: options.connectionDeadlineMs },
    maxRetryAfterSeconds: options.maxRetryAfterSeconds,
  };
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`;

const FIX =
  "Graph is throttling this tenant or the connection is too slow: run again later, with a lower --concurrency when many tenants are throttled at once";

/** One call's deadline; `limits()` hands it to the SDK's retries and the transport. */
export class Deadline {
  readonly at: number;
  private readonly scope: string;
  private stop: StopReason | undefined;

  constructor(
    private readonly tenantId: string,
    private readonly budget: Budget,
    now: number = Date.now(),
  ) {
    const own = now + budget.requestMs;
    this.at = Math.min(own, budget.connection.at);
    this.scope =
      own <= budget.connection.at
        ? `the ${seconds(budget.requestMs)} one request may take`
        : `the ${seconds(budget.connection.ms)} this tenant's connection may take`;
  }

  /** The limits the SDK's RetryHandler and the transport apply to this call's attempts. */
  limits(): CallLimits {
    return {
      deadline: this.at,
      maxRetryAfterSeconds: this.budget.maxRetryAfterSeconds,
      onStop: (r) => (this.stop = r),
    };
  }

  /** The final error for `error` when the deadline or the Retry-After cap ended the call, else undefined. */
  final(error: GraphRequestError): GraphRequestError | undefined {
    if (error.code === DEADLINE_CODE || this.stop === "deadline") return this.expired(error);
    // 429/503/504, the answers Microsoft asks to retry (failure.ts isThrottled, not imported: it imports this module).
    const throttled = error.status === 429 || error.status === 503 || error.status === 504;
    if (throttled && (this.stop === "retryAfter" || (error.retryAfterSeconds ?? 0) > this.budget.maxRetryAfterSeconds))
      return this.tooLong(error);
    return undefined;
  }

  /** Whether a wait of `ms` still ends before the deadline. */
  allows(ms: number): boolean {
    return Date.now() + ms <= this.at;
  }

  /** Waits `ms` before a retry, or throws the deadline error for `last` when the wait would pass the deadline. */
  async pause(ms: number, last: GraphRequestError): Promise<void> {
    if (!this.allows(ms)) throw this.expired(last);
    await sleep(ms);
  }

  /** The error for a call whose deadline passed; `last` is the last failure it met. */
  expired(last: GraphRequestError): GraphRequestError {
    const lastText =
      last.code === DEADLINE_CODE
        ? "the response was still arriving"
        : `the last answer was ${last.status} ${last.code}: ${last.message}`;
    return rebuilt(last, {
      status: 0,
      code: DEADLINE_CODE,
      message: `tenant ${this.tenantId}: no complete response within ${this.scope}; ${lastText} (${FIX})`,
    });
  }

  /** The error for a throttled call whose Retry-After is longer than the client waits. */
  tooLong(error: GraphRequestError): GraphRequestError {
    const asked = error.retryAfterSeconds === undefined ? "longer" : `${Math.round(error.retryAfterSeconds)} s`;
    return rebuilt(error, {
      message: `tenant ${this.tenantId}: Graph asked to wait ${asked} before a retry (Retry-After), more than the ${this.budget.maxRetryAfterSeconds} s this client waits; ${error.message} (${FIX})`,
    });
  }
}

function rebuilt(
  error: GraphRequestError,
  change: { readonly status?: number; readonly code?: string; readonly message: string },
): GraphRequestError {
  return new GraphRequestError({
    status: change.status ?? error.status,
    code: change.code ?? error.code,
    message: change.message,
    requestId: error.requestId,
    method: error.method,
    path: error.path,
    detailCodes: error.detailCodes,
    retryAfterSeconds: error.retryAfterSeconds,
    missingPermission: error.missingPermission,
  });
}
