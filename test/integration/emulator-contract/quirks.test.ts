import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../../src/emulator";
import { GraphRequestError } from "../../../src/errors";
import type { TenantConnection } from "../../../src/graph";
import { bareTenant, clientFor, CONTOSO, FABRIKAM, raw, testEmulator } from "../../support/emulator";
import { generatePem } from "../../support/graph-test-server";

let emu: RunningEmulator;
let c: TenantConnection;
beforeAll(async () => {
  emu = await testEmulator({
    devTokens: true,
    tenants: [bareTenant(CONTOSO), bareTenant(FABRIKAM, { skus: ["SPB"] })],
  });
  c = await clientFor(emu);
});
afterAll(async () => {
  await c.close?.();
  await emu.close();
});

const caPolicy = (extra: Record<string, unknown> = {}) => ({
  displayName: `CA test ${Math.random()}`,
  state: "enabledForReportingButNotEnforced",
  conditions: {
    users: { includeUsers: ["All"] },
    applications: { includeApplications: ["All"] },
    clientAppTypes: ["all"],
  },
  grantControls: { operator: "OR", builtInControls: ["mfa"] },
  ...extra,
});
const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as GraphRequestError;
  }
  throw new Error("expected a failure");
};

describe("emulator: authentication", () => {
  it("rejects a client assertion signed by a key it does not know (AADSTS700027)", async () => {
    const other = await generatePem("intruder");
    const { connect } = await import("../../../src/graph");
    const intruder = connect(
      {
        tenantId: CONTOSO,
        primaryDomain: "contoso.onmicrosoft.com",
        credential: {
          kind: "certificate",
          clientId: "0f1e2d3c-4b5a-4697-8887-766554433221",
          certificatePem: `${other.key}\n${other.cert}`,
        },
        graphBaseUrl: emu.url,
        authorityHost: emu.url,
        complianceBaseUrl: emu.url,
        caCertificatePem: emu.caCertificatePem,
      },
      { sdkMaxRetries: 0 },
    );
    const e = await failure(intruder.graph.get("/organization"));
    expect(e.message).toMatch(/AADSTS700027|invalid signature/);
    await intruder.close?.();
  });
  it("answers Graph without a token with 401 InvalidAuthenticationToken", async () => {
    const r = await raw(emu, "GET", "/v1.0/organization");
    expect(r.status).toBe(401);
    expect(r.json().error.code).toBe("InvalidAuthenticationToken");
    expect(r.json().error.innerError).toMatchObject({ "request-id": expect.any(String), date: expect.any(String) });
  });
  it("answers an unknown route with 501 naming it", async () => {
    const r = await raw(emu, "GET", "/beta/whatever");
    expect(r.status).toBe(501);
    expect(r.json().error.message).toContain("GET /beta/whatever");
  });
});

