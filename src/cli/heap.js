"use strict";
/**
 * Caps V8's heap growth at 2× the live data between full collections (V8 allows up to 4× for a
 * throughput-bound process). A fleet `check` is exactly that, and its garbage is short-lived
 * per-tenant state; at 1,000 tenants the cap keeps peak RSS under 300 MB for the same CPU
 * (docs/benchmarks.md). Set at process start, before the heap grows; used by bin.js and the benchmark.
 */
module.exports = function capHeapGrowth() {
  require("node:v8").setFlagsFromString("--heap-growing-percent=100");
};
