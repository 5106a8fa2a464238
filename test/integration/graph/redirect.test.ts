/**
 * A redirect never carries the bearer token off its origin or onto plain http: the SDK's RedirectHandler drops
 * `Authorization` when the response's URL and the Location differ in scheme or host (it needs `response.url`),
 * and the transport refuses to send a token over http at all.
 */
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectTo } from "../../support/graph-connect";
import { generatePem, startTestServer, type TestServer } from "../../support/graph-test-server";

const T = "0d7c1e52-8a3e-4d0b-9f0e-1c2d3e4f5a63";
let tokenServer: TestServer;
let redirector: https.Server;
let other: https.Server;
let plain: http.Server;
let redirectTo = "";
// Trust for both servers: the token server's CA and the certificate the redirecting servers share.
let trusted = "";
const seen: { server: string; authorization: string | undefined }[] = [];
const port = (s: http.Server | https.Server) => (s.address() as AddressInfo).port;
const listen = (s: http.Server | https.Server) => new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));

beforeAll(async () => {
  tokenServer = await startTestServer();
  const pem = await generatePem("m365b-redirect-test"); // its own subject: one CA bundle, two distinct issuers
  redirector = https.createServer({ key: pem.key, cert: pem.cert }, (req, res) => {
    seen.push({ server: "graph", authorization: req.headers.authorization });
    res.writeHead(302, { location: `${redirectTo}${req.url}` }).end();
  });
  other = https.createServer({ key: pem.key, cert: pem.cert }, (req, res) => {
    seen.push({ server: "other origin", authorization: req.headers.authorization });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ value: [] }));
  });
  plain = http.createServer((req, res) => {
    seen.push({ server: "plain http", authorization: req.headers.authorization });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ value: [] }));
  });
  await Promise.all([listen(redirector), listen(other), listen(plain)]);
  trusted = `${tokenServer.caCertificatePem}\n${pem.cert}`;
});
afterAll(async () => {
  await tokenServer.close();
  for (const s of [redirector, other, plain]) s.close();
});

const connection = () =>
  connectTo({ url: tokenServer.url, caCertificatePem: trusted }, T, undefined, {
    graphBaseUrl: `https://127.0.0.1:${port(redirector)}`,
  });

describe("redirects and the bearer token", () => {
  it("a redirect to another origin is followed without the token", async () => {
    seen.length = 0;
    // Another port is another origin (scheme, host and port).
    redirectTo = `https://127.0.0.1:${port(other)}`;
    const conn = await connection();
    await conn.graph.list("/groups");
    await conn.close?.();
    expect(seen.map((s) => s.server)).toEqual(["graph", "other origin"]);
    expect(seen[0]!.authorization).toMatch(/^Bearer /);
    expect(seen[1]!.authorization).toBeUndefined();
  });
  it("a redirect to plain http never reaches it with the token", async () => {
    seen.length = 0;
    redirectTo = `http://localhost:${port(plain)}`;
    const conn = await connection();
    await conn.graph.list("/groups").catch(() => undefined);
    await conn.close?.();
    expect(seen.filter((s) => s.server === "plain http" && s.authorization !== undefined)).toEqual([]);
    expect(seen[0]).toMatchObject({ server: "graph", authorization: expect.stringMatching(/^Bearer /) });
  });
});
