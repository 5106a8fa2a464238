/**
 * Graph `conditionalAccessPolicy` (as compiled) → `azuread.ConditionalAccessPolicy` arguments. Every
 * Graph key is mapped or refused: a condition the provider cannot express must fail the run, because
 * dropping it would deploy a broader (or weaker) policy than the baseline says.
 */
import type * as azuread from "@pulumi/azuread";
import { InternalError } from "../../errors";
import type { RefResolver } from "../../program/refs";

// The compiled Graph object is untyped JSON: every key read is checked where it is mapped, and unread keys fail.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped Graph JSON
type Json = Record<string, any>;

/** What the mapping needs from the tenant's ref resolver (tests pass a fake). */
export type Refs = Pick<RefResolver, "list">;

/** Reads a Graph object key by key and remembers what was read, so unread keys can be reported. */
class Reader {
  constructor(
    private readonly object: Json,
    readonly path: string,
    private readonly all: Reader[],
    private readonly used = new Set<string>(),
  ) {
    all.push(this);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a Graph value of any shape, checked by the caller
  get(key: string): any {
    this.used.add(key);
    return this.object[key] ?? undefined;
  }

  child(key: string): Reader | undefined {
    const value = this.get(key);
    return value === undefined || value === null ? undefined : new Reader(value, `${this.path}.${key}`, this.all);
  }

  /** Marks every key as handled (a disabled session control's other settings mean nothing). */
  skip(): void {
    for (const key of Object.keys(this.object)) this.used.add(key);
  }

  /** Keys nobody read; `@odata.type` annotations carry no setting of their own. */
  unread(): string[] {
    return Object.keys(this.object)
      .filter((k) => !this.used.has(k) && !k.startsWith("@odata."))
      .map((k) => `${this.path}.${k}`);
  }
}

/** Maps Graph's property names to the provider's; values are the compiled ones with refs resolved. */
export function conditionalAccessArgs(
  properties: Readonly<Json>,
  refs: Refs,
  label = "conditionalAccessPolicy",
): azuread.ConditionalAccessPolicyArgs {
  const readers: Reader[] = [];
  const p = new Reader(properties, label, readers);
  const args: azuread.ConditionalAccessPolicyArgs = {
    displayName: p.get("displayName"),
    state: p.get("state"),
    conditions: conditions(p.child("conditions") ?? new Reader({}, `${label}.conditions`, readers), refs),
    grantControls: grantControls(p.child("grantControls")),
    sessionControls: sessionControls(p.child("sessionControls")),
  };
  const unread = readers.flatMap((r) => r.unread());
  if (unread.length > 0)
    throw new InternalError(
      `${label}: ${unread.join(", ")} cannot be expressed with @pulumi/azuread's ConditionalAccessPolicy`,
    );
  return args;
}

function conditions(c: Reader, refs: Refs): azuread.types.input.ConditionalAccessPolicyConditions {
  const u = c.child("users");
  const a = c.child("applications");
  const locations = c.child("locations");
  const platforms = c.child("platforms");
  const devices = c.child("devices");
  const clients = c.child("clientApplications");
  const flows = c.child("authenticationFlows");
  return {
    users: {
      includedUsers: refs.list(u?.get("includeUsers")),
      excludedUsers: refs.list(u?.get("excludeUsers")),
      includedGroups: refs.list(u?.get("includeGroups")),
      excludedGroups: refs.list(u?.get("excludeGroups")),
      includedRoles: u?.get("includeRoles"),
      excludedRoles: u?.get("excludeRoles"),
      includedGuestsOrExternalUsers: guests(u?.child("includeGuestsOrExternalUsers")),
      excludedGuestsOrExternalUsers: guests(u?.child("excludeGuestsOrExternalUsers")),
    },
    applications: {
      includedApplications: a?.get("includeApplications"),
      excludedApplications: a?.get("excludeApplications"),
      includedUserActions: a?.get("includeUserActions"),
    },
    clientAppTypes: c.get("clientAppTypes"),
    locations: locations && {
      includedLocations: refs.list(locations.get("includeLocations")) ?? [],
      excludedLocations: refs.list(locations.get("excludeLocations")),
    },
    platforms: platforms && {
      includedPlatforms: platforms.get("includePlatforms") ?? [],
      excludedPlatforms: platforms.get("excludePlatforms"),
    },
    devices: devices && { filter: filter(devices.child("deviceFilter")) },
    clientApplications: clients && {
      includedServicePrincipals: clients.get("includeServicePrincipals"),
      excludedServicePrincipals: clients.get("excludeServicePrincipals"),
      filter: filter(clients.child("servicePrincipalFilter")),
    },
    signInRiskLevels: c.get("signInRiskLevels"),
    userRiskLevels: c.get("userRiskLevels"),
    servicePrincipalRiskLevels: c.get("servicePrincipalRiskLevels"),
    insiderRiskLevels: c.get("insiderRiskLevels"),
    // Graph holds the transfer methods as one comma-separated string; the provider takes a list.
    authenticationFlowTransferMethods: flows && splitList(flows.get("transferMethods")),
  };
}

/**
 * Graph's `conditionalAccessGuestsOrExternalUsers` (comma-joined types, one externalTenants object) → the provider's
 * block.
 */
function guests(
  g: Reader | undefined,
): azuread.types.input.ConditionalAccessPolicyConditionsUsersIncludedGuestsOrExternalUser[] | undefined {
  if (!g) return undefined;
  const tenants = g.child("externalTenants");
  return [
    {
      guestOrExternalUserTypes: splitList(g.get("guestOrExternalUserTypes")) ?? [],
      externalTenants: tenants && [{ membershipKind: tenants.get("membershipKind"), members: tenants.get("members") }],
    },
  ];
}

function filter(f: Reader | undefined): { mode: string; rule: string } | undefined {
  return f && { mode: f.get("mode"), rule: f.get("rule") };
}

function grantControls(g: Reader | undefined): azuread.types.input.ConditionalAccessPolicyGrantControls | undefined {
  if (!g) return undefined;
  const strength = g.child("authenticationStrength");
  return {
    operator: g.get("operator"),
    builtInControls: g.get("builtInControls"),
    // The provider parses this as a Graph path and sends only the id (ParsePolicyAuthenticationStrengthPolicyID).
    authenticationStrengthPolicyId:
      strength && `/policies/authenticationStrengthPolicies/${String(strength.get("id"))}`,
    termsOfUses: g.get("termsOfUse"),
    customAuthenticationFactors: g.get("customAuthenticationFactors"),
  };
}

/** Each Graph session control is `{isEnabled, …}`; a disabled one is the same as leaving it out. */
function sessionControls(
  s: Reader | undefined,
): azuread.types.input.ConditionalAccessPolicySessionControls | undefined {
  if (!s) return undefined;
  const on = (r: Reader | undefined): Reader | undefined => {
    if (r?.get("isEnabled") !== false) return r;
    r.skip();
    return undefined;
  };
  const restrictions = s.child("applicationEnforcedRestrictions");
  const cloudApp = on(s.child("cloudAppSecurity"));
  const browser = on(s.child("persistentBrowser"));
  const frequency = on(s.child("signInFrequency"));
  return {
    applicationEnforcedRestrictionsEnabled: restrictions?.get("isEnabled"),
    cloudAppSecurityPolicy: cloudApp?.get("cloudAppSecurityType"),
    disableResilienceDefaults: s.get("disableResilienceDefaults"),
    persistentBrowserMode: browser?.get("mode"),
    signInFrequency: frequency?.get("value"),
    signInFrequencyPeriod: frequency?.get("type"),
    signInFrequencyInterval: frequency?.get("frequencyInterval"),
    signInFrequencyAuthenticationType: frequency?.get("authenticationType"),
  };
}

function splitList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value)
    ? value.map(String)
    : String(value)
        .split(",")
        .filter((x) => x.length > 0);
}
