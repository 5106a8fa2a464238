import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../../src/emulator";
import type { TenantConnection } from "../../../src/graph";
import { dynamicInputs } from "../../../src/providers/desired";
import { dynamicCalls } from "../../../src/providers/engine";
import { LOGIC } from "../../../src/providers/logic";
import { resourceDefinitions } from "../../../src/resources";
import { loadTenant } from "../../../src/tenant";
import { applyPermissions } from "../../../src/controls/permissions";
import { bareTenant, CLIENT_ID, clientFor, consentTo, CONTOSO, testEmulator } from "../../support/emulator";
import { REPO } from "../../support/repo";

let emu: RunningEmulator;
let connection: TenantConnection;
beforeAll(async () => {
  emu = await testEmulator({ tenants: [bareTenant(CONTOSO)] });
  // Only the permissions docs/permissions.md lists for `pulumi up`: the emulator refuses anything else.
  consentTo(emu, CONTOSO, CLIENT_ID, applyPermissions());
  connection = await clientFor(emu);
});
afterAll(async () => {
  await connection.close?.();
  await emu.close();
});

const { compiled } = loadTenant(REPO, "contoso", "2026-11-23");
// Dependencies first: labels before the rules that publish them, policies before their rules.
const ORDER = [
  "pol01-security-defaults",
  "pol02-authorization-policy",
  "pol03-authentication-methods",
  "brand01-default",
  "ret01-keep-7-years",
  "ret02-mailboxes-keep-7-years",
  "ret02-mailboxes-keep-7-years-rule",
  "ret02-publish-standard-labels",
  "ret02-publish-standard-labels-rule",
];
const created = new Map<
  string,
  { id: string; outs: Record<string, unknown>; inputs: Record<string, unknown>; type: string }
>();
const calls = (type: string) => dynamicCalls(LOGIC[type]!, () => ({ connection, root: REPO }), REPO);

