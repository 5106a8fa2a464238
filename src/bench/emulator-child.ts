/**
 * The benchmark's emulator in its own process (as Graph is remote in production, so neither the
 * client's CPU work nor the tenants' seed data is counted in the checking process): builds the
 * generated tenants with their baseline applied, registers one app certificate in every tenant with
 * consent to the read permissions, prints `{ url, caCertificatePem, pem }` and serves until killed.
 */
import { loadBaseline } from "../baseline/load";
import { compile } from "../compile";
import { checkPermissions, grantsFor } from "../controls/permissions";
import { startEmulator } from "../emulator";
import { seedFromCompiled } from "../emulator/from-desired";
import { parseStackConfig } from "../stack/load";
import { generatedConfig } from "./compile";

async function main(): Promise<void> {
  // Exits normally when the benchmark kills it, so a --cpu-prof profile (BENCH_EMULATOR_NODE_FLAGS) is written.
  process.on("SIGTERM", () => process.exit(0));
  const [root, count, latency, spacing] = process.argv.slice(2);
  const baseline = loadBaseline(root!, "msp-standard", "bench");
  const seeds = Array.from({ length: Number(count) }, (_, i) => {
    const parsed = parseStackConfig(generatedConfig(root!, i), { file: `t${i}`, decrypted: false });
    const compiled = compile(baseline, parsed.config, { file: `t${i}`, stack: `t${i}`, today: "2026-11-23" });
    return {
      ...seedFromCompiled(compiled, root!, { skus: ["SPE_E5"], users: parsed.config.breakGlass.users }),
      clientId: parsed.config.deployment.clientId,
    };
  });
  const emulator = await startEmulator({
    tenants: seeds,
    behaviour: { latencyMs: Number(latency), conditionalAccessIntervalMs: Number(spacing) },
  });
  const selfsigned = require("selfsigned") as {
    generate(a: unknown, o: unknown): Promise<{ private: string; cert: string }>;
  };
  const app = await selfsigned.generate([{ name: "commonName", value: "bench" }], { days: 1, keySize: 2048 });
  // As in production: the app holds exactly the read permissions `check` needs, and every call is checked against them.
  const { appRoles, directoryRoleIds } = grantsFor(checkPermissions());
  for (const s of seeds) {
    emulator.registerClientCertificate(s.tenantId, s.clientId, app.cert);
    emulator.consent(s.tenantId, s.clientId, appRoles, directoryRoleIds);
  }
  process.stdin.on("data", (d) => {
    // `trace`: the raw log (answer time, route, tenant, status), for investigating one run's timeline.
    if (d.toString().trim() === "trace")
      process.stdout.write(
        `${JSON.stringify(emulator.requestLog().map((l) => ({ time: l.time, route: l.route, tenantId: l.tenantId, status: l.status })))}\n`,
      );
    if (d.toString().trim() === "log") {
      const log = emulator.requestLog();
      process.stdout.write(
        `${JSON.stringify({ requests: log.filter((l) => !l.route.startsWith("token") && !l.route.startsWith("batch:")).length, throttled: log.filter((l) => l.status === 429).length, rssMb: Math.round(process.memoryUsage().rss / 1048576), cpuMs: cpuMs() })}\n`,
      );
    }
  });
  process.stdout.write(
    `${JSON.stringify({ url: emulator.url, caCertificatePem: emulator.caCertificatePem, pem: `${app.private}\n${app.cert}` })}\n`,
  );
}

function cpuMs(): number {
  const cpu = process.cpuUsage();
  return (cpu.user + cpu.system) / 1000;
}

main().catch((e: unknown) => {
  process.stderr.write(`emulator child failed: ${String(e)}\n`);
  process.exit(1);
});
