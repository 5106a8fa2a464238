/** `m365-baseline emulator --port P [--data DIR] [--seed DIR]`: the local Graph + token + S&C emulator until Ctrl-C. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tmpdir } from "node:os";
import type { Command } from "commander";
import type { CommandModule } from "../main";

interface EmulatorCliOptions {
  port: string;
  data?: string;
  seed?: string;
  seedValue?: string;
  devTokens?: boolean;
  latency?: string;
  consistency?: string;
}

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
      .option(
        "--consistency <ms>",
        "eventual consistency: new objects are 404 by id, and new apps cannot back a service principal, for this long",
        "0",
      )
      .option("--dev-tokens", "allow POST /_emulator/token (tokens without a certificate, for curl)")
      .action(async (options: EmulatorCliOptions) => {
        const { startEmulator } = require("../../emulator") as typeof import("../../emulator");
        const emulator = await startEmulator({
          port: Number(options.port),
          seedDir: resolve(options.seed ?? "test/fixtures/tenants"),
          seed: Number(options.seedValue ?? 1),
          devTokens: options.devTokens === true,
          behaviour: { latencyMs: Number(options.latency ?? 0), consistencyDelayMs: Number(options.consistency ?? 0) },
          ...(options.data ? { dataDir: resolve(options.data) } : {}),
        });
        const dir = options.data ? resolve(options.data) : join(tmpdir(), "m365-baseline-emulator");
        mkdirSync(dir, { recursive: true });
        const caFile = join(dir, "emulator-ca.pem");
        writeFileSync(caFile, emulator.caCertificatePem);
        const tenantId = emulator.tenantIds()[0] ?? "<tenant id>";
        process.stdout.write(
          [
            `m365-baseline emulator listening on ${emulator.url}`,
            `  CA certificate: ${caFile} (trust it: endpoints.caCertificateFile, or curl --cacert)`,
            `  tenants: ${emulator.tenantIds().join(", ") || "(none: add seeds with --seed)"}`,
            `  health:  curl --cacert ${caFile} ${emulator.url}/_emulator/health`,
            ...(options.devTokens
              ? [
                  `  token:   TOKEN=$(curl -s --cacert ${caFile} -X POST -d '{"tenantId":"${tenantId}"}' ${emulator.url}/_emulator/token | jq -r .access_token)`,
                  `  graph:   curl --cacert ${caFile} -H "Authorization: Bearer $TOKEN" ${emulator.url}/v1.0/organization`,
                ]
              : ["  (start with --dev-tokens to get tokens with curl)"]),
            "Ctrl-C to stop.",
            "",
          ].join("\n"),
        );
        await new Promise<void>((done) => {
          process.once("SIGINT", done);
          process.once("SIGTERM", done);
        });
        await emulator.close();
        setExitCode(0);
      });
  },
};
