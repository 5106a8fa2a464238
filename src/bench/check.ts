/**
 * Fleet `check` against the emulator with Graph-like latency and Microsoft's throttling, next to the
 * physical limit the emulator's own rules impose: per tenant, the critical path of requests (one latency
 * each) plus the 1 s conditional-access spacing, times the waves the concurrency forces.
 */
import { performance } from "node:perf_hooks";
import { loadBaseline } from "../baseline/load";
import { runCheck } from "../check";
import { checkTargets, controlInfo } from "../check/targets";
import { compile } from "../compile";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { table } from "../report/table";
import { parseStackConfig } from "../stack/load";
import type { LoadedTenant } from "../tenant";
import { generatedConfig } from "./compile";

const LATENCY_MS = 80;
const CA_SPACING_MS = 1000;
/**
 * Sequential requests on one tenant's critical path besides the CA spacing: authority discovery, Graph
 * token, CA policies, named locations, $batch, branding, S&C token, S&C reads (three in parallel).
 */
const CRITICAL_STEPS = 8;

interface Row { tenants: number; concurrency: number; wallMs: number; limitMs: number; requestsPerTenant: number; throttled: number; failed: number; peakRssMb: number }

/** Runs the grid and returns its table (Markdown section) and JSON. */
export async function benchFleetCheck(root: string, quick: boolean): Promise<{ markdown: string; json: unknown }> {
  const sizes = quick ? [50] : [50, 200, 1000];
  const concurrencies = quick ? [8, 32] : [8, 32, 64];
  const rows: Row[] = [];
  for (const n of sizes) for (const c of concurrencies) rows.push(await runOnce(root, n, c));
  const lines = rows.map((r) => [String(r.tenants), String(r.concurrency), (r.wallMs / 1000).toFixed(1), (r.limitMs / 1000).toFixed(1), (r.wallMs / r.limitMs).toFixed(2), r.requestsPerTenant.toFixed(1), String(r.throttled), String(r.failed), String(r.peakRssMb)]);
  const markdown = `## Fleet check against the emulator (${LATENCY_MS} ms per request, CA 1 request/s per tenant without Retry-After)\n\n${table(["Tenants", "Concurrency", "Wall s", "Limit s", "Wall / limit", "Requests / tenant", "429s", "Failed", "Peak RSS MB"], lines)}\n\nLimit = ceil(tenants / concurrency) × (${CA_SPACING_MS} ms CA spacing + ${CRITICAL_STEPS} × ${LATENCY_MS} ms). Requests per tenant count Graph and S&C calls (token calls excluded); per tenant: CA policies, named locations, one $batch for everything else, branding, 3 S&C collections. The emulator runs in its own process (Graph is remote in production); peak RSS is the checking process.`;
  return { markdown, json: rows };
}

async function runOnce(root: string, n: number, concurrency: number): Promise<Row> {
  const baseline = loadBaseline(root, "msp-standard", "bench");
  const tenants: LoadedTenant[] = [];
  for (let i = 0; i < n; i++) {
    const file = `stacks/Pulumi.t${i}.yaml`;
    const parsed = parseStackConfig(generatedConfig(root, i), { file, decrypted: false });
    tenants.push({ stack: { name: `t${i}`, ...parsed }, baseline, compiled: compile(baseline, parsed.config, { file, stack: `t${i}`, today: "2026-11-23" }) });
  }
  const child = spawn(process.execPath, [require.resolve("tsx/cli"), join(__dirname, "emulator-child.ts"), root, String(n), String(LATENCY_MS), String(CA_SPACING_MS)], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = lineReader(child.stdout!);
  const emulator = JSON.parse(await lines()) as { url: string; caCertificatePem: string; pem: string };
  let peak = 0;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50);
  const started = performance.now();
  const report = await runCheck(checkTargets(root, tenants, { M365B_CERTIFICATE_PEM: emulator.pem }, { adjust: (_s, s) => ({ ...s, graphBaseUrl: emulator.url, authorityHost: emulator.url, complianceBaseUrl: emulator.url, caCertificatePem: emulator.caCertificatePem }) }), { concurrency, controls: controlInfo(), baselineVersion: "bench" });
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  if (process.env["BENCH_TRACE"]) {
    const d = report.tenants.map((t) => t.durationMs).sort((a, b) => a - b);
    process.stderr.write(`n=${n} c=${concurrency} tenant ms: min ${d[0]} median ${d[Math.floor(d.length / 2)]} max ${d[d.length - 1]}\n`);
  }
  child.stdin!.write("log\n");
  const log = JSON.parse(await lines()) as { requests: number; throttled: number };
  child.kill();
  return {
    tenants: n, concurrency, wallMs,
    limitMs: Math.ceil(n / concurrency) * (CA_SPACING_MS + CRITICAL_STEPS * LATENCY_MS),
    requestsPerTenant: log.requests / n,
    throttled: log.throttled,
    failed: report.summary.errors,
    peakRssMb: Math.round(Math.max(peak, process.memoryUsage().rss) / 1024 / 1024),
  };
}

/** Reads one line at a time from a stream. */
function lineReader(stream: NodeJS.ReadableStream): () => Promise<string> {
  let buffer = "";
  const waiting: ((line: string) => void)[] = [];
  const ready: string[] = [];
  stream.on("data", (d: Buffer) => {
    buffer += d.toString();
    let i: number;
    while ((i = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      const w = waiting.shift();
      if (w) w(line);
      else ready.push(line);
    }
  });
  return () => new Promise((resolve) => {
    const line = ready.shift();
    if (line !== undefined) resolve(line);
    else waiting.push(resolve);
  });
}
