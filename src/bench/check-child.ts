/**
 * One fleet-check run of the benchmark in a fresh process, as `m365-baseline check --all` would run:
 * compiles the generated tenants, checks them against the emulator named on stdin, samples its own RSS,
 * and prints `{ wallMs, loadMs, cpuMs, peakRssMb, failed, durations }`. A fresh process per run keeps the compile
 * benchmark's heap and earlier runs out of the peak it reports.
 */
import { performance } from "node:perf_hooks";
import { loadBaseline } from "../baseline/load";
import { runCheck } from "../check";
import { atEmulator, checkTargets, controlInfo } from "../check/targets";
import { compile } from "../compile";
import { secureContextFor } from "../graph/transport";
import { parseStackConfig } from "../stack/load";
import type { LoadedTenant } from "../tenant";
import { lineReader } from "./check";
import { generatedConfig } from "./compile";

async function main(): Promise<void> {
  // The same heap setting as the CLI's entry point (bin.js), so the peak is what `check --all` would reach.
  (require("../cli/heap.js") as () => void)();
  const [root, count, concurrency] = process.argv.slice(2) as [string, string, string];
  // rss() alone is cheap; the full breakdown walks the heap's spaces, so it is taken only when tracing.
  const trace = process.env["BENCH_TRACE"] !== undefined;
  let peak = process.memoryUsage.rss();
  let peakUsage = process.memoryUsage();
  let spaces = "";
  const sampler = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss <= peak) return;
    peak = rss;
    if (!trace) return;
    peakUsage = process.memoryUsage();
    spaces = (require("node:v8") as typeof import("node:v8"))
      .getHeapSpaceStatistics()
      .map((x) => `${x.space_name} ${Math.round(x.space_size / 1048576)}/${Math.round(x.space_used_size / 1048576)}`)
      .join(", ");
  }, 25);
  const emulator = JSON.parse(await lineReader(process.stdin)()) as {
    url: string;
    caCertificatePem: string;
    pem: string;
  };
  const baseline = loadBaseline(root, "msp-standard", "bench");
  const tenants: LoadedTenant[] = Array.from({ length: Number(count) }, (_, i) => {
    const file = `stacks/Pulumi.t${i}.yaml`;
    const parsed = parseStackConfig(generatedConfig(root, i), { file, decrypted: false });
    return {
      stack: { name: `t${i}`, ...parsed },
      baseline,
      compiled: compile(baseline, parsed.config, { file, stack: `t${i}`, today: "2026-11-23" }),
      warnings: [],
    };
  });
  const afterCompile = process.memoryUsage();
  // Loading @azure/identity (required lazily by the first connection, see graph/credential.ts) and the
  // web-platform classes Node builds on first touch (Headers, FormData: the identity pipeline and our
  // transport use them) is part of the process's start, a fixed cost that no fleet size or concurrency
  // changes: it is timed on its own and reported next to the check's wall time, not inside it. So is the
  // trust store that adds the emulator's CA: production trusts the system store and never builds one.
  const loadStarted = performance.now();
  require("@azure/identity");
  void [globalThis.Headers, globalThis.FormData];
  secureContextFor(emulator.caCertificatePem);
  const loadMs = performance.now() - loadStarted;
  const targets = checkTargets(
    root,
    tenants,
    { M365B_CERTIFICATE_PEM: emulator.pem },
    {
      adjust: atEmulator({
        graphBaseUrl: emulator.url,
        authorityHost: emulator.url,
        complianceBaseUrl: emulator.url,
        caCertificatePem: emulator.caCertificatePem,
      }),
    },
  );
  const startedAt = Date.now();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const report = await runCheck(targets, {
    concurrency: Number(concurrency),
    controls: controlInfo(),
    baselineVersion: "bench",
  });
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  if (trace)
    process.stderr.write(
      `peak memory MB: ${Object.entries(peakUsage)
        .map(([k, v]) => `${k} ${Math.round(v / 1048576)}`)
        .join(
          ", ",
        )}; after compile: heap ${Math.round(afterCompile.heapUsed / 1048576)} rss ${Math.round(afterCompile.rss / 1048576)}\n${spaces}\n`,
    );
  peak = Math.max(peak, process.memoryUsage.rss());
  // Exits once written: idle keep-alive sockets and the stdin pipe would otherwise hold the process open.
  process.stdout.write(
    `${JSON.stringify({ startedAt, wallMs, loadMs, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: Math.round(peak / 1048576), failed: report.summary.errors, durations: report.tenants.map((t) => t.durationMs) })}\n`,
    () => process.exit(0),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`check child failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
