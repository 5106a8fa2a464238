/**
 * Directory objects and tenant policies through the real client: applications and service principals
 * (appId addressing, certificates, consent), directory roles, groups and members, users, licences,
 * Secure Score, the policy singletons and conditional access's objects and write rules.
 */
import { describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../../src/emulator";
import type { TenantConnection } from "../../../src/graph";
import { generatePem } from "../../support/graph-test-server";
import { clientFor, CONTOSO, FABRIKAM, failure, useTestEmulator } from "./harness";

let emulator: RunningEmulator;
let client: TenantConnection;
useTestEmulator(
  {
    behaviour: { conditionalAccessIntervalMs: 0 },
    tenants: [
      { ...CONTOSO, users: [{ userPrincipalName: "alex@contoso.onmicrosoft.com", displayName: "Alex" }] },
      FABRIKAM,
    ],
  },
  (e, c) => {
    emulator = e;
    client = c;
  },
);

const GRAPH = "00000003-0000-0000-c000-000000000000";
type Json = Record<string, unknown>;

describe("resource service principals", () => {
  it("every tenant has Microsoft Graph, Exchange Online and SharePoint with their real app-role ids", async () => {
    const graph = await client.graph.get<Json>(`/servicePrincipals(appId='${GRAPH}')?$select=id,appRoles`);
    const roles = new Map((graph["appRoles"] as Json[]).map((r) => [r["value"], r["id"]]));
    expect(
      Object.fromEntries(
        [
          "Directory.Read.All",
          "Policy.Read.All",
          "Policy.ReadWrite.ConditionalAccess",
          "Organization.ReadWrite.All",
          "Application.ReadWrite.All",
          "AppRoleAssignment.ReadWrite.All",
          "Group.ReadWrite.All",
          "SecurityEvents.Read.All",
          "RoleManagement.ReadWrite.Directory",
          "Sites.Read.All",
          "TeamSettings.ReadWrite.All",
          "ChannelMessage.Read.All",
          "ChannelMember.ReadWrite.All",
        ].map((v) => [v, roles.get(v)]),
      ),
    ).toEqual({
      "Directory.Read.All": "7ab1d382-f21e-4acd-a863-ba3e13f7da61",
      "Policy.Read.All": "246dd0d5-5bd0-4def-940b-0421030a5b68",
      "Policy.ReadWrite.ConditionalAccess": "01c0a623-fc9b-48e9-b794-0756f8e8f067",
      "Organization.ReadWrite.All": "292d869f-3427-49a8-9dab-8c70152b74e9",
      "Application.ReadWrite.All": "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9",
      "AppRoleAssignment.ReadWrite.All": "06b708a9-e830-4db3-a914-8e69da51d44f",
      "Group.ReadWrite.All": "62a82d76-70ea-41e2-9197-370581804d09",
      "SecurityEvents.Read.All": "bf394140-e372-4bf9-a898-299cfc7564e5",
      "RoleManagement.ReadWrite.Directory": "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8",
      "Sites.Read.All": "332a536c-c7ef-4017-ab91-336970924f0d",
      "TeamSettings.ReadWrite.All": "bdd80a03-d9bc-451d-b7c4-ce7c63fe3c8f",
      "ChannelMessage.Read.All": "7b2449af-6ccd-4f4d-9f78-e550c193f0d1",
      "ChannelMember.ReadWrite.All": "35930dcf-aceb-4bd1-b99a-8ffed403c974",
    });
    const exchange = (
      await client.graph.list<Json>("/servicePrincipals?$filter=appId eq '00000002-0000-0ff1-ce00-000000000000'")
    )[0]!;
    expect((exchange["appRoles"] as Json[]).find((r) => r["value"] === "Exchange.ManageAsApp")?.["id"]).toBe(
      "dc50a0fb-09a3-484d-be87-e023b12c6440",
    );
    expect((exchange["appRoles"] as Json[]).find((r) => r["value"] === "full_access_as_app")?.["id"]).toBe(
      "dc890d15-9560-4a4c-9b7f-a736ec74ec40",
    );
    const sharepoint = await client.graph.get<Json>("/servicePrincipals(appId='00000003-0000-0ff1-ce00-000000000000')");
    expect((sharepoint["appRoles"] as Json[]).find((r) => r["value"] === "Sites.FullControl.All")?.["id"]).toBe(
      "678536fe-1083-478a-9c59-b99265e6b0d3",
    );
  });
});

describe("applications, service principals and consent", () => {
  it("creates an application with a certificate, addresses it by appId, keeps passwordCredentials empty and read-only", async () => {
    const pem = await generatePem("veeam-backup");
    const key = pem.cert.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
    const app = await client.graph.create<Json>("/applications", {
      displayName: "Veeam Backup",
      keyCredentials: [{ type: "AsymmetricX509Cert", usage: "Verify", key }],
    });
    expect(app).toMatchObject({
      id: expect.any(String),
      appId: expect.any(String),
      createdDateTime: expect.any(String),
      passwordCredentials: [],
    });
    expect(app["id"]).not.toBe(app["appId"]);
    expect((await client.graph.get<Json>(`/applications(appId='${app["appId"]}')`))["id"]).toBe(app["id"]);
    expect(
      (
        await failure(
          client.graph.patch(`/applications/${app["id"]}`, { passwordCredentials: [{ displayName: "secret" }] }),
        )
      ).status,
    ).toBe(400);
    const bad = await failure(
      client.graph.create("/applications", {
        displayName: "Broken",
        keyCredentials: [{ type: "AsymmetricX509Cert", usage: "Verify", key: "bm90IGEgY2VydA==" }],
      }),
    );
    expect(bad.status).toBe(400);
  });

  it("consents app roles on the resource principal, lists them both ways and removes one", async () => {
    const app = await client.graph.create<Json>("/applications", { displayName: "Consent app" });
    const sp = await client.graph.create<Json>("/servicePrincipals", { appId: app["appId"] });
    const again = await failure(client.graph.create("/servicePrincipals", { appId: app["appId"] }));
    expect(again.status).toBe(400);
    const graph = await client.graph.get<Json>(`/servicePrincipals(appId='${GRAPH}')`);
    const assignment = await client.graph.post<Json>(`/servicePrincipals/${graph["id"]}/appRoleAssignedTo`, {
      principalId: sp["id"],
      resourceId: graph["id"],
      appRoleId: "246dd0d5-5bd0-4def-940b-0421030a5b68",
    });
    expect(assignment).toMatchObject({
      appRoleId: "246dd0d5-5bd0-4def-940b-0421030a5b68",
      principalId: sp["id"],
      resourceId: graph["id"],
      principalType: "ServicePrincipal",
      resourceDisplayName: "Microsoft Graph",
    });
    const unknownRole = await failure(
      client.graph.post(`/servicePrincipals/${graph["id"]}/appRoleAssignedTo`, {
        principalId: sp["id"],
        resourceId: graph["id"],
        appRoleId: "00000000-0000-0000-0000-000000000001",
      }),
    );
    expect(unknownRole.message).toMatch(/not found on application/);
    expect(
      (await client.graph.list<Json>(`/servicePrincipals/${sp["id"]}/appRoleAssignments`)).map((a) => a["id"]),
    ).toEqual([assignment["id"]]);
    expect(
      (await client.graph.list<Json>(`/servicePrincipals/${graph["id"]}/appRoleAssignedTo`)).map((a) => a["id"]),
    ).toContain(assignment["id"]);
    await client.graph.delete(`/servicePrincipals/${graph["id"]}/appRoleAssignedTo/${assignment["id"]}`);
    expect(await client.graph.list(`/servicePrincipals/${sp["id"]}/appRoleAssignments`)).toEqual([]);
  });

  it("a service principal for an appId with no application is NoBackingApplicationObject", async () => {
    const e = await failure(
      clientFor(emulator, FABRIKAM, { consistency: { retries: 0, initialDelayMs: 1, maxDelayMs: 1 } }).then((c) =>
        c.graph.create("/servicePrincipals", { appId: "12345678-1234-1234-1234-123456789012" }),
      ),
    );
    expect(e.status).toBe(400);
    expect(e.detailCodes).toContain("NoBackingApplicationObject");
  });

  it("assigns, filters and removes directory roles", async () => {
    const app = await client.graph.create<Json>("/applications", { displayName: "Role app" });
    const sp = await client.graph.create<Json>("/servicePrincipals", { appId: app["appId"] });
    const assignment = await client.graph.create<Json>("/roleManagement/directory/roleAssignments", {
      principalId: sp["id"],
      roleDefinitionId: "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
      directoryScopeId: "/",
    });
    const filtered = await client.graph.list<Json>(
      `/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${sp["id"]}'`)}`,
    );
    expect(filtered.map((a) => a["roleDefinitionId"])).toEqual(["f2ef992c-3afb-46b9-b7cf-a126ee74c451"]);
    await client.graph.delete(`/roleManagement/directory/roleAssignments/${assignment["id"]}`);
    expect(
      await client.graph.list(
        `/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${sp["id"]}'`)}`,
      ),
    ).toEqual([]);
  });
});

