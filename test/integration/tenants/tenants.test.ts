/**
 * `tenants` against the emulator: the partner tenant holds delegated admin relationships shaped as Microsoft's
 * example response (https://learn.microsoft.com/graph/api/tenantrelationship-list-delegatedadminrelationships:
 * `@odata.type`, `@odata.etag`, `customer`, `accessDetails.unifiedRoles`, `status`, a reseller relationship);
 * the command lists each customer with its stack or none, and `--new` writes a stack that validates.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { startEmulator, type RunningEmulator } from "../../../src/emulator";
import { runCliAsync } from "../../support/cli";
import { bareTenant, CLIENT_ID, CONTOSO } from "../../support/emulator";
import { testAppPem } from "../../support/graph-connect";
import { exampleConfig, tempRepo } from "../../support/repo";

const PARTNER = "8777b240-c6f0-4469-9e98-a3205431b836";
const NORTHWIND = "52eaad04-13a2-4a2f-9ce8-93a294fadf36";
const OLD = "4b827261-d21f-4aa9-b7db-7fa1f56fb163";

const relationship = (id: string, customer: [string, string], status: string, type = "delegatedAdminRelationship") => ({
  "@odata.type": `#microsoft.graph.${type}`,
  "@odata.etag": 'W/"JyIwMzAwZTM0ZS0wMDAwLTAyMDAtMDAwMC02MTRjZjI1YzAwMDAiJw=="',
  id: `${id}-${PARTNER}`,
  displayName: `${customer[1]} admin relationship`,
  duration: "P730D",
  customer: { tenantId: customer[0], displayName: customer[1] },
  accessDetails: { unifiedRoles: [{ roleDefinitionId: "f2ef992c-3afb-46b9-b7cf-a126ee74c451" }] },
  status,
  autoExtendDuration: "P180D",
  createdDateTime: "2026-02-10T11:24:42.3148266Z",
  lastModifiedDateTime: "2026-02-10T11:26:44.9941884Z",
  activatedDateTime: status === "active" ? "2026-02-10T11:26:44.9941884Z" : null,
  endDateTime: status === "approvalPending" ? null : "2028-02-10T11:24:42.3148266Z",
});

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function tenants(args: string[], granted = true) {
  const partner = bareTenant(PARTNER, {
    primaryDomain: "msp.onmicrosoft.com",
    displayName: "The MSP",
    collections: {
      delegatedAdminRelationships: [
        relationship("5d027261-d21f-4aa9-b7db-7fa1f56fb163", [NORTHWIND, "Northwind Traders"], "active"),
        relationship("1041ef52-a99b-4245-a3be-cbd3fa7c5ed1", [OLD, "Old Customer"], "terminated"),
        relationship("6a1b2c3d-0000-4aa9-b7db-7fa1f56fb163", [CONTOSO, "Contoso Ltd"], "active"),
        relationship(
          "4b227261-d21f-4aa9-b7db-7fa1f56fb163",
          [CONTOSO, "Contoso Ltd"],
          "approvalPending",
          "resellerDelegatedAdminRelationship",
        ),
      ],
    },
  });
  emu = await startEmulator({ tenants: [partner], behaviour: { latencyMs: 0 } });
  const pem = await testAppPem();
  emu.registerClientCertificate(PARTNER, CLIENT_ID, pem);
  emu.consent(PARTNER, CLIENT_ID, granted ? ["DelegatedAdminRelationship.Read.All"] : ["Directory.Read.All"]);
  const endpoints = { graph: emu.url, authority: emu.url, compliance: emu.url, caCertificateFile: "emulator-ca.pem" };
  const contoso = { ...exampleConfig("contoso") };
  delete contoso["m365-baseline:deployment"];
  const fleet = {
    config: {
      "m365-baseline:deployment": { clientId: CLIENT_ID, auth: "certificate" },
      "m365-baseline:partner": { tenantId: PARTNER, primaryDomain: "msp.onmicrosoft.com", endpoints },
    },
  };
  const r = tempRepo({ contoso }, { "emulator-ca.pem": emu.caCertificatePem, "stacks/fleet.yaml": stringify(fleet) });
  const out = await runCliAsync(["tenants", "--dir", r.root, ...args], r.root, {
    M365B_CERTIFICATE_PEM: pem,
    M365B_ALLOW_ENDPOINTS: emu.url,
  });
  return { out, root: r.root, cleanup: r.cleanup };
}

describe("m365-baseline tenants", () => {
  it("lists each customer once, active before its other relationships, with its stack or none", async () => {
    const { out, cleanup } = await tenants([]);
    try {
      expect(out.code, out.stderr).toBe(0);
      const lines = out.stdout.split("\n");
      expect(lines[0]).toBe("tenants: 3 customer(s) through delegated admin relationships");
      expect(lines[1]).toMatch(new RegExp(`^ {2}active +${CONTOSO} +Contoso Ltd +stacks/Pulumi\\.contoso\\.yaml`));
      expect(lines[2]).toMatch(
        new RegExp(`^ {2}active +${NORTHWIND} +Northwind Traders +no stack \\(ends 2028-02-10\\)$`),
      );
      expect(lines[3]).toMatch(new RegExp(`^ {2}terminated +${OLD} +Old Customer +no stack`));
      expect(out.stdout).toContain("1 active customer(s) without a stack");
    } finally {
      cleanup();
    }
  });

  it("--new writes a stack with the customer's own ids that validates, using the fleet's deploying app", async () => {
    const args = ["--new", "northwind", "--tenant", NORTHWIND, "--domain", "northwind.onmicrosoft.com"];
    const { out, root, cleanup } = await tenants([
      ...args,
      "--break-glass",
      "bg1@northwind.onmicrosoft.com",
      "--licences",
      "entraIdP1",
    ]);
    try {
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toContain("Wrote stacks/Pulumi.northwind.yaml for Northwind Traders");
      const text = readFileSync(join(root, "stacks/Pulumi.northwind.yaml"), "utf8");
      expect(text).toContain(`m365-baseline:tenantId: ${NORTHWIND}`);
      expect(text).toMatch(/entraIdP1: true\n {4}entraIdP2: false/);
      expect(text).not.toMatch(/secure:|encryptionsalt|contoso|deployment/i);
      const validate = await runCliAsync(["validate", "--dir", root], root);
      expect(validate.code, validate.stderr).toBe(0);
      expect(validate.stdout).toContain("ok  stacks/Pulumi.northwind.yaml");
      expect(validate.stderr).not.toContain("northwind");
    } finally {
      cleanup();
    }
  });

  it("refuses --new for a customer that has a stack, and for missing options, writing nothing", async () => {
    const taken = await tenants([
      "--new",
      "contoso2",
      "--tenant",
      CONTOSO,
      "--domain",
      "contoso.onmicrosoft.com",
      "--break-glass",
      "a@contoso.onmicrosoft.com",
    ]);
    try {
      expect(taken.out.code).toBe(1);
      expect(taken.out.stderr).toContain("command line: --tenant: already managed by stacks/Pulumi.contoso.yaml");
      expect(existsSync(join(taken.root, "stacks/Pulumi.contoso2.yaml"))).toBe(false);
    } finally {
      taken.cleanup();
    }
    const missing = await runCliAsync(["tenants", "--new", "x"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("--domain: is required with --new");
  });

  it("without DelegatedAdminRelationship.Read.All the refusal names it", async () => {
    const { out, cleanup } = await tenants([], false);
    try {
      expect(out.code).toBe(1);
      expect(out.stderr).toContain("DelegatedAdminRelationship.Read.All");
    } finally {
      cleanup();
    }
  });
});
