/**
 * The Entra token endpoint, for real: OpenID configuration, and client-credential grants whose
 * `client_assertion` (a JWT signed with the app's certificate key) is verified against certificates
 * registered for that client in that tenant. Access tokens are HMAC-signed by the emulator.
 */
import { createHmac, randomBytes, verify, X509Certificate, constants, type KeyObject } from "node:crypto";
import type { Json, Reply } from "./errors";
import { federatedAssertionError } from "./federated";
import { grantsOf } from "./permissions";
import { GRAPH_APP_ID } from "./seed";
import type { TenantState } from "./store";

const SECRET = randomBytes(32);

/** What an access token says. */
export interface TokenClaims {
  readonly tid: string;
  readonly appid: string;
  readonly aud: "graph" | "compliance";
  readonly exp: number;
  /**
   * App roles of the client's service principal on the token's resource; absent when it has none here (not checked).
   */
  readonly roles?: readonly string[];
  /** Directory role template ids of the client's service principal. */
  readonly wids?: readonly string[];
  /**
   * The object id of the client's service principal in the tenant, as Entra puts it in app-only tokens
   * (learn.microsoft.com/entra/identity-platform/access-token-claims-reference, `oid`); the azuread provider
   * reads it as the caller's object id (internal/clients/client.go), e.g. for a new group's default owner.
   */
  readonly oid?: string;
  /** `app` for app-only tokens (same reference, `idtyp`). */
  readonly idtyp?: "app";
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString("base64url");

/** Issues an access token for a tenant, client and audience (valid one hour). */
export function issueToken(claims: Omit<TokenClaims, "exp">): { access_token: string; expires_in: number } {
  const body = b64url(JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1000) + 3600 }));
  return {
    access_token: `emu.${body}.${createHmac("sha256", SECRET).update(body).digest("base64url")}`,
    expires_in: 3600,
  };
}

/** The claims of a valid, unexpired token from an `Authorization: Bearer …` header, else undefined. */
export function readToken(header: string | undefined): TokenClaims | undefined {
  const m = /^Bearer emu\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(header ?? "");
  if (!m || createHmac("sha256", SECRET).update(m[1]!).digest("base64url") !== m[2]) return undefined;
  const claims = JSON.parse(Buffer.from(m[1]!, "base64url").toString("utf8")) as TokenClaims;
  return claims.exp * 1000 > Date.now() ? claims : undefined;
}

/** OpenID configuration MSAL reads before asking for a token. */
export function openIdConfiguration(base: string, tenant: string): Json {
  return {
    token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
    authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
    issuer: `${base}/${tenant}/v2.0`,
    jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    tenant_region_scope: "EU",
    cloud_instance_name: "microsoftonline.com",
  };
}

const aadError = (status: number, error: string, description: string): Reply => ({
  status,
  body: {
    error,
    error_description: `${description}\r\nTrace ID: ${randomBytes(16).toString("hex")}\r\nTimestamp: ${new Date().toISOString()}`,
    error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)],
  },
});

/**
 * Answers `POST /{tenant}/oauth2/v2.0/token` for the client-credentials grant with a certificate-signed or federated
 * assertion.
 */
export function tokenGrant(
  tenant: TenantState | undefined,
  tenantPath: string,
  form: URLSearchParams,
  tokenEndpoint: string,
): Reply {
  if (!tenant)
    return aadError(
      400,
      "invalid_request",
      `AADSTS90002: Tenant '${tenantPath}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    );
  if (form.get("grant_type") !== "client_credentials")
    return aadError(400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.");
  const clientId = form.get("client_id") ?? "";
  const assertion = form.get("client_assertion");
  if (!assertion)
    return aadError(
      401,
      "invalid_client",
      "AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
    );
  const keys = certificateKeysFor(tenant, clientId);
  const federated = tenant.federatedCredentials?.[clientId] ?? [];
  if (keys.length === 0 && federated.length === 0)
    return aadError(
      400,
      "unauthorized_client",
      `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${tenant.displayName}'.`,
    );
  const [h, p, s] = assertion.split(".");
  let header: Json, payload: Json;
  try {
    header = JSON.parse(Buffer.from(h ?? "", "base64url").toString("utf8")) as Json;
    payload = JSON.parse(Buffer.from(p ?? "", "base64url").toString("utf8")) as Json;
  } catch {
    return aadError(401, "invalid_client", "AADSTS50027: JWT token is invalid or malformed.");
  }
  const signed = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(s ?? "", "base64url");
  // An assertion the app signed itself names the app as issuer; another issuer, for an app that has
  // federated credentials, is a federated token (without any, Entra reports the issuer mismatch: 700021).
  if (payload["iss"] !== clientId && federated.length > 0) {
    const refused = federatedAssertionError(federated, header, payload, signed, signature, (d) =>
      aadError(401, "invalid_client", d),
    );
    return refused ?? accessTokenReply(tenant, clientId, form, tokenEndpoint);
  }
  const valid = keys.some((key) => {
    if (header["alg"] === "PS256")
      return verify("sha256", signed, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature);
    return header["alg"] === "RS256" && verify("sha256", signed, key, signature);
  });
  if (!valid)
    return aadError(
      401,
      "invalid_client",
      "AADSTS700027: Client assertion contains an invalid signature. [Reason - The key was not found.]",
    );
  if (payload["iss"] !== clientId || payload["sub"] !== clientId)
    return aadError(
      401,
      "invalid_client",
      "AADSTS700021: Client assertion application identifier doesn't match 'client_id' parameter.",
    );
  if (typeof payload["exp"] !== "number" || payload["exp"] * 1000 < Date.now())
    return aadError(401, "invalid_client", "AADSTS700024: Client assertion is not within its valid time range.");
  if (payload["aud"] !== tokenEndpoint)
    return aadError(
      401,
      "invalid_client",
      `AADSTS700212: No matching federated identity record found for presented assertion audience '${String(payload["aud"])}'.`,
    );
  return accessTokenReply(tenant, clientId, form, tokenEndpoint);
}

