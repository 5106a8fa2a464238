/**
 * `m365-baseline demo` (`npm start`): the main job on the embedded emulator. Starts it in-process with
 * the demo tenants (contoso compliant, fabrikam drifted), points every stack in stacks/ at it with a
 * certificate generated for this run and consent to the read permissions only, runs `check --all`,
 * prints the report and writes report.html.
 */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import type { CommandModule } from "../main";
import { repoRoot } from "../root";

export const command: CommandModule = {
  register(program: Command, setExitCode) {
    program
      .command("demo")
      .description("Run `check --all` against the embedded emulator seeded with the demo tenants; writes report.html.")
      .option("--dir <path>", "repository root (default: current directory)")
      .option("--html <file>", "where to write the HTML dashboard", "report.html")
      .option("--json", "print the report as JSON")
      .action(async (options: { dir?: string; html: string; json?: boolean }) => {
        const started = Date.now();
        const root = repoRoot(options.dir);
        const { startEmulator } = require("../../emulator") as typeof import("../../emulator");
        const { loadAllTenants, today } = require("../../tenant") as typeof import("../../tenant");
        const { atEmulator, checkTargets, controlInfo } =
          require("../../check/targets") as typeof import("../../check/targets");
        const { runCheck, checkExitCode } = require("../../check") as typeof import("../../check");
        const render = require("../../report") as typeof import("../../report");
        const tenants = loadAllTenants(root, today());
        const emulator = await startEmulator({
          seedDir: join(root, "test", "fixtures", "tenants"),
          behaviour: { latencyMs: 15 },
        });
        try {
          // The demo's deploying app: a certificate made for this run, registered in every demo tenant.
          const selfsigned = require("selfsigned") as {
            generate(a: unknown, o: unknown): Promise<{ private: string; cert: string }>;
          };
          const app = await selfsigned.generate([{ name: "commonName", value: "m365-baseline demo" }], {
            days: 1,
            keySize: 2048,
            algorithm: "sha256",
          });
          // It holds exactly the read permissions docs/permissions.md lists, and the emulator enforces them.
          const { checkPermissions, grantsFor } =
            require("../../controls/permissions") as typeof import("../../controls/permissions");
          const { appRoles, directoryRoleIds } = grantsFor(checkPermissions());
          for (const t of tenants) {
            emulator.registerClientCertificate(t.compiled.tenantId, t.stack.config.deployment.clientId, app.cert);
            emulator.consent(t.compiled.tenantId, t.stack.config.deployment.clientId, appRoles, directoryRoleIds);
          }
          // Same settings path as production; only credential, endpoints and trust differ.
          const targets = checkTargets(
            root,
            tenants,
            { M365B_CERTIFICATE_PEM: `${app.private}\n${app.cert}` },
            { adjust: atEmulator(emulator) },
          );
          const report = await runCheck(targets, { concurrency: 8, controls: controlInfo(), baselineVersion: "demo" });
          process.stdout.write(
            options.json
              ? render.renderJson(report)
              : render.renderTerminal(report, { color: process.stdout.isTTY === true }),
          );
          const html = resolve(options.html);
          writeFileSync(html, render.renderHtml(report, { controls: controlInfo() }));
          if (!options.json) {
            process.stdout.write(
              `\nDemo: ${emulator.requestLog().length} requests to the embedded emulator (${emulator.url}) in ${((Date.now() - started) / 1000).toFixed(1)} s. Dashboard: ${html}\n`,
            );
            process.stdout.write(
              "fabrikam drifts on purpose (someone changed it by hand); against real tenants run `m365-baseline check --all`.\n",
            );
          }
          // Drift is the demo's expected outcome; only a failed check makes `npm start` fail.
          setExitCode(checkExitCode(report) === 1 ? 1 : 0);
        } finally {
          await emulator.close();
        }
      });
  },
};
