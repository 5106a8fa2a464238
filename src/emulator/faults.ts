/** Fault injection: rules matched per request, decided by a seeded generator so a schedule replays exactly. */
import type { FaultRule } from "./types";

/** mulberry32: small, fast, deterministic for a given seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The active rules and the generator deciding their probabilities. */
export class Faults {
  private rules: (FaultRule & { regex: RegExp })[] = [];
  private random: () => number;

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  /** Replaces the rules (and optionally reseeds); an invalid regular expression throws. */
  set(rules: readonly FaultRule[], seed?: number): void {
    this.rules = rules.map((r) => ({ ...r, regex: new RegExp(r.path) }));
    if (seed !== undefined) this.random = seededRandom(seed);
  }

  list(): FaultRule[] {
    return this.rules.map(({ regex: _r, ...rule }) => rule);
  }

  /** The rule that fires for this request, if any (its count is consumed). */
  pick(method: string, pathAndQuery: string, tenantId: string): FaultRule | undefined {
    for (const rule of this.rules) {
      if (rule.method && rule.method !== method) continue;
      if (rule.tenantId && rule.tenantId !== tenantId) continue;
      if (!rule.regex.test(pathAndQuery)) continue;
      if (rule.count !== undefined && rule.count <= 0) continue;
      if (this.random() >= (rule.probability ?? 1)) continue;
      if (rule.count !== undefined) rule.count--;
      return rule;
    }
    return undefined;
  }
}
