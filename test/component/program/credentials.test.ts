import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { installMocks, programConfig, settle } from "../../support/pulumi-mocks";
import { REPO } from "../../support/repo";

const registered = installMocks("fabrikam");
// How a secret value looks in mocked inputs (Pulumi's secret signature key).
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

describe("a password-protected PFX reaches the azuread provider as a file and a secret password", async () => {
  const { runProgram } = await import("../../../src/program/run");
  const pulumi = await import("@pulumi/pulumi");
  const pfx = Buffer.from("password-protected pkcs12 bytes").toString("base64");
  const endpoints = JSON.stringify({
    graph: "https://localhost:8443",
    authority: "https://localhost:8443",
    compliance: "https://localhost:8443",
  });
  const config = {
    ...programConfig("fabrikam", { certificatePfx: pfx, certificatePfxPassword: "s3cret-pfx-pass" }),
    "m365-baseline:endpoints": endpoints,
  };
  await runProgram(
    "fabrikam",
    config,
    REPO,
    { M365B_ALLOW_ENDPOINTS: "https://localhost:8443" },
    {
      dynamic: (type, name, inputs, opts) =>
        new (class extends pulumi.CustomResource {})(`test:dynamic:${type}`, name, inputs, opts),
    },
  );
  await settle();
  const provider = registered.find((r) => r.type === "pulumi:providers:azuread")!.inputs;

  it("passes the password as a Pulumi secret and the certificate as a private file", () => {
    expect(provider["clientCertificatePassword"]).toEqual({
      [SECRET_SIG]: expect.any(String),
      value: "s3cret-pfx-pass",
    });
    expect(readFileSync(String(provider["clientCertificatePath"])).toString()).toBe("password-protected pkcs12 bytes");
  });
  it("points the provider's cloud metadata at the stack's endpoint host (the emulator)", () => {
    expect(provider["metadataHost"]).toBe("localhost:8443");
  });
  it("refuses a metadata host the environment does not allow: the provider would send its assertion there", async () => {
    const before = registered.length;
    await expect(runProgram("fabrikam", config, REPO, {})).rejects.toThrow(
      "stacks/Pulumi.fabrikam.yaml: m365-baseline:endpoints.graph: https://localhost:8443 is not a Microsoft cloud endpoint (tokens go only to Microsoft's cloud; to use the emulator, export M365B_ALLOW_ENDPOINTS=https://localhost:8443 (the environment, never a stack file, allows other hosts))",
    );
    expect(registered.length).toBe(before);
  });
  it("takes the password from M365B_CERTIFICATE_PFX_PASSWORD when the stack has none", async () => {
    registered.length = 0;
    await runProgram(
      "fabrikam",
      programConfig("fabrikam", { certificatePfx: pfx }),
      REPO,
      { M365B_CERTIFICATE_PFX_PASSWORD: "from-env" },
      {
        dynamic: (type, name, inputs, opts) =>
          new (class extends pulumi.CustomResource {})(`test:dynamic:${type}`, name, inputs, opts),
      },
    );
    await settle();
    const p = registered.find((r) => r.type === "pulumi:providers:azuread")!.inputs;
    expect(p["clientCertificatePassword"]).toEqual({ [SECRET_SIG]: expect.any(String), value: "from-env" });
    // Microsoft's public cloud needs no metadata host.
    expect(p).not.toHaveProperty("metadataHost");
  });
});
