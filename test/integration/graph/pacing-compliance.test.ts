import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GraphRequestError } from "../../../src/errors";
import { connectTo, FAST } from "../../support/graph-connect";
import { startTestServer, type TestServer } from "../../support/graph-test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const tenant = (i: number): string => `00000000-0000-4000-8000-00000000000${i}`;

describe("conditional-access pacing", () => {
  it("keeps CA calls ≥ 1 s apart per tenant while 5 tenants and 2 clients per tenant run in parallel", async () => {
    const tenants = [1, 2, 3, 4, 5].map(tenant);
    for (const t of tenants) server.store.set(`${t}|/identity/conditionalAccess/policies`, []);
    const start = server.log.length;
    await Promise.all(
      tenants.flatMap((t) =>
        [0, 1].map(async (c) => {
          const conn = await connectTo(server, t);
          for (let i = 0; i < 2; i++) {
            await conn.graph.create("/identity/conditionalAccess/policies", {
              displayName: `CA${c}-${i}`,
              state: "disabled",
            });
          }
          await conn.graph.list("/identity/conditionalAccess/policies");
          await conn.close?.();
        }),
      ),
    );
    const ca = server.log.slice(start).filter((r) => r.path.includes("/identity/conditionalAccess/"));
    expect(ca.filter((r) => r.status === 429)).toHaveLength(0);
    for (const t of tenants) {
      const times = ca.filter((r) => r.tenantId === t).map((r) => r.time);
      expect(times).toHaveLength(6);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000);
      expect(server.store.get(`${t}|/identity/conditionalAccess/policies`)).toHaveLength(4);
    }
  });

  it("backs off ≥ 1 s after a CA 429 without Retry-After and retries", async () => {
    const t = tenant(6);
    server.store.set(`${t}|/identity/conditionalAccess/namedLocations`, [{ id: "n1" }]);
    server.faults.push({ method: "GET", pathIncludes: "/namedLocations/n1", status: 429, count: 1 });
    const conn = await connectTo(server, t);
    const start = server.log.length;
    await conn.graph.get("/identity/conditionalAccess/namedLocations/n1");
    const calls = server.log.slice(start).filter((r) => r.path.includes("namedLocations"));
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1]!.time - calls[0]!.time).toBeGreaterThanOrEqual(1000);
  });
});

describe("Security & Compliance client", () => {
  it("posts InvokeCommand with the compliance token, the system-mailbox anchor, and follows the regional redirect once", async () => {
    const t = tenant(7);
    server.complianceRedirect = true;
    server.compliance = (cmdlet, params) => [200, { value: [{ Name: String(params["Identity"] ?? "p1"), cmdlet }] }];
    const conn = await connectTo(server, t);
    const start = server.log.length;
    const first = await conn.compliance.invoke<{ Name: string }>("Get-RetentionCompliancePolicy", {
      Identity: "Keep 7y",
    });
    await conn.compliance.invoke("Get-ComplianceTag");
    expect(first).toEqual([{ Name: "Keep 7y", cmdlet: "Get-RetentionCompliancePolicy" }]);
    const calls = server.log.slice(start).filter((r) => r.path.includes("InvokeCommand"));
    expect(calls.map((c) => [c.status, c.path.startsWith("/region")])).toEqual([
      [302, false],
      [200, true],
      [200, true],
    ]);
    expect(calls[1]!.headers["x-anchormailbox"]).toBe(
      "UPN:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@contoso.onmicrosoft.com",
    );
    expect(calls[1]!.headers["authorization"]).toBe(
      `Bearer tok|${t}|https://ps.compliance.protection.outlook.com/.default`,
    );
    expect(JSON.parse(calls[1]!.body)).toEqual({
      CmdletInput: { CmdletName: "Get-RetentionCompliancePolicy", Parameters: { Identity: "Keep 7y" } },
    });
    server.complianceRedirect = false;
  });

  it("re-posts to @odata.nextLink and concatenates pages", async () => {
    const t = tenant(8);
    let call = 0;
    server.compliance = () => {
      call++;
      return call === 1
        ? [
            200,
            {
              value: [{ Name: "a" }],
              "@odata.nextLink": `${server.url}/adminapi/beta/${t}/InvokeCommand?$skiptoken=1`,
            },
          ]
        : [200, { value: [{ Name: "b" }] }];
    };
    const conn = await connectTo(server, t);
    expect(await conn.compliance.invoke("Get-ComplianceTag")).toEqual([{ Name: "a" }, { Name: "b" }]);
  });

  it("unwraps the real message from the inner exception", async () => {
    const t = tenant(9);
    server.compliance = () => [
      400,
      {
        error: {
          code: "BadRequest",
          message: "Invalid Operation",
          innererror: {
            internalexception: {
              message:
                "Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object 'X' couldn't be found.",
            },
          },
        },
      },
    ];
    const conn = await connectTo(server, t);
    const error = (await conn.compliance
      .invoke("Get-RetentionCompliancePolicy", { Identity: "X" })
      .catch((e: unknown) => e)) as GraphRequestError;
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error.code).toBe("ManagementObjectNotFoundException");
    expect(error.message).toContain("object 'X' couldn't be found");
    expect(error.message).not.toContain("Invalid Operation");
  });

  it("explains a 403 with a NUL body", async () => {
    server.compliance = () => [403, "\u0000\u0000\u0000"];
    const conn = await connectTo(server, tenant(5));
    const error = (await conn.compliance.invoke("Get-ComplianceTag").catch((e: unknown) => e)) as GraphRequestError;
    expect(error.status).toBe(403);
    expect(error.message).toContain("Compliance Administrator");
  });

  it("after a lost response to New-*, finds the object with Get-* instead of creating it twice", async () => {
    const created: string[] = [];
    server.compliance = (cmdlet, params) => {
      if (cmdlet.startsWith("New-")) {
        created.push(String(params["Name"]));
        return [200, { value: [{ Name: params["Name"] }] }];
      }
      return created.includes(String(params["Identity"]))
        ? [200, { value: [{ Name: params["Identity"] }] }]
        : [404, { error: { code: "NotFound", message: "not found" } }];
    };
    server.faults.push({ method: "POST", pathIncludes: "InvokeCommand", reset: true, afterEffect: true, count: 1 });
    const conn = await connectTo(server, tenant(4), FAST);
    expect(await conn.compliance.invoke("New-ComplianceTag", { Name: "Keep 7y" })).toEqual([{ Name: "Keep 7y" }]);
    expect(created).toEqual(["Keep 7y"]);
  });
});
