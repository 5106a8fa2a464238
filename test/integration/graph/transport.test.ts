import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { InternalError } from "../../../src/errors";
import { BufferedResponse, Transport } from "../../../src/graph/transport";
import { connectTo } from "../../support/graph-connect";
import { startTestServer, type TestServer } from "../../support/graph-test-server";

const T = "0d7c1e52-8a3e-4d0b-9f0e-1c2d3e4f5a62";
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await server.close();
});

describe("the transport at the end of the Graph SDK's middleware chain", () => {
  it("sends every Graph and S&C call without Node's global fetch", async () => {
    const fetchSpy = vi.fn(() => Promise.reject(new Error("global fetch must not be used")));
    vi.stubGlobal("fetch", fetchSpy);
    try {
      const conn = await connectTo(server, T);
      server.store.set(`${T}|/groups`, [{ id: "g1", displayName: "G1" }]);
      expect(await conn.graph.list<{ id: string }>("/groups")).toEqual([{ id: "g1", displayName: "G1" }]);
      expect(await conn.compliance.invoke("Get-ComplianceTag")).toEqual([{ Name: "Get-ComplianceTag" }]);
      await conn.close?.();
    } finally {
      vi.unstubAllGlobals();
    }
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("passes the SDK's headers (a Headers object too) and hands back status, headers and bytes of any response", async () => {
    const transport = new Transport({ caCertificatePem: server.caCertificatePem, requestTimeoutMs: 5000 });
    const context = {
      request: `${server.url}/not-graph`,
      options: { method: "GET", headers: new Headers({ "X-Probe": "42" }) },
    } as never as Parameters<Transport["execute"]>[0];
    await transport.execute(context);
    const response = context.response as unknown as BufferedResponse;
    expect(response).toBeInstanceOf(BufferedResponse);
    expect(response.status).toBe(501);
    expect(response.ok).toBe(false);
    expect(response.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("NotImplemented");
    expect(Buffer.from(await response.arrayBuffer()).equals(response.body())).toBe(true);
    expect(server.log.at(-1)!.headers["x-probe"]).toBe("42");
    expect(transport.requestCount()).toBe(1);
  });

  it("refuses a body type it would not send faithfully, before any request", async () => {
    const transport = new Transport({ caCertificatePem: server.caCertificatePem, requestTimeoutMs: 5000 });
    const context = {
      request: `${server.url}/v1.0/groups`,
      options: { method: "POST", body: new Blob(["x"]) },
    } as never as Parameters<Transport["execute"]>[0];
    await expect(transport.execute(context)).rejects.toBeInstanceOf(InternalError);
    expect(transport.requestCount()).toBe(0);
    // Through the client too: the SDK's wrapping does not turn it into a Graph or transport error.
    const conn = await connectTo(server, T);
    const before = server.log.length;
    await expect(conn.graph.patch("/groups/g1", new Blob(["x"]))).rejects.toBeInstanceOf(InternalError);
    expect(server.log.slice(before).filter((r) => r.path.startsWith("/v1.0/"))).toEqual([]);
    await conn.close?.();
  });

  it("keeps the real transport error of a failed request under its client-request-id", async () => {
    const transport = new Transport({ caCertificatePem: server.caCertificatePem, requestTimeoutMs: 5000 });
    server.faults.push({ pathIncludes: "/v1.0/reset-me", reset: true });
    await expect(
      transport.send(`${server.url}/v1.0/reset-me`, "GET", { "client-request-id": "r-1" }),
    ).rejects.toThrow();
    expect((transport.takeError("r-1") as { code?: string }).code).toMatch(/UND_ERR_SOCKET|ECONNRESET/);
    expect(transport.takeError("r-1")).toBeUndefined();
  });
});
