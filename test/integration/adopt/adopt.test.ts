/**
 * `adopt` against the emulator: a tenant that already holds every object of stack contoso (test/fixtures/tenants,
 * the compliant seed) is adopted whole, nothing created; hand-made copies and objects of another kind are conflicts
 * that stop the command before anything is written; `--write` records exactly the import ids the program passes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { conflictIssues, importsOf, planAdoption, type AdoptionRow } from "../../../src/adopt";
import { readSnapshot } from "../../../src/check/snapshot";
import { readSeeds, startEmulator, type RunningEmulator, type TenantSeed } from "../../../src/emulator";
import { loadTenant, type LoadedTenant } from "../../../src/tenant";
import { runCliAsync } from "../../support/cli";
import { CLIENT_ID, CONTOSO, emulatorTargets } from "../../support/emulator";
import { testAppPem } from "../../support/graph-connect";
import { exampleConfig, REPO, tempRepo } from "../../support/repo";

type Seed = TenantSeed & { collections: Record<string, Record<string, unknown>[]> };

let emu: RunningEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** The compliant contoso seed, changed by `edit`. */
function contosoSeed(edit: (seed: Seed) => void = () => {}): TenantSeed {
  const seed = readSeeds(join(REPO, "test/fixtures/tenants")).find((s) => s.tenantId === CONTOSO)! as Seed;
  const copy = structuredClone(seed);
  edit(copy);
  return copy;
}

async function plan(seed: TenantSeed): Promise<{ rows: AdoptionRow[]; tenant: LoadedTenant }> {
  emu = await startEmulator({ tenants: [seed], behaviour: { latencyMs: 0, conditionalAccessIntervalMs: 0 } });
  const tenant = loadTenant(REPO, "contoso", "2026-11-23");
  const pem = await testAppPem();
  emu.registerClientCertificate(CONTOSO, tenant.stack.config.deployment.clientId, pem);
  const [target] = emulatorTargets(emu, [tenant], pem);
  const connection = target!.connect({ deadlineMs: 60_000 });
  const live = await readSnapshot(connection, tenant.compiled);
  await connection.close?.();
  return { rows: planAdoption(tenant.compiled, live, target!.files!), tenant };
}

const row = (rows: readonly AdoptionRow[], name: string) => rows.find((r) => r.name === name)!;

describe("adopt: matching the tenant's objects by natural key", () => {
  it("adopts every object of a tenant that already has them, with azuread's import ids, creating nothing", async () => {
    const { rows } = await plan(contosoSeed());
    expect(rows.filter((r) => r.action !== "adopt")).toEqual([]);
    const imports = importsOf(rows);
    expect(imports).toMatchObject({
      ca02: expect.stringMatching(/^\/identity\/conditionalAccess\/policies\/[0-9a-f-]{36}$/),
      "named-location-contoso-hq": "/identity/conditionalAccess/namedLocations/371d77cf-c76d-507a-a14f-0feb36d1ddf5",
      "break-glass-group": "/groups/57997d0d-7212-5eda-af98-8828ddf18a0e",
      "app01-backup": "/applications/cdad00ae-acc3-5636-af08-0601415a16ab",
      "app01-backup-sp": "/servicePrincipals/f254cec1-219d-5eab-a9a3-f4516f809a19",
      "app01-backup-certificate":
        "cdad00ae-acc3-5636-af08-0601415a16ab/certificate/f7db9fee-85ee-5742-a3f1-ed2e8f4440c8",
      "app01-backup-role-f2ef992c-3afb-46b9-b7cf-a126ee74c451": "1581c248-1f07-5ff1-a85d-e47cc96c70d1",
    });
    const consent = Object.entries(imports).filter(([name]) => name.startsWith("app01-backup-consent-"));
    expect(consent.length).toBeGreaterThan(3);
    for (const [, id] of consent) expect(id).toMatch(/^\/servicePrincipals\/[0-9a-f-]{36}\/appRoleAssignedTo\/\S+$/);
    // The dynamic types are found by name by the provider and need no import.
    expect(row(rows, "ret01-keep-7-years")).toMatchObject({ action: "adopt", via: "provider" });
    expect(Object.keys(imports).some((n) => n.startsWith("ret") || n.startsWith("pol"))).toBe(false);
    // The compliant tenant: up changes nothing in the adopted objects.
    expect(rows.filter((r) => (r.differences ?? []).length > 0).map((r) => r.name)).toEqual([]);
  });

  it("creates what the tenant lacks, and shows what up will change in what it adopts", async () => {
    const { rows } = await plan(
      contosoSeed((s) => {
        s.collections["conditionalAccessPolicies"] = s.collections["conditionalAccessPolicies"]!.filter(
          (p) => !String(p["displayName"]).startsWith("CA09"),
        );
        const ca02 = s.collections["conditionalAccessPolicies"]!.find((p) =>
          String(p["displayName"]).startsWith("CA02"),
        )!;
        ca02["state"] = "disabled";
        s.collections["appRoleAssignments"] = [];
      }),
    );
    expect(row(rows, "ca09").action).toBe("create");
    expect(row(rows, "ca02").differences!.map((d) => d.path)).toContain("state");
    expect(row(rows, "app01-backup").action).toBe("adopt");
    for (const r of rows.filter((x) => x.name.startsWith("app01-backup-consent-"))) expect(r.action).toBe("create");
  });

  it("a second object of the same name, or a location of the other kind, is a conflict naming both ids", async () => {
    const { rows, tenant } = await plan(
      contosoSeed((s) => {
        const ca01 = s.collections["conditionalAccessPolicies"]!.find((p) =>
          String(p["displayName"]).startsWith("CA01"),
        )!;
        s.collections["conditionalAccessPolicies"]!.push({ ...ca01, id: "0d9f3c0e-1111-4222-8333-944455556666" });
        s.collections["namedLocations"] = [
          {
            id: "371d77cf-c76d-507a-a14f-0feb36d1ddf5",
            "@odata.type": "#microsoft.graph.countryNamedLocation",
            displayName: "Contoso HQ",
            countriesAndRegions: ["NL"],
            includeUnknownCountriesAndRegions: false,
          },
        ];
      }),
    );
    expect(row(rows, "ca01")).toMatchObject({
      action: "conflict",
      reason: expect.stringMatching(
        /^2 conditional-access policy objects have this name \(.+, 0d9f3c0e-1111-4222-8333-944455556666\)$/,
      ),
    });
    expect(row(rows, "named-location-contoso-hq")).toMatchObject({
      action: "conflict",
      reason: expect.stringContaining("is a countryNamedLocation; the baseline's is a ipNamedLocation"),
    });
    const issues = conflictIssues(rows, tenant.stack.file);
    expect(issues.map((i) => i.path)).toEqual(["CA01 ca01", "CA00 named-location-contoso-hq"]);
    expect(issues[0]!.fix).toMatch(/rename or delete all but one/);
  });
});

