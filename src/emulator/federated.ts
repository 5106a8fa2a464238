/**
 * Workload identity federation (the `oidc` credential of CI jobs): a client assertion issued by an
 * external identity provider (GitHub Actions, …) is accepted when a federated credential registered for
 * the client names its issuer, subject and an audience, and the issuer's key signed it. Entra fetches
 * the issuer's keys from its OpenID metadata; offline, the issuer's public key is registered with the
 * credential instead. Error codes as Entra's; the HTTP status is the one it uses for other assertion errors.
 */
import { createPublicKey, verify } from "node:crypto";
import type { Json, Reply } from "./errors";

/** A federated identity credential on the app, plus the issuer's signing key. */
export interface FederatedCredential {
  readonly issuer: string;
  readonly subject: string;
  /** Entra's default for GitHub and most issuers: `api://AzureADTokenExchange`. */
  readonly audiences: readonly string[];
  /** The issuer's public key (PEM) that signs its tokens (RS256). */
  readonly publicKeyPem: string;
}

/** The audience Entra expects by default in federated tokens. */
export const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

/** Checks a federated assertion against the client's credentials: undefined when accepted, else Entra's error. */
export function federatedAssertionError(
  credentials: readonly FederatedCredential[],
  header: Json,
  payload: Json,
  signed: Buffer,
  signature: Buffer,
  error: (description: string) => Reply,
): Reply | undefined {
  const issuer = String(payload["iss"] ?? "");
  const subject = String(payload["sub"] ?? "");
  const audiences = (Array.isArray(payload["aud"]) ? payload["aud"] : [payload["aud"]]).map(String);
  const byIssuer = credentials.filter((c) => c.issuer === issuer);
  if (byIssuer.length === 0)
    return error(
      `AADSTS700211: No matching federated identity record found for presented assertion issuer '${issuer}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.`,
    );
  const bySubject = byIssuer.filter((c) => c.subject === subject);
  if (bySubject.length === 0)
    return error(
      `AADSTS700213: No matching federated identity record found for presented assertion subject '${subject}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.`,
    );
  const match = bySubject.find((c) => c.audiences.some((a) => audiences.includes(a)));
  if (!match)
    return error(
      `AADSTS700212: No matching federated identity record found for presented assertion audience '${audiences.join(", ")}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.`,
    );
  const signedByIssuer =
    header["alg"] === "RS256" && verify("sha256", signed, createPublicKey(match.publicKeyPem), signature);
  if (!signedByIssuer)
    return error("AADSTS50013: Assertion failed signature validation. [Reason - The key was not found.]");
  if (typeof payload["exp"] !== "number" || payload["exp"] * 1000 < Date.now())
    return error("AADSTS700024: Client assertion is not within its valid time range.");
  return undefined;
}
