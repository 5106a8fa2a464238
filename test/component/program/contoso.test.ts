import { readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { installMocks, MOCK_APP_ROLES, programConfig, settle } from "../../support/pulumi-mocks";
import { REPO } from "../../support/repo";

const registered = installMocks("contoso");
const PFX = "MIIKU0VDUkVUUEZY";
// How a secret value looks in mocked inputs (Pulumi's secret signature key).
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const unsecret = (v: unknown): unknown =>
  v && typeof v === "object" && SECRET_SIG in v ? (v as Record<string, unknown>)["value"] : v;

describe("the program for stacks/Pulumi.contoso.yaml (msp-standard, CA01/02/03/09 enforced)", async () => {
  const { runProgram } = await import("../../../src/program/run");
  const dynamic: { type: string; name: string; inputs: Record<string, unknown>; dependsOn: unknown }[] = [];
  const outputs = await runProgram(
    "contoso",
    programConfig("contoso", { certificatePem: "pem", certificatePfx: PFX }),
    REPO,
    {},
    {
      dynamic: (type, name, inputs, opts) => {
        dynamic.push({ type, name, inputs, dependsOn: opts.dependsOn });
        const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
        return new (class extends pulumi.CustomResource {})(`test:dynamic:${type}`, name, inputs, opts);
      },
    },
  );
  await settle();
  const byType = (t: string) =>
    registered
      .filter((r) => r.type === t)
      .map((r) => r.name)
      .sort();

  it("registers exactly the expected azuread resources", () => {
    expect(byType("pulumi:providers:azuread")).toEqual(["tenant"]);
    expect(byType("azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy")).toEqual([
      "ca01",
      "ca02",
      "ca03",
      "ca04",
      "ca05",
      "ca06",
      "ca07",
      "ca08",
      "ca09",
    ]);
    expect(byType("azuread:index/namedLocation:NamedLocation")).toEqual(["named-location-contoso-hq"]);
    expect(byType("azuread:index/group:Group")).toEqual(["break-glass-group"]);
    // The break-glass group owns its member list: a member added by hand is drift, not invisible.
    expect(byType("azuread:index/groupMember:GroupMember")).toEqual([]);
    expect(registered.find((r) => r.name === "break-glass-group")!.inputs["members"]).toEqual([
      "user-bg-admin1@contoso.onmicrosoft.com",
      "user-bg-admin2@contoso.onmicrosoft.com",
    ]);
    expect(byType("azuread:index/application:Application")).toEqual(["app01-backup"]);
    expect(byType("azuread:index/applicationCertificate:ApplicationCertificate")).toEqual(["app01-backup-certificate"]);
    expect(byType("azuread:index/servicePrincipal:ServicePrincipal")).toEqual(["app01-backup-sp"]);
    expect(byType("azuread:index/appRoleAssignment:AppRoleAssignment")).toHaveLength(10);
    expect(byType("azuread:index/directoryRoleAssignment:DirectoryRoleAssignment")).toEqual([
      "app01-backup-role-f2ef992c-3afb-46b9-b7cf-a126ee74c451",
    ]);
  });
  it("hands branding, retention and tenant policies to the m365 dynamic provider", () => {
    expect(dynamic.map((d) => `${d.type}:${d.name}`).sort()).toEqual([
      "AuthenticationMethodsPolicy:pol03-authentication-methods",
      "AuthorizationPolicy:pol02-authorization-policy",
      "OrganizationalBranding:brand01-default",
      "RetentionLabel:ret01-keep-7-years",
      "RetentionPolicy:ret02-mailboxes-keep-7-years",
      "RetentionPolicy:ret02-publish-standard-labels",
      "RetentionRule:ret02-mailboxes-keep-7-years-rule",
      "RetentionRule:ret02-publish-standard-labels-rule",
      "SecurityDefaults:pol01-security-defaults",
    ]);
    const branding = dynamic.find((d) => d.name === "brand01-default")!.inputs;
    expect(branding["assetPaths"]).toEqual({
      backgroundImage: "baselines/assets/background.png",
      bannerLogo: "baselines/assets/banner-logo.png",
      favicon: "baselines/assets/favicon.png",
      squareLogo: "baselines/assets/square-logo.png",
    });
    expect(Object.values(branding["assets"] as object).every((h) => /^[0-9a-f]{64}$/.test(String(h)))).toBe(true);
  });
  it("puts every azuread resource on the explicit tenant provider", () => {
    const provider = registered.find((r) => r.type === "pulumi:providers:azuread")!;
    expect(provider.inputs).toMatchObject({
      tenantId: "6b0c3a52-7a3e-4d0b-9f0e-1c2d3e4f5a61",
      disableTerraformPartnerId: "true",
    });
    expect(unsecret(provider.inputs["clientId"])).toBe("0f1e2d3c-4b5a-4697-8887-766554433221");
    // pulumi-azuread checks only a certificate *path* before it configures: the secret PFX becomes a private file,
    // named by its hash (a stable provider config), and never a provider input.
    const path = String(provider.inputs["clientCertificatePath"]);
    expect(path).toMatch(/m365-baseline-\d+\/deploy-[0-9a-f]{32}\.pfx$/);
    expect(readFileSync(path).equals(Buffer.from(PFX, "base64"))).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(path)).mode & 0o777).toBe(0o700);
    expect(provider.inputs).not.toHaveProperty("clientCertificate");
    for (const r of registered.filter((x) => x.type.startsWith("azuread:")))
      expect(r.provider, r.name).toMatch(/pulumi:providers:azuread::tenant::/);
  });
  it("maps Graph values to the provider: states, break-glass exclusion, authentication strength", () => {
    const ca = (name: string) => registered.find((r) => r.name === name)!.inputs;
    expect(ca("ca01")["state"]).toBe("enabled");
    expect(ca("ca04")["state"]).toBe("enabledForReportingButNotEnforced");
    expect(ca("ca01")["conditions"]["clientAppTypes"]).toEqual(["exchangeActiveSync", "other"]);
    expect(ca("ca01")["conditions"]["users"]["excludedGroups"]).toEqual(["break-glass-group-oid"]);
    expect(ca("ca01")["conditions"]["users"]["excludedUsers"]).toEqual([
      "user-bg-admin1@contoso.onmicrosoft.com",
      "user-bg-admin2@contoso.onmicrosoft.com",
    ]);
    expect(ca("ca04")["grantControls"]["authenticationStrengthPolicyId"]).toBe(
      "/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000004",
    );
    expect(ca("ca09")["conditions"]["authenticationFlowTransferMethods"]).toEqual(["deviceCodeFlow"]);
    expect(ca("ca08")["conditions"]["applications"]["includedUserActions"]).toEqual(["urn:user:registersecurityinfo"]);
  });
  it("resolves app-role ids per tenant from the resource service principals (admin consent)", () => {
    const app = registered.find((r) => r.name === "app01-backup")!.inputs;
    const exchange = app["requiredResourceAccesses"].find(
      (x: { resourceAppId: string }) => x.resourceAppId === "00000002-0000-0ff1-ce00-000000000000",
    );
    expect(exchange.resourceAccesses).toEqual([
      { id: MOCK_APP_ROLES["00000002-0000-0ff1-ce00-000000000000"]!["Exchange.ManageAsApp"], type: "Role" },
      { id: MOCK_APP_ROLES["00000002-0000-0ff1-ce00-000000000000"]!["full_access_as_app"], type: "Role" },
    ]);
    const consent = registered.find((r) => r.name === "app01-backup-consent-exchange-manageasapp")!.inputs;
    expect(consent).toMatchObject({
      appRoleId: "dc50a0fb-09a3-484d-be87-e023b12c6440",
      resourceObjectId: "sp-00000002-0000-0ff1-ce00-000000000000",
      principalObjectId: "app01-backup-sp-oid",
    });
    const certificate = registered.find((r) => r.name === "app01-backup-certificate")!.inputs;
    expect(certificate).toMatchObject({ type: "AsymmetricX509Cert", encoding: "pem" });
    expect(unsecret(certificate["value"])).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(unsecret(certificate["value"])).not.toMatch(/PRIVATE KEY/);
  });
  it("makes enabled CA policies wait for security defaults to be off, and label publishing for its labels", async () => {
    const { implicitDependencies } = await import("../../../src/program/index");
    const { loadTenant } = await import("../../../src/tenant");
    const { compiled } = loadTenant(REPO, "contoso", "2026-11-23");
    const of = (name: string) =>
      implicitDependencies(
        compiled.resources.find((r) => r.name === name)!,
        compiled,
      );
    expect(of("ca01")).toEqual(["pol01-security-defaults"]);
    expect(of("ca04")).toEqual([]);
    expect(of("ret02-publish-standard-labels-rule")).toEqual(["ret01-keep-7-years"]);
    expect(dynamic.find((d) => d.name === "ret02-publish-standard-labels-rule")!.dependsOn).toHaveLength(2);
  });
  it("outputs a non-secret summary", () => {
    expect(outputs.controls).toMatchObject({ CA01: "enforce", CA04: "reportOnly", APP01: "enforce" });
    expect(JSON.stringify(outputs)).not.toContain(PFX);
    expect(Object.keys(outputs.resources)).toHaveLength(21);
  });
});
