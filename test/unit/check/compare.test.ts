import { describe, expect, it } from "vitest";
import { compareProperties } from "../../../src/check/compare";

const desiredPolicy = {
  displayName: "CA02 - Require MFA for all users",
  state: "enabled",
  conditions: {
    users: { includeUsers: ["All"], excludeGroups: ["ref:group/Break-glass"] },
    applications: { includeApplications: ["All"] },
    clientAppTypes: ["all"],
  },
  grantControls: { operator: "OR", builtInControls: ["mfa"] },
};

const livePolicy = {
  id: "p1",
  displayName: "CA02 - Require MFA for all users",
  state: "enabled",
  createdDateTime: "2026-01-01T00:00:00Z",
  conditions: {
    users: {
      includeUsers: ["All"],
      excludeUsers: [],
      includeGroups: [],
      excludeGroups: ["g-1"],
      includeRoles: [],
      excludeRoles: [],
      includeGuestsOrExternalUsers: null,
    },
    applications: { includeApplications: ["All"], excludeApplications: [], includeUserActions: [] },
    clientAppTypes: ["all"],
    platforms: null,
  },
  grantControls: { operator: "OR", builtInControls: ["mfa"], customAuthenticationFactors: [], termsOfUse: [] },
  sessionControls: null,
};

const refs = new Map([
  ["g-1", "ref:group/Break-glass"],
  ["u-9", "ref:user/intern@contoso.onmicrosoft.com"],
]);

describe("compareProperties", () => {
  it("finds no difference between a policy and Graph's fuller read of it (ids mapped to refs)", () => {
    expect(compareProperties(desiredPolicy, livePolicy, refs)).toEqual([]);
  });

  it("reports a changed state and a removed grant with exact paths", () => {
    const live = {
      ...livePolicy,
      state: "disabled",
      grantControls: { ...livePolicy.grantControls, builtInControls: [] },
    };
    expect(compareProperties(desiredPolicy, live, refs)).toEqual([
      { path: "grantControls.builtInControls", desired: ["mfa"], live: [] },
      { path: "state", desired: "enabled", live: "disabled" },
    ]);
  });

  it("reports an exclusion added by hand where the baseline has none", () => {
    const live = {
      ...livePolicy,
      conditions: { ...livePolicy.conditions, users: { ...livePolicy.conditions.users, excludeUsers: ["u-9"] } },
    };
    expect(compareProperties(desiredPolicy, live, refs)).toEqual([
      { path: "conditions.users.excludeUsers", desired: [], live: ["ref:user/intern@contoso.onmicrosoft.com"] },
    ]);
  });

  it("compares lists as sets", () => {
    const desired = { clientAppTypes: ["exchangeActiveSync", "other"] };
    expect(compareProperties(desired, { clientAppTypes: ["other", "exchangeActiveSync"] })).toEqual([]);
  });

  it("matches entity lists by id and compares only the fields the baseline sets", () => {
    const desired = {
      authenticationMethodConfigurations: [
        { id: "Sms", state: "disabled" },
        { id: "Email", state: "disabled" },
      ],
    };
    const live = {
      authenticationMethodConfigurations: [
        {
          "@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration",
          id: "Sms",
          state: "enabled",
          includeTargets: [{ id: "all_users" }],
        },
        { id: "Email", state: "disabled", allowExternalIdToUseEmailOtp: "default" },
        { id: "Fido2", state: "enabled" },
      ],
    };
    expect(compareProperties(desired, live)).toEqual([
      { path: "authenticationMethodConfigurations.Sms.state", desired: "disabled", live: "enabled" },
    ]);
    expect(
      compareProperties(desired, { authenticationMethodConfigurations: [{ id: "Sms", state: "disabled" }] }),
    ).toEqual([
      { path: "authenticationMethodConfigurations.Email", desired: { id: "Email", state: "disabled" }, live: null },
    ]);
  });
});
