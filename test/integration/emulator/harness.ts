/**
 * Shared set-up for the emulator's integration tests: an in-process emulator on port 0 with two tenants,
 * the real Graph/S&C client (certificate credential, production middleware) connected to it, a signed
 * client assertion built by hand for the token endpoint, and raw HTTPS requests for status codes and
 * exact error bodies.
 */
import { constants, createPrivateKey, randomUUID, sign } from "node:crypto";
import * as https from "node:https";
import { afterAll, beforeAll } from "vitest";
import { GraphRequestError } from "../../../src/errors";
import { connect, type ClientOptions, type TenantConnection } from "../../../src/graph";
import { startEmulator, type EmulatorOptions, type RunningEmulator, type TenantSeed } from "../../../src/emulator";
import type { JsonProbe } from "../../support/json";
import { FAST, testAppPem } from "../../support/graph-connect";

export const CONTOSO: TenantSeed = {
  tenantId: "6b0c3a52-7a3e-4d0b-9f0e-1c2d3e4f5a61",
  primaryDomain: "contoso.onmicrosoft.com",
  displayName: "Contoso Ltd",
  skus: ["SPE_E5"],
};
export const FABRIKAM: TenantSeed = {
  tenantId: "9d8e7f60-1b2c-4d3e-8f4a-5b6c7d8e9f02",
  primaryDomain: "fabrikam.onmicrosoft.com",
  displayName: "Fabrikam Inc",
  skus: ["SPB"],
};
/** The client id the test app signs its assertions as. */
export const CLIENT_ID = "11111111-2222-3333-4444-555555555555";

/** Client options for tests that do not measure conditional-access pacing (the emulator's limit is off there). */
export const QUICK: ClientOptions = { ...FAST, conditionalAccessIntervalMs: 0 };

/** Starts an emulator with Contoso and Fabrikam and the test app's certificate registered in both. */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const tenants = options.tenants ?? [CONTOSO, FABRIKAM];
  const emulator = await startEmulator({ port: 0, ...options, tenants });
  const pem = await testAppPem();
  for (const t of tenants) emulator.registerClientCertificate(t.tenantId, CLIENT_ID, pem);
  return emulator;
}

/** The real client for one tenant of the emulator. */
export async function clientFor(
  emulator: RunningEmulator,
  tenant: TenantSeed = CONTOSO,
  options: ClientOptions = QUICK,
): Promise<TenantConnection> {
  return connect(
    {
      tenantId: tenant.tenantId,
      primaryDomain: tenant.primaryDomain,
      credential: { kind: "certificate", clientId: CLIENT_ID, certificatePem: await testAppPem() },
      graphBaseUrl: emulator.graphBaseUrl,
      authorityHost: emulator.authorityHost,
      complianceBaseUrl: emulator.complianceBaseUrl,
      caCertificatePem: emulator.caCertificatePem,
    },
    options,
  );
}

/**
 * Starts one test emulator and its Contoso client before a file's tests (handing both to `use`) and
 * closes them after. Hooks registered later in the file run after this one, so they may use both.
 */
export function useTestEmulator(
  options: EmulatorOptions,
  use: (emulator: RunningEmulator, client: TenantConnection) => void,
): void {
  let emulator: RunningEmulator | undefined;
  let client: TenantConnection | undefined;
  beforeAll(async () => {
    emulator = await startTestEmulator(options);
    client = await clientFor(emulator);
    use(emulator, client);
  });
  afterAll(async () => {
    await client?.close?.();
    await emulator?.close();
  });
}

/** The GraphRequestError `call` fails with; anything else (success, another error) fails the test. */
export async function failure(call: Promise<unknown>): Promise<GraphRequestError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof GraphRequestError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

