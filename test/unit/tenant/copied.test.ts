import { describe, expect, it } from "vitest";
import { runCli } from "../../support/cli";
import { exampleConfig, tempRepo } from "../../support/repo";
import { copiedStackWarnings, type RawStack } from "../../../src/tenant/copied";

const contoso: RawStack = {
  name: "contoso",
  file: "stacks/Pulumi.contoso.yaml",
  top: { encryptionsalt: "v1:salt-of-contoso" },
  config: {
    ...exampleConfig("contoso"),
    "m365-baseline:certificatePfx": { secure: "v1:ciphertext-of-contoso" },
  },
};

/** A copy of contoso with the tenant id, name and domain changed — and everything else left as it was. */
function copy(edit: (config: Record<string, unknown>, top: Record<string, unknown>) => void = () => {}): RawStack {
  const config = structuredClone(contoso.config) as Record<string, unknown>;
  const top = { ...contoso.top };
  config["m365-baseline:tenantId"] = "0a1b2c3d-0000-4000-8000-00000000abcd";
  config["m365-baseline:displayName"] = "Northwind Traders";
  config["m365-baseline:primaryDomain"] = "northwind.onmicrosoft.com";
  config["m365-baseline:breakGlass"] = { users: ["bg1@northwind.onmicrosoft.com"] };
  edit(config, top);
  return { name: "northwind", file: "stacks/Pulumi.northwind.yaml", top, config };
}

const warnings = (s: RawStack) => copiedStackWarnings([contoso, s]).get(s.name) ?? [];
const paths = (s: RawStack) => warnings(s).map((w) => w.path);

describe("a stack copied from another keeps nothing of that tenant unnoticed", () => {
  it("names the salt, the secret and the other tenant's name in branding", () => {
    expect(paths(copy())).toEqual([
      "encryptionsalt",
      "m365-baseline:certificatePfx",
      "m365-baseline:branding.signInPageText",
    ]);
    const [salt] = warnings(copy());
    expect(salt!.message).toContain("as in stacks/Pulumi.contoso.yaml (a copied stack?)");
    expect(salt!.fix).toContain("pulumi stack init");
  });

  it("is silent once the copy holds its own values", () => {
    const own = copy((config, top) => {
      top["encryptionsalt"] = "v1:salt-of-northwind";
      config["m365-baseline:certificatePfx"] = { secure: "v1:ciphertext-of-northwind" };
      config["m365-baseline:branding"] = { signInPageText: "Northwind Traders - authorised users only." };
    });
    expect(paths(own)).toEqual([]);
    expect(copiedStackWarnings([contoso, own]).has("contoso")).toBe(false);
  });

  it("warns on a primary domain two stacks share", () => {
    const same = copy((config) => {
      config["m365-baseline:primaryDomain"] = "CONTOSO.onmicrosoft.com";
      delete config["m365-baseline:branding"];
      delete config["m365-baseline:certificatePfx"];
    });
    expect(paths(same)).toContain("m365-baseline:primaryDomain");
  });

  it("validate prints the warnings and still exits 0", () => {
    const config: Record<string, unknown> = { ...copy().config };
    delete config["m365-baseline:certificatePfx"];
    const r = tempRepo({ contoso: exampleConfig("contoso"), northwind: config });
    try {
      const out = runCli(["validate", "--dir", r.root], r.root);
      expect(out.code, out.stderr).toBe(0);
      expect(out.stderr).toMatch(
        /^warning: stacks\/Pulumi\.northwind\.yaml: m365-baseline:branding\.signInPageText: names the other tenant \(Contoso Ltd\) — as in stacks\/Pulumi\.contoso\.yaml/m,
      );
      expect(out.stderr).not.toContain("warning: stacks/Pulumi.contoso.yaml");
    } finally {
      r.cleanup();
    }
  });
});
