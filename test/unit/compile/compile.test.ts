import { describe, expect, it } from "vitest";
import { defineBaseline } from "../../../src/baseline/define";
import { compile } from "../../../src/compile";
import { ValidationError } from "../../../src/errors";
import { parseStackConfig } from "../../../src/stack/load";
import { ADMIN_ROLE_TEMPLATE_IDS } from "../../../src/controls/conditional-access/common";
import type { JsonProbe } from "../../support/json";
import { exampleConfig, REPO } from "../../support/repo";
import { loadTenant } from "../../../src/tenant";

const OPTS = { file: "stacks/Pulumi.t.yaml", stack: "t", today: "2026-11-23" };
const stack = (mutate: (c: Record<string, unknown>) => void = () => undefined) => {
  const c = exampleConfig("contoso");
  mutate(c);
  return parseStackConfig(c, { file: OPTS.file, decrypted: false }).config;
};
const allCa = defineBaseline({
  name: "all-ca",
  description: "every CA control",
  controls: {
    CA01: { stage: "enforce" },
    CA02: { stage: "reportOnly" },
    CA03: { stage: "enforce" },
    CA04: { stage: "enforce" },
    CA05: { stage: "enforce" },
    CA06: { stage: "enforce" },
    CA07: { stage: "enforce" },
    CA08: { stage: "enforce" },
    CA09: { stage: "enforce" },
    CA10: { stage: "enforce" },
    CA11: { stage: "enforce" },
    POL01: { stage: "enforce" },
  },
});
const props = (t: ReturnType<typeof compile>, name: string) =>
  t.resources.find((r) => r.name === name)?.properties as JsonProbe;
const BG = {
  excludeGroups: ["ref:group/Break-glass accounts (m365-baseline)"],
  excludeUsers: ["ref:user/bg-admin1@contoso.onmicrosoft.com", "ref:user/bg-admin2@contoso.onmicrosoft.com"],
};

describe("compile: conditional access in Graph's exact values (anchors §3.1)", () => {
  const t = compile(
    allCa,
    stack((c) => {
      c["m365-baseline:stages"] = {};
    }),
    OPTS,
  );
  it("CA01 blocks exchangeActiveSync and other clients for all users, break-glass excluded", () => {
    expect(props(t, "ca01")).toEqual({
      displayName: "CA01 - Block legacy authentication",
      state: "enabled",
      conditions: {
        users: { includeUsers: ["All"], ...BG },
        applications: { includeApplications: ["All"] },
        clientAppTypes: ["exchangeActiveSync", "other"],
      },
      grantControls: { operator: "OR", builtInControls: ["block"] },
    });
  });
  it("report-only stage writes enabledForReportingButNotEnforced", () =>
    expect(props(t, "ca02")["state"]).toBe("enabledForReportingButNotEnforced"));
  it("CA03 targets the 15 admin role template ids with mfa", () => {
    expect(props(t, "ca03")["conditions"].users.includeRoles).toEqual([...ADMIN_ROLE_TEMPLATE_IDS].sort());
    expect(ADMIN_ROLE_TEMPLATE_IDS).toHaveLength(15);
    expect(props(t, "ca03")["grantControls"]).toEqual({ operator: "OR", builtInControls: ["mfa"] });
  });
  it("CA04 uses the built-in phishing-resistant authentication strength …0004", () =>
    expect(props(t, "ca04")["grantControls"]).toEqual({
      operator: "OR",
      authenticationStrength: { id: "00000000-0000-0000-0000-000000000004" },
    }));
  it("CA05 targets Windows Azure Service Management API", () =>
    expect(props(t, "ca05")["conditions"].applications.includeApplications).toEqual([
      "797f4846-ba00-4fd7-ba43-dac1f8f63013",
    ]));
  it("CA06/CA07 use risk levels", () => {
    expect(props(t, "ca06")["conditions"].signInRiskLevels).toEqual(["high", "medium"]);
    expect(props(t, "ca07")["conditions"].userRiskLevels).toEqual(["high"]);
  });
  it("CA08 protects security-info registration", () =>
    expect(props(t, "ca08")["conditions"].applications).toEqual({
      includeUserActions: ["urn:user:registersecurityinfo"],
    }));
  it("CA09 blocks the device-code transfer method", () =>
    expect(props(t, "ca09")["conditions"].authenticationFlows).toEqual({ transferMethods: "deviceCodeFlow" }));
  it("every policy excludes the break-glass group and users", () => {
    const cas = t.resources.filter((r) => r.type === "conditionalAccessPolicy");
    expect(cas).toHaveLength(11);
    for (const r of cas)
      expect((r.properties as { conditions: { users: unknown } }).conditions.users).toMatchObject(BG);
  });
  it("creates the break-glass group with the break-glass users as members and turns security defaults off", () => {
    expect(props(t, "break-glass-group")).toMatchObject({
      displayName: "Break-glass accounts (m365-baseline)",
      securityEnabled: true,
      mailEnabled: false,
      members: BG.excludeUsers,
    });
    expect(props(t, "pol01-security-defaults")).toEqual({ isEnabled: false });
  });
  it("is deterministic: same input, byte-identical JSON", () =>
    expect(JSON.stringify(compile(allCa, stack(), OPTS))).toBe(JSON.stringify(compile(allCa, stack(), OPTS))));
});

