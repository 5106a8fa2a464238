/** The application registrar on a permission set where two resource APIs share a permission value. */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import type { CompiledTenant } from "../../../src/core/desired";
import { REPO } from "../../support/repo";

const GRAPH = "00000003-0000-0000-c000-000000000000";
const SHAREPOINT = "00000003-0000-0ff1-ce00-000000000000";
const registered: { type: string; name: string; inputs: Record<string, unknown> }[] = [];
pulumi.runtime.setMocks(
  {
    newResource: (a) => {
      registered.push({ type: a.type, name: a.name, inputs: a.inputs });
      return { id: `${a.name}-id`, state: { ...a.inputs, objectId: `${a.name}-oid`, clientId: `${a.name}-appid` } };
    },
    // Same value, different id per resource API: the consent must use each API's own id.
    call: (a) => ({
      objectId: `sp-${a.inputs.clientId}`,
      appRoleIds: {
        "User.Read.All": `user-read-all@${a.inputs.clientId}`,
        "Sites.Read.All": `sites-read-all@${a.inputs.clientId}`,
      },
    }),
  },
  "m365-baseline",
  "app",
  false,
);

const tenant: CompiledTenant = {
  stack: "app",
  tenantId: "11111111-2222-4333-8444-555555555555",
  primaryDomain: "app.onmicrosoft.com",
  displayName: "App",
  baseline: "inline",
  outcomes: [],
  resources: [
    {
      name: "app01-backup",
      controlId: "APP01",
      type: "application",
      naturalKey: "Backup",
      stage: "enforce",
      dependsOn: [],
      properties: {
        displayName: "Backup",
        signInAudience: "AzureADMyOrg",
        certificateFile: "baselines/certs/veeam-backup.pem",
        directoryRoles: [],
        preset: "test",
        requiredResourceAccess: [
          { resourceAppId: GRAPH, roles: ["Sites.Read.All", "User.Read.All"] },
          { resourceAppId: SHAREPOINT, roles: ["User.Read.All"] },
        ],
      },
    },
  ],
};

describe("application consent", async () => {
  const { buildTenant } = await import("../../../src/program/index");
  buildTenant(tenant, {
    root: REPO,
    provider: { clientId: "22222222-3333-4444-8555-666666666666", auth: "oidc", oidcTokenFilePath: "/run/token" },
  });
  await new Promise((r) => setTimeout(r, 100));

  it("gives a value shared by two resource APIs one consent per API, each with that API's role id", () => {
    const consents = registered
      .filter((r) => r.type === "azuread:index/appRoleAssignment:AppRoleAssignment")
      .map((r) => [r.name, r.inputs["appRoleId"], r.inputs["resourceObjectId"]]);
    expect(consents.sort()).toEqual([
      [
        "app01-backup-consent-00000003-0000-0000-c000-000000000000-user-read-all",
        `user-read-all@${GRAPH}`,
        `sp-${GRAPH}`,
      ],
      [
        "app01-backup-consent-00000003-0000-0ff1-ce00-000000000000-user-read-all",
        `user-read-all@${SHAREPOINT}`,
        `sp-${SHAREPOINT}`,
      ],
      ["app01-backup-consent-sites-read-all", `sites-read-all@${GRAPH}`, `sp-${GRAPH}`],
    ]);
    expect(registered.filter((r) => r.type.includes("directoryRoleAssignment"))).toEqual([]);
  });

  it("configures OIDC without a certificate and without the machine's identity", () => {
    const provider = registered.find((r) => r.type === "pulumi:providers:azuread")!.inputs;
    expect(provider).toMatchObject({
      useOidc: "true",
      oidcTokenFilePath: "/run/token",
      useCli: "false",
      useMsi: "false",
    });
    expect(provider).not.toHaveProperty("clientCertificate");
  });
});
