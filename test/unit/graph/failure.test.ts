import { describe, expect, it } from "vitest";
import { complianceError, regionalBase } from "../../../src/graph/compliance";
import {
  errorFromCredential,
  errorFromResponse,
  errorFromTransport,
  isAmbiguous,
  isNoBackingApplication,
  isThrottled,
  isTransport,
  parseRetryAfter,
} from "../../../src/graph/failure";
import { backoffDelayMs } from "../../../src/graph/options";
import { isConditionalAccessPath, Pacer, RecentObjects } from "../../../src/graph/tenant-state";

describe("error mapping", () => {
  it("reads code, message, request-id, detail codes and Retry-After from a Graph error body", () => {
    const e = errorFromResponse(
      "POST",
      "/servicePrincipals",
      400,
      new Headers({ "retry-after": "7" }),
      JSON.stringify({
        error: {
          code: "Request_BadRequest",
          message: "The appId 'x' of the service principal does not reference a valid application object.",
          details: [{ code: "NoBackingApplicationObject" }],
          innerError: { "request-id": "rid-1", date: "2026-01-01T00:00:00" },
        },
      }),
    );
    expect(e).toMatchObject({
      status: 400,
      code: "Request_BadRequest",
      requestId: "rid-1",
      method: "POST",
      path: "/servicePrincipals",
      retryAfterSeconds: 7,
    });
    expect(e.detailCodes).toContain("NoBackingApplicationObject");
    expect(isNoBackingApplication(e)).toBe(true);
    expect(e.message).toBe(
      "POST /servicePrincipals failed: 400 Request_BadRequest: The appId 'x' of the service principal does not reference a valid application object., request-id rid-1",
    );
  });

  it("never yields [object Object] for odd bodies", () => {
    for (const body of [
      "",
      "not json",
      '{"error":{}}',
      '{"error":{"code":{"a":1},"message":{"b":2}}}',
      "\u0000\u0000",
    ]) {
      const e = errorFromResponse("GET", "/x", 500, new Headers({ "request-id": "h-1" }), body);
      expect(e.message).not.toContain("[object Object]");
      expect(e.code).toMatch(/^HTTP500$|\w+/);
      expect(e.requestId).toBe("h-1");
    }
  });

  it("maps undici transport errors to ECONNRESET / ETIMEDOUT and explains untrusted certificates", () => {
    expect(
      errorFromTransport("GET", "/x", Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" })).code,
    ).toBe("ECONNRESET");
    expect(
      errorFromTransport(
        "GET",
        "/x",
        Object.assign(new Error("Headers Timeout Error"), { code: "UND_ERR_HEADERS_TIMEOUT" }),
      ).code,
    ).toBe("ETIMEDOUT");
    const cert = errorFromTransport(
      "GET",
      "/x",
      Object.assign(new Error("self-signed certificate"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }),
    );
    expect(cert.message).toContain("caCertificateFile");
    expect(isTransport(cert)).toBe(false);
  });

  it("classifies throttling and ambiguity", () => {
    const e = (status: number) => errorFromResponse("GET", "/x", status, new Headers(), "");
    expect([429, 503, 504, 500].map((s) => isThrottled(e(s)))).toEqual([true, true, true, false]);
    expect([500, 502, 400, 429].map((s) => isAmbiguous(e(s)))).toEqual([true, true, false, false]);
  });

  it("parses Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter("3")).toBe(3);
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3);
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe("S&C specifics", () => {
  it("rewrites the regional redirect to the region's ps.compliance host and rejects foreign hosts", () => {
    expect(
      regionalBase(
        "https://nam12b.admin.protection.outlook.com:446/adminapi/beta/t/InvokeCommand",
        "https://ps.compliance.protection.outlook.com",
      ),
    ).toBe("https://nam12b.ps.compliance.protection.outlook.com");
    expect(
      regionalBase(
        "https://evil.example.com/adminapi/beta/t/InvokeCommand",
        "https://ps.compliance.protection.outlook.com",
      ),
    ).toBeUndefined();
    expect(
      regionalBase("http://nam12b.admin.protection.outlook.com/x", "https://ps.compliance.protection.outlook.com"),
    ).toBeUndefined();
    expect(regionalBase("https://localhost:9443/eu/adminapi/beta/t/InvokeCommand", "https://localhost:8443")).toBe(
      "https://localhost:9443/eu",
    );
  });

  it("takes details[0].message before the inner exception", () => {
    const reply = {
      status: 400,
      headers: new Headers(),
      bytes: Buffer.from(
        JSON.stringify({
          error: {
            code: "BadRequest",
            message: "Invalid Operation",
            details: [{ message: "The label 'X' is in use." }],
          },
        }),
      ),
    };
    const e = complianceError("POST", "/InvokeCommand (Remove-ComplianceTag)", reply);
    expect(e.message).toContain("The label 'X' is in use.");
  });
});

describe("pacing and backoff", () => {
  it("recognises conditional-access paths only", () => {
    expect(isConditionalAccessPath("/identity/conditionalAccess/policies")).toBe(true);
    expect(isConditionalAccessPath("identity/conditionalAccess/namedLocations/1")).toBe(true);
    expect(
      isConditionalAccessPath(
        "https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies?$skiptoken=x".replace(
          /^https:\/\/[^/]+/,
          "",
        ),
      ),
    ).toBe(true);
    expect(isConditionalAccessPath("/identity/b2xUserFlows")).toBe(false);
    expect(isConditionalAccessPath("/policies/authenticationStrengthPolicies")).toBe(false);
  });

  it("starts each paced call at least the interval after the previous one finished", async () => {
    const pacer = new Pacer();
    const spans: [number, number][] = [];
    await Promise.all(
      [30, 5, 20].map((work) =>
        pacer.run(60, async () => {
          const start = Date.now();
          await new Promise((r) => setTimeout(r, work));
          spans.push([start, Date.now()]);
        }),
      ),
    );
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0] - spans[i - 1]![1]).toBeGreaterThanOrEqual(59);
  });

  it("keeps running after a paced call fails", async () => {
    const pacer = new Pacer();
    await expect(pacer.run(1, () => Promise.reject(new Error("x")))).rejects.toThrow("x");
    await expect(pacer.run(1, () => Promise.resolve(2))).resolves.toBe(2);
  });

  it("never waits less than the exponential base", () => {
    const b = { retries: 5, initialDelayMs: 1000, maxDelayMs: 4000 };
    expect(backoffDelayMs(b, 1, () => 0)).toBe(1000);
    expect(backoffDelayMs(b, 3, () => 0.999)).toBeLessThanOrEqual(5000);
    expect(backoffDelayMs(b, 10, () => 0)).toBe(4000);
  });

  it("remembers recent ids case-insensitively and forgets them after the window", async () => {
    const r = new RecentObjects();
    r.remember(["AbCdEf12-0000"], 30);
    expect(r.mentionedIn("/groups/abcdef12-0000")).toBe(true);
    expect(r.mentionedIn(undefined, '{"principalId":"ABCDEF12-0000"}')).toBe(true);
    await new Promise((res) => setTimeout(res, 40));
    expect(r.mentionedIn("/groups/abcdef12-0000")).toBe(false);
  });
});

describe("token failures", () => {
  const fail = (description: string) => errorFromCredential("GET", "/groups", "AuthenticationError", description);
  it("say what fixes each of Entra's sign-in errors an MSP meets", () => {
    expect(
      fail("AADSTS700016: Application with identifier 'x' was not found in the directory 'Fabrikam'.").message,
    ).toContain("an administrator of the tenant must consent to it");
    expect(fail("AADSTS700027: Client assertion contains an invalid signature.").message).toContain(
      "upload the public certificate of M365B_CERTIFICATE_PEM",
    );
    expect(
      fail(
        "AADSTS700211: No matching federated identity record found for presented assertion issuer 'https://gitlab.example.com'.",
      ).message,
    ).toContain("trusts the issuer https://gitlab.example.com");
    expect(fail("AADSTS90002: Tenant 'x' not found.").message).toContain("check the stack's tenantId");
  });
  it("fall back to the three things to check, and are 401 with the credential's error name", () => {
    const e = fail("something else");
    expect(e.status).toBe(401);
    expect(e.code).toBe("AuthenticationError");
    expect(e.message).toBe(
      "GET /groups failed: 401 AuthenticationError: could not get an access token: something else (check deployment.clientId, the certificate or federated credential registered on the app, and the tenant id)",
    );
  });
});
