/** An in-process emulator for tests, and the real Graph client connected to it with a registered certificate. */
import * as https from "node:https";
import { connect, type ClientOptions, type TenantConnection } from "../../src/graph";
import { startEmulator, type EmulatorOptions, type RunningEmulator, type TenantSeed } from "../../src/emulator";
import { grantsFor } from "../../src/controls/permissions";
import type { Permission } from "../../src/controls/types";
import { FAST, testAppPem } from "./graph-connect";
import type { JsonProbe } from "./json";
import type { CheckTarget } from "../../src/check";
import { atEmulator, checkTargets } from "../../src/check/targets";
import type { LoadedTenant } from "../../src/tenant";
import { REPO } from "./repo";

export const CONTOSO = "6b0c3a52-7a3e-4d0b-9f0e-1c2d3e4f5a61";
export const FABRIKAM = "9d8e7f60-1b2c-4d3e-8f4a-5b6c7d8e9f02";
export const CLIENT_ID = "0f1e2d3c-4b5a-4697-8887-766554433221";

/** A bare tenant seed. */
export function bareTenant(tenantId = CONTOSO, extra: Partial<TenantSeed> = {}): TenantSeed {
  return {
    tenantId,
    primaryDomain: tenantId === CONTOSO ? "contoso.onmicrosoft.com" : "fabrikam.onmicrosoft.com",
    displayName: tenantId === CONTOSO ? "Contoso Ltd" : "Fabrikam Inc",
    skus: ["SPE_E5"],
    ...extra,
  };
}

/** Starts an emulator with CA pacing off unless asked for (tests of pacing turn it on). */
export function testEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({
    tenants: [bareTenant()],
    ...options,
    behaviour: { conditionalAccessIntervalMs: 0, ...options.behaviour },
  });
}

/** The production client for `tenantId`, trusted and registered with the emulator. */
export async function clientFor(
  emulator: RunningEmulator,
  tenantId = CONTOSO,
  options: ClientOptions = FAST,
): Promise<TenantConnection> {
  const pem = await testAppPem();
  emulator.registerClientCertificate(tenantId, CLIENT_ID, pem);
  const t = emulator.tenant(tenantId);
  return connect(
    {
      tenantId,
      primaryDomain: t.primaryDomain,
      credential: { kind: "certificate", clientId: CLIENT_ID, certificatePem: pem },
      graphBaseUrl: emulator.url,
      authorityHost: emulator.url,
      complianceBaseUrl: emulator.url,
      caCertificatePem: emulator.caCertificatePem,
    },
    options,
  );
}

/** A raw HTTPS request to the emulator (for status codes and error bodies exactly as written). */
export function raw(
  emulator: RunningEmulator,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: () => JsonProbe;
}> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${emulator.url}${path}`,
      { method, ca: emulator.caCertificatePem, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
        });
      },
    );
    req.on("error", reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

/** Admin consent in the emulator for a documented permission list (app roles by value, Entra roles by name). */
export function consentTo(
  emulator: RunningEmulator,
  tenantId: string,
  clientId: string,
  permissions: readonly Permission[],
): void {
  const { appRoles, directoryRoleIds } = grantsFor(permissions);
  emulator.consent(tenantId, clientId, appRoles, directoryRoleIds);
}

/** `checkTargets` for `tenants` with every endpoint pointed at (and trusting) `emulator`, authenticating with `pem`. */
export function emulatorTargets(
  emulator: RunningEmulator,
  tenants: readonly LoadedTenant[],
  pem: string,
  client: ClientOptions = FAST,
  root = REPO,
): CheckTarget[] {
  return checkTargets(root, tenants, { M365B_CERTIFICATE_PEM: pem }, { client, adjust: atEmulator(emulator) });
}
