/**
 * `consent` against the emulator, which keeps consent as Entra does (the app's service principal, one app-role
 * assignment per granted permission, directory roles by template id): the command lists exactly what the admin
 * has not granted yet, from the controls the stack compiles to, and prints the admin-consent URL before any call.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { adminConsentUrl, consentRows } from "../../../src/consent";
import { tenantPermissionList } from "../../../src/controls/permissions";
import { readSeeds, startEmulator, type RunningEmulator } from "../../../src/emulator";
import { loadTenant } from "../../../src/tenant";
import { runCliAsync } from "../../support/cli";
import { CLIENT_ID, CONTOSO, consentTo } from "../../support/emulator";
import { testAppPem } from "../../support/graph-connect";
import { exampleConfig, REPO, tempRepo } from "../../support/repo";

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const required = tenantPermissionList(
  loadTenant(REPO, "contoso", "2026-11-23").compiled.resources.map((r) => r.controlId),
);

/** `consent --stack contoso` against an emulator where the admin consented to `granted`. */
async function consent(granted: typeof required) {
  const seed = readSeeds(join(REPO, "test/fixtures/tenants")).find((s) => s.tenantId === CONTOSO)!;
  emu = await startEmulator({ tenants: [seed], behaviour: { latencyMs: 0, conditionalAccessIntervalMs: 0 } });
  const pem = await testAppPem();
  emu.registerClientCertificate(CONTOSO, CLIENT_ID, pem);
  consentTo(emu, CONTOSO, CLIENT_ID, granted);
  const at = { graph: emu.url, authority: emu.url, compliance: emu.url, caCertificateFile: "emulator-ca.pem" };
  const r = tempRepo(
    { contoso: { ...exampleConfig("contoso"), "m365-baseline:endpoints": at } },
    { "emulator-ca.pem": emu.caCertificatePem },
  );
  try {
    return await runCliAsync(["consent", "--stack", "contoso", "--dir", r.root], r.root, {
      M365B_CERTIFICATE_PEM: pem,
      M365B_ALLOW_ENDPOINTS: emu.url,
    });
  } finally {
    r.cleanup();
  }
}

describe("m365-baseline consent", () => {
  it("exits 0 when the admin granted everything the stack needs, listing each grant", async () => {
    const out = await consent(required);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(`Admin consent URL: ${emu!.url}/${CONTOSO}/adminconsent?client_id=${CLIENT_ID}`);
    expect(out.stdout).toMatch(/^ {2}granted +Policy\.ReadWrite\.ConditionalAccess +Microsoft Graph$/m);
    expect(out.stdout).toMatch(/^ {2}assigned +Compliance Administrator +Entra ID role$/m);
    expect(out.stdout).toContain(`${required.length} of ${required.length} granted.\nNothing to grant.`);
    // promote's sign-in read is optional: listed, not counted.
    expect(out.stdout).toMatch(/^ {2}MISSING +AuditLog\.Read\.All +Microsoft Graph +\(promote: /m);
  });

  it("names each missing permission and role, with what to do, and exits 2", async () => {
    const withheld = ["Exchange.ManageAsApp", "OrganizationalBranding.ReadWrite.All", "Compliance Administrator"];
    const out = await consent(required.filter((p) => !withheld.includes(p.value)));
    expect(out.code, out.stderr).toBe(2);
    const missing = [...out.stdout.split("Optional")[0]!.matchAll(/^ {2}MISSING +(\S+(?: \S+)*?) {2,}/gm)].map(
      (m) => m[1],
    );
    expect(missing.sort()).toEqual([...withheld].sort());
    expect(out.stdout).toContain(`${required.length - 3} of ${required.length} granted.`);
    expect(out.stdout).toContain("add any MISSING permission to it (API permissions) first");
    expect(out.stdout).toContain("Assign each MISSING Entra ID role to the app's service principal");
  });

  it("without the permission to read its own grants: the URL, then the refusal naming it, exit 1", async () => {
    // Application.ReadWrite.All also reads service principals (Graph's permissions reference).
    const out = await consent(required.filter((p) => !p.value.startsWith("Application.")));
    expect(out.code, out.stdout).toBe(1);
    expect(out.stdout).toContain("/adminconsent?client_id=");
    expect(out.stderr).toContain("Application.Read.All");
  });
});

describe("consent rows and URL", () => {
  it("match app roles by resource API: Graph's User.Read.All is not SharePoint's", () => {
    const rows = consentRows([{ resource: "Microsoft Graph", value: "User.Read.All" }], {
      appRoles: [{ resourceAppId: "00000003-0000-0ff1-ce00-000000000000", value: "User.Read.All" }],
      directoryRoleIds: [],
    });
    expect(rows[0]!.granted).toBe(false);
  });

  it("encodes the tenant and client in the URL", () => {
    expect(adminConsentUrl("https://login.microsoftonline.com/", "contoso.onmicrosoft.com", "a b")).toBe(
      "https://login.microsoftonline.com/contoso.onmicrosoft.com/adminconsent?client_id=a%20b",
    );
  });
});
