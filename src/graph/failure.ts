/**
 * Turns every way a call can fail — a Graph error response, an S&C error body, a transport error, a
 * credential error wrapped by the SDK — into one GraphRequestError, and classifies failures for retries.
 * Never includes request bodies or tokens in messages.
 */
import { GraphRequestError, type GraphRequestErrorInit } from "../errors";
import { graphRefusal } from "./consent-hint";

/** Status used for failures that produced no HTTP response (resets, timeouts, TLS, DNS). */
export const NO_RESPONSE = 0;

interface ODataErrorBody {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly innerError?: Record<string, unknown>;
  readonly innererror?: Record<string, unknown>;
  readonly details?: readonly { readonly code?: unknown; readonly message?: unknown }[];
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** Parses Retry-After (seconds or an HTTP date) into seconds. */
export function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

/** Builds the error for a non-2xx HTTP response from its status, headers and raw body text. */
export function errorFromResponse(
  method: string,
  path: string,
  status: number,
  headers: Headers,
  body: string,
): GraphRequestError {
  const init = errorInitFromResponse(method, path, status, headers, body);
  const refusal = graphRefusal(method, path, init.status, init.code, init.message);
  return new GraphRequestError(
    refusal ? { ...init, message: `${init.message} (${refusal.fix})`, missingPermission: refusal.permission } : init,
  );
}

/** The fields of the error for a non-2xx HTTP response (`message` is Microsoft's text, unformatted). */
export function errorInitFromResponse(
  method: string,
  path: string,
  status: number,
  headers: Headers,
  body: string,
): GraphRequestErrorInit {
  let parsed: { error?: ODataErrorBody } | undefined;
  try {
    parsed = body.trim() ? (JSON.parse(body) as { error?: ODataErrorBody }) : undefined;
  } catch {
    parsed = undefined;
  }
  const error = parsed?.error;
  const inner = error?.innerError ?? error?.innererror;
  const detailCodes = (error?.details ?? []).map((d) => text(d.code)).filter((c): c is string => c !== undefined);
  const innerCode = text(inner?.["code"]);
  if (innerCode) detailCodes.push(innerCode);
  const printable = body.replace(/\0/g, "").trim();
  const message =
    text(error?.message) ??
    (printable && !parsed
      ? `non-JSON response body: ${printable.slice(0, 200)}`
      : `HTTP ${status} with an empty error message`);
  return {
    status,
    code: text(error?.code) ?? `HTTP${status}`,
    message,
    requestId: text(inner?.["request-id"]) ?? headers.get("request-id") ?? undefined,
    method,
    path,
    detailCodes,
    retryAfterSeconds: parseRetryAfter(headers.get("retry-after")),
  };
}

const TIMEOUT_CODES = new Set([
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
]);
const RESET_CODES = new Set(["UND_ERR_SOCKET", "ECONNRESET", "EPIPE", "UND_ERR_CLOSED", "ECONNABORTED"]);
const CERT_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/;

/** The fields of a transport error that say what failed: undici's `code`, or its cause's. */
interface TransportCause {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly cause?: { readonly code?: unknown; readonly message?: unknown };
}

function isTransportCause(value: unknown): value is TransportCause {
  return typeof value === "object" && value !== null;
}

/**
 * Builds the error for a call that got no HTTP response; `cause` is the transport error when known: undici's, or
 * one the transport made itself (deadline, closed connection, refused redirect), which only gets the call's method
 * and path. A call whose deadline passed has the deadline code, which the client turns into the message naming the
 * tenant and the fix.
 */
export function errorFromTransport(method: string, path: string, cause: unknown): GraphRequestError {
  if (cause instanceof GraphRequestError)
    return new GraphRequestError({ status: cause.status, code: cause.code, message: cause.reason, method, path });
  const raw = isTransportCause(cause) ? cause : undefined;
  const rawCode = text(raw?.code) ?? text(raw?.cause?.code) ?? "";
  const rawMessage = text(raw?.message) ?? "the connection failed";
  let code = rawCode || "ECONNRESET";
  let message = rawMessage;
  if (TIMEOUT_CODES.has(rawCode)) {
    code = "ETIMEDOUT";
    message = `no response in time (${rawMessage})`;
  } else if (RESET_CODES.has(rawCode)) {
    code = "ECONNRESET";
    message = `the connection was reset (${rawMessage})`;
  } else if (CERT_CODE.test(rawCode)) {
    message = `the server's TLS certificate is not trusted (${rawMessage}); when pointing at the emulator set endpoints.caCertificateFile to its CA certificate`;
  }
  return new GraphRequestError({ status: NO_RESPONSE, code, message, method, path });
}

/**
 * Credential failures (wrapped by the SDK as GraphError with the credential error's name as code);
 * AuthenticationRequiredError is what the assertion-based credentials (the oidc one) raise for Entra's refusals.
 */
const CREDENTIAL_ERRORS = new Set([
  "AuthenticationError",
  "AuthenticationRequiredError",
  "CredentialUnavailableError",
  "AggregateAuthenticationError",
]);

/** True when the SDK error came from the token credential rather than from the request. */
export function isCredentialErrorName(name: unknown): boolean {
  return typeof name === "string" && CREDENTIAL_ERRORS.has(name);
}

/** Builds the error for a failed token request, with the fix Entra's AADSTS code points to. */
export function errorFromCredential(method: string, path: string, name: string, message: string): GraphRequestError {
  return new GraphRequestError({
    status: 401,
    code: name,
    message: `could not get an access token: ${message} (${credentialFix(message)})`,
    method,
    path,
  });
}

/** Entra's sign-in errors an MSP meets when onboarding a tenant or a CI job, and what fixes each. */
const CREDENTIAL_FIXES: readonly (readonly [RegExp, (m: RegExpExecArray) => string])[] = [
  [/AADSTS90002/, () => "no such tenant: check the stack's tenantId"],
  [
    /AADSTS700016/,
    () =>
      "the app is not in this tenant: an administrator of the tenant must consent to it (or check deployment.clientId and tenantId)",
  ],
  [
    /AADSTS700027/,
    () =>
      "the certificate is not one registered on the app: upload the public certificate of M365B_CERTIFICATE_PEM to the app registration",
  ],
  [
    /AADSTS700211: .*issuer '([^']*)'/,
    (m) => `no federated credential on the app trusts the issuer ${m[1]}: add one for it`,
  ],
  [
    /AADSTS700213: .*subject '([^']*)'/,
    (m) =>
      `the app's federated credentials do not name this job's subject: add one with subject ${m[1]} (GitHub: repo:<org>/<repo>:ref:refs/heads/<branch>, or repo:<org>/<repo>:environment:<name> for a job with an environment)`,
  ],
  [
    /AADSTS700212/,
    () =>
      "the federated token's audience is not one the app's federated credential accepts: request the CI token with audience api://AzureADTokenExchange",
  ],
  [
    /AADSTS50013/,
    () =>
      "the federated token's signature did not validate: M365B_OIDC_TOKEN_FILE must hold the CI provider's token, unmodified",
  ],
  [
    /AADSTS700024/,
    () =>
      "the assertion has expired: CI tokens live minutes, so write M365B_OIDC_TOKEN_FILE right before the run (or check this machine's clock)",
  ],
];