describe("emulator: conditional access quirks", () => {
  it("creates (201) and reads a report-only policy", async () => {
    const p = await c.graph.create<{ id: string; state: string }>("/identity/conditionalAccess/policies", caPolicy());
    expect(p.state).toBe("enabledForReportingButNotEnforced");
    expect((await c.graph.get<{ id: string }>(`/identity/conditionalAccess/policies/${p.id}`)).id).toBe(p.id);
  });
  it("refuses an enabled policy while security defaults are on (400)", async () => {
    const e = await failure(c.graph.create("/identity/conditionalAccess/policies", caPolicy({ state: "enabled" })));
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/Security Defaults is enabled/);
  });
  it("turning security defaults off lets enabled policies in and adds Microsoft-managed policies", async () => {
    await c.graph.patch("/policies/identitySecurityDefaultsEnforcementPolicy", { isEnabled: false });
    await c.graph.create("/identity/conditionalAccess/policies", caPolicy({ state: "enabled" }));
    const all = await c.graph.list<{ displayName: string }>("/identity/conditionalAccess/policies");
    expect(all.some((p) => p.displayName.startsWith("Microsoft-managed:"))).toBe(true);
  });
  it("refuses risk conditions without P2 (1039) and unknown named locations (1040)", async () => {
    const f = await clientFor(emu, FABRIKAM);
    const e = await failure(
      f.graph.create(
        "/identity/conditionalAccess/policies",
        caPolicy({
          conditions: {
            users: { includeUsers: ["All"] },
            applications: { includeApplications: ["All"] },
            clientAppTypes: ["all"],
            signInRiskLevels: ["high"],
          },
        }),
      ),
    );
    expect(e.message).toMatch(/1039: The tenant does not have the premium P2 license/);
    const l = await failure(
      c.graph.create(
        "/identity/conditionalAccess/policies",
        caPolicy({
          conditions: {
            users: { includeUsers: ["All"] },
            applications: { includeApplications: ["All"] },
            clientAppTypes: ["all"],
            locations: { includeLocations: ["00000000-1111-2222-3333-444444444444"] },
          },
        }),
      ),
    );
    expect(l.message).toMatch(/1040: Invalid location ids/);
    await f.close?.();
  });
  it("refuses an IP range the schema does not allow (no cidrAddress, or the abstract ipRange type)", async () => {
    const location = (ipRanges: unknown[]) =>
      c.graph.create<{ id: string }>("/identity/conditionalAccess/namedLocations", {
        "@odata.type": "#microsoft.graph.ipNamedLocation",
        displayName: `Ranges ${ipRanges.length}`,
        isTrusted: false,
        ipRanges,
      });
    const v4 = { "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "198.51.100.0/24" };
    for (const bad of [{ "@odata.type": "#microsoft.graph.iPv4CidrRange" }, { cidrAddress: "198.51.100.0/24" }])
      expect((await failure(location([v4, bad]))).message).toMatch(
        /ipRanges\[1\] must be an #microsoft\.graph\.iPv4CidrRange/,
      );
    expect((await location([v4]))["id"]).toBeDefined();
  });
  it("PATCH replaces complex properties instead of merging them", async () => {
    const p = await c.graph.create<{ id: string }>(
      "/identity/conditionalAccess/policies",
      caPolicy({
        conditions: {
          users: { includeUsers: ["All"], excludeUsers: ["a"] },
          applications: { includeApplications: ["All"] },
          clientAppTypes: ["all"],
        },
      }),
    );
    await c.graph.patch(`/identity/conditionalAccess/policies/${p.id}`, {
      conditions: {
        users: { includeUsers: ["All"] },
        applications: { includeApplications: ["All"] },
        clientAppTypes: ["all"],
      },
    });
    const after = await c.graph.get<{ conditions: { users: Record<string, unknown> } }>(
      `/identity/conditionalAccess/policies/${p.id}`,
    );
    expect(after.conditions.users).toEqual({ includeUsers: ["All"] });
  });
  it("soft-deletes policies into deletedItems", async () => {
    const p = await c.graph.create<{ id: string }>("/identity/conditionalAccess/policies", caPolicy());
    await c.graph.delete(`/identity/conditionalAccess/policies/${p.id}`);
    const deleted = await c.graph.list<{ id: string }>("/identity/conditionalAccess/deletedItems/policies");
    expect(deleted.map((d) => d.id)).toContain(p.id);
  });
  it("paces CA at 1 request/s per tenant with a 429 that has no Retry-After; the client keeps ≥ 1 s between its CA calls", async () => {
    emu.setOptions({ conditionalAccessIntervalMs: 1000 });
    const token = (await raw(emu, "POST", "/_emulator/token", { body: JSON.stringify({ tenantId: CONTOSO }) })).json()
      .access_token as string;
    const get = () =>
      raw(emu, "GET", "/v1.0/identity/conditionalAccess/namedLocations", {
        headers: { authorization: `Bearer ${token}` },
      });
    const [a, b] = [await get(), await get()];
    expect(a.status).toBe(200);
    expect(b.status).toBe(429);
    expect(b.headers["retry-after"]).toBeUndefined();
    expect(b.json().error.code).toBe("TooManyRequests");
    emu.clearLog();
    for (let i = 0; i < 3; i++) await c.graph.list("/identity/conditionalAccess/namedLocations");
    const times = emu
      .requestLog()
      .filter((l) => l.route === "conditionalAccess.namedLocations" && l.status === 200)
      .map((l) => l.time);
    expect(times).toHaveLength(3);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(990);
    emu.setOptions({ conditionalAccessIntervalMs: 0 });
  });
});

