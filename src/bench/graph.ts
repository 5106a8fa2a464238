/**
 * `npm run bench:graph`: requests per second the emulator serves, and the Graph client's overhead per
 * request (client time minus raw keep-alive https time for the same GETs). A benchmark, not a test.
 */
import * as https from "node:https";
import { performance } from "node:perf_hooks";
import { connect } from "../graph";
import { createCredential } from "../graph/credential";
import { secureContextFor } from "../graph/transport";

const TENANT = "6b0c3a52-7a3e-4d0b-9f0e-1c2d3e4f5a61";
const CLIENT_ID = "00000000-0000-0000-0000-00000000b001";
const N = Number(process.env["BENCH_REQUESTS"] ?? 2000);
const PATH = "/v1.0/organization";

interface Emulator {
  readonly url: string;
  readonly graphBaseUrl: string;
  readonly authorityHost: string;
  readonly complianceBaseUrl: string;
  readonly caCertificatePem: string;
  registerClientCertificate?(tenantId: string, clientId: string, certPem: string): void;
  close(): Promise<void>;
}

async function appPem(): Promise<{ key: string; cert: string }> {
  const selfsigned = require("selfsigned") as {
    generate(a: unknown, o: unknown): Promise<{ private: string; cert: string }>;
  };
  const p = await selfsigned.generate([{ name: "commonName", value: "bench-app" }], { days: 1, keySize: 2048 });
  return { key: p.private, cert: p.cert };
}

async function timed(concurrency: number, total: number, one: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) await one();
    }),
  );
  return performance.now() - start;
}

function rawGet(agent: https.Agent, base: URL, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        path: PATH,
        method: "GET",
        headers: { authorization: `Bearer ${token}` },
      },
      (res) => {
        res.resume();
        res.on("end", () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`raw GET answered ${res.statusCode}`)),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}

async function main(): Promise<void> {
  let emulatorModule: { startEmulator(o: unknown): Promise<Emulator> };
  try {
    emulatorModule = require("../emulator") as typeof emulatorModule;
  } catch {
    console.error("bench:graph needs the emulator (src/emulator) — not found");
    process.exitCode = 1;
    return;
  }
  const emulator = await emulatorModule.startEmulator({ port: 0 });
  try {
    const pem = await appPem();
    emulator.registerClientCertificate?.(TENANT, CLIENT_ID, pem.cert);
    const certificatePem = `${pem.key}\n${pem.cert}`;
    const settings = {
      tenantId: TENANT,
      primaryDomain: "contoso.onmicrosoft.com",
      credential: { kind: "certificate" as const, clientId: CLIENT_ID, certificatePem },
      graphBaseUrl: emulator.graphBaseUrl,
      authorityHost: emulator.authorityHost,
      complianceBaseUrl: emulator.complianceBaseUrl,
      caCertificatePem: emulator.caCertificatePem,
    };
    const token = (await createCredential(
      TENANT,
      settings.credential,
      settings.authorityHost,
      settings.caCertificatePem,
    ).getToken("https://graph.microsoft.com/.default"))!.token;
    const base = new URL(emulator.graphBaseUrl);
    const rows: string[][] = [
      ["concurrency", "requests", "raw req/s", "client req/s", "raw ms/req", "client ms/req", "client overhead ms/req"],
    ];
    for (const concurrency of [1, 8, 32]) {
      const agent = new https.Agent({
        keepAlive: true,
        maxSockets: concurrency,
        secureContext: secureContextFor(emulator.caCertificatePem),
      });
      const conn = connect(settings);
      await conn.graph.get("/organization"); // token + connection warm-up
      await rawGet(agent, base, token);
      const raw = await timed(concurrency, N, () => rawGet(agent, base, token));
      const client = await timed(concurrency, N, () => conn.graph.get("/organization"));
      rows.push([
        String(concurrency),
        String(N),
        ((N / raw) * 1000).toFixed(0),
        ((N / client) * 1000).toFixed(0),
        ((raw / N) * concurrency).toFixed(3),
        ((client / N) * concurrency).toFixed(3),
        (((client - raw) / N) * concurrency).toFixed(3),
      ]);
      agent.destroy();
      await conn.close?.();
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const row of rows)
      console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  "));
    console.log(
      `\nGET ${PATH} against the in-process emulator; "raw" = node:https keep-alive with a bearer token, "client" = connect().graph.get.`,
    );
  } finally {
    await emulator.close();
  }
}

void main();
