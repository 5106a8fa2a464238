import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { installMocks, programConfig } from "../../support/pulumi-mocks";
import { REPO } from "../../support/repo";

const registered = installMocks("fabrikam");

describe("the program refuses bad configuration before registering anything", async () => {
  const { runProgram } = await import("../../../src/program/run");
  it("an unknown baseline is one readable RunError naming the stack key and the baselines that exist", async () => {
    const config = { ...programConfig("fabrikam", {}), "m365-baseline:baseline": "msp-gold" };
    let error: unknown;
    try {
      await runProgram("fabrikam", config, REPO, {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(pulumi.RunError);
    expect((error as Error).message).toBe(
      "m365-baseline: the stack configuration is invalid:\nstacks/Pulumi.fabrikam.yaml: m365-baseline:baseline: baseline 'msp-gold' not found (no baselines/msp-gold.ts) (use one of: msp-standard, msp-strict)",
    );
    expect(registered).toEqual([]);
  });
  it("a stack without break-glass users is refused", async () => {
    const config = { ...programConfig("fabrikam", {}), "m365-baseline:breakGlass": JSON.stringify({ users: [] }) };
    await expect(runProgram("fabrikam", config, REPO, {})).rejects.toThrow(
      /m365-baseline:breakGlass.users: list at least one break-glass account/,
    );
    expect(registered).toEqual([]);
  });
  it("certificate auth without a PFX is refused naming the key, before the provider fails without saying where", async () => {
    await expect(runProgram("fabrikam", programConfig("fabrikam", { certificatePfx: "" }), REPO, {})).rejects.toThrow(
      "m365-baseline: the stack configuration is invalid:\nstacks/Pulumi.fabrikam.yaml: m365-baseline:certificatePfx: deployment.auth is certificate but no PFX is set (pulumi config set --secret certificatePfx <base64 PKCS#12>, or export M365B_CERTIFICATE_PFX, or use deployment.auth: oidc)",
    );
    expect(registered).toEqual([]);
    // The environment fallback is enough.
    await expect(
      runProgram(
        "fabrikam",
        programConfig("fabrikam", {}),
        REPO,
        { M365B_CERTIFICATE_PFX: "cGZ4" },
        {
          dynamic: () => {
            throw new Error("registered");
          },
        },
      ),
    ).rejects.toThrow("registered");
  });
  it("a PFX that is not base64 is refused naming the key, before anything is written or registered", async () => {
    await expect(
      runProgram("fabrikam", programConfig("fabrikam", { certificatePfx: "deploy-app.pfx" }), REPO, {}),
    ).rejects.toThrow(
      'stacks/Pulumi.fabrikam.yaml: m365-baseline:certificatePfx: is not base64 (a PKCS#12 file encoded with base64 -w0) (pulumi config set --secret m365-baseline:certificatePfx "$(base64 -w0 deploy-app.pfx)")',
    );
    expect(registered).toEqual([]);
  });
});