describe("every m365 dynamic resource: create → read → diff is empty (no false drift)", () => {
  it.each(ORDER)("%s", async (name) => {
    const { type, inputs } = dynamicInputs(
      compiled.resources.find((r) => r.name === name)!,
      REPO,
    );
    const p = calls(type);
    expect((await p.check({}, inputs)).failures).toEqual([]);
    const { id, outs } = await p.create(inputs);
    created.set(name, { id, outs, inputs, type });
    const read = await p.read(id, outs);
    expect(read.id).toBe(id);
    expect(await p.diff(id, read.props, inputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    // Read returns live inputs too, so `pulumi preview --refresh` compares live state with the program.
    expect(read.inputs).toBeDefined();
  });
});

describe("drift: a change made by hand shows as exactly that property; a deletion shows as gone", () => {
  it("a retention period shortened by hand", async () => {
    const r = created.get("ret02-mailboxes-keep-7-years-rule")!;
    emu.tenant(CONTOSO).compliance.RetentionComplianceRule.find((x) => x["Name"] === "Mailboxes - keep 7 years rule")![
      "RetentionDuration"
    ] = 365;
    const read = await calls(r.type).read(r.id, r.outs);
    expect(read.props["RetentionDuration"]).toBe(365);
    const diff = await calls(r.type).diff(r.id, read.props, r.inputs);
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    await calls(r.type).update(r.id, read.props, r.inputs);
    expect((await calls(r.type).diff(r.id, (await calls(r.type).read(r.id, r.outs)).props, r.inputs)).changes).toBe(
      false,
    );
  });
  it("a logo replaced by hand is a hash difference", async () => {
    const r = created.get("brand01-default")!;
    const { readFileSync } = await import("node:fs");
    await connection.graph.putStream(
      `/organization/${CONTOSO}/branding/localizations/0/bannerLogo`,
      readFileSync(`${REPO}/baselines/assets/favicon.png`),
      "image/png",
    );
    const read = await calls(r.type).read(r.id, r.outs);
    expect((read.props["assets"] as Record<string, string>)["bannerLogo"]).not.toBe(
      (r.inputs["assets"] as Record<string, string>)["bannerLogo"],
    );
    expect((await calls(r.type).diff(r.id, read.props, r.inputs)).changes).toBe(true);
  });
  it("SMS turned back on by hand", async () => {
    const r = created.get("pol03-authentication-methods")!;
    const methods = emu.tenant(CONTOSO).singletons.authenticationMethodsPolicy[
      "authenticationMethodConfigurations"
    ] as { id: string; state: string }[];
    methods.find((m) => m.id === "Sms")!.state = "enabled";
    const read = await calls(r.type).read(r.id, r.outs);
    expect(read.props["authenticationMethodConfigurations"]).toContainEqual({ id: "Sms", state: "enabled" });
    expect((await calls(r.type).diff(r.id, read.props, r.inputs)).changes).toBe(true);
  });
  it("a label deleted by hand reads as gone (empty id)", async () => {
    const r = created.get("ret01-keep-7-years")!;
    const t = emu.tenant(CONTOSO);
    const saved = t.compliance.ComplianceTag;
    t.compliance.ComplianceTag = [];
    expect((await calls(r.type).read(r.id, r.outs)).id).toBe("");
    t.compliance.ComplianceTag = saved;
  });
});

describe("the authorization policy", () => {
  it("keeps the resource-specific consent policies Graph lists by default, and does not diff them", async () => {
    const r = created.get("pol02-authorization-policy")!;
    const live = emu.tenant(CONTOSO).singletons["authorizationPolicy"] as {
      defaultUserRolePermissions: { permissionGrantPoliciesAssigned: string[] };
    };
    const assigned = live.defaultUserRolePermissions.permissionGrantPoliciesAssigned;
    expect(assigned.filter((p) => p.startsWith("ManagePermissionGrantsForOwnedResource."))).toHaveLength(2);
    expect(assigned.filter((p) => p.startsWith("ManagePermissionGrantsForSelf."))).toEqual(
      (r.inputs["defaultUserRolePermissions"] as { permissionGrantPoliciesAssigned: string[] })
        .permissionGrantPoliciesAssigned,
    );
    const read = await calls(r.type).read(r.id, r.outs);
    expect((await calls(r.type).diff(r.id, read.props, r.inputs)).changes).toBe(false);
  });
});

describe("coverage", () => {
  it("round-trips every type the registry hands to our dynamic provider", () => {
    const tested = new Set([
      ...ORDER.map((n) => compiled.resources.find((r) => r.name === n)!.type),
      "brandingLocalization",
    ]);
    const dynamic = resourceDefinitions.filter((d) => d.management.kind === "dynamic").map((d) => d.type);
    expect(dynamic.filter((t) => !tested.has(t))).toEqual([]);
  });
});

describe("a branding localization", () => {
  it("create → read → diff is empty; deleting removes it and leaves the default", async () => {
    const { brand01 } = await import("../../../src/controls/brand01-company-branding/control");
    const params = brand01.schema.parse({
      signInPageText: "Default",
      localizations: [
        {
          locale: "fr-FR",
          signInPageText: "Accès réservé",
          assets: { bannerLogo: "baselines/assets/banner-logo.png" },
        },
      ],
    });
    const drafts = brand01.compile(params, {} as never);
    const loc = drafts.find((d) => d.type === "brandingLocalization")!;
    const { type, inputs } = dynamicInputs({ ...loc, controlId: "BRAND01", stage: "enforce", dependsOn: [] }, REPO);
    const p = calls(type);
    const def = created.get("brand01-default");
    if (!emu.tenant(CONTOSO).branding["0"] && def) await calls(def.type).create(def.inputs);
    const { id, outs } = await p.create(inputs);
    expect(id).toBe("fr-FR");
    const read = await p.read(id, outs);
    expect(await p.diff(id, read.props, inputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    await p.delete(id, outs);
    expect(emu.tenant(CONTOSO).branding["fr-FR"]).toBeUndefined();
    expect(emu.tenant(CONTOSO).streams["fr-FR/bannerLogo"]).toBeUndefined();
  });
});

describe("adoption, protection and restore", () => {
  it("adopts an existing label with the same name instead of creating a duplicate", async () => {
    const r = created.get("ret01-keep-7-years")!;
    const again = await calls(r.type).create(r.inputs);
    expect(again.outs["adopted"]).toBe(true);
    expect(emu.tenant(CONTOSO).compliance.ComplianceTag.filter((x) => x["Name"] === "Keep 7 years")).toHaveLength(1);
  });
  it("a label-publishing rule is created without -Name, known by the service's name and adopted by its policy", async () => {
    const r = created.get("ret02-publish-standard-labels-rule")!;
    const rules = () =>
      emu
        .tenant(CONTOSO)
        .compliance.RetentionComplianceRule.filter((x) => x["ParentPolicyName"] === "Publish standard labels");
    expect(r.inputs["Name"]).toBeUndefined();
    expect(rules().map((x) => x["Name"])).toEqual([r.id]);
    expect(r.id).toMatch(/^ctptr-[0-9a-f-]{36}$/);
    const again = await calls(r.type).create(r.inputs);
    expect([again.id, again.outs["adopted"], rules().length]).toEqual([r.id, true, 1]);
  });
  it("never deletes a published label; the error names the policy", async () => {
    const r = created.get("ret01-keep-7-years")!;
    await expect(calls(r.type).delete(r.id, r.outs)).rejects.toThrow(/published by policy 'Publish standard labels'/);
  });
  it("deleting a tenant singleton restores the value recorded before the first change", async () => {
    const r = created.get("pol01-security-defaults")!;
    expect(emu.tenant(CONTOSO).singletons.securityDefaults["isEnabled"]).toBe(false);
    await calls(r.type).delete(r.id, r.outs);
    expect(emu.tenant(CONTOSO).singletons.securityDefaults["isEnabled"]).toBe(true);
  });
  it("deleting branding removes its images first, then the branding", async () => {
    const r = created.get("brand01-default")!;
    await calls(r.type).delete(r.id, r.outs);
    expect(emu.tenant(CONTOSO).branding["0"]).toBeUndefined();
    expect(Object.keys(emu.tenant(CONTOSO).streams)).toEqual([]);
  });
  it("no output carries a secret", () => {
    const all = JSON.stringify([...created.values()].map((c) => c.outs));
    expect(all).not.toMatch(/PRIVATE KEY|BEGIN CERTIFICATE/);
  });
});