describe("groups, users, licences, Secure Score", () => {
  it("adds a member by @odata.id reference once and lists it", async () => {
    const user = await client.graph.get<Json>("/users/alex@contoso.onmicrosoft.com");
    expect(user).toMatchObject({ displayName: "Alex", userPrincipalName: "alex@contoso.onmicrosoft.com" });
    expect((await client.graph.get<Json>(`/users/${user["id"]}`))["id"]).toBe(user["id"]);
    const group = await client.graph.create<Json>("/groups", {
      displayName: "Break glass",
      mailEnabled: false,
      securityEnabled: true,
      mailNickname: "breakglass",
    });
    await client.graph.post(`/groups/${group["id"]}/members/$ref`, {
      "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${user["id"]}`,
    });
    const twice = await failure(
      client.graph.post(`/groups/${group["id"]}/members/$ref`, {
        "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${user["id"]}`,
      }),
    );
    expect(twice.message).toMatch(/already exist/);
    expect((await client.graph.list<Json>(`/groups/${group["id"]}/members`)).map((m) => m["id"])).toEqual([user["id"]]);
    const missing = await failure(
      client.graph.create("/groups", { displayName: "No nickname", mailEnabled: false, securityEnabled: true }),
    );
    expect(missing.status).toBe(400);
  });

  it("subscribedSkus carry service plans with Microsoft's ids; P2 only where licensed", async () => {
    const plans = (skus: Json[]) => skus.flatMap((s) => (s["servicePlans"] as Json[]).map((p) => p["servicePlanId"]));
    expect(plans(await client.graph.list<Json>("/subscribedSkus"))).toEqual(
      expect.arrayContaining(["41781fb2-bc02-4b7c-bd55-b576c07bb09d", "eec0eb4f-6444-4f95-aba0-50c24d67f998"]),
    );
    const fabrikam = await clientFor(emulator, FABRIKAM);
    expect(plans(await fabrikam.graph.list<Json>("/subscribedSkus"))).not.toContain(
      "eec0eb4f-6444-4f95-aba0-50c24d67f998",
    );
    await fabrikam.close?.();
  });

  it("Secure Score: $top=1 gives the newest snapshot; control profiles list the controls", async () => {
    const latest = await client.graph.get<{ value: Json[] }>("/security/secureScores?$top=1");
    expect(latest.value).toHaveLength(1);
    expect(latest.value[0]).toMatchObject({
      azureTenantId: CONTOSO.tenantId,
      currentScore: expect.any(Number),
      maxScore: expect.any(Number),
    });
    const profiles = await client.graph.list<Json>("/security/secureScoreControlProfiles");
    expect(profiles.map((p) => p["id"])).toEqual(expect.arrayContaining(["AdminMFAV2", "BlockLegacyAuthentication"]));
  });
});

