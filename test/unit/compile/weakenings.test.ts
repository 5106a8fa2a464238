import { describe, expect, it } from "vitest";
import { defineBaseline } from "../../../src/baseline/define";
import { compile } from "../../../src/compile";
import { ValidationError } from "../../../src/errors";
import { parseStackConfig } from "../../../src/stack/load";
import { exampleConfig } from "../../support/repo";

// One definition of "weaker" (src/resources/*/index.ts weakening): compile refuses what review would flag.
const OPTS = { file: "stacks/Pulumi.t.yaml", stack: "t", today: "2026-11-23" };
const LABEL = { displayName: "Keep 7 years", retentionDurationDays: 2555 };
const POLICY = {
  name: "Mail",
  workloads: ["exchange" as const, "sharePoint" as const],
  retentionDays: 2555,
  action: "Keep" as const,
};
const strict = defineBaseline({
  name: "strict",
  description: "controls with parameters a stack can weaken",
  controls: {
    CA02: { stage: "enforce" },
    CA04: { stage: "enforce", params: { roles: "allAdmins" } },
    CA06: { stage: "enforce", params: { riskLevels: ["high", "medium", "low"] } },
    CA11: { stage: "enforce", params: { signInFrequencyHours: 4 } },
    POL02: { stage: "enforce", params: { userConsent: "none", allowedToCreateApps: false } },
    POL03: { stage: "enforce", params: { sms: "disabled", voice: "disabled", email: "disabled" } },
    RET01: { stage: "enforce", params: { labels: [LABEL] } },
    RET02: { stage: "enforce", params: { policies: [POLICY] } },
    APP01: {
      stage: "enforce",
      params: { preset: "veeam-m365-v8", certificateFile: "baselines/certs/veeam-backup.pem", teamsChatExport: false },
    },
  },
});
const stack = (set: Record<string, unknown>) => {
  const c = exampleConfig("contoso");
  for (const key of ["stages", "overrides", "exceptions", "retention", "backupApp", "branding"])
    delete c[`m365-baseline:${key}`];
  for (const [k, v] of Object.entries(set)) c[`m365-baseline:${k}`] = v;
  return parseStackConfig(c, { file: OPTS.file, decrypted: false }).config;
};
const issuesOf = (set: Record<string, unknown>): { path: string; message: string }[] => {
  try {
    compile(strict, stack(set), OPTS);
    return [];
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return error.issues.map((i) => ({ path: i.path, message: i.message }));
  }
};

describe("compile refuses a stack's unexcused weakening of its baseline, by the resource types' rules", () => {
  it("compiles the baseline as it is", () => expect(issuesOf({})).toEqual([]));
  it.each([
    [
      "CA02: an exclusion added",
      { overrides: { CA02: { excludeUsers: ["ceo@contoso.onmicrosoft.com"] } } },
      "overrides.CA02",
      /excludeUsers/,
    ],
    ["CA04: fewer admin roles", { overrides: { CA04: { roles: "cisa" } } }, "overrides.CA04", /includeRoles/],
    [
      "CA06: fewer sign-in risk levels",
      { overrides: { CA06: { riskLevels: ["high"] } } },
      "overrides.CA06",
      /signInRiskLevels/,
    ],
    [
      "CA11: longer admin sessions",
      { overrides: { CA11: { signInFrequencyHours: 12 } } },
      "overrides.CA11",
      /signInFrequency\.value: 4 → 12/,
    ],
    [
      "POL02: users may consent",
      { overrides: { POL02: { userConsent: "lowRisk" } } },
      "overrides.POL02",
      /permissionGrantPoliciesAssigned/,
    ],
    [
      "POL02: users may register apps",
      { overrides: { POL02: { allowedToCreateApps: true } } },
      "overrides.POL02",
      /allowedToCreateApps/,
    ],
    ["POL03: SMS enabled", { overrides: { POL03: { sms: "enabled" } } }, "overrides.POL03", /state/],
    [
      "RET01: a shorter label period",
      { retention: { labels: [{ ...LABEL, retentionDurationDays: 365 }] } },
      "retention",
      /retentionDurationDays/,
    ],
    [
      "RET02: a shorter policy period",
      { retention: { policies: [{ ...POLICY, retentionDays: 30 }] } },
      "retention",
      /RetentionDuration/,
    ],
    [
      "RET02: a workload dropped",
      { retention: { policies: [{ ...POLICY, workloads: ["exchange"] }] } },
      "retention",
      /SharePointLocation/,
    ],
    ["APP01: a broader permission set", { backupApp: { teamsChatExport: true } }, "backupApp", /ChannelMessage|roles/],
  ])("%s", (_case, set, key, words) => {
    const issues = issuesOf(set);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe(`m365-baseline:${key}`);
    expect(issues[0]!.message).toMatch(/a weakening of baseline 'strict'/);
    expect(issues[0]!.message).toMatch(words);
  });
  it.each([
    ["CA11: shorter admin sessions", { overrides: { CA11: { signInFrequencyHours: 1 } } }],
    ["CA06: the same levels", { overrides: { CA06: { riskLevels: ["low", "medium", "high"] } } }],
    ["RET01: a longer label period", { retention: { labels: [{ ...LABEL, retentionDurationDays: 3650 }] } }],
    [
      "RET02: a workload added",
      { retention: { policies: [{ ...POLICY, workloads: ["exchange", "sharePoint", "oneDrive"] }] } },
    ],
  ])("%s compiles without an exception", (_case, set) => expect(issuesOf(set)).toEqual([]));
  it("an unexpired exception excuses the weakening and marks the control excepted", () => {
    const set = {
      overrides: { CA11: { signInFrequencyHours: 12 } },
      exceptions: [{ control: "CA11", reason: "kiosk admins sign in once a shift", expires: "2027-01-31" }],
    };
    expect(issuesOf(set)).toEqual([]);
    expect(compile(strict, stack(set), OPTS).outcomes.find((o) => o.controlId === "CA11")?.status).toBe("excepted");
  });
  it("an exception scoped to the weakened property excuses it and leaves the control applied (still checked)", () => {
    const exclusion = { overrides: { CA02: { excludeUsers: ["ceo@contoso.onmicrosoft.com"] } } };
    const scoped = (properties: string[]) => ({
      ...exclusion,
      exceptions: [{ control: "CA02", reason: "CEO travels with a hardware token", expires: "2027-01-31", properties }],
    });
    expect(issuesOf(scoped(["conditions.users"]))).toEqual([]);
    const outcome = compile(strict, stack(scoped(["conditions.users"])), OPTS).outcomes.find(
      (o) => o.controlId === "CA02",
    );
    expect(outcome?.status).toBe("applied");
    // Scoped to another property: the exclusion is still an unexcused weakening, and the fix names its path.
    const refused = issuesOf(scoped(["grantControls"]));
    expect(refused.map((i) => i.path)).toEqual(["m365-baseline:overrides.CA02"]);
    try {
      compile(strict, stack(scoped(["grantControls"])), OPTS);
    } catch (error) {
      expect((error as ValidationError).issues[0]!.fix).toMatch(
        /names other properties: add conditions\.users\.excludeUsers/,
      );
    }
    // A stage change is the whole control's: a scoped exception does not excuse turning it off.
    expect(issuesOf({ ...scoped(["conditions.users"]), stages: { CA02: "off" } }).map((i) => i.path)).toContain(
      "m365-baseline:stages.CA02",
    );
  });
});
