import { describe, expect, it } from "vitest";
import { installMocks, programConfig, settle } from "../../support/pulumi-mocks";
import { REPO } from "../../support/repo";

const registered = installMocks("contoso");

// What `m365-baseline adopt --write` records: Pulumi resource name → the azuread provider's import id.
const IMPORTS = {
  "break-glass-group": "/groups/57997d0d-7212-5eda-af98-8828ddf18a0e",
  ca01: "/identity/conditionalAccess/policies/fba17e34-ce15-59ff-aadc-fd1f2d03e012",
  "app01-backup": "/applications/cdad00ae-acc3-5636-af08-0601415a16ab",
};

describe("m365-baseline:imports reaches Pulumi as each named resource's import option", async () => {
  const { runProgram } = await import("../../../src/program/run");
  const config = {
    ...programConfig("contoso", { certificatePem: "pem", certificatePfx: "MIIKU0VDUkVUUEZY" }),
    "m365-baseline:imports": JSON.stringify(IMPORTS),
  };
  await runProgram("contoso", config, REPO, {}, { dynamic: () => undefined as never });
  await settle();
  const importOf = (name: string) => registered.find((r) => r.name === name)?.importId;

  it("passes the recorded id to exactly the resources it names", () => {
    for (const [name, id] of Object.entries(IMPORTS)) expect(importOf(name), name).toBe(id);
    const others = registered.filter((r) => !(r.name in IMPORTS) && r.importId !== undefined);
    expect(others.map((r) => r.name)).toEqual([]);
  });

  it("refuses an import naming no resource the stack registers, before registering anything", async () => {
    const before = registered.length;
    const stale = {
      ...config,
      "m365-baseline:imports": JSON.stringify({ ca99: "/identity/conditionalAccess/policies/x" }),
    };
    await expect(runProgram("contoso", stale, REPO, {}, { dynamic: () => undefined as never })).rejects.toThrow(
      /stacks\/Pulumi\.contoso\.yaml: m365-baseline:imports\.ca99: 'ca99' is not a resource this stack registers/,
    );
    expect(registered.length).toBe(before);
  });
});