describe("policy singletons", () => {
  it("authorizationPolicy is the v1.0 singleton; PATCH answers 204 and is read back", async () => {
    const policy = await client.graph.get<Json>("/policies/authorizationPolicy");
    expect(policy).toMatchObject({
      id: "authorizationPolicy",
      defaultUserRolePermissions: { allowedToCreateApps: true },
    });
    await client.graph.patch("/policies/authorizationPolicy", { allowInvitesFrom: "adminsAndGuestInviters" });
    expect((await client.graph.get<Json>("/policies/authorizationPolicy"))["allowInvitesFrom"]).toBe(
      "adminsAndGuestInviters",
    );
  });

  it("authentication methods: all eight configurations; a configuration PATCH needs its @odata.type", async () => {
    const policy = await client.graph.get<Json>("/policies/authenticationMethodsPolicy");
    expect((policy["authenticationMethodConfigurations"] as Json[]).map((c) => c["id"]).sort()).toEqual(
      [
        "Email",
        "Fido2",
        "MicrosoftAuthenticator",
        "SoftwareOath",
        "Sms",
        "TemporaryAccessPass",
        "Voice",
        "X509Certificate",
      ].sort(),
    );
    const path = "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Sms";
    expect((await failure(client.graph.patch(path, { state: "disabled" }))).status).toBe(400);
    await client.graph.patch(path, {
      "@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration",
      state: "disabled",
    });
    expect((await client.graph.get<Json>(path))["state"]).toBe("disabled");
  });
});

