/**
 * One tenant stack through the real Pulumi engine against the emulator: empty tenant → preview lists the exact
 * creates → up → a second preview has no changes (no false drift through the engine) → changes made by hand (a
 * retention duration, SMS on, the banner logo, CA02 off, a member added to the break-glass group) show in
 * `preview --refresh` as updates of exactly those properties → up converges → refresh keeps inputs → destroy removes
 * only what the stack created.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../src/emulator";
import { applyPermissions } from "../../src/controls/permissions";
import { loadTenant } from "../../src/tenant";
import { bareTenant, CLIENT_ID, consentTo, CONTOSO, testEmulator } from "../support/emulator";
import {
  ENGINE_RUNS,
  ENGINE_SKIP_REASON,
  engineWorkspace,
  initStack,
  previewSteps,
  requireEngine,
  type EngineWorkspace,
} from "../support/engine";
import { generatePem } from "../support/graph-test-server";
import { REPO } from "../support/repo";

const STACK = "contoso";
const compiled = loadTenant(REPO, STACK, new Date().toISOString().slice(0, 10)).compiled;
let emu: RunningEmulator;
let ws: EngineWorkspace;
const HELPDESK = "5e0b7d3a-0000-4000-8000-00000000beef";
const handMade = { id: "7d1c0f6a-0000-4000-8000-00000000cafe", displayName: "Legacy - MFA for admins (manual)" };

describe.skipIf(!ENGINE_RUNS)(`stack ${STACK} through the real engine ${ENGINE_SKIP_REASON}`, () => {
  beforeAll(async () => {
    requireEngine();
    emu = await testEmulator({
      port: 0,
      tenants: [
        bareTenant(CONTOSO, {
          users: [
            { userPrincipalName: "bg-admin1@contoso.onmicrosoft.com" },
            { userPrincipalName: "bg-admin2@contoso.onmicrosoft.com" },
            { id: HELPDESK, userPrincipalName: "helpdesk@contoso.onmicrosoft.com" },
          ],
          // Made by hand before the baseline: never the stack's to change or delete.
          collections: {
            conditionalAccessPolicies: [
              {
                ...handMade,
                state: "enabled",
                conditions: { users: { includeUsers: ["All"] }, applications: { includeApplications: ["All"] } },
                grantControls: { operator: "OR", builtInControls: ["mfa"] },
              },
            ],
          },
        }),
      ],
    });
    const pem = await generatePem("m365-baseline engine test deploying app");
    emu.registerClientCertificate(CONTOSO, CLIENT_ID, pem.cert);
    consentTo(emu, CONTOSO, CLIENT_ID, applyPermissions());
    ws = await engineWorkspace({ caCertificatePem: emu.caCertificatePem, emulatorUrl: emu.url });
    await initStack(ws, STACK, emu.url, pem);
  }, 180_000);
  afterAll(async () => {
    ws?.cleanup();
    await emu?.close();
  });

  it("the stack file holds only ciphertext for the secrets, with the passphrase's salt", () => {
    const text = ws.stackFile(STACK);
    expect(text).toMatch(/^encryptionsalt: v1:/m);
    expect(text).toMatch(/m365-baseline:certificatePem:\n\s+secure: v1:/);
    expect(text).not.toMatch(/PRIVATE KEY/);
  });

  it("preview on an empty tenant lists exactly the creates the baseline compiles to", async () => {
    const r = await ws.pulumi(["preview", "--json", "--stack", STACK]);
    expect(r.code, r.stderr.slice(-4000)).toBe(0);
    const { steps } = previewSteps(r.stdout);
    const creates = steps
      .filter((s) => s.op === "create" && !s.type.startsWith("pulumi:"))
      .map((s) => s.name)
      .sort();
    expect(creates).toEqual(expect.arrayContaining(compiled.resources.map((x) => x.name)));
    expect(steps.filter((s) => !["create", "same"].includes(s.op))).toEqual([]);
  }, 300_000);

  it("up applies them; a second preview shows no changes for any resource type", async () => {
    const up = await ws.pulumi(["up", "--yes", "--skip-preview", "--stack", STACK]);
    expect(up.code, `${up.stdout.slice(-4000)}\n${up.stderr.slice(-4000)}`).toBe(0);
    const policies = emu.tenant(CONTOSO).collections.conditionalAccessPolicies as { displayName: string }[];
    expect(policies.map((p) => p.displayName)).toContain(handMade.displayName);
    expect(policies.length).toBeGreaterThan(1);
    const again = await ws.pulumi(["preview", "--json", "--expect-no-changes", "--stack", STACK]);
    const changed = previewSteps(again.stdout).steps.filter((s) => s.op !== "same");
    expect(changed, again.stderr.slice(-4000)).toEqual([]);
    expect(again.code).toBe(0);
  }, 600_000);

  it("changes made by hand show in preview --refresh as updates of exactly those resources", async () => {
    const t = emu.tenant(CONTOSO);
    const rule = t.compliance.RetentionComplianceRule.find((x) =>
      String(x["Name"]).startsWith("Mailboxes - keep 7 years"),
    )!;
    rule["RetentionDuration"] = 365;
    const methods = t.singletons.authenticationMethodsPolicy["authenticationMethodConfigurations"] as {
      id: string;
      state: string;
    }[];
    methods.find((m) => m.id === "Sms")!.state = "enabled";
    t.streams["0/bannerLogo"] = {
      contentType: "image/png",
      data: readFileSync(join(REPO, "baselines", "assets", "favicon.png")).toString("base64"),
    };
    (t.collections.conditionalAccessPolicies as { displayName: string; state: string }[]).find((p) =>
      p.displayName.startsWith("CA02 "),
    )!.state = "disabled";
    // Someone adds the helpdesk account to the break-glass group: it is now excluded from every policy.
    const group = (t.collections.groups as { id: string; displayName: string }[]).find(
      (g) => g.displayName === "Break-glass accounts (m365-baseline)",
    )!;
    t.groupMembers[group.id] = [...(t.groupMembers[group.id] ?? []), HELPDESK];
    const r = await ws.pulumi(["preview", "--refresh", "--json", "--stack", STACK]);
    expect(r.code, r.stderr.slice(-4000)).toBe(0);
    const updates = previewSteps(r.stdout)
      .steps.filter((s) => s.op === "update")
      .map((s) => s.name)
      .sort();
    expect(updates).toEqual([
      "brand01-default",
      "break-glass-group",
      "ca02",
      "pol03-authentication-methods",
      "ret02-mailboxes-keep-7-years-rule",
    ]);
  }, 600_000);

  it("up converges and the next preview is empty again; refresh keeps the program's inputs", async () => {
    const up = await ws.pulumi(["up", "--yes", "--refresh", "--skip-preview", "--stack", STACK]);
    expect(up.code, up.stderr.slice(-4000)).toBe(0);
    const t = emu.tenant(CONTOSO);
    expect(
      t.compliance.RetentionComplianceRule.find((x) => String(x["Name"]).startsWith("Mailboxes - keep 7 years"))![
        "RetentionDuration"
      ],
    ).toBe(2555);
    const group = (t.collections.groups as { id: string; displayName: string }[]).find(
      (g) => g.displayName === "Break-glass accounts (m365-baseline)",
    )!;
    expect(t.groupMembers[group.id]).not.toContain(HELPDESK);
    expect(
      (t.collections.conditionalAccessPolicies as { displayName: string; state: string }[]).find((p) =>
        p.displayName.startsWith("CA02 "),
      )!.state,
    ).toBe("enabled");
    const refresh = await ws.pulumi(["refresh", "--yes", "--skip-preview", "--stack", STACK]);
    expect(refresh.code, refresh.stderr.slice(-4000)).toBe(0);
    const again = await ws.pulumi(["preview", "--json", "--stack", STACK]);
    expect(
      previewSteps(again.stdout).steps.filter((s) => s.op !== "same"),
      again.stderr.slice(-3000),
    ).toEqual([]);
  }, 600_000);

  it("destroy removes only what the stack created", async () => {
    const r = await ws.pulumi(["destroy", "--yes", "--skip-preview", "--stack", STACK]);
    expect(r.code, r.stderr.slice(-4000)).toBe(0);
    const t = emu.tenant(CONTOSO);
    const left = (t.collections.conditionalAccessPolicies as { displayName: string }[]).map((p) => p.displayName);
    const ours = compiled.resources.filter((x) => x.type === "conditionalAccessPolicy").map((x) => x.naturalKey);
    expect(ours.length).toBeGreaterThan(0);
    expect(left.filter((n) => ours.includes(n))).toEqual([]);
    // The hand-made policy and those Microsoft added when security defaults went off are not the stack's.
    expect(left).toContain(handMade.displayName);
    expect(left.filter((n) => n !== handMade.displayName).every((n) => n.startsWith("Microsoft-managed:"))).toBe(true);
    expect((t.collections.users as { userPrincipalName: string }[]).map((u) => u.userPrincipalName).sort()).toEqual([
      "bg-admin1@contoso.onmicrosoft.com",
      "bg-admin2@contoso.onmicrosoft.com",
      "helpdesk@contoso.onmicrosoft.com",
    ]);
    expect(t.collections.namedLocations).toEqual([]);
  }, 600_000);
});