describe("emulator: directory, applications and consent", () => {
  it("filters with eq, startswith and in; pages with absolute nextLinks", async () => {
    for (let i = 0; i < 5; i++)
      await c.graph.create("/groups", {
        displayName: `Team ${i}`,
        mailEnabled: false,
        securityEnabled: true,
        mailNickname: `team${i}`,
      });
    expect(
      (await c.graph.list<{ displayName: string }>("/groups?$filter=startswith(displayName,'Team ')")).length,
    ).toBe(5);
    expect((await c.graph.list("/groups?$filter=displayName in ('Team 1','Team 3')")).length).toBe(2);
    emu.setOptions({ pageSize: 2 });
    // Inside $batch a collection pages too: the client reads on from the nextLink, except under $top (which
    // still gets a nextLink when more remain, as Graph sends one).
    const r = await c.graph.batch([
      { id: "all", url: "/groups?$filter=startswith(displayName,'Team ')" },
      { id: "top", url: "/groups?$filter=startswith(displayName,'Team ')&$top=2" },
    ]);
    const body = (id: string) => {
      const result = r.get(id);
      return (result?.ok ? result.body : {}) as { value: unknown[]; "@odata.nextLink"?: string };
    };
    expect([body("all").value.length, body("all")["@odata.nextLink"]]).toEqual([5, undefined]);
    expect(body("top").value).toHaveLength(2);
    expect(body("top")["@odata.nextLink"]).toMatch(/^https:\/\/localhost:\d+\/v1\.0\/groups\?.*%24skiptoken=2/);
    expect((await c.graph.list("/groups?$filter=startswith(displayName,'Team ')")).length).toBe(5);
    emu.setOptions({ pageSize: 100 });
  });
  it("refuses a $batch of more than 20 requests", async () => {
    const token = (
      await raw(emu, "POST", `/${CONTOSO}/oauth2/v2.0/token`, { body: "grant_type=client_credentials&client_id=x" })
    ).json();
    expect(token.error).toBe("invalid_client");
    const e = await failure(
      c.graph.post("/$batch", {
        requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: "GET", url: "/organization" })),
      }),
    );
    expect(e.status).toBe(400);
  });
  it("creates an app with a certificate, answers NoBackingApplicationObject while it replicates, then consents by app role", async () => {
    emu.setOptions({ consistencyDelayMs: 300 });
    const pem = await generatePem("backup");
    const key = pem.cert.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
    const app = await c.graph.create<{ appId: string; keyCredentials: { type: string }[] }>("/applications", {
      displayName: "Backup",
      keyCredentials: [{ type: "AsymmetricX509Cert", usage: "Verify", key }],
    });
    expect(app.keyCredentials[0]!.type).toBe("AsymmetricX509Cert");
    const r = await raw(emu, "POST", "/v1.0/servicePrincipals", { headers: { authorization: "Bearer invalid" } });
    expect(r.status).toBe(401);
    // The client retries NoBackingApplicationObject until the app is visible.
    const sp = await c.graph.create<{ id: string }>("/servicePrincipals", { appId: app.appId });
    const log = emu.requestLog().filter((l) => l.route === "servicePrincipals" && l.method === "POST");
    expect(log.some((l) => l.status === 400)).toBe(true);
    emu.setOptions({ consistencyDelayMs: 0 });
    const graphSp = await c.graph.get<{ id: string; appRoles: { id: string; value: string }[] }>(
      "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')",
    );
    const role = graphSp.appRoles.find((x) => x.value === "Directory.Read.All")!;
    expect(role.id).toBe("7ab1d382-f21e-4acd-a863-ba3e13f7da61");
    await c.graph.post(`/servicePrincipals/${graphSp.id}/appRoleAssignedTo`, {
      principalId: sp.id,
      resourceId: graphSp.id,
      appRoleId: role.id,
    });
    const dup = await failure(
      c.graph.post(`/servicePrincipals/${graphSp.id}/appRoleAssignedTo`, {
        principalId: sp.id,
        resourceId: graphSp.id,
        appRoleId: role.id,
      }),
    );
    expect(dup.message).toMatch(/already exists/);
  });
});

