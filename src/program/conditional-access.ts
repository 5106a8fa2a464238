/** Graph `conditionalAccessPolicy` (as compiled) → `azuread.ConditionalAccessPolicy` arguments. */
import type * as azuread from "@pulumi/azuread";
import type { RefResolver } from "./refs";

type Json = Record<string, any>;

/** Maps Graph's property names to the provider's; values are the compiled ones with refs resolved. */
export function conditionalAccessArgs(p: Json, refs: RefResolver): azuread.ConditionalAccessPolicyArgs {
  const c: Json = p["conditions"] ?? {};
  const u: Json = c["users"] ?? {};
  const a: Json = c["applications"] ?? {};
  const g: Json | undefined = p["grantControls"];
  const s: Json | undefined = p["sessionControls"];
  const guests = (x: Json | undefined) => x && [{ guestOrExternalUserTypes: String(x["guestOrExternalUserTypes"]).split(","), externalTenants: x["externalTenants"] ? [{ membershipKind: x["externalTenants"]["membershipKind"], members: x["externalTenants"]["members"] }] : undefined }];
  return {
    displayName: p["displayName"],
    state: p["state"],
    conditions: {
      users: {
        includedUsers: refs.list(u["includeUsers"]), excludedUsers: refs.list(u["excludeUsers"]),
        includedGroups: refs.list(u["includeGroups"]), excludedGroups: refs.list(u["excludeGroups"]),
        includedRoles: u["includeRoles"], excludedRoles: u["excludeRoles"],
        includedGuestsOrExternalUsers: guests(u["includeGuestsOrExternalUsers"]), excludedGuestsOrExternalUsers: guests(u["excludeGuestsOrExternalUsers"]),
      },
      applications: { includedApplications: a["includeApplications"], excludedApplications: a["excludeApplications"], includedUserActions: a["includeUserActions"] },
      clientAppTypes: c["clientAppTypes"],
      locations: c["locations"] ? { includedLocations: refs.list(c["locations"]["includeLocations"]) ?? [], excludedLocations: refs.list(c["locations"]["excludeLocations"]) } : undefined,
      signInRiskLevels: c["signInRiskLevels"],
      userRiskLevels: c["userRiskLevels"],
      // Graph writes one transfer method as a comma-separated string; the provider takes a list.
      authenticationFlowTransferMethods: c["authenticationFlows"] ? String(c["authenticationFlows"]["transferMethods"]).split(",") : undefined,
    },
    grantControls: g && {
      operator: g["operator"],
      builtInControls: g["builtInControls"],
      authenticationStrengthPolicyId: g["authenticationStrength"] ? `/policies/authenticationStrengthPolicies/${g["authenticationStrength"]["id"]}` : undefined,
    },
    sessionControls: s && {
      signInFrequency: s["signInFrequency"]?.["value"],
      signInFrequencyPeriod: s["signInFrequency"]?.["type"],
      signInFrequencyInterval: s["signInFrequency"]?.["frequencyInterval"],
      signInFrequencyAuthenticationType: s["signInFrequency"]?.["authenticationType"],
      persistentBrowserMode: s["persistentBrowser"]?.["mode"],
    },
  };
}
