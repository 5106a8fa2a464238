import { describe, expect, it } from "vitest";
import { runProgramUnderEngine } from "../../support/fake-engine";
import { MOCK_APP_ROLES, programConfig } from "../../support/pulumi-mocks";
import { fakePemBlock } from "../../fixtures/test-only-pem";

const invoke = (token: string, args: Record<string, unknown>): Record<string, unknown> => {
  if (token === "azuread:index/getServicePrincipal:getServicePrincipal")
    return { objectId: `sp-${String(args["clientId"])}`, appRoleIds: MOCK_APP_ROLES[String(args["clientId"])] ?? {} };
  if (token === "azuread:index/getGroup:getGroup") return { objectId: `group-${String(args["displayName"])}` };
  if (token === "azuread:index/getUser:getUser") return { objectId: `user-${String(args["userPrincipalName"])}` };
  throw new Error(`unexpected invoke ${token}`);
};

describe("program contract: the SDK's own runner (what `pulumi preview` starts) loads our TypeScript program", () => {
  it("registers the contoso tenant through the engine protocol", async () => {
    const config = programConfig("contoso", {
      certificatePem: fakePemBlock("PRIVATE KEY", "x"),
      certificatePfx: "UEZYU0VDUkVU",
    });
    const r = await runProgramUnderEngine({
      stack: "contoso",
      config,
      secretKeys: ["m365-baseline:certificatePem", "m365-baseline:certificatePfx"],
      invoke,
    });
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    const names = r.registrations.map((x) => `${x.type}::${x.name}`);
    expect(names).toContain("pulumi:pulumi:Stack::m365-baseline-contoso");
    expect(names).toContain("pulumi:providers:azuread::tenant");
    expect(names.filter((n) => n.startsWith("azuread:index/conditionalAccessPolicy"))).toHaveLength(9);
    expect(names.filter((n) => n.startsWith("pulumi-nodejs:dynamic/m365:"))).toHaveLength(9);
    for (const x of r.registrations.filter((y) => y.type.startsWith("azuread:index/")))
      expect(x.provider).toMatch(/pulumi:providers:azuread::tenant::/);
  }, 120_000);
  it("a broken stack is one readable error, not a stack trace", async () => {
    const config = { ...programConfig("contoso", {}), "m365-baseline:breakGlass": JSON.stringify({ users: [] }) };
    const r = await runProgramUnderEngine({ stack: "contoso", config, secretKeys: [], invoke });
    expect(r.code).not.toBe(0);
    const text = [...r.logs, r.stderr].join("\n");
    expect(text).toContain(
      "stacks/Pulumi.contoso.yaml: m365-baseline:breakGlass.users: list at least one break-glass account",
    );
    expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(r.registrations.filter((x) => x.type.startsWith("azuread:"))).toEqual([]);
  }, 120_000);
});
