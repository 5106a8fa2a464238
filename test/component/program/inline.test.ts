/**
 * buildTenant on a tenant compiled from an inline baseline and stack: the exact registrations, the
 * Graph → azuread mapping of the less common shapes (guests, session controls, named locations by
 * object id), invokes on the explicit provider, and what goes to the dynamic hook.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { defineBaseline } from "../../../src/baseline/define";
import { compile } from "../../../src/compile";
import type { DesiredResource } from "../../../src/core/desired";
import { parseStackConfig } from "../../../src/stack/load";
import type { JsonProbe } from "../../support/json";
import { MOCK_APP_ROLES } from "../../support/pulumi-mocks";
import { REPO } from "../../support/repo";

const TENANT = "11111111-2222-4333-8444-555555555555";
const PFX = "UEZYLUlOTElORS1TRUNSRVQ=";
const registered: { type: string; name: string; inputs: JsonProbe; provider: string }[] = [];
const calls: { token: string; inputs: JsonProbe; provider: string }[] = [];

// Mocks before the program module loads. The resource `id` is a Graph path, unlike `objectId`,
// exactly as the provider reports them, so using the wrong one shows in the inputs.
pulumi.runtime.setMocks(
  {
    newResource: (a) => {
      registered.push({ type: a.type, name: a.name, inputs: a.inputs, provider: a.provider ?? "" });
      return {
        id: `/${a.type.split(":").pop()}/${a.name}`,
        state: { ...a.inputs, objectId: `${a.name}-oid`, clientId: `${a.name}-appid` },
      };
    },
    call: (a) => {
      calls.push({ token: a.token, inputs: a.inputs, provider: a.provider ?? "" });
      if (a.token === "azuread:index/getServicePrincipal:getServicePrincipal")
        return { objectId: `sp-${a.inputs.clientId}`, appRoleIds: MOCK_APP_ROLES[a.inputs.clientId] ?? {} };
      if (a.token === "azuread:index/getGroup:getGroup") return { objectId: `group-${a.inputs.displayName}` };
      if (a.token === "azuread:index/getUser:getUser") return { objectId: `user-${a.inputs.userPrincipalName}` };
      throw new Error(`unexpected call ${a.token}`);
    },
  },
  "m365-baseline",
  "inline",
  false,
);

const baseline = defineBaseline({
  name: "inline",
  description: "Test baseline",
  controls: {
    CA01: { stage: "reportOnly" },
    CA04: { stage: "enforce", params: { roles: "cisa" } },
    CA10: { stage: "reportOnly" },
    CA11: { stage: "enforce", params: { signInFrequencyHours: 4 } },
    POL01: { stage: "enforce" },
    POL02: { stage: "enforce", params: { userConsent: "none", allowedToCreateApps: false } },
    BRAND01: {
      stage: "enforce",
      params: { signInPageText: "Inline", assets: { bannerLogo: "baselines/assets/banner-logo.png" } },
    },
    RET01: {
      stage: "enforce",
      params: {
        labels: [
          {
            displayName: "Keep 1 year",
            behaviorDuringRetentionPeriod: "retain",
            actionAfterRetentionPeriod: "none",
            retentionTrigger: "dateCreated",
            retentionDurationDays: 365,
          },
        ],
      },
    },
    APP01: {
      stage: "enforce",
      params: { certificateFile: "baselines/certs/veeam-backup.pem", teamsChatExport: false },
    },
  },
});
const stack = parseStackConfig(
  {
    "m365-baseline:tenantId": TENANT,
    "m365-baseline:primaryDomain": "inline.onmicrosoft.com",
    "m365-baseline:displayName": "Inline Ltd",
    "m365-baseline:baseline": "inline",
    "m365-baseline:licences": { entraIdP1: true, entraIdP2: false },
    "m365-baseline:breakGlass": { users: ["bg@inline.onmicrosoft.com"], groups: ["Inline Emergency"] },
    "m365-baseline:namedLocations": [
      { name: "Head office", ipRanges: ["198.51.100.0/24"], trusted: true },
      { name: "Blocked countries", countries: ["RU", "KP"] },
    ],
    "m365-baseline:deployment": { clientId: "22222222-3333-4444-8555-666666666666", auth: "certificate" },
  },
  { file: "stacks/Pulumi.inline.yaml", decrypted: false },
);
const compiled = compile(baseline, stack.config, { file: stack.file, stack: "inline", today: "2026-06-01" });
// A policy the shipped controls do not emit (yet): it is how named locations are referenced.
const blockCountries: DesiredResource = {
  name: "ca90-block-countries",
  controlId: "CA90",
  type: "conditionalAccessPolicy",
  naturalKey: "CA90 - Block countries",
  stage: "enforce",
  dependsOn: ["ca01"],
  properties: {
    displayName: "CA90 - Block countries",
    state: "enabled",
    conditions: {
      users: { includeUsers: ["All"], excludeGroups: ["ref:group/Break-glass accounts (m365-baseline)"] },
      applications: { includeApplications: ["All"] },
      clientAppTypes: ["all"],
      locations: {
        includeLocations: ["ref:namedLocation/Blocked countries"],
        excludeLocations: ["ref:namedLocation/Head office"],
      },
    },
    grantControls: { operator: "OR", builtInControls: ["block"] },
  },
};

describe("buildTenant on an inline baseline and stack", async () => {
  const { buildTenant } = await import("../../../src/program/index");
  const dynamic: { type: string; name: string; inputs: Record<string, unknown> }[] = [];
  const outputs = buildTenant(
    { ...compiled, resources: [...compiled.resources, blockCountries] },
    {
      root: REPO,
      provider: {
        clientId: "22222222-3333-4444-8555-666666666666",
        auth: "certificate",
        clientCertificatePath: "/run/deploy.pfx",
      },
      dynamic: (type, name, inputs, opts) => {
        dynamic.push({ type, name, inputs });
        return new (class extends pulumi.CustomResource {})(`test:dynamic:${type}`, name, inputs, opts);
      },
    },
  );
  await new Promise((r) => setTimeout(r, 100));
  const inputs = (name: string) => registered.find((r) => r.name === name)!.inputs;
  const consentNames = [
    "directory-read-all",
    "exchange-manageasapp",
    "full-access-as-app",
    "group-read-all",
    "sites-fullcontrol-all",
    "sites-read-all",
    "teamsettings-readwrite-all",
    "user-read-all",
    "channelmember-readwrite-all",
  ];

  it("registers exactly the azuread resources of the tenant, on the explicit provider", () => {
    expect(
      registered
        .filter((r) => !r.type.startsWith("test:"))
        .map((r) => `${r.type.split(":").pop()} ${r.name}`)
        .sort(),
    ).toEqual(
      [
        "Application app01-backup",
        "ApplicationCertificate app01-backup-certificate",
        ...consentNames.map((n) => `AppRoleAssignment app01-backup-consent-${n}`).sort(),
        "ConditionalAccessPolicy ca01",
        "ConditionalAccessPolicy ca04",
        "ConditionalAccessPolicy ca10",
        "ConditionalAccessPolicy ca11",
        "ConditionalAccessPolicy ca90-block-countries",
        "DirectoryRoleAssignment app01-backup-role-f2ef992c-3afb-46b9-b7cf-a126ee74c451",
        "Group break-glass-group",
        "NamedLocation named-location-blocked-countries",
        "NamedLocation named-location-head-office",
        "ServicePrincipal app01-backup-sp",
        "azuread tenant",
      ].sort(),
    );
    const provider = registered.find((r) => r.type === "pulumi:providers:azuread")!;
    const urn = `urn:pulumi:inline::m365-baseline::pulumi:providers:azuread::tenant::/azuread/tenant`;
    for (const r of registered.filter((x) => x.type.startsWith("azuread:"))) expect(r.provider, r.name).toBe(urn);
    expect(provider.inputs).toMatchObject({
      tenantId: TENANT,
      useMsi: "false",
      useCli: "false",
      disableTerraformPartnerId: "true",
    });
    expect(provider.inputs["clientCertificatePath"]).toBe("/run/deploy.pfx");
    expect(provider.inputs).not.toHaveProperty("clientCertificate");
  });

  it("looks up users, existing groups and resource service principals through the same provider", () => {
    expect(
      calls
        .map(
          (c) =>
            `${c.token.split(":").pop()} ${c.inputs.displayName ?? c.inputs.userPrincipalName ?? c.inputs.clientId}`,
        )
        .sort(),
    ).toEqual([
      "getGroup Inline Emergency",
      "getServicePrincipal 00000002-0000-0ff1-ce00-000000000000",
      "getServicePrincipal 00000003-0000-0000-c000-000000000000",
      "getServicePrincipal 00000003-0000-0ff1-ce00-000000000000",
      "getUser bg@inline.onmicrosoft.com",
    ]);
    for (const c of calls)
      expect(c.provider).toMatch(/^urn:pulumi:inline::m365-baseline::pulumi:providers:azuread::tenant::/);
  });

  it("maps report-only, break-glass exclusions and the authentication strength path", () => {
    expect(inputs("ca01")["state"]).toBe("enabledForReportingButNotEnforced");
    expect(inputs("ca04")["state"]).toBe("enabled");
    expect(inputs("ca01")["conditions"]["users"]).toEqual({
      includedUsers: ["All"],
      excludedGroups: ["break-glass-group-oid", "group-Inline Emergency"],
      excludedUsers: ["user-bg@inline.onmicrosoft.com"],
    });
    expect(inputs("ca04")["grantControls"]).toEqual({
      operator: "OR",
      authenticationStrengthPolicyId: "/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000004",
    });
    expect(inputs("break-glass-group")).toMatchObject({
      securityEnabled: true,
      mailEnabled: false,
      preventDuplicateNames: true,
    });
    expect(inputs("break-glass-group")["members"]).toEqual(["user-bg@inline.onmicrosoft.com"]);
  });

  it("maps guests (CA10) and session controls (CA11) to the provider's blocks", () => {
    expect(inputs("ca10")["conditions"]["users"]["includedGuestsOrExternalUsers"]).toEqual([
      {
        guestOrExternalUserTypes: [
          "internalGuest",
          "b2bCollaborationGuest",
          "b2bCollaborationMember",
          "b2bDirectConnectUser",
          "otherExternalUser",
          "serviceProvider",
        ],
        externalTenants: [{ membershipKind: "all" }],
      },
    ]);
    expect(inputs("ca11")["sessionControls"]).toEqual({
      signInFrequency: 4,
      signInFrequencyPeriod: "hours",
      signInFrequencyInterval: "timeBased",
      signInFrequencyAuthenticationType: "primaryAndSecondaryAuthentication",
      persistentBrowserMode: "never",
    });
    expect(inputs("ca11")).not.toHaveProperty("grantControls");
  });

  it("resolves named locations to their object id (the resource id is a Graph path Graph would refuse)", () => {
    expect(inputs("ca90-block-countries")["conditions"]["locations"]).toEqual({
      includedLocations: ["named-location-blocked-countries-oid"],
      excludedLocations: ["named-location-head-office-oid"],
    });
    expect(inputs("named-location-blocked-countries")).toEqual({
      displayName: "Blocked countries",
      country: { countriesAndRegions: ["KP", "RU"], includeUnknownCountriesAndRegions: false },
    });
    expect(inputs("named-location-head-office")).toEqual({
      displayName: "Head office",
      ip: { ipRanges: ["198.51.100.0/24"], trusted: true },
    });
  });

  it("resolves consent by permission value per tenant and leaves out ChannelMessage.Read.All", () => {
    const graph = inputs("app01-backup")["requiredResourceAccesses"].find(
      (r: { resourceAppId: string }) => r.resourceAppId === "00000003-0000-0000-c000-000000000000",
    );
    expect(graph.resourceAccesses.map((a: { id: string }) => a.id)).toEqual(
      [
        "ChannelMember.ReadWrite.All",
        "Directory.Read.All",
        "Group.Read.All",
        "Sites.Read.All",
        "TeamSettings.ReadWrite.All",
      ].map((v) => MOCK_APP_ROLES["00000003-0000-0000-c000-000000000000"]![v]),
    );
    expect(inputs("app01-backup-consent-sites-fullcontrol-all")).toEqual({
      appRoleId: MOCK_APP_ROLES["00000003-0000-0ff1-ce00-000000000000"]!["Sites.FullControl.All"],
      principalObjectId: "app01-backup-sp-oid",
      resourceObjectId: "sp-00000003-0000-0ff1-ce00-000000000000",
    });
    expect(inputs("app01-backup-certificate")["applicationId"]).toBe("/Application/app01-backup");
    expect(inputs("app01-backup-sp")["clientId"]).toBe("app01-backup-appid");
    expect(JSON.stringify(registered.map((r) => r.inputs))).not.toMatch(/clientSecret|password/i);
  });

  it("hands the types azuread lacks to the dynamic hook, with their dependencies", () => {
    expect(dynamic.map((d) => `${d.type} ${d.name}`).sort()).toEqual([
      "AuthorizationPolicy pol02-authorization-policy",
      "OrganizationalBranding brand01-default",
      "RetentionLabel ret01-keep-1-year",
      "SecurityDefaults pol01-security-defaults",
    ]);
    expect(dynamic.find((d) => d.type === "SecurityDefaults")!.inputs).toEqual({ isEnabled: false });
  });

  it("outputs a non-secret summary", () => {
    expect(outputs).toMatchObject({
      tenantId: TENANT,
      baseline: "inline",
      controls: { CA01: "reportOnly", CA04: "enforce", CA10: "reportOnly", CA11: "enforce", APP01: "enforce" },
    });
    expect(outputs.resources["ca90-block-countries"]).toBe("conditionalAccessPolicy");
    expect(JSON.stringify({ ...outputs, applications: undefined })).not.toContain(PFX);
  });
});
