import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../../src/emulator";
import type { TenantConnection } from "../../../src/graph";
import { accessToken, CLIENT_ID, clientFor, CONTOSO, failure, raw, startTestEmulator } from "./harness";

const COMPLIANCE = "https://ps.compliance.protection.outlook.com/.default";
const GLOBAL_READER = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";
const COMPLIANCE_ADMINISTRATOR = "17315797-102d-40b4-93e0-432062caca18";

let emulator: RunningEmulator;
const clients: TenantConnection[] = [];
/** A new connection: a new token, which carries the grants as they are now. */
async function client(): Promise<TenantConnection> {
  const c = await clientFor(emulator);
  clients.push(c);
  return c;
}
beforeEach(async () => {
  emulator = await startTestEmulator();
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close?.();
  await emulator.close();
});

describe("application permissions", () => {
  it("a client without a service principal in the tenant is not checked (the tests' shortcut)", async () => {
    const token = await accessToken(emulator);
    const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
    expect(claims["roles"]).toBeUndefined();
    expect((await raw(emulator, "GET", "/v1.0/identity/conditionalAccess/policies", { token })).status).toBe(200);
  });

  it("after consent, tokens carry exactly the granted roles and Graph refuses the rest with its own error bodies", async () => {
    emulator.consent(CONTOSO.tenantId, CLIENT_ID, ["Group.Read.All"]);
    const token = await accessToken(emulator);
    const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
    expect(claims["roles"]).toEqual(["Group.Read.All"]);
    expect((await raw(emulator, "GET", "/v1.0/groups", { token })).status).toBe(200);
    const users = await raw(emulator, "GET", "/v1.0/users", { token });
    expect(users.status).toBe(403);
    expect(users.json().error).toMatchObject({
      code: "Authorization_RequestDenied",
      message: "Insufficient privileges to complete the operation.",
    });
    const policies = await raw(emulator, "GET", "/v1.0/identity/conditionalAccess/policies", { token });
    expect(policies.status).toBe(403);
    expect(policies.json().error.code).toBe("AccessDenied");
    // Reading a collection does not allow writing it.
    expect(
      (
        await raw(emulator, "POST", "/v1.0/groups", {
          token,
          body: { displayName: "x", mailEnabled: false, securityEnabled: true, mailNickname: "x" },
        })
      ).status,
    ).toBe(403);
    expect(emulator.tenant(CONTOSO.tenantId).collections.groups.some((g) => g["displayName"] === "x")).toBe(false);
  });

  it("a broader permission also allows the narrower read; ReadWrite allows reading", async () => {
    emulator.consent(CONTOSO.tenantId, CLIENT_ID, ["Directory.Read.All", "Policy.ReadWrite.ConditionalAccess"]);
    const graph = (await client()).graph;
    await expect(graph.list("/users")).resolves.toBeInstanceOf(Array);
    await expect(graph.list("/identity/conditionalAccess/policies")).resolves.toBeInstanceOf(Array);
    // Creating a CA policy needs Policy.Read.All too (Graph's known permissions issue).
    const error = await failure(
      graph.create("/identity/conditionalAccess/policies", {
        displayName: "p",
        state: "disabled",
        conditions: { users: { includeUsers: ["All"] }, applications: { includeApplications: ["All"] } },
        grantControls: { operator: "OR", builtInControls: ["mfa"] },
      }),
    );
    expect(error.status).toBe(403);
  });

  it("the client's errors name the missing permission and the fix, inside $batch too", async () => {
    emulator.consent(CONTOSO.tenantId, CLIENT_ID, ["Group.Read.All"]);
    const graph = (await client()).graph;
    const error = await failure(graph.list("/identity/conditionalAccess/policies"));
    expect(error.message).toContain("403 AccessDenied");
    expect(error.message).toContain(
      "the deploying app lacks the application permission Policy.Read.All (Microsoft Graph): grant it with admin consent in this tenant",
    );
    const results = await graph.batch([
      { id: "groups", url: "/groups" },
      { id: "scores", url: "/security/secureScores?$top=1" },
    ]);
    expect(results.get("groups")?.ok).toBe(true);
    const scores = results.get("scores")!;
    expect(scores.ok).toBe(false);
    expect(scores.ok ? "" : scores.error.message).toContain("SecurityEvents.Read.All");
  });

  it("S&C: 401 without Exchange.ManageAsApp, 403 (NUL body) without a directory role, Global Reader reads only", async () => {
    emulator.consent(CONTOSO.tenantId, CLIENT_ID, ["Policy.Read.All"]);
    const noAppRole = await failure((await client()).compliance.invoke("Get-ComplianceTag"));
    expect(noAppRole.status).toBe(401);
    expect(noAppRole.message).toContain("Exchange.ManageAsApp");

    emulator.consent(CONTOSO.tenantId, CLIENT_ID, ["Exchange.ManageAsApp"]);
    const token = await accessToken(emulator, CONTOSO.tenantId, COMPLIANCE);
    const anchor = {
      "x-anchormailbox": `UPN:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${CONTOSO.primaryDomain}`,
    };
    const bare = await raw(emulator, "POST", `/adminapi/beta/${CONTOSO.tenantId}/InvokeCommand`, {
      token,
      headers: anchor,
      body: { CmdletInput: { CmdletName: "Get-ComplianceTag" } },
    });
    expect(bare.status).toBe(403);
    expect([...bare.bytes].every((b) => b === 0)).toBe(true);
    expect((await failure((await client()).compliance.invoke("Get-ComplianceTag"))).message).toContain(
      "Compliance Administrator directory role",
    );

    emulator.consent(CONTOSO.tenantId, CLIENT_ID, [], [GLOBAL_READER]);
    const reader = (await client()).compliance;
    await expect(reader.invoke("Get-ComplianceTag")).resolves.toBeInstanceOf(Array);
    expect(
      (
        await failure(
          reader.invoke("New-ComplianceTag", {
            Name: "L1",
            RetentionAction: "Keep",
            RetentionDuration: 365,
            RetentionType: "CreationAgeInDays",
          }),
        )
      ).status,
    ).toBe(403);
    expect(emulator.tenant(CONTOSO.tenantId).compliance.ComplianceTag).toHaveLength(0);

    emulator.consent(CONTOSO.tenantId, CLIENT_ID, [], [COMPLIANCE_ADMINISTRATOR]);
    await expect(
      (await client()).compliance.invoke("New-ComplianceTag", {
        Name: "L1",
        RetentionAction: "Keep",
        RetentionDuration: 365,
        RetentionType: "CreationAgeInDays",
      }),
    ).resolves.toHaveLength(1);
  });

  it("consent refuses a permission no resource defines", () => {
    expect(() => emulator.consent(CONTOSO.tenantId, CLIENT_ID, ["Made.Up.All"])).toThrow(
      /no resource principal defines the app role Made.Up.All/,
    );
  });
});