/** The access token for an accepted assertion, for the resource the scope names. */
function accessTokenReply(tenant: TenantState, clientId: string, form: URLSearchParams, tokenEndpoint: string): Reply {
  const scope = form.get("scope") ?? "";
  if (!/^\S+\/\.default$/.test(scope))
    return aadError(
      400,
      "invalid_scope",
      `AADSTS1002012: The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  const aud = audienceOf(scope.slice(0, -"/.default".length), new URL(tokenEndpoint).origin);
  if (!aud)
    return aadError(
      400,
      "invalid_resource",
      `AADSTS500011: The resource principal named ${scope.slice(0, -"/.default".length)} was not found in the tenant named ${tenant.displayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    );
  const sp = tenant.collections.servicePrincipals.find((s) => s["appId"] === clientId);
  const grants = grantsOf(tenant, clientId, aud);
  const claims = { tid: tenant.tenantId, appid: clientId, aud, idtyp: "app" as const, ...grants };
  const token = issueToken(sp ? { ...claims, oid: String(sp["id"]) } : claims);
  return { status: 200, body: { token_type: "Bearer", ext_expires_in: 3600, ...token } };
}

/** Which of our resources a scope's resource names: Graph (by URL, app id, or the emulator's own URL) or S&C. */
function audienceOf(resource: string, emulatorOrigin: string): TokenClaims["aud"] | undefined {
  const r = resource.replace(/\/+$/, "").toLowerCase();
  if (r === "https://graph.microsoft.com" || r === GRAPH_APP_ID || r === emulatorOrigin.toLowerCase()) return "graph";
  if (r === "https://ps.compliance.protection.outlook.com") return "compliance";
  return undefined;
}

/**
 * Public keys of the certificates accepted for `clientId`: registered directly, or keyCredentials of the tenant's
 * application.
 */
function certificateKeysFor(tenant: TenantState, clientId: string): KeyObject[] {
  const own = tenant.clientCertificates[clientId] ?? [];
  const app = tenant.collections.applications.find((a) => a["appId"] === clientId);
  const onApp = ((app?.["keyCredentials"] ?? []) as Json[]).map(
    (k) =>
      `-----BEGIN CERTIFICATE-----\n${String(k["key"])
        .match(/.{1,64}/g)
        ?.join("\n")}\n-----END CERTIFICATE-----\n`,
  );
  return [...own, ...onApp].map(publicKeyOf).filter((key): key is KeyObject => key !== undefined);
}

// Parsing a certificate costs about a millisecond; a fleet's token requests present the same few
// certificates again and again. Bounded: cleared when it grows past what any test or benchmark registers.
const publicKeys = new Map<string, KeyObject | undefined>();

/** The public key of a PEM certificate, or undefined when it does not parse (cached). */
function publicKeyOf(pem: string): KeyObject | undefined {
  if (publicKeys.has(pem)) return publicKeys.get(pem);
  let key: KeyObject | undefined;
  try {
    key = new X509Certificate(pem).publicKey;
  } catch {
    key = undefined;
  }
  if (publicKeys.size >= 10_000) publicKeys.clear();
  publicKeys.set(pem, key);
  return key;
}
