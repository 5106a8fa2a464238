/** Connects the real Graph client (certificate credential, production middleware) to a local HTTPS server. */
import { connect, type ClientOptions, type TenantConnection } from "../../src/graph";
import { generatePem } from "./graph-test-server";

let appPem: Promise<string> | undefined;

/** A PEM with key + certificate for the test app, generated once per test process. */
export function testAppPem(): Promise<string> {
  appPem ??= generatePem("m365-baseline-test-app").then((p) => `${p.key}\n${p.cert}`);
  return appPem;
}

/** Small retry and pacing values so fault tests stay within seconds. */
export const FAST: ClientOptions = {
  sdkRetryDelaySeconds: 0,
  sdkMaxRetries: 4,
  conditionalAccessIntervalMs: 1000,
  conditionalAccessThrottle: { retries: 5, initialDelayMs: 1000, maxDelayMs: 2000 },
  consistency: { retries: 8, initialDelayMs: 50, maxDelayMs: 400 },
  transport: { retries: 5, initialDelayMs: 20, maxDelayMs: 200 },
  createLookupAttempts: 2,
  createLookupDelayMs: 50,
  requestTimeoutMs: 2000,
};

export async function connectTo(
  server: { url: string; caCertificatePem: string },
  tenantId: string,
  options: ClientOptions = FAST,
  extra: { graphBaseUrl?: string; authorityHost?: string; complianceBaseUrl?: string } = {},
): Promise<TenantConnection> {
  return connect(
    {
      tenantId,
      primaryDomain: "contoso.onmicrosoft.com",
      credential: {
        kind: "certificate",
        clientId: "11111111-2222-3333-4444-555555555555",
        certificatePem: await testAppPem(),
      },
      graphBaseUrl: extra.graphBaseUrl ?? server.url,
      authorityHost: extra.authorityHost ?? server.url,
      complianceBaseUrl: extra.complianceBaseUrl ?? server.url,
      caCertificatePem: server.caCertificatePem,
    },
    options,
  );
}
