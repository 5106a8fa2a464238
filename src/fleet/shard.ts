/** Deterministic sharding of stacks for CI matrices: `--shard i/n` takes every n-th stack of the sorted list. */
import { ValidationError } from "../errors";

/** Parses `i/n` (1-based); a malformed value is a ValidationError naming the option. */
export function parseShard(value: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new ValidationError([
      {
        file: "command line",
        path: "--shard",
        message: `'${value}' is not a shard like 2/4`,
        fix: "give i/n with 1 ≤ i ≤ n, e.g. --shard 1/3",
      },
    ]);
  }
  return { index, count };
}

/** The stacks of shard `index` of `count`: sorted, then round-robin, so every stack is in exactly one shard. */
export function shardStacks(stacks: readonly string[], shard: { index: number; count: number }): string[] {
  return [...stacks].sort().filter((_, i) => i % shard.count === shard.index - 1);
}
