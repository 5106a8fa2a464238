/**
 * Tuning knobs of the Graph and S&C clients. Production defaults follow Microsoft's guidance; tests pass
 * small values so fault soaks stay bounded. No knob changes *what* is retried, only how long and how often.
 */

/** Backoff for one retry loop: attempt n waits min(initialDelayMs · 2^(n-1), maxDelayMs). */
export interface BackoffOptions {
  /** Retries after the first attempt. */
  readonly retries: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

/** Options of `connect()`; every field has a production default. */
export interface ClientOptions {
  /** The SDK RetryHandler's base delay in seconds for 429/503/504 without Retry-After (SDK default 3). */
  readonly sdkRetryDelaySeconds?: number;
  /** The SDK RetryHandler's retry count for 429/503/504 (SDK caps it at 10). */
  readonly sdkMaxRetries?: number;
  /** Minimum spacing of conditional-access calls per tenant in ms (Microsoft: 1 request/s per tenant). */
  readonly conditionalAccessIntervalMs?: number;
  /** Retries of conditional-access calls throttled with 429/503/504 (no Retry-After there); waits ≥ the interval. */
  readonly conditionalAccessThrottle?: BackoffOptions;
  /** Retries for eventual consistency (404 on a new object, NoBackingApplicationObject). */
  readonly consistency?: BackoffOptions;
  /** Retries after connection resets/timeouts on idempotent calls, and 5xx/transport failures on creates. */
  readonly transport?: BackoffOptions;
  /** Look-ups by natural key after an ambiguous create failure, spaced by `createLookupDelayMs`, before re-posting. */
  readonly createLookupAttempts?: number;
  readonly createLookupDelayMs?: number;
  /** How long an object created by this process counts as "new" for consistency retries. */
  readonly recentWindowMs?: number;
  /** Time an attempt's response headers may take, and its whole body again, before it times out (retryable). */
  readonly requestTimeoutMs?: number;
  /**
   * The longest Retry-After waited for, in seconds; a longer one ends the call with an error at once. Default 180, the
   * Graph SDK's own maximum delay (RetryHandlerOptions.MAX_DELAY), which already bounds its waits.
   */
  readonly maxRetryAfterSeconds?: number;
  /** Time one call may take with every retry and wait, before it ends with RequestDeadlineExceeded. */
  readonly requestDeadlineMs?: number;
  /** Time every call of this connection must end within, counted from `connect()` (default: no limit). */
  readonly connectionDeadlineMs?: number;
}

/** Options with every default applied. */
export type ResolvedClientOptions = { readonly [K in keyof ClientOptions]-?: NonNullable<ClientOptions[K]> };

/** Applies production defaults to the given options. */
export function resolveOptions(options: ClientOptions = {}): ResolvedClientOptions {
  return {
    sdkRetryDelaySeconds: options.sdkRetryDelaySeconds ?? 3,
    sdkMaxRetries: options.sdkMaxRetries ?? 5,
    conditionalAccessIntervalMs: options.conditionalAccessIntervalMs ?? 1000,
    conditionalAccessThrottle: options.conditionalAccessThrottle ?? {
      retries: 6,
      initialDelayMs: 1000,
      maxDelayMs: 30_000,
    },
    consistency: options.consistency ?? { retries: 10, initialDelayMs: 1000, maxDelayMs: 30_000 },
    transport: options.transport ?? { retries: 4, initialDelayMs: 500, maxDelayMs: 10_000 },
    createLookupAttempts: options.createLookupAttempts ?? 3,
    createLookupDelayMs: options.createLookupDelayMs ?? 2000,
    recentWindowMs: options.recentWindowMs ?? 15 * 60_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 100_000,
    maxRetryAfterSeconds: options.maxRetryAfterSeconds ?? 180,
    // Room for a few maximal Retry-After waits; a call throttled for longer is better run again later.
    requestDeadlineMs: options.requestDeadlineMs ?? 10 * 60_000,
    connectionDeadlineMs: options.connectionDeadlineMs ?? Infinity,
  };
}

/**
 * Delay before retry number `attempt` (1-based): never below the exponential base, plus up to 25 % jitter so tenants do
 * not retry in step.
 */
export function backoffDelayMs(backoff: BackoffOptions, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(backoff.initialDelayMs * 2 ** (attempt - 1), backoff.maxDelayMs);
  return Math.round(base * (1 + 0.25 * random()));
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