function credentialFix(message: string): string {
  for (const [pattern, fix] of CREDENTIAL_FIXES) {
    const m = pattern.exec(message);
    if (m) return fix(m);
  }
  return "check deployment.clientId, the certificate or federated credential registered on the app, and the tenant id";
}

/** 429, 503 and 504: Microsoft asks the caller to slow down or try again. */
export function isThrottled(error: GraphRequestError): boolean {
  return error.status === 429 || error.status === 503 || error.status === 504;
}

/** No response at all: reset, timeout, refused. The call may or may not have reached the service. */
export function isTransport(error: GraphRequestError): boolean {
  return (
    error.status === NO_RESPONSE &&
    (error.code === "ECONNRESET" ||
      error.code === "ETIMEDOUT" ||
      error.code === "ECONNREFUSED" ||
      error.code === "EAI_AGAIN")
  );
}

/** A failure after which a POST may have created the object: server errors and lost responses. */
export function isAmbiguous(error: GraphRequestError): boolean {
  return isTransport(error) || error.status >= 500;
}

/** 404 Request_ResourceNotFound (or a bare 404 from a directory path). */
export function isNotFound(error: GraphRequestError): boolean {
  return error.status === 404;
}

/** 400 when a service principal is created before its new application has replicated. */
export function isNoBackingApplication(error: GraphRequestError): boolean {
  return (
    error.status === 400 &&
    (error.detailCodes.includes("NoBackingApplicationObject") ||
      /does not reference a valid application object/i.test(error.message))
  );
}
