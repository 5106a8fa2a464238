/**
 * Fleet `check` against the emulator with Graph-like latency and Microsoft's throttling, next to the
 * physical limit the emulator's own rules impose: per tenant, the critical path of requests (one latency
 * each) plus the 1 s conditional-access spacing, times the waves the concurrency forces.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { table } from "../report/table";

const LATENCY_MS = 80;
const CA_SPACING_MS = 1000;
/**
 * The physical limit per tenant under the emulator's rules: two requests must precede the first
 * conditional-access read (the tenant authority's metadata, then the token), the second CA read is
 * refused unless it arrives a full interval after the first, and it still takes one latency to answer.
 * Every other read can overlap with that interval. So: 3 latencies + 1 interval.
 */
const CRITICAL_STEPS = 3;

const EXPLANATION = [
  `Limit = ceil(tenants / concurrency) × (${CA_SPACING_MS} ms CA spacing + ${CRITICAL_STEPS} × ${LATENCY_MS} ms). Per tenant the check runs three chains side by side (paced CA policies → named locations; $batch → second $batch for branding and group members; 3 S&C collections), so its critical path is the paced one. The client starts the second CA call one interval after the first was *answered*, not sent, so the service sees them ≥ 1 s apart whatever the network does; that safety margin (one latency per tenant, 6.5% of the limit here) is inside every wall time. Requests per tenant count Graph and S&C calls (token calls excluded: 1 authority metadata + 2 tokens per tenant).`,
  "The emulator and the check each run in a fresh process, as `check --all` would; Check CPU s and Peak RSS are the checking process's, Emulator CPU s the emulator's during the run: on this machine the two share the CPUs, which Microsoft's service does not. When Check CPU s approaches Wall s, the check's one JavaScript thread is saturated: the run is CPU-bound, not network-bound (about 12–16 ms of CPU per tenant once the process is warm, depending on the host's speed, and up to twice that in a process's first wave: two RSA-signed token requests through MSAL, ten HTTPS requests and their TLS connections, the comparison, GC). Load ms is what a process does once before its first tenant: loading @azure/identity and MSAL, the web-platform classes Node builds on first use (Headers, FormData), and the trust store that adds the emulator's CA (production trusts the system store and builds none). It is outside Wall s because no fleet size or concurrency changes it, and as a fixed amount of work it also shows how fast the machine was during each run (on a shared host it varies between runs, and the CPU-bound concurrency-64 rows move with it).",
  "A one-wave run (50 tenants at concurrency 64) starts every tenant at the same instant on one cold thread, so each step of the critical path (authority metadata, token, first CA call, paced second call) waits behind the same step of 49 other tenants: the first CA call is answered about 500 ms after the start instead of 240 ms (the setup of 50 connections, then 50 RSA signatures for the tokens, then 50 TLS connections to Graph), the paced call leaves 40–60 ms late because the thread is busy with the other reads when its timer fires, and all tenants compare at the end. The limit of one wave (1.24 s) cannot absorb that on 2 cores, which is why that row sits above 1.25.",
];

interface Row {
  tenants: number;
  concurrency: number;
  wallMs: number;
  loadMs: number;
  cpuMs: number;
  emulatorCpuMs: number;
  limitMs: number;
  requestsPerTenant: number;
  throttled: number;
  failed: number;
  peakRssMb: number;
}

/** Runs the grid and returns its table (Markdown section) and JSON. */
export async function benchFleetCheck(root: string, quick: boolean): Promise<{ markdown: string; json: unknown }> {
  const sizes = quick ? [50] : [50, 200, 1000];
  const concurrencies = quick ? [8, 32] : [8, 32, 64];
  // BENCH_GRID=1000x64,50x8 runs only those cells (for investigating one row).
  const grid =
    process.env["BENCH_GRID"]?.split(",").map((cell) => cell.split("x").map(Number) as [number, number]) ??
    sizes.flatMap((n) => concurrencies.map((c) => [n, c] as [number, number]));
  const rows: Row[] = [];
  for (const [n, c] of grid) rows.push(await runOnce(root, n, c));
  const lines = rows.map((r) => [
    String(r.tenants),
    String(r.concurrency),
    (r.wallMs / 1000).toFixed(1),
    (r.limitMs / 1000).toFixed(1),
    (r.wallMs / r.limitMs).toFixed(2),
    (r.cpuMs / 1000).toFixed(1),
    (r.emulatorCpuMs / 1000).toFixed(1),
    String(Math.round(r.loadMs)),
    r.requestsPerTenant.toFixed(1),
    String(r.throttled),
    String(r.failed),
    String(r.peakRssMb),
  ]);
  const heading = `## Fleet check against the emulator (${LATENCY_MS} ms per request, CA 1 request/s per tenant without Retry-After)`;
  const header = [
    "Tenants",
    "Concurrency",
    "Wall s",
    "Limit s",
    "Wall / limit",
    "Check CPU s",
    "Emulator CPU s",
    "Load ms",
    "Requests / tenant",
    "429s",
    "Failed",
    "Peak RSS MB",
  ];
  const markdown = [heading, table(header, lines), ...EXPLANATION].join("\n\n");
  return { markdown, json: rows };
}

