/** The Graph → azuread conditional-access mapping on shapes no shipped control emits yet, and its refusals. */
import { describe, expect, it } from "vitest";
import { conditionalAccessArgs, type Refs } from "../../../src/resources/conditional-access-policy/register";
import { InternalError } from "../../../src/errors";

// Refs resolved to recognisable strings, so the test sees which lists went through the resolver.
const refs: Refs = {
  list: (values) =>
    values && values.length > 0 ? values.map((v) => (v.startsWith("ref:") ? `id(${v})` : v)) : undefined,
};
const base = {
  displayName: "CA99 - Test",
  state: "enabled",
  grantControls: { operator: "OR", builtInControls: ["block"] },
};
const conditions = {
  users: { includeUsers: ["All"] },
  applications: { includeApplications: ["All"] },
  clientAppTypes: ["all"],
};

describe("conditionalAccessArgs", () => {
  it("maps platforms, devices, client applications, risk levels and transfer methods", () => {
    const args = conditionalAccessArgs(
      {
        ...base,
        conditions: {
          ...conditions,
          users: {
            includeGroups: ["ref:group/Pilot"],
            excludeGuestsOrExternalUsers: {
              guestOrExternalUserTypes: "b2bCollaborationGuest",
              externalTenants: {
                "@odata.type": "#microsoft.graph.conditionalAccessEnumeratedExternalTenants",
                membershipKind: "enumerated",
                members: ["t1"],
              },
            },
          },
          platforms: { includePlatforms: ["all"], excludePlatforms: ["iOS"] },
          devices: { deviceFilter: { mode: "exclude", rule: "device.isCompliant -eq True" } },
          clientApplications: { includeServicePrincipals: ["ServicePrincipalsInMyTenant"] },
          servicePrincipalRiskLevels: ["high"],
          insiderRiskLevels: "elevated",
          authenticationFlows: { transferMethods: "deviceCodeFlow,authenticationTransfer" },
        },
      },
      refs,
    );
    expect(args.conditions).toEqual({
      users: {
        includedGroups: ["id(ref:group/Pilot)"],
        excludedGuestsOrExternalUsers: [
          {
            guestOrExternalUserTypes: ["b2bCollaborationGuest"],
            externalTenants: [{ membershipKind: "enumerated", members: ["t1"] }],
          },
        ],
      },
      applications: { includedApplications: ["All"] },
      clientAppTypes: ["all"],
      platforms: { includedPlatforms: ["all"], excludedPlatforms: ["iOS"] },
      devices: { filter: { mode: "exclude", rule: "device.isCompliant -eq True" } },
      clientApplications: { includedServicePrincipals: ["ServicePrincipalsInMyTenant"] },
      servicePrincipalRiskLevels: ["high"],
      insiderRiskLevels: "elevated",
      authenticationFlowTransferMethods: ["deviceCodeFlow", "authenticationTransfer"],
    });
  });

  it("maps grant and session controls; a disabled session control is left out", () => {
    const args = conditionalAccessArgs(
      {
        ...base,
        conditions,
        grantControls: {
          operator: "AND",
          builtInControls: ["mfa", "compliantDevice"],
          termsOfUse: ["tou-1"],
          authenticationStrength: { id: "00000000-0000-0000-0000-000000000002" },
        },
        sessionControls: {
          applicationEnforcedRestrictions: { isEnabled: true },
          cloudAppSecurity: { isEnabled: true, cloudAppSecurityType: "blockDownloads" },
          persistentBrowser: { isEnabled: false, mode: "always" },
          signInFrequency: {
            isEnabled: true,
            type: "days",
            value: 7,
            authenticationType: "primaryAndSecondaryAuthentication",
            frequencyInterval: "timeBased",
          },
          disableResilienceDefaults: false,
        },
      },
      refs,
    );
    expect(args.grantControls).toEqual({
      operator: "AND",
      builtInControls: ["mfa", "compliantDevice"],
      termsOfUses: ["tou-1"],
      authenticationStrengthPolicyId: "/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000002",
    });
    expect(args.sessionControls).toEqual({
      applicationEnforcedRestrictionsEnabled: true,
      cloudAppSecurityPolicy: "blockDownloads",
      disableResilienceDefaults: false,
      signInFrequency: 7,
      signInFrequencyPeriod: "days",
      signInFrequencyInterval: "timeBased",
      signInFrequencyAuthenticationType: "primaryAndSecondaryAuthentication",
    });
  });

  it("refuses Graph settings the provider cannot express instead of dropping them", () => {
    const call = () =>
      conditionalAccessArgs(
        {
          ...base,
          conditions: {
            ...conditions,
            applications: { includeApplications: ["All"], applicationFilter: { mode: "include", rule: "x" } },
            times: { all: true },
          },
          sessionControls: { continuousAccessEvaluation: { mode: "strictEnforcement" } },
        },
        refs,
        "CA99 ca99",
      );
    expect(call).toThrow(InternalError);
    expect(call).toThrow(
      "CA99 ca99: CA99 ca99.conditions.times, CA99 ca99.conditions.applications.applicationFilter, CA99 ca99.sessionControls.continuousAccessEvaluation cannot be expressed with @pulumi/azuread's ConditionalAccessPolicy",
    );
  });
});
