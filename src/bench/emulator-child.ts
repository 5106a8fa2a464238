/**
 * The benchmark's emulator in its own process (as Graph is remote in production, so the client's CPU work
 * is not shared with the server's): reads seeds from a file, registers one app certificate in every
 * tenant, prints `{ url, caCertificatePem, pem }` and serves until killed.
 */
import { readFileSync } from "node:fs";
import { startEmulator, type TenantSeed } from "../emulator";

async function main(): Promise<void> {
  const [seedFile, latency, spacing] = process.argv.slice(2);
  const seeds = JSON.parse(readFileSync(seedFile!, "utf8")) as (TenantSeed & { clientId: string })[];
  const emulator = await startEmulator({ tenants: seeds, behaviour: { latencyMs: Number(latency), conditionalAccessIntervalMs: Number(spacing) } });
  const selfsigned = require("selfsigned") as { generate(a: unknown, o: unknown): Promise<{ private: string; cert: string }> };
  const app = await selfsigned.generate([{ name: "commonName", value: "bench" }], { days: 1, keySize: 2048 });
  for (const s of seeds) emulator.registerClientCertificate(s.tenantId, s.clientId, app.cert);
  process.stdin.on("data", (d) => {
    if (d.toString().trim() === "log") {
      const log = emulator.requestLog();
      process.stdout.write(`${JSON.stringify({ requests: log.filter((l) => !l.route.startsWith("token") && !l.route.startsWith("batch:")).length, throttled: log.filter((l) => l.status === 429).length, rssMb: Math.round(process.memoryUsage().rss / 1048576) })}\n`);
    }
  });
  process.stdout.write(`${JSON.stringify({ url: emulator.url, caCertificatePem: emulator.caCertificatePem, pem: `${app.private}\n${app.cert}` })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`emulator child failed: ${String(e)}\n`);
  process.exit(1);
});