describe("conditional access objects", () => {
  it("built-in authentication strengths with their real ids and names", async () => {
    const strengths = await client.graph.list<Json>("/identity/conditionalAccess/authenticationStrength/policies");
    expect(
      Object.fromEntries(
        strengths.filter((s) => s["policyType"] === "builtIn").map((s) => [s["id"], s["displayName"]]),
      ),
    ).toMatchObject({
      "00000000-0000-0000-0000-000000000002": "Multifactor authentication",
      "00000000-0000-0000-0000-000000000003": "Passwordless MFA",
      "00000000-0000-0000-0000-000000000004": "Phishing-resistant MFA",
    });
  });

  it("1007 when conditions carry null complex sub-objects (an echoed GET) or a scalar where a list belongs", async () => {
    const base = {
      displayName: "Schema check",
      state: "disabled",
      grantControls: { operator: "OR", builtInControls: ["mfa"] },
    };
    const conditions = {
      users: { includeUsers: ["All"] },
      applications: { includeApplications: ["All"] },
      clientAppTypes: ["all"],
    };
    const echoed = await failure(
      client.graph.create("/identity/conditionalAccess/policies", {
        ...base,
        conditions: { ...conditions, clientApplications: null, insiderRiskLevels: null },
      }),
    );
    expect(echoed.message).toMatch(
      /: 1007: Incoming ConditionalAccessPolicy object is null or does not match the schema/,
    );
    const scalar = await failure(
      client.graph.create("/identity/conditionalAccess/policies", {
        ...base,
        conditions: { ...conditions, users: { includeUsers: "All" } },
      }),
    );
    expect(scalar.message).toMatch(/1007/);
    const noClientApps = await failure(
      client.graph.create("/identity/conditionalAccess/policies", {
        ...base,
        conditions: { users: conditions.users, applications: conditions.applications },
      }),
    );
    expect(noClientApps.message).toMatch(/1007/);
    expect(
      (
        await client.graph.create<Json>("/identity/conditionalAccess/policies", {
          ...base,
          conditions: { ...conditions, users: { includeUsers: ["All"], excludeUsers: [] } },
        })
      )["id"],
    ).toEqual(expect.any(String));
  });

  it("accepts the nulls the azuread provider sends for unset conditions (its acceptance test `basic` passes on Graph)", async () => {
    const policy = {
      displayName: "As the provider sends it",
      state: "disabled",
      sessionControls: null,
      grantControls: { operator: "OR", builtInControls: ["block"] },
      conditions: {
        applications: { includeApplications: ["None"] },
        clientAppTypes: ["browser"],
        authenticationFlows: null,
        devices: null,
        locations: null,
        platforms: null,
        servicePrincipalRiskLevels: [],
        signInRiskLevels: [],
        userRiskLevels: [],
        users: {
          includeUsers: ["All"],
          excludeUsers: ["GuestsOrExternalUsers"],
          includeGuestsOrExternalUsers: null,
          excludeGuestsOrExternalUsers: null,
        },
      },
    };
    expect((await client.graph.create<Json>("/identity/conditionalAccess/policies", policy))["id"]).toEqual(
      expect.any(String),
    );
  });

  it("the v1.0 path /policies/authenticationStrengthPolicies serves the same built-ins", async () => {
    const strength = await client.graph.get<Json>(
      "/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000004",
    );
    expect(strength).toMatchObject({ displayName: "Phishing-resistant MFA", policyType: "builtIn" });
  });

  it("named locations by @odata.type; a policy may use them and All/AllTrusted, not unknown ids", async () => {
    const ip = await client.graph.create<Json>("/identity/conditionalAccess/namedLocations", {
      "@odata.type": "#microsoft.graph.ipNamedLocation",
      displayName: "HQ",
      isTrusted: true,
      ipRanges: [{ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "198.51.100.0/24" }],
    });
    const country = await client.graph.create<Json>("/identity/conditionalAccess/namedLocations", {
      "@odata.type": "#microsoft.graph.countryNamedLocation",
      displayName: "Embargo",
      countriesAndRegions: ["KP", "IR"],
      includeUnknownCountriesAndRegions: false,
    });
    expect([ip["@odata.type"], country["@odata.type"]]).toEqual([
      "#microsoft.graph.ipNamedLocation",
      "#microsoft.graph.countryNamedLocation",
    ]);
    expect(
      (await failure(client.graph.create("/identity/conditionalAccess/namedLocations", { displayName: "Untyped" })))
        .status,
    ).toBe(400);
    const policy = await client.graph.create<Json>("/identity/conditionalAccess/policies", {
      displayName: "Block outside HQ",
      state: "disabled",
      conditions: {
        users: { includeUsers: ["All"] },
        applications: { includeApplications: ["All"] },
        clientAppTypes: ["all"],
        locations: { includeLocations: ["All"], excludeLocations: ["AllTrusted", ip["id"], country["id"]] },
      },
      grantControls: { operator: "OR", builtInControls: ["block"] },
    });
    expect(policy["id"]).toEqual(expect.any(String));
    const unknown = await failure(
      client.graph.create("/identity/conditionalAccess/policies", {
        displayName: "Unknown location",
        state: "disabled",
        conditions: {
          users: { includeUsers: ["All"] },
          applications: { includeApplications: ["All"] },
          clientAppTypes: ["all"],
          locations: { includeLocations: ["7d8e9f00-0000-4000-8000-000000000000"] },
        },
        grantControls: { operator: "OR", builtInControls: ["block"] },
      }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.message).toMatch(/: 1040: /);
  });
});
