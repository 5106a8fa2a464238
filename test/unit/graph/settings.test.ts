import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/errors";
import { settingsFromConfig } from "../../../src/graph/settings";
import { fakeKeyAndCertificate, fakePemBlock } from "../../fixtures/test-only-pem";

const PEM = fakeKeyAndCertificate("SECRETKEYMATERIAL");
const base: Record<string, string> = {
  "m365-baseline:tenantId": "6b0c3a52-7a3e-4d0b-9f0e-1c2d3e4f5a61",
  "m365-baseline:primaryDomain": "contoso.onmicrosoft.com",
  "m365-baseline:deployment": JSON.stringify({ clientId: "11111111-2222-3333-4444-555555555555", auth: "certificate" }),
  "m365-baseline:certificatePem": PEM,
};
const from = (config: Record<string, string | undefined>, env: NodeJS.ProcessEnv = {}) =>
  settingsFromConfig((k) => config[k], env, { file: "stacks/Pulumi.contoso.yaml" });
const issuesOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).issues;
  }
  throw new Error("expected a ValidationError");
};

describe("settingsFromConfig", () => {
  it("reads a certificate deployment with production endpoints", () => {
    const s = from(base);
    expect(s).toMatchObject({
      tenantId: base["m365-baseline:tenantId"],
      primaryDomain: "contoso.onmicrosoft.com",
      credential: { kind: "certificate", certificatePem: PEM },
    });
    expect(s.graphBaseUrl).toBeUndefined();
  });

  it("falls back to M365B_CERTIFICATE_PEM", () => {
    const s = from({ ...base, "m365-baseline:certificatePem": undefined }, { M365B_CERTIFICATE_PEM: PEM });
    expect(s.credential).toMatchObject({ kind: "certificate" });
  });

  it("reads OIDC from M365B_OIDC_TOKEN_FILE and emulator endpoints with a CA file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "m365b-"));
    fs.writeFileSync(path.join(dir, "token"), "eyJ");
    fs.writeFileSync(path.join(dir, "ca.pem"), fakePemBlock("CERTIFICATE", "MIIB"));
    const s = settingsFromConfig(
      (k) =>
        ({
          ...base,
          "m365-baseline:deployment": JSON.stringify({
            clientId: "11111111-2222-3333-4444-555555555555",
            auth: "oidc",
          }),
          "m365-baseline:endpoints": JSON.stringify({
            graph: "https://localhost:8443/",
            authority: "https://localhost:8443",
            compliance: "https://localhost:8443",
            caCertificateFile: "ca.pem",
          }),
        })[k],
      { M365B_OIDC_TOKEN_FILE: path.join(dir, "token"), M365B_ALLOW_ENDPOINTS: "https://localhost:8443" },
      { baseDir: dir },
    );
    expect(s.credential).toEqual({
      kind: "workloadIdentity",
      clientId: "11111111-2222-3333-4444-555555555555",
      tokenFilePath: path.join(dir, "token"),
    });
    expect(s.graphBaseUrl).toBe("https://localhost:8443");
    expect(s.caCertificatePem).toContain("BEGIN CERTIFICATE");
  });

  it("sends tokens nowhere but Microsoft's cloud unless the environment (never the stack file) allows the host", () => {
    const endpoints = (url: string) => ({
      ...base,
      "m365-baseline:endpoints": JSON.stringify({ graph: url, authority: url, compliance: url }),
    });
    const refused = issuesOf(() => from(endpoints("https://graph.attacker.example")));
    expect(refused.map((i) => i.path)).toEqual([
      "m365-baseline:endpoints.graph",
      "m365-baseline:endpoints.authority",
      "m365-baseline:endpoints.compliance",
    ]);
    expect(refused[0]!.message).toBe("https://graph.attacker.example is not a Microsoft cloud endpoint");
    expect(refused[0]!.fix).toContain("export M365B_ALLOW_ENDPOINTS=https://graph.attacker.example");
    // A Microsoft-looking host on another port, or a look-alike suffix, is not Microsoft's.
    expect(issuesOf(() => from(endpoints("https://graph.microsoft.com:8443"))).length).toBe(3);
    expect(issuesOf(() => from(endpoints("https://graph.microsoft.com.attacker.example"))).length).toBe(3);
    // The stack cannot allow itself: only the process environment is read for the opt-in.
    expect(
      issuesOf(() =>
        from({
          ...endpoints("https://localhost:8443"),
          "m365-baseline:M365B_ALLOW_ENDPOINTS": "https://localhost:8443",
        }),
      ).length,
    ).toBe(3);
    expect(
      from(endpoints("https://localhost:8443"), { M365B_ALLOW_ENDPOINTS: "https://localhost:8443/" }).graphBaseUrl,
    ).toBe("https://localhost:8443");
    const gov = {
      ...base,
      "m365-baseline:endpoints": JSON.stringify({
        graph: "https://graph.microsoft.us",
        authority: "https://login.microsoftonline.us",
        compliance: "https://ps.compliance.protection.office365.us",
      }),
    };
    expect(from(gov).graphBaseUrl).toBe("https://graph.microsoft.us");
  });

  it("accepts azureCli without a client id", () => {
    expect(from({ ...base, "m365-baseline:deployment": '{"auth":"azureCli"}' }).credential).toEqual({
      kind: "azureCli",
    });
  });

  it("lists every problem with key path and fix, and never echoes the PEM", () => {
    const issues = issuesOf(() =>
      from({
        "m365-baseline:tenantId": "contoso",
        "m365-baseline:deployment": '{"clientId":"x","auth":"certificate"}',
        "m365-baseline:certificatePem": "SECRETKEYMATERIAL only",
        "m365-baseline:endpoints": '{"graph":"http://localhost:8443"}',
      }),
    );
    expect(issues.map((i) => i.path).sort()).toEqual(
      [
        "m365-baseline:certificatePem",
        "m365-baseline:deployment.clientId",
        "m365-baseline:endpoints.graph",
        "m365-baseline:primaryDomain",
        "m365-baseline:tenantId",
      ].sort(),
    );
    for (const i of issues) {
      expect(i.file).toBe("stacks/Pulumi.contoso.yaml");
      expect(i.fix.length).toBeGreaterThan(5);
      expect(i.message).not.toContain("SECRETKEYMATERIAL");
    }
  });

  it("requires the OIDC token file to exist", () => {
    const issues = issuesOf(() =>
      from(
        { ...base, "m365-baseline:deployment": '{"clientId":"11111111-2222-3333-4444-555555555555","auth":"oidc"}' },
        { M365B_OIDC_TOKEN_FILE: "/nonexistent/token" },
      ),
    );
    expect(issues[0]!.message).toContain("does not exist");
  });

  it("rejects an unknown auth kind and a deployment that is not an object", () => {
    expect(issuesOf(() => from({ ...base, "m365-baseline:deployment": '{"auth":"password"}' }))[0]!.path).toBe(
      "m365-baseline:deployment.auth",
    );
    expect(issuesOf(() => from({ ...base, "m365-baseline:deployment": "[1]" }))[0]!.path).toBe(
      "m365-baseline:deployment",
    );
  });
});
