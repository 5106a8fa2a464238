/**
 * Process-wide state per tenant, shared by every client of that tenant in this process: the
 * conditional-access pacer and the ids of objects this process created recently. Created lazily on
 * first use, so loading the module has no side effects.
 */
import { sleep } from "./options";

/** Paths Microsoft limits to 1 request per second per tenant, for all apps together. */
export function isConditionalAccessPath(path: string): boolean {
  return /^\/?identity\/conditionalAccess(\/|\?|$)/i.test(path.replace(/^\/v1\.0/, "").replace(/^\//, ""));
}

/**
 * Serializes conditional-access calls of one tenant: each call starts at least `intervalMs` after the
 * previous one *finished*, so the service sees them ≥ interval apart whatever the network latency.
 */
export class Pacer {
  private tail: Promise<void> = Promise.resolve();
  private lastEnd = 0;

  /** Runs `call` when the tenant's CA slot is free; the slot is held until the call settles. */
  run<T>(intervalMs: number, call: () => Promise<T>): Promise<T> {
    const result = this.tail.then(async () => {
      await sleep(this.lastEnd + intervalMs - Date.now());
      try {
        return await call();
      } finally {
        this.lastEnd = Date.now();
      }
    });
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

/** Ids of objects this process created, remembered for a window to recognise eventual-consistency 404s. */
export class RecentObjects {
  private readonly ids = new Map<string, number>();

  remember(ids: readonly string[], windowMs: number): void {
    const until = Date.now() + windowMs;
    for (const id of ids) if (id.length >= 8) this.ids.set(id.toLowerCase(), until);
  }

  /** True when any recently created id occurs in the given text (a path or a request body). */
  mentionedIn(...texts: readonly (string | undefined)[]): boolean {
    const now = Date.now();
    const haystack = texts
      .filter((t): t is string => t !== undefined)
      .join("\n")
      .toLowerCase();
    for (const [id, until] of this.ids) {
      if (until < now) this.ids.delete(id);
      else if (haystack.includes(id)) return true;
    }
    return false;
  }
}

interface TenantState {
  readonly pacer: Pacer;
  readonly recent: RecentObjects;
}

const tenants = new Map<string, TenantState>();

/** The shared state of one tenant in this process. */
export function tenantState(tenantId: string): TenantState {
  const key = tenantId.toLowerCase();
  let state = tenants.get(key);
  if (!state) {
    state = { pacer: new Pacer(), recent: new RecentObjects() };
    tenants.set(key, state);
  }
  return state;
}