/** A raw HTTPS response: status, lower-case headers, body text and its JSON. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  readonly bytes: Buffer;
  json<T = JsonProbe>(): T;
}

/** One HTTPS request to the emulator, trusting its certificate; `reset` when the socket was destroyed. */
export function raw(
  emulator: RunningEmulator,
  method: string,
  path: string,
  options: { readonly token?: string; readonly headers?: Record<string, string>; readonly body?: unknown } = {},
): Promise<RawResponse> {
  const url = new URL(path, emulator.url);
  const body =
    options.body === undefined
      ? undefined
      : Buffer.isBuffer(options.body)
        ? options.body
        : typeof options.body === "string"
          ? Buffer.from(options.body)
          : Buffer.from(JSON.stringify(options.body));
  const headers: Record<string, string> = {
    ...(body && !Buffer.isBuffer(options.body) && typeof options.body !== "string"
      ? { "content-type": "application/json" }
      : {}),
    ...(options.headers ?? {}),
  };
  if (options.token) headers["authorization"] = `Bearer ${options.token}`;
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        method,
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        headers,
        ca: emulator.caCertificatePem,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const bytes = Buffer.concat(chunks);
          const text = bytes.toString("utf8");
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, bytes, json: () => JSON.parse(text) });
        });
      },
    );
    req.on("error", reject);
    if (body) req.write(body);
    req.end();
  });
}

/** A client assertion JWT signed with `keyPem`, as MSAL builds it (RS256 or PS256, x5t#S256 header). */
export function assertion(
  keyPem: string,
  claims: { aud: string; iss?: string; sub?: string; exp?: number; nbf?: number },
  alg: "RS256" | "PS256" = "PS256",
): string {
  const now = Math.floor(Date.now() / 1000);
  const header = Buffer.from(JSON.stringify({ alg, typ: "JWT", "x5t#S256": "ignored-by-the-emulator" })).toString(
    "base64url",
  );
  const payload = Buffer.from(
    JSON.stringify({ iss: CLIENT_ID, sub: CLIENT_ID, jti: randomUUID(), nbf: now - 5, exp: now + 600, ...claims }),
  ).toString("base64url");
  const key = createPrivateKey(keyPem);
  const signature =
    alg === "PS256"
      ? sign("sha256", Buffer.from(`${header}.${payload}`), {
          key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: 32,
        })
      : sign("sha256", Buffer.from(`${header}.${payload}`), key);
  return `${header}.${payload}.${signature.toString("base64url")}`;
}

/** POSTs a client-credentials grant to the emulator's token endpoint. */
export function tokenRequest(
  emulator: RunningEmulator,
  tenant: string,
  form: Record<string, string>,
): Promise<RawResponse> {
  return raw(emulator, "POST", `/${tenant}/oauth2/v2.0/token`, {
    body: new URLSearchParams(form).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
}

/** A Graph (or S&C) access token for the test app, obtained from the token endpoint with a signed assertion. */
export async function accessToken(
  emulator: RunningEmulator,
  tenantId: string = CONTOSO.tenantId,
  scope = "https://graph.microsoft.com/.default",
): Promise<string> {
  const key = (await testAppPem()).match(
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+?-----END [A-Z ]*PRIVATE KEY-----/,
  )![0];
  const reply = await tokenRequest(emulator, tenantId, {
    grant_type: "client_credentials",
    client_id: CLIENT_ID,
    scope,
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: assertion(key, { aud: `${emulator.authorityHost}/${tenantId}/oauth2/v2.0/token` }),
  });
  if (reply.status !== 200) throw new Error(`token endpoint answered ${reply.status}: ${reply.text}`);
  return reply.json<{ access_token: string }>().access_token;
}

/** Graph's error body shape, checked field by field. */
export function expectGraphError(response: RawResponse, status: number, code: string): JsonProbe {
  if (response.status !== status)
    throw new Error(`expected ${status} ${code}, got ${response.status}: ${response.text}`);
  const body = response.json<{ error: JsonProbe }>();
  if (body.error?.["code"] !== code) throw new Error(`expected code ${code}, got ${response.text}`);
  const inner = body.error["innerError"] as Record<string, string>;
  if (
    !inner ||
    !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(inner["date"] ?? "") ||
    !inner["request-id"] ||
    !inner["client-request-id"]
  )
    throw new Error(`innerError is not Graph's shape: ${response.text}`);
  if (response.headers["request-id"] !== inner["request-id"])
    throw new Error("the request-id header differs from innerError.request-id");
  return body.error;
}