describe("compile: licences, stages, exceptions", () => {
  it("P2 controls are 'notLicensed' without P2 and produce nothing", () => {
    const t = compile(
      allCa,
      stack((c) => {
        c["m365-baseline:licences"] = { entraIdP1: true, entraIdP2: false };
        c["m365-baseline:stages"] = {};
      }),
      OPTS,
    );
    expect(t.outcomes.filter((o) => o.status === "notLicensed").map((o) => o.controlId)).toEqual(["CA06", "CA07"]);
    expect(t.resources.map((r) => r.name)).not.toContain("ca06");
  });
  it("licences: auto compiles offline as if the tenant had P1 and P2, and for derived licences when given", () => {
    const auto = stack((c) => {
      c["m365-baseline:licences"] = "auto";
      c["m365-baseline:stages"] = {};
    });
    const offline = compile(allCa, auto, OPTS);
    expect(offline.outcomes.filter((o) => o.status === "notLicensed")).toEqual([]);
    expect(offline.resources.map((r) => r.name)).toContain("ca06");
    const p1 = compile(allCa, auto, { ...OPTS, licences: { entraIdP1: true, entraIdP2: false } });
    expect(p1.outcomes.filter((o) => o.status === "notLicensed")).toEqual([
      expect.objectContaining({
        controlId: "CA06",
        reason: expect.stringMatching(/P2, which the tenant's subscribedSkus/),
      }),
      expect.objectContaining({ controlId: "CA07" }),
    ]);
    expect(p1.resources.map((r) => r.name)).not.toContain("ca06");
    // A stack that claims its licences keeps its claim whatever is derived.
    const claimed = stack((c) => {
      c["m365-baseline:licences"] = { entraIdP1: true, entraIdP2: true };
      c["m365-baseline:stages"] = {};
    });
    const kept = compile(allCa, claimed, { ...OPTS, licences: { entraIdP1: false, entraIdP2: false } });
    expect(kept.resources.map((r) => r.name)).toContain("ca06");
  });
  it("without P1 no conditional access is compiled at all", () => {
    const t = compile(
      allCa,
      stack((c) => {
        c["m365-baseline:licences"] = { entraIdP1: false, entraIdP2: false };
        c["m365-baseline:stages"] = {};
      }),
      OPTS,
    );
    expect(t.resources.filter((r) => r.type === "conditionalAccessPolicy")).toEqual([]);
    expect(t.resources.map((r) => r.name)).not.toContain("break-glass-group");
  });
  it("a control turned off with a valid exception is 'excepted' and carries the reason and date", () => {
    const t = compile(
      allCa,
      stack((c) => {
        c["m365-baseline:stages"] = { CA09: { off: "conference devices use device code" } };
        c["m365-baseline:exceptions"] = [
          { control: "CA09", reason: "conference devices use device code", expires: "2027-03-31" },
        ];
      }),
      OPTS,
    );
    expect(t.outcomes.find((o) => o.controlId === "CA09")).toEqual({
      controlId: "CA09",
      status: "excepted",
      stage: "off",
      reason: "conference devices use device code",
      expires: "2027-03-31",
    });
  });
  it("an extra exclusion with an exception compiles into the policy", () => {
    const t = compile(
      allCa,
      stack((c) => {
        c["m365-baseline:stages"] = {};
        c["m365-baseline:overrides"] = { CA02: { excludeUsers: ["svc-scanner@contoso.onmicrosoft.com"] } };
        c["m365-baseline:exceptions"] = [
          { control: "CA02", reason: "scanner cannot do MFA until firmware 4.2", expires: "2027-01-31" },
        ];
      }),
      OPTS,
    );
    expect(props(t, "ca02")["conditions"].users.excludeUsers).toContain("ref:user/svc-scanner@contoso.onmicrosoft.com");
    expect(t.outcomes.find((o) => o.controlId === "CA02")?.status).toBe("excepted");
  });
  it("the same policy name twice is refused by the guardrail", () => {
    const dup = defineBaseline({
      name: "dup",
      description: "d",
      controls: {
        RET01: {
          stage: "enforce",
          params: {
            labels: [
              { displayName: "A", retentionDurationDays: 1 },
              { displayName: "a", retentionDurationDays: 2 },
            ],
          },
        },
      },
    });
    expect(() =>
      compile(
        dup,
        stack((c) => {
          c["m365-baseline:stages"] = {};
          delete c["m365-baseline:branding"];
        }),
        OPTS,
      ),
    ).toThrow(/retentionLabel display name 'a' is used twice/);
  });
  it("a label policy with its own retention period is refused (no such parameter set), naming the key", () => {
    const policy = { name: "P", workloads: ["exchange" as const], retentionDays: 30, publishLabels: ["Keep 7 years"] };
    expect(() =>
      defineBaseline({
        name: "bad",
        description: "b",
        controls: { RET02: { stage: "enforce", params: { policies: [policy] } } },
      }),
    ).toThrow(/controls\.RET02\.params\.policies\[0\]\.publishLabels.*takes its retention from the labels/);
  });
  it("a label-publishing rule carries no Name (the service names it); a retention rule does", () => {
    const rules = loadTenant(REPO, "contoso", OPTS.today).compiled.resources.filter(
      (r) => r.type === "retentionComplianceRule",
    );
    expect(rules.map((r) => [r.properties["Policy"], r.properties["Name"]])).toEqual([
      ["Mailboxes - keep 7 years", "Mailboxes - keep 7 years rule"],
      ["Publish standard labels", undefined],
    ]);
  });
  it("a baseline with bad params fails at definition with the baseline file and key", () => {
    try {
      defineBaseline({
        name: "bad",
        description: "b",
        controls: { CA06: { stage: "enforce", params: { riskLevels: ["extreme" as "high"] } } },
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues[0]).toMatchObject({
        file: "baselines/bad.ts",
        path: "controls.CA06.params.riskLevels[0]",
      });
    }
  });
});
