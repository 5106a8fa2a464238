/** `m365-baseline emulator --port P [--data DIR] [--seed DIR]`: the local Graph + token + S&C emulator until Ctrl-C. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tmpdir } from "node:os";
import type { Command } from "commander";
import type { CommandModule } from "../main";

interface EmulatorCliOptions { port: string; data?: string; seed?: string; seedValue?: string; devTokens?: boolean; latency?: string }

export const command: CommandModule = {
  register(program: Command, setExitCode) {
    program
      .command("emulator")
      .description("Run the local Microsoft Graph / token / Security & Compliance emulator (HTTPS) until interrupted.")
      .option("--port <port>", "port to listen on", "8443")
      .option("--data <dir>", "persist state in this directory (loaded at start)")
      .option("--seed <dir>", "directory of tenant seed JSON files", "test/fixtures/tenants")
      .option("--seed-value <n>", "seed of the fault generator", "1")
      .option("--latency <ms>", "added to every response", "0")
      .option("--dev-tokens", "allow POST /_emulator/token (tokens without a certificate, for curl)")
      .action(async (options: EmulatorCliOptions) => {
        const { startEmulator } = require("../../emulator") as typeof import("../../emulator");
        const emulator = await startEmulator({
          port: Number(options.port), seedDir: resolve(options.seed ?? "test/fixtures/tenants"), seed: Number(options.seedValue ?? 1),
          devTokens: options.devTokens === true, behaviour: { latencyMs: Number(options.latency ?? 0) },
          ...(options.data ? { dataDir: resolve(options.data) } : {}),
        });
        const dir = options.data ? resolve(options.data) : join(tmpdir(), "m365-baseline-emulator");
        mkdirSync(dir, { recursive: true });
        const caFile = join(dir, "emulator-ca.pem");
        writeFileSync(caFile, emulator.caCertificatePem);
        process.stdout.write([
          `m365-baseline emulator listening on ${emulator.url}`,
          `  CA certificate: ${caFile} (trust it: endpoints.caCertificateFile, or curl --cacert)`,
          `  health:  curl --cacert ${caFile} ${emulator.url}/_emulator/health`,
          options.devTokens ? `  token:   curl --cacert ${caFile} -X POST -d '{"tenantId":"6b0c3a52-7a3e-4d0b-9f0e-1c2d3e4f5a61"}' ${emulator.url}/_emulator/token` : "  (start with --dev-tokens to get tokens with curl)",
          "Ctrl-C to stop.",
          "",
        ].join("\n"));
        await new Promise<void>((done) => {
          process.once("SIGINT", done);
          process.once("SIGTERM", done);
        });
        await emulator.close();
        setExitCode(0);
      });
  },
};