async function runOnce(root: string, n: number, concurrency: number): Promise<Row> {
  // One plain node process each with tsx's CommonJS hook, as the CLI runs (tsx's own CLI adds a wrapper process).
  const tsx = ["--require", require.resolve("tsx/cjs")];
  // BENCH_EMULATOR_NODE_FLAGS / BENCH_NODE_FLAGS: extra node flags for the emulator / the check (e.g. --cpu-prof).
  const emulatorChild = spawn(
    process.execPath,
    [
      ...(process.env["BENCH_EMULATOR_NODE_FLAGS"]?.split(" ").filter(Boolean) ?? []),
      ...tsx,
      join(__dirname, "emulator-child.ts"),
      root,
      String(n),
      String(LATENCY_MS),
      String(CA_SPACING_MS),
    ],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const fromEmulator = lineReader(emulatorChild.stdout!);
  const emulator = await fromEmulator();
  // The emulator's CPU before the check starts (its start and seeding), so the run's own share is known.
  emulatorChild.stdin!.write("log\n");
  const emulatorCpuBefore = (JSON.parse(await fromEmulator()) as { cpuMs: number }).cpuMs;
  const checkChild = spawn(
    process.execPath,
    [
      ...(process.env["BENCH_NODE_FLAGS"]?.split(" ").filter(Boolean) ?? []),
      ...tsx,
      join(__dirname, "check-child.ts"),
      root,
      String(n),
      String(concurrency),
    ],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  checkChild.stdin!.write(`${emulator}\n`);
  const run = JSON.parse(await lineReader(checkChild.stdout!)()) as {
    startedAt: number;
    wallMs: number;
    loadMs: number;
    cpuMs: number;
    peakRssMb: number;
    failed: number;
    durations: number[];
  };
  if (process.env["BENCH_TRACE"]) {
    const d = [...run.durations].sort((a, b) => a - b);
    process.stderr.write(
      `n=${n} c=${concurrency} tenant ms: min ${d[0]} median ${d[Math.floor(d.length / 2)]} max ${d[d.length - 1]}\n`,
    );
  }
  // BENCH_TRACE_FILE=f (with one BENCH_GRID cell): the emulator's request log (answer times) and the check's start, for
  // the run's timeline.
  const traceFile = process.env["BENCH_TRACE_FILE"];
  if (traceFile) {
    emulatorChild.stdin!.write("trace\n");
    writeFileSync(
      traceFile,
      JSON.stringify({ startedAt: run.startedAt, log: JSON.parse(await fromEmulator()) as unknown }),
    );
  }
  emulatorChild.stdin!.write("log\n");
  const log = JSON.parse(await fromEmulator()) as { requests: number; throttled: number; cpuMs: number };
  emulatorChild.kill();
  return {
    tenants: n,
    concurrency,
    wallMs: run.wallMs,
    loadMs: run.loadMs,
    cpuMs: run.cpuMs,
    emulatorCpuMs: log.cpuMs - emulatorCpuBefore,
    limitMs: Math.ceil(n / concurrency) * (CA_SPACING_MS + CRITICAL_STEPS * LATENCY_MS),
    requestsPerTenant: log.requests / n,
    throttled: log.throttled,
    failed: run.failed,
    peakRssMb: run.peakRssMb,
  };
}

/** Reads one line at a time from a stream (a child's stdout, or this process's stdin). */
export function lineReader(stream: NodeJS.ReadableStream): () => Promise<string> {
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
  return () =>
    new Promise((resolve) => {
      const line = ready.shift();
      if (line !== undefined) resolve(line);
      else waiting.push(resolve);
    });
}
