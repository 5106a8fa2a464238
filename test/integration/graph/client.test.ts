import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GraphRequestError } from "../../../src/errors";
import { connect, type TenantConnection } from "../../../src/graph";
import { errorFromTransport } from "../../../src/graph/failure";
import { Transport } from "../../../src/graph/transport";
import { connectTo } from "../../support/graph-connect";
import { startTestServer, type TestServer } from "../../support/graph-test-server";

const T = "6b0c3a52-7a3e-4d0b-9f0e-1c2d3e4f5a61";
let server: TestServer;
let conn: TenantConnection;

beforeAll(async () => {
  server = await startTestServer();
  conn = await connectTo(server, T);
});
afterAll(async () => {
  await conn.close?.();
  await server.close();
});
beforeEach(() => {
  server.faults.length = 0;
  server.store.clear();
  server.store.set(`${T}|/groups`, []);
  server.pageSize = 100;
});

describe("Graph client against a local HTTPS server", () => {
  it("gets a token with the certificate credential and sends it only over https to the configured host", async () => {
    const group = await conn.graph.create<{ id: string }>("/groups", { displayName: "G1" });
    const got = await conn.graph.get<{ displayName: string }>(`/groups/${group.id}`);
    expect(got.displayName).toBe("G1");
    const tokenCall = server.log.find((r) => r.path.includes("/oauth2/v2.0/token"));
    expect(tokenCall).toBeDefined();
    expect(tokenCall!.body).toContain("client_assertion=");
    const graphCall = server.log.find((r) => r.path === `/v1.0/groups/${group.id}`)!;
    expect(graphCall.headers["authorization"]).toBe(`Bearer tok|${T}|https://graph.microsoft.com/.default`);
    expect(graphCall.headers["client-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("authenticates with a federated token file (OIDC in CI)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "m365b-oidc-"));
    fs.writeFileSync(path.join(dir, "token"), "eyJhbGciOiJSUzI1NiJ9.e30.sig");
    const oidc = connect({
      tenantId: T,
      primaryDomain: "contoso.onmicrosoft.com",
      credential: {
        kind: "workloadIdentity",
        clientId: "11111111-2222-3333-4444-555555555555",
        tokenFilePath: path.join(dir, "token"),
      },
      graphBaseUrl: server.url,
      authorityHost: server.url,
      caCertificatePem: server.caCertificatePem,
    });
    const before = server.log.length;
    expect(await oidc.graph.list("/groups")).toEqual([]);
    const token = server.log.slice(before).find((r) => r.path.includes("/oauth2/v2.0/token"))!;
    expect(decodeURIComponent(token.body)).toContain("client_assertion=eyJhbGciOiJSUzI1NiJ9.e30.sig");
    await oidc.close?.();
  });

  it("turns a credential failure into a 401 GraphRequestError that names what to check", async () => {
    const cli = connect({
      tenantId: T,
      primaryDomain: "contoso.onmicrosoft.com",
      credential: { kind: "azureCli" },
      graphBaseUrl: server.url,
      caCertificatePem: server.caCertificatePem,
    });
    const error = (await cli.graph.get("/groups").catch((e: unknown) => e)) as GraphRequestError;
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error.status).toBe(401);
    expect(error.code).toBe("CredentialUnavailableError");
    expect(error.message).toContain("could not get an access token");
    await cli.close?.();
  });

  it("rejects a server whose certificate is not trusted, with the fix in the message", async () => {
    const transport = new Transport({ requestTimeoutMs: 2000 });
    const cause = await transport
      .send(`${server.url}/v1.0/groups`, "GET", { "client-request-id": "tls-1" })
      .catch(() => transport.takeError("tls-1"));
    const error = errorFromTransport("GET", "/groups", cause);
    expect(error.code).toMatch(/SELF_SIGNED|CERT/);
    expect(error.message).toContain("caCertificateFile");
    await transport.close();
  });

  it("follows @odata.nextLink across pages and passes headers on every page", async () => {
    server.pageSize = 3;
    server.store.set(
      `${T}|/groups`,
      Array.from({ length: 10 }, (_, i) => ({ id: `g${i}`, displayName: `G${i}` })),
    );
    const before = server.log.length;
    const all = await conn.graph.list<{ id: string }>("/groups", { headers: { ConsistencyLevel: "eventual" } });
    expect(all.map((g) => g.id)).toEqual(Array.from({ length: 10 }, (_, i) => `g${i}`));
    const pages = server.log.slice(before).filter((r) => r.path.startsWith("/v1.0/groups"));
    expect(pages).toHaveLength(4);
    expect(pages.every((p) => p.headers["consistencylevel"] === "eventual")).toBe(true);
  });

  it("returns undefined from tryGet and resolves delete on 404", async () => {
    expect(await conn.graph.tryGet("/groups/nope")).toBeUndefined();
    await expect(conn.graph.delete("/groups/nope")).resolves.toBeUndefined();
  });

  it("maps a Graph error body to GraphRequestError with status, code, message, request-id, method and path", async () => {
    const error = await conn.graph.get("/groups/missing").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphRequestError);
    const e = error as GraphRequestError;
    expect(e.status).toBe(404);
    expect(e.code).toBe("Request_ResourceNotFound");
    expect(e.method).toBe("GET");
    expect(e.path).toBe("/groups/missing");
    expect(e.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.message).toContain("does not exist");
    expect(e.message).not.toContain("[object Object]");
  });

  it("lets the SDK RetryHandler retry 503 with Retry-After on reads", async () => {
    server.store.set(`${T}|/groups`, [{ id: "g1", displayName: "G1" }]);
    server.faults.push({ method: "GET", pathIncludes: "/groups/g1", status: 503, retryAfter: "0", count: 2 });
    const before = conn.requestCount!();
    expect(await conn.graph.get<{ id: string }>("/groups/g1")).toMatchObject({ id: "g1" });
    expect(conn.requestCount!() - before).toBe(3);
    const retried = server.log.filter((r) => r.path === "/v1.0/groups/g1");
    expect(retried.at(-1)!.headers["retry-attempt"]).toBe("2");
  });

  it("retries a GET after a connection reset and reports ECONNRESET when retries run out", async () => {
    server.store.set(`${T}|/groups`, [{ id: "g1" }]);
    server.faults.push({ method: "GET", pathIncludes: "/groups/g1", reset: true, count: 2 });
    expect(await conn.graph.get("/groups/g1")).toMatchObject({ id: "g1" });
    server.faults.push({ method: "GET", pathIncludes: "/groups/g1", reset: true, count: 100 });
    const error = (await conn.graph.get("/groups/g1").catch((e: unknown) => e)) as GraphRequestError;
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error.code).toBe("ECONNRESET");
    expect(error.status).toBe(0);
  });

  it("reports a timeout as ETIMEDOUT", async () => {
    server.store.set(`${T}|/groups`, [{ id: "g1" }]);
    const slow = await connectTo(server, T, {
      requestTimeoutMs: 150,
      transport: { retries: 0, initialDelayMs: 1, maxDelayMs: 1 },
    });
    server.faults.push({ method: "GET", pathIncludes: "/groups/g1", latencyMs: 2500, count: 1 });
    const error = (await slow.graph.get("/groups/g1").catch((e: unknown) => e)) as GraphRequestError;
    expect(error.code).toBe("ETIMEDOUT");
    await slow.close?.();
  });

  it("create-safety: after a lost response on POST it finds the object by natural key instead of creating it twice", async () => {
    server.faults.push({ method: "POST", pathIncludes: "/groups", reset: true, afterEffect: true, count: 1 });
    const g = await conn.graph.create<{ id: string; displayName: string }>(
      "/groups",
      { displayName: "Once" },
      { naturalKey: { collectionPath: "/groups", filter: "displayName eq 'Once'" } },
    );
    expect(g.displayName).toBe("Once");
    expect(server.store.get(`${T}|/groups`)!.filter((o) => o["displayName"] === "Once")).toHaveLength(1);
  });

  it("create-safety: a 504 before the effect leads to a look-up, then one new POST", async () => {
    server.faults.push({ method: "POST", pathIncludes: "/groups", status: 504, count: 1 });
    await conn.graph.create(
      "/groups",
      { displayName: "Twice?" },
      { naturalKey: { collectionPath: "/groups", filter: "displayName eq 'Twice?'" } },
    );
    expect(server.store.get(`${T}|/groups`)!.filter((o) => o["displayName"] === "Twice?")).toHaveLength(1);
    const posts = server.log.filter(
      (r) => r.method === "POST" && r.path === "/v1.0/groups" && r.body.includes("Twice?"),
    );
    expect(posts).toHaveLength(2);
  });

  it("does not re-send a create without a natural key after an ambiguous failure", async () => {
    server.faults.push({ method: "POST", pathIncludes: "/groups", status: 500, count: 1 });
    const error = (await conn.graph
      .create("/groups", { displayName: "NoKey" })
      .catch((e: unknown) => e)) as GraphRequestError;
    expect(error.status).toBe(500);
  });

  it("retries reads of an object it just created while the directory catches up", async () => {
    server.consistencyDelayMs = 300;
    try {
      const g = await conn.graph.create<{ id: string }>("/groups", { displayName: "Fresh" });
      expect(await conn.graph.get(`/groups/${g.id}`)).toMatchObject({ displayName: "Fresh" });
      expect(server.log.filter((r) => r.path === `/v1.0/groups/${g.id}` && r.status === 404).length).toBeGreaterThan(0);
    } finally {
      server.consistencyDelayMs = 0;
    }
  });

  it("treats the 404 after a lost DELETE response of a new object as done, without consistency waits", async () => {
    const slowConsistency = await connectTo(server, T, {
      transport: { retries: 3, initialDelayMs: 10, maxDelayMs: 10 },
      consistency: { retries: 5, initialDelayMs: 5000, maxDelayMs: 5000 },
    });
    const g = await slowConsistency.graph.create<{ id: string }>("/groups", { displayName: "Gone" });
    server.faults.push({ method: "DELETE", pathIncludes: `/groups/${g.id}`, reset: true, afterEffect: true, count: 1 });
    const started = Date.now();
    await slowConsistency.graph.delete(`/groups/${g.id}`);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(server.store.get(`${T}|/groups`)!.some((o) => o["id"] === g.id)).toBe(false);
    await slowConsistency.close?.();
  });

  it("does not retry a 404 on an object it did not create", async () => {
    const before = server.log.length;
    await conn.graph.tryGet("/groups/never-created-here");
    expect(server.log.slice(before).filter((r) => r.path.includes("never-created"))).toHaveLength(1);
  });

  it("retries service-principal creation on NoBackingApplicationObject", async () => {
    server.store.set(`${T}|/applications`, []);
    server.store.set(`${T}|/servicePrincipals`, []);
    server.consistencyDelayMs = 300;
    try {
      const app = await conn.graph.create<{ appId: string }>("/applications", { displayName: "Veeam" });
      const sp = await conn.graph.create<{ appId: string }>("/servicePrincipals", { appId: app.appId });
      expect(sp.appId).toBe(app.appId);
    } finally {
      server.consistencyDelayMs = 0;
    }
  });

  it("batches reads in groups of at most 20 and retries throttled items", async () => {
    server.store.set(
      `${T}|/groups`,
      Array.from({ length: 45 }, (_, i) => ({ id: `g${i}` })),
    );
    server.faults.push({ method: "BATCHITEM", pathIncludes: "/groups/g7", status: 429, retryAfter: "0", count: 2 });
    const before = server.log.length;
    const reads = Array.from({ length: 46 }, (_, i) => ({ id: `r${i}`, url: `/groups/g${i}` }));
    const results = await conn.graph.batch(reads);
    expect(results.size).toBe(46);
    expect(results.get("r7")).toMatchObject({ ok: true, body: { id: "g7" } });
    const missing = results.get("r45")!;
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.status).toBe(404);
    const batches = server.log.slice(before).filter((r) => r.path === "/v1.0/$batch");
    expect(batches.length).toBe(5);
    for (const b of batches)
      expect((JSON.parse(b.body) as { requests: unknown[] }).requests.length).toBeLessThanOrEqual(20);
  });

  it("puts and gets branding streams as raw bytes", async () => {
    const bytes = new Uint8Array([137, 80, 78, 71, 1, 2, 3]);
    await conn.graph.putStream("/organization/o1/branding/localizations/0/bannerLogo", bytes, "image/png");
    const put = server.log.filter((r) => r.method === "PUT").at(-1)!;
    expect(put.headers["content-type"]).toBe("image/png");
    expect(await conn.graph.getStream("/organization/o1/branding/localizations/0/bannerLogo")).toEqual(bytes);
    expect(await conn.graph.getStream("/organization/o1/branding/localizations/0/squareLogo")).toBeUndefined();
  });
});