describe("adopt on the command line", () => {
  async function cli(seed: TenantSeed, args: string[]) {
    emu = await startEmulator({ tenants: [seed], behaviour: { latencyMs: 0, conditionalAccessIntervalMs: 0 } });
    const at = { graph: emu.url, authority: emu.url, compliance: emu.url, caCertificateFile: "emulator-ca.pem" };
    const r = tempRepo(
      { contoso: { ...exampleConfig("contoso"), "m365-baseline:endpoints": at } },
      { "emulator-ca.pem": emu.caCertificatePem },
    );
    const pem = await testAppPem();
    emu.registerClientCertificate(CONTOSO, CLIENT_ID, pem);
    const out = await runCliAsync(["adopt", "--stack", "contoso", "--dir", r.root, ...args], r.root, {
      M365B_CERTIFICATE_PEM: pem,
      M365B_ALLOW_ENDPOINTS: emu.url,
    });
    const file = join(r.root, "stacks/Pulumi.contoso.yaml");
    return { out, text: readFileSync(file, "utf8"), root: r.root, cleanup: r.cleanup };
  }

  it("--write records the imports in the stack file, which still validates; --clear removes them", async () => {
    const { out, text, root, cleanup } = await cli(contosoSeed(), ["--write"]);
    try {
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toMatch(/^adopt contoso: 34 resources — 34 adopt, 0 create, 0 conflict$/m);
      // The 9 objects our dynamic providers find by name themselves need no import id.
      expect(out.stdout).toMatch(/Wrote 25 imports to stacks\/Pulumi\.contoso\.yaml/);
      expect(out.stdout).toContain("adopt --stack contoso --clear");
      const config = (parse(text) as { config: Record<string, Record<string, string>> }).config;
      expect(config["m365-baseline:imports"]!["break-glass-group"]).toBe(
        "/groups/57997d0d-7212-5eda-af98-8828ddf18a0e",
      );
      const cleared = await runCliAsync(["adopt", "--stack", "contoso", "--clear", "--dir", root], root);
      expect(cleared.code, cleared.stderr).toBe(0);
      expect(readFileSync(join(root, "stacks/Pulumi.contoso.yaml"), "utf8")).not.toContain("m365-baseline:imports");
    } finally {
      cleanup();
    }
  });

  it("imports the stack would refuse are not left in it: the file is put back as it was", async () => {
    // An id no import option can carry (Graph's are GUIDs; a hostile or broken server may send anything).
    const seed = contosoSeed((s) => {
      const group = s.groups![0]!;
      (s as unknown as { groups: unknown[] }).groups = [{ ...group, id: "57997d0d 5eda" }];
    });
    const { out, text, cleanup } = await cli(seed, ["--write"]);
    try {
      expect(out.code).toBe(1);
      expect(out.stderr).toContain("m365-baseline:imports.break-glass-group");
      expect(text).not.toContain("m365-baseline:imports");
    } finally {
      cleanup();
    }
  });

  it("a conflict exits 1 with the file, the resource and the fix, and writes nothing", async () => {
    const seed = contosoSeed((s) => {
      const group = s.groups![0]!;
      (s as unknown as { groups: unknown[] }).groups = [
        group,
        { ...group, id: "5e0c7a1d-0000-4000-8000-000000000001" },
      ];
    });
    const { out, text, cleanup } = await cli(seed, ["--write"]);
    try {
      expect(out.code).toBe(1);
      expect(out.stdout).toMatch(/conflict +group +break-glass-group +2 group objects have this name/);
      expect(out.stderr).toContain("stacks/Pulumi.contoso.yaml: CA00 break-glass-group: cannot adopt: 2 group objects");
      expect(text).not.toContain("m365-baseline:imports");
    } finally {
      cleanup();
    }
  });
});
