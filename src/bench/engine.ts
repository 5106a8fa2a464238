/**
 * The real Pulumi engine (CLI, Node language host, azuread plugin) against the in-process emulator: `preview`,
 * `up` and a second `preview` of one stack, then `fleet preview` over generated stacks at a few concurrencies.
 * Wall time, CPU of the whole process tree (CLI + language host + plugins) and its sampled peak RSS.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { applyPermissions, grantsFor } from "../controls/permissions";
import { startEmulator } from "../emulator";
import { locateEngine } from "../engine/locate";
import { engineWorkspace, pfxOf, type CommandResult } from "../engine/workspace";
import { table } from "../report/table";

const CLIENT_ID = "0f1e2d3c-4b5a-4697-8887-766554433221";

interface Row {
  what: string;
  stacks: number;
  concurrency: number;
  wallS: number;
  cpuS: number;
  peakRssMb: number;
  ok: boolean;
}

/** A tenant id per generated stack (a valid GUID, deterministic). */
const tenantIdOf = (i: number) => `6b0c3a52-7a3e-4d0b-9f0e-${(0x1c2d3e4f0000 + i).toString(16).padStart(12, "0")}`;

/**
 * Stack files like stacks/Pulumi.contoso.yaml for `n` tenants on the emulator; credentials come from the environment.
 */
function stackFiles(n: number, url: string, caFile: string, contoso: Record<string, unknown>): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const domain = `t${i}.onmicrosoft.com`;
    files[`t${i}`] = stringify({
      config: {
        ...contoso,
        "m365-baseline:tenantId": tenantIdOf(i),
        "m365-baseline:primaryDomain": domain,
        "m365-baseline:displayName": `Tenant ${i}`,
        "m365-baseline:breakGlass": { users: [`bg@${domain}`] },
        "m365-baseline:endpoints": { graph: url, authority: url, compliance: url, caCertificateFile: caFile },
      },
    });
  }
  return files;
}

/** Runs the section when the engine is complete; otherwise says why it was skipped. */
export async function benchEngine(root: string, quick: boolean): Promise<{ markdown: string; json: unknown }> {
  const heading = "## The real engine against the emulator (pulumi v3.248.0, Node language host, azuread 6.9.1)";
  const engine = locateEngine(root);
  if (engine.missing.length > 0)
    return {
      markdown: `${heading}\n\nskipped: missing ${engine.missing.join(", ")} in ${engine.bin} (npm run engine:install).`,
      json: { skipped: engine.missing },
    };
  const fleets: [number, number][] =
    process.env["BENCH_ENGINE_FLEET"]?.split(",").map((c) => c.split("x").map(Number) as [number, number]) ??
    (quick
      ? [[4, 2]]
      : [
          [10, 2],
          [10, 4],
          [50, 4],
        ]);
  const maxStacks = Math.max(1, ...fleets.map(([n]) => n));
  const emulator = await startEmulator({
    tenants: Array.from({ length: maxStacks }, (_, i) => ({
      tenantId: tenantIdOf(i),
      primaryDomain: `t${i}.onmicrosoft.com`,
      displayName: `Tenant ${i}`,
      skus: ["SPE_E5"],
      users: [{ userPrincipalName: `bg@t${i}.onmicrosoft.com` }],
    })),
    behaviour: { latencyMs: 20 },
  });
  const rows: Row[] = [];
  try {
    const selfsigned = require("selfsigned") as {
      generate(a: unknown, o: unknown): Promise<{ private: string; cert: string }>;
    };
    const app = await selfsigned.generate([{ name: "commonName", value: "m365-baseline bench" }], {
      days: 1,
      keySize: 2048,
      algorithm: "sha256",
    });
    const { appRoles, directoryRoleIds } = grantsFor(applyPermissions());
    for (const id of emulator.tenantIds()) {
      emulator.registerClientCertificate(id, CLIENT_ID, app.cert);
      emulator.consent(id, CLIENT_ID, appRoles, directoryRoleIds);
    }
    const contoso = (
      parse(readFileSync(join(root, "stacks", "Pulumi.contoso.yaml"), "utf8")) as { config: Record<string, unknown> }
    ).config;
    const ws = await engineWorkspace({
      root,
      bin: engine.bin,
      caCertificatePem: emulator.caCertificatePem,
      emulatorUrl: emulator.url,
    });
    const credentials = {
      M365B_CERTIFICATE_PEM: `${app.private}\n${app.cert}`,
      M365B_CERTIFICATE_PFX: pfxOf({ key: app.private, cert: app.cert }),
    };
    try {
      for (const example of ["contoso", "fabrikam"]) rmSync(join(ws.dir, "stacks", `Pulumi.${example}.yaml`));
      for (const [name, text] of Object.entries(stackFiles(maxStacks, emulator.url, ws.caFile, contoso)))
        writeFileSync(join(ws.dir, "stacks", `Pulumi.${name}.yaml`), text);
      const push = (what: string, stacks: number, concurrency: number, r: CommandResult) => {
        const ok = r.code === 0 || (what.startsWith("fleet") && r.code !== 1);
        // A failed row says why on stderr (the table keeps only "NO").
        if (!ok)
          process.stderr.write(
            `bench engine: ${what} failed (exit ${r.code}):\n${`${r.stdout}\n${r.stderr}`
              .split("\n")
              .filter((l) => /error/i.test(l))
              .slice(0, 8)
              .join("\n")}\n`,
          );
        rows.push({ what, stacks, concurrency, wallS: r.ms / 1000, cpuS: r.cpuMs / 1000, peakRssMb: r.peakRssMb, ok });
      };
      push("stack init", 1, 1, await ws.pulumi(["stack", "init", "t0"], credentials, true));
      push("preview (empty tenant)", 1, 1, await ws.pulumi(["preview", "--stack", "t0"], credentials, true));
      push("up", 1, 1, await ws.pulumi(["up", "--yes", "--skip-preview", "--stack", "t0"], credentials, true));
      push(
        "preview (no changes)",
        1,
        1,
        await ws.pulumi(["preview", "--expect-no-changes", "--stack", "t0"], credentials, true),
      );
      for (const [n, c] of fleets) {
        const stacks = Array.from({ length: n }, (_, i) => `t${i}`).join(",");
        push(
          "fleet preview",
          n,
          c,
          await ws.cli(
            ["fleet", "preview", "--json", "--stacks", stacks, "--concurrency", String(c)],
            credentials,
            true,
          ),
        );
      }
    } finally {
      ws.cleanup();
    }
  } finally {
    await emulator.close();
  }
  const header = ["Operation", "Stacks", "Concurrency", "Wall s", "CPU s", "Per stack s", "Peak RSS MB", "OK"];
  const lines = rows.map((r) => [
    r.what,
    String(r.stacks),
    String(r.concurrency),
    r.wallS.toFixed(1),
    r.cpuS.toFixed(1),
    (r.wallS / r.stacks).toFixed(1),
    String(r.peakRssMb),
    r.ok ? "yes" : "NO",
  ]);
  const note =
    "CPU s is the whole process tree's (the CLI, the Node language host running the program, the dynamic-provider host and the azuread plugin), from the kernel's accounting of waited-for children; Peak RSS MB the sum over that tree, sampled every 250 ms. The emulator runs in the benchmark's own process (20 ms per request, CA 1 request/s per tenant); `up` waits on that pacing and on eventual consistency, so its wall time is mostly waiting. Fleet rows preview tenants that have nothing yet (every resource a create).";
  return { markdown: [heading, table(header, lines), note].join("\n\n"), json: rows };
}
