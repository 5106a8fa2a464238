import { describe, expect, it } from "vitest";
import { installMocks, programConfig, settle } from "../../support/pulumi-mocks";
import { REPO } from "../../support/repo";

const registered = installMocks("fabrikam");

describe("the program for stacks/Pulumi.fabrikam.yaml (P1 only, CA09 off under exception, report-only rollout)", async () => {
  const { runProgram } = await import("../../../src/program/run");
  const dynamic: string[] = [];
  const pulumi = await import("@pulumi/pulumi");
  const outputs = await runProgram(
    "fabrikam",
    programConfig("fabrikam", { certificatePem: "pem", certificatePfx: "cGZ4" }),
    REPO,
    {},
    {
      dynamic: (type, name, inputs, opts) => {
        dynamic.push(`${type}:${name}`);
        return new (class extends pulumi.CustomResource {})(`test:dynamic:${type}`, name, inputs, opts);
      },
    },
  );
  await settle();
  const names = (t: string) =>
    registered
      .filter((r) => r.type === t)
      .map((r) => r.name)
      .sort();

  it("registers exactly these resources", () => {
    expect(names("azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy")).toEqual([
      "ca01",
      "ca02",
      "ca03",
      "ca04",
      "ca05",
      "ca08",
    ]);
    expect(names("azuread:index/namedLocation:NamedLocation")).toEqual([]);
    expect(names("azuread:index/group:Group")).toEqual(["break-glass-group"]);
    expect(names("azuread:index/groupMember:GroupMember")).toEqual([]);
    expect(registered.find((r) => r.name === "break-glass-group")!.inputs["members"]).toEqual([
      "user-breakglass@fabrikam.onmicrosoft.com",
    ]);
    expect(names("azuread:index/application:Application")).toEqual(["app01-backup"]);
    expect(dynamic.sort()).toEqual([
      "AuthenticationMethodsPolicy:pol03-authentication-methods",
      "AuthorizationPolicy:pol02-authorization-policy",
      "OrganizationalBranding:brand01-default",
      "RetentionLabel:ret01-keep-7-years",
      "RetentionPolicy:ret02-mailboxes-keep-7-years",
      "RetentionPolicy:ret02-publish-standard-labels",
      "RetentionRule:ret02-mailboxes-keep-7-years-rule",
      "RetentionRule:ret02-publish-standard-labels-rule",
    ]);
  });
  it("keeps every policy report-only, excludes both break-glass principals, and never uses the machine's identity", () => {
    for (const r of registered.filter(
      (x) => x.type === "azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy",
    )) {
      expect(r.inputs["state"]).toBe("enabledForReportingButNotEnforced");
      expect(r.inputs["conditions"]["users"]["excludedGroups"]).toEqual([
        "break-glass-group-oid",
        "group-Fabrikam Emergency Access",
      ]);
      expect(r.inputs["conditions"]["users"]["excludedUsers"]).toEqual(["user-breakglass@fabrikam.onmicrosoft.com"]);
    }
    const provider = registered.find((r) => r.type === "pulumi:providers:azuread")!.inputs;
    expect(provider).toMatchObject({ useCli: "false", useMsi: "false" });
  });
  it("reports CA06/CA07 not licensed and CA09 excepted in the outputs; exports the backup app's ids", () => {
    expect(outputs.controls).toMatchObject({
      CA06: "notLicensed",
      CA07: "notLicensed",
      CA09: "excepted",
      CA02: "reportOnly",
    });
    expect(Object.keys(outputs.applications)).toEqual(["app01-backup"]);
  });
});
