import { generateKeyPairSync, sign } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { connect } from "../../../src/graph";
import type { RunningEmulator } from "../../../src/emulator";
import { CLIENT_ID, CONTOSO, failure, QUICK, tokenRequest, useTestEmulator } from "./harness";

const GITHUB = "https://token.actions.githubusercontent.com";
const MAIN = "repo:msp/baselines:ref:refs/heads/main";
// The CI provider's signing key, made per run (the emulator is given its public half, as Entra reads it from the
// issuer's JWKS).
const issuer = generateKeyPairSync("rsa", { modulusLength: 2048 });
const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 });

/** A token as GitHub Actions issues it for `audience=api://AzureADTokenExchange`. */
function ciToken(
  claims: { iss?: string; sub?: string; aud?: string; exp?: number } = {},
  key = issuer.privateKey,
): string {
  const now = Math.floor(Date.now() / 1000);
  const header = Buffer.from(JSON.stringify({ alg: "RS256", typ: "JWT", kid: "ci" })).toString("base64url");
  const payload = Buffer.from(
    JSON.stringify({
      iss: GITHUB,
      sub: MAIN,
      aud: "api://AzureADTokenExchange",
      nbf: now - 5,
      iat: now - 5,
      exp: now + 300,
      ...claims,
    }),
  ).toString("base64url");
  return `${header}.${payload}.${sign("sha256", Buffer.from(`${header}.${payload}`), key).toString("base64url")}`;
}

let emulator: RunningEmulator;
useTestEmulator({}, (e) => {
  emulator = e;
  emulator.registerFederatedCredential(CONTOSO.tenantId, CLIENT_ID, {
    issuer: GITHUB,
    subject: MAIN,
    publicKeyPem: issuer.publicKey.export({ type: "spki", format: "pem" }).toString(),
  });
});

/** The production client with the `oidc` credential, reading `token` from a file as in CI. */
function oidcClient(token: string) {
  const dir = mkdtempSync(join(tmpdir(), "m365b-oidc-"));
  writeFileSync(join(dir, "token"), token);
  return connect(
    {
      tenantId: CONTOSO.tenantId,
      primaryDomain: CONTOSO.primaryDomain,
      credential: { kind: "workloadIdentity", clientId: CLIENT_ID, tokenFilePath: join(dir, "token") },
      graphBaseUrl: emulator.url,
      authorityHost: emulator.url,
      complianceBaseUrl: emulator.url,
      caCertificatePem: emulator.caCertificatePem,
    },
    QUICK,
  );
}

const grant = (assertion: string) =>
  tokenRequest(emulator, CONTOSO.tenantId, {
    grant_type: "client_credentials",
    client_id: CLIENT_ID,
    scope: "https://graph.microsoft.com/.default",
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: assertion,
  });

describe("workload identity federation (the oidc credential of CI jobs)", () => {
  it("a token from the registered issuer for the registered subject gets Graph access through the production client", async () => {
    const client = oidcClient(ciToken());
    expect(await client.graph.list("/groups")).toBeInstanceOf(Array);
    await client.close?.();
  });

  it("answers each mismatch with Entra's own AADSTS code", async () => {
    const codes = async (assertion: string) =>
      ((await grant(assertion)).json() as { error_codes: number[] }).error_codes;
    expect((await grant(ciToken())).status).toBe(200);
    expect(await codes(ciToken({ iss: "https://gitlab.example.com" }))).toEqual([700211]);
    expect(await codes(ciToken({ sub: "repo:msp/baselines:pull_request" }))).toEqual([700213]);
    expect(await codes(ciToken({ aud: "api://something-else" }))).toEqual([700212]);
    expect(await codes(ciToken({}, stranger.privateKey))).toEqual([50013]);
    expect(await codes(ciToken({ exp: Math.floor(Date.now() / 1000) - 60 }))).toEqual([700024]);
  });

  it("the client's error says what to change on the app registration", async () => {
    const pullRequest = oidcClient(ciToken({ sub: "repo:msp/baselines:pull_request" }));
    const error = await failure(pullRequest.graph.list("/groups"));
    expect(error.status).toBe(401);
    expect(error.message).toContain("AADSTS700213");
    expect(error.message).toContain("add one with subject repo:msp/baselines:pull_request");
    await pullRequest.close?.();
    const expired = oidcClient(ciToken({ exp: Math.floor(Date.now() / 1000) - 60 }));
    expect((await failure(expired.graph.list("/groups"))).message).toContain(
      "write M365B_OIDC_TOKEN_FILE right before the run",
    );
    await expired.close?.();
  });
});
