import { describe, expect, it } from "vitest";
import { installMocks, programConfig, settle } from "../../support/pulumi-mocks";
import { REPO } from "../../support/repo";

installMocks("fabrikam");

describe("branding with retainOnDelete", async () => {
  const { runProgram } = await import("../../../src/program/run");
  const pulumi = await import("@pulumi/pulumi");
  const seen = new Map<string, unknown>();
  const config = {
    ...programConfig("fabrikam", { certificatePfx: "cGZ4" }),
    "m365-baseline:branding": JSON.stringify({
      retainOnDelete: true,
      localizations: [{ locale: "fr-FR", signInPageText: "Accès réservé" }],
    }),
  };
  await runProgram(
    "fabrikam",
    config,
    REPO,
    {},
    {
      dynamic: (type, name, inputs, opts) => {
        seen.set(name, opts.retainOnDelete);
        return new (class extends pulumi.CustomResource {})(`test:dynamic:${type}`, name, inputs, opts);
      },
    },
  );
  await settle();
  it("registers the default branding and the localization with retainOnDelete; other resources without", () => {
    expect(seen.get("brand01-default")).toBe(true);
    expect(seen.get("brand01-fr-fr")).toBe(true);
    expect(seen.get("ret01-keep-7-years")).toBeUndefined();
  });
});
