/**
 * The Entra token endpoint: OpenID discovery as MSAL reads it, client-credential grants whose assertion
 * signature is verified against the registered certificate, AADSTS errors, and bearer checks on Graph and S&C.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../../src/emulator";
import { generatePem } from "../../support/graph-test-server";
import { testAppPem } from "../../support/graph-connect";
import {
  accessToken,
  assertion,
  CLIENT_ID,
  clientFor,
  CONTOSO,
  expectGraphError,
  FABRIKAM,
  raw,
  startTestEmulator,
  tokenRequest,
} from "./harness";

let emulator: RunningEmulator;
let appKey: string;
const audience = () => `${emulator.authorityHost}/${CONTOSO.tenantId}/oauth2/v2.0/token`;
const grant = (clientAssertion: string, extra: Record<string, string> = {}) => ({
  grant_type: "client_credentials",
  client_id: CLIENT_ID,
  scope: "https://graph.microsoft.com/.default",
  client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
  client_assertion: clientAssertion,
  ...extra,
});

beforeAll(async () => {
  emulator = await startTestEmulator();
  appKey = (await testAppPem()).match(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+?-----END [A-Z ]*PRIVATE KEY-----/)![0];
});
afterAll(() => emulator.close());

describe("OpenID discovery", () => {
  it("serves the tenant's openid-configuration with the emulator's own token endpoint", async () => {
    const r = await raw(emulator, "GET", `/${CONTOSO.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ token_endpoint: audience(), issuer: expect.stringContaining(CONTOSO.tenantId) });
  });

  it("answers instance discovery with the emulator's host as the only alias", async () => {
    const r = await raw(emulator, "GET", "/common/discovery/instance?api-version=1.1&authorization_endpoint=x");
    expect(r.status).toBe(200);
    expect(r.json()["metadata"][0]["aliases"]).toEqual([new URL(emulator.url).host]);
  });
});

describe("client-credentials grant", () => {
  it("issues a token for an RS256 or PS256 assertion signed with the registered certificate's key", async () => {
    for (const alg of ["RS256", "PS256"] as const) {
      const r = await tokenRequest(emulator, CONTOSO.tenantId, grant(assertion(appKey, { aud: audience() }, alg)));
      expect(r.status).toBe(200);
      expect(r.json()).toMatchObject({
        token_type: "Bearer",
        expires_in: expect.any(Number),
        access_token: expect.any(String),
      });
    }
  });

  it("rejects an assertion signed by a key whose certificate is not registered (AADSTS700027)", async () => {
    const stranger = await generatePem("stranger");
    const r = await tokenRequest(emulator, CONTOSO.tenantId, grant(assertion(stranger.key, { aud: audience() })));
    expect(r.status).toBe(401);
    expect(r.json()).toMatchObject({ error: "invalid_client", error_codes: [700027] });
    expect(r.json()["error_description"]).toMatch(/^AADSTS700027: Client assertion contains an invalid signature/);
  });

  it("rejects an unknown client id (AADSTS700016, unauthorized_client)", async () => {
    const r = await tokenRequest(
      emulator,
      CONTOSO.tenantId,
      grant(
        assertion(appKey, {
          aud: audience(),
          iss: "99999999-0000-0000-0000-000000000000",
          sub: "99999999-0000-0000-0000-000000000000",
        }),
        { client_id: "99999999-0000-0000-0000-000000000000" },
      ),
    );
    expect(r.status).toBe(400);
    expect(r.json()).toMatchObject({ error: "unauthorized_client", error_codes: [700016] });
  });

  it("checks the assertion's audience, issuer/subject and expiry", async () => {
    const wrongAud = await tokenRequest(
      emulator,
      CONTOSO.tenantId,
      grant(assertion(appKey, { aud: "https://login.example.com/x/oauth2/v2.0/token" })),
    );
    expect(wrongAud.status).toBe(401);
    expect(wrongAud.json()["error"]).toBe("invalid_client");
    const wrongIss = await tokenRequest(
      emulator,
      CONTOSO.tenantId,
      grant(assertion(appKey, { aud: audience(), iss: "someone-else" })),
    );
    expect(wrongIss.json()["error_codes"]).toEqual([700021]);
    const expired = await tokenRequest(
      emulator,
      CONTOSO.tenantId,
      grant(assertion(appKey, { aud: audience(), exp: Math.floor(Date.now() / 1000) - 600 })),
    );
    expect(expired.json()["error_codes"]).toEqual([700024]);
  });

  it("accepts the certificate of an application's keyCredentials in the tenant", async () => {
    const other = await generatePem("keycredential-app");
    const der = other.cert.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
    const graph = await clientFor(emulator);
    const app = await graph.graph.create<{ appId: string }>("/applications", {
      displayName: "Key credential app",
      keyCredentials: [{ type: "AsymmetricX509Cert", usage: "Verify", key: der }],
    });
    const claims = { aud: audience(), iss: app.appId, sub: app.appId };
    const r = await tokenRequest(emulator, CONTOSO.tenantId, {
      ...grant(assertion(other.key, claims)),
      client_id: app.appId,
    });
    expect(r.status).toBe(200);
    await graph.close?.();
  });

  it("answers an unknown tenant with AADSTS90002", async () => {
    const r = await tokenRequest(
      emulator,
      "00000000-1111-2222-3333-444444444444",
      grant(assertion(appKey, { aud: audience() })),
    );
    expect(r.status).toBe(400);
    expect(r.json()["error_description"]).toMatch(/^AADSTS90002/);
  });

  it("refuses a scope without /.default or for an unknown resource", async () => {
    const unknown = await tokenRequest(
      emulator,
      CONTOSO.tenantId,
      grant(assertion(appKey, { aud: audience() }), { scope: "https://unknown.example.com/.default" }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.json()).toMatchObject({ error: "invalid_resource", error_codes: [500011] });
    const bare = await tokenRequest(
      emulator,
      CONTOSO.tenantId,
      grant(assertion(appKey, { aud: audience() }), { scope: "https://graph.microsoft.com/User.Read" }),
    );
    expect(bare.json()).toMatchObject({ error: "invalid_scope", error_codes: [1002012] });
    // A client pointed at the emulator may ask for the emulator's own URL as the Graph resource.
    const own = await tokenRequest(
      emulator,
      CONTOSO.tenantId,
      grant(assertion(appKey, { aud: audience() }), { scope: `${emulator.url}/.default` }),
    );
    expect(own.status).toBe(200);
  });
});

describe("bearer tokens on Graph and S&C", () => {
  it("401 InvalidAuthenticationToken without a token, with a forged one, or with an S&C token on Graph", async () => {
    expectGraphError(await raw(emulator, "GET", "/v1.0/organization"), 401, "InvalidAuthenticationToken");
    expectGraphError(
      await raw(emulator, "GET", "/v1.0/organization", { token: "eyJhbGciOiJub25lIn0.eyJ0aWQiOiJ4In0." }),
      401,
      "InvalidAuthenticationToken",
    );
    const compliance = await accessToken(
      emulator,
      CONTOSO.tenantId,
      "https://ps.compliance.protection.outlook.com/.default",
    );
    expectGraphError(
      await raw(emulator, "GET", "/v1.0/organization", { token: compliance }),
      401,
      "InvalidAuthenticationToken",
    );
  });

  it("addresses the tenant by the token: the same path answers each tenant's own data", async () => {
    const [a, b] = await Promise.all([
      accessToken(emulator, CONTOSO.tenantId),
      accessToken(emulator, FABRIKAM.tenantId),
    ]);
    const orgA = (await raw(emulator, "GET", "/v1.0/organization", { token: a })).json()["value"][0];
    const orgB = (await raw(emulator, "GET", "/v1.0/organization", { token: b })).json()["value"][0];
    expect([orgA.id, orgA.displayName]).toEqual([CONTOSO.tenantId, "Contoso Ltd"]);
    expect([orgB.id, orgB.displayName]).toEqual([FABRIKAM.tenantId, "Fabrikam Inc"]);
  });

  it("the S&C endpoint refuses a Graph token and a token of another tenant", async () => {
    const graph = await accessToken(emulator, CONTOSO.tenantId);
    const other = await accessToken(
      emulator,
      FABRIKAM.tenantId,
      "https://ps.compliance.protection.outlook.com/.default",
    );
    const body = { CmdletInput: { CmdletName: "Get-ComplianceTag", Parameters: {} } };
    const headers = {
      "x-anchormailbox": `UPN:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${CONTOSO.primaryDomain}`,
    };
    expect(
      (await raw(emulator, "POST", `/adminapi/beta/${CONTOSO.tenantId}/InvokeCommand`, { token: graph, body, headers }))
        .status,
    ).toBe(401);
    expect(
      (await raw(emulator, "POST", `/adminapi/beta/${CONTOSO.tenantId}/InvokeCommand`, { token: other, body, headers }))
        .status,
    ).toBe(401);
  });

  it("the real client gets tokens for Graph and S&C through ClientCertificateCredential", async () => {
    const connection = await clientFor(emulator);
    const org = await connection.graph.list<{ id: string }>("/organization");
    expect(org.map((o) => o.id)).toEqual([CONTOSO.tenantId]);
    expect(await connection.compliance.invoke("Get-ComplianceTag")).toEqual([]);
    const tokens = emulator
      .requestLog()
      .filter((e) => e.route === "token" && e.tenantId === CONTOSO.tenantId && e.status === 200);
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    await connection.close?.();
  });
});
