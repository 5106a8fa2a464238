/**
 * Client assertions for certificate credentials (RFC 7523 JWTs, in the form MSAL builds for a certificate with a
 * SHA-256 thumbprint: PS256, `x5t#S256`; @azure/msal-node ClientAssertion.createJwt). MSAL re-parses the PEM private
 * key for every assertion it signs, which measured about a millisecond per tenant in a fleet check; here the key
 * is parsed once per certificate and process, and one assertion serves every token request of a tenant for most
 * of its ten-minute lifetime, as MSAL itself reuses one for the same issuer and audience. The key stays inside a
 * KeyObject in this module's cache: never in an error, a log or a serialized provider.
 */
import { createHash, createPrivateKey, randomUUID, sign, constants, type KeyObject } from "node:crypto";
import { InternalError, ValidationError } from "../errors";

/** Lifetime of an assertion, as MSAL sets it (`exp` = `nbf` + 600 s). */
const LIFETIME_S = 600;
/** An assertion is renewed when less than this remains, so it is never presented about to expire. */
const RENEW_MARGIN_S = 120;

interface Signer {
  readonly key: KeyObject;
  /** The JOSE header, base64url-encoded: identical for every assertion of this certificate. */
  readonly header: string;
}

const signers = new Map<string, Signer>();

/** Parses the PEM's private key and certificate once per process; a PEM without both is refused by name. */
function signerFor(pem: string): Signer {
  let signer = signers.get(pem);
  if (signer) return signer;
  // settings.ts has refused a PEM without both parts before any connection exists.
  const certificate = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem)?.[1];
  if (!certificate) throw new InternalError("the certificate credential was built from a PEM without a certificate");
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new ValidationError([
      {
        file: "(stack configuration or M365B_CERTIFICATE_PEM)",
        path: "m365-baseline:certificatePem",
        message: `the private key cannot be read (${(error as Error).message})`,
        fix: "give an unencrypted PEM private key with its certificate (openssl pkcs12 -nodes converts a PFX)",
      },
    ]);
  }
  // The thumbprint Entra matches against the app's keyCredentials: SHA-256 of the DER certificate.
  const thumbprint = createHash("sha256")
    .update(Buffer.from(certificate.replace(/\s+/g, ""), "base64"))
    .digest();
  const header = { alg: "PS256", typ: "JWT", "x5t#S256": thumbprint.toString("base64url") };
  signer = { key, header: Buffer.from(JSON.stringify(header)).toString("base64url") };
  signers.set(pem, signer);
  return signer;
}

/**
 * A source of client assertions for one app and token endpoint: the same signed assertion until it nears expiry.
 */
export function assertionSource(pem: string, clientId: string, tokenEndpoint: string): () => Promise<string> {
  let current: { readonly jwt: string; readonly renewAt: number } | undefined;
  // async: a key that cannot be read rejects the token request instead of throwing inside MSAL's caller.
  return async () => {
    const now = Math.floor(Date.now() / 1000);
    if (!current || now >= current.renewAt) {
      const signer = signerFor(pem);
      const payload = { aud: tokenEndpoint, exp: now + LIFETIME_S, iss: clientId, sub: clientId, nbf: now };
      const body = Buffer.from(JSON.stringify({ ...payload, jti: randomUUID() })).toString("base64url");
      const input = `${signer.header}.${body}`;
      // PS256: RSASSA-PSS with SHA-256 and a 32-byte salt (RFC 7518 §3.5).
      const signature = sign("sha256", Buffer.from(input), {
        key: signer.key,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 32,
      });
      current = { jwt: `${input}.${signature.toString("base64url")}`, renewAt: now + LIFETIME_S - RENEW_MARGIN_S };
    }
    return current.jwt;
  };
}