describe("emulator: branding", () => {
  it("is 404 until default branding exists, created by POST localizations without id", async () => {
    const org = `/organization/${CONTOSO}/branding`;
    expect(await c.graph.tryGet(org, { headers: { "Accept-Language": "0" } })).toBeUndefined();
    await c.graph.post(`${org}/localizations`, { signInPageText: "hi" }, { headers: { "Accept-Language": "0" } });
    expect(await c.graph.get<{ signInPageText: string }>(org, { headers: { "Accept-Language": "0" } })).toMatchObject({
      id: "0",
      signInPageText: "hi",
    });
  });
  it("enforces image limits on streams and keeps images until removed", async () => {
    const { readFileSync } = await import("node:fs");
    const org = `/organization/${CONTOSO}/branding`;
    const square = readFileSync("baselines/assets/square-logo.png");
    const e = await failure(c.graph.putStream(`${org}/localizations/0/bannerLogo`, square, "image/png"));
    expect(e.message).toMatch(/240x240 pixels; the maximum is 245x36/);
    await c.graph.putStream(`${org}/localizations/0/squareLogo`, square, "image/png");
    expect(Buffer.from((await c.graph.getStream(`${org}/localizations/0/squareLogo`))!)).toEqual(square);
    expect(await c.graph.getStream(`${org}/localizations/0/favicon`)).toBeUndefined();
    const blocked = await failure(c.graph.delete(org, { headers: { "Accept-Language": "0" } }));
    expect(blocked.message).toMatch(/must first be removed/);
  });
});

describe("emulator: Security & Compliance", () => {
  it("runs retention cmdlets with the service's rules and error shape", async () => {
    await c.compliance.invoke("New-ComplianceTag", {
      Name: "Keep 1y",
      RetentionAction: "Keep",
      RetentionDuration: 365,
      RetentionType: "CreationAgeInDays",
    });
    await c.compliance.invoke("New-RetentionCompliancePolicy", { Name: "P", ExchangeLocation: ["All"] });
    // The PublishComplianceTag parameter set has no -Name and no -RetentionDuration; the service names the rule.
    for (const extra of [{ Name: "P rule" }, { RetentionDuration: 365 }, { ApplyComplianceTag: "Keep 1y" }]) {
      const refused = await failure(
        c.compliance.invoke("New-RetentionComplianceRule", {
          Policy: "P",
          PublishComplianceTag: ["Keep 1y"],
          ...extra,
        }),
      );
      expect(refused.message).toMatch(/Parameter set cannot be resolved/);
    }
    const [made] = await c.compliance.invoke("New-RetentionComplianceRule", {
      Policy: "P",
      PublishComplianceTag: ["Keep 1y"],
    });
    expect(String(made!["Name"])).toMatch(/^ctptr-[0-9a-f-]{36}$/);
    const [label] = await c.compliance.invoke("Get-ComplianceTag", { Identity: "Keep 1y" });
    expect([made!["PublishComplianceTag"], label!["RetentionDuration"]]).toEqual([
      [`${label!["Guid"]},Keep 1y`],
      "365",
    ]);
    expect(await c.compliance.invoke("Get-RetentionComplianceRule", { Policy: "P" })).toHaveLength(1);
    expect(await c.compliance.invoke("Get-RetentionComplianceRule", { Policy: "Q" })).toEqual([]);
    const second = await failure(
      c.compliance.invoke("New-RetentionComplianceRule", { Name: "P 2", Policy: "P", RetentionDuration: 30 }),
    );
    expect(second.message).toMatch(/already has a rule/);
    const e = await failure(c.compliance.invoke("Remove-ComplianceTag", { Identity: "Keep 1y" }));
    expect(e.message).toMatch(/can't be removed because it's published by policy 'P'/);
    const mixed = await failure(
      c.compliance.invoke("New-RetentionCompliancePolicy", {
        Name: "Q",
        ExchangeLocation: ["All"],
        TeamsChatLocation: ["All"],
      }),
    );
    expect(mixed.message).toMatch(/Teams locations can't be combined/);
    const immutable = await failure(
      c.compliance.invoke("Set-ComplianceTag", { Identity: "Keep 1y", RetentionType: "ModificationAgeInDays" }),
    );
    expect(immutable.message).toMatch(/can't be changed after the label is created/);
  });
  it("requires the anchor mailbox header", async () => {
    const r = await raw(emu, "POST", `/adminapi/beta/${CONTOSO}/InvokeCommand`, { body: "{}" });
    expect(r.status).toBe(401);
  });
});
