/**
 * A new tenant as Entra creates it (security defaults on, default authorization and authentication
 * methods policies, the Graph/Exchange/SharePoint resource principals with their real app-role ids,
 * built-in authentication strengths), then the seed's own objects on top.
 */
import { createHash } from "node:crypto";
import { newId, type Json } from "./errors";
import { COLLECTIONS, NO_CREATED_DATE, type CollectionName, type TenantState } from "./store";
import type { TenantSeed } from "./types";

// The built-in authentication strengths as learn.microsoft.com/graph/api/authenticationstrengthroot-list-policies
// (v1.0, example 1) lists them: the methods each allows, its description and dates.
const BUILT_IN = { policyType: "builtIn", requirementsSatisfied: "mfa", createdDateTime: "2021-12-01T00:00:00Z" };
const PASSWORDLESS = ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"];
const BUILT_IN_STRENGTHS: readonly Json[] = [
  {
    id: "00000000-0000-0000-0000-000000000002",
    displayName: "Multifactor authentication",
    description: "Combinations of methods that satisfy strong authentication, such as a password + SMS",
    allowedCombinations: [
      ...PASSWORDLESS,
      "deviceBasedPush",
      "temporaryAccessPassOneTime",
      "temporaryAccessPassMultiUse",
      "password,microsoftAuthenticatorPush",
      "password,softwareOath",
      "password,hardwareOath",
      "password,x509CertificateSingleFactor",
      "password,x509CertificateMultiFactor",
      "password,sms",
      "password,voice",
      "federatedMultiFactor",
      "microsoftAuthenticatorPush,federatedSingleFactor",
      "softwareOath,federatedSingleFactor",
      "hardwareOath,federatedSingleFactor",
      "sms,federatedSingleFactor",
      "voice,federatedSingleFactor",
    ],
  },
  {
    id: "00000000-0000-0000-0000-000000000003",
    displayName: "Passwordless MFA",
    description:
      "Passwordless methods that satisfy strong authentication, such as Passwordless sign-in with the Microsoft Authenticator",
    allowedCombinations: [...PASSWORDLESS, "deviceBasedPush"],
  },
  {
    id: "00000000-0000-0000-0000-000000000004",
    displayName: "Phishing-resistant MFA",
    description:
      "Phishing resistant, Passwordless methods for the strongest authentication, such as a FIDO2 security key",
    allowedCombinations: PASSWORDLESS,
  },
].map((p) => ({ ...BUILT_IN, modifiedDateTime: BUILT_IN.createdDateTime, ...p }));

/**
 * Properties Graph returns null when unset, per collection, as Microsoft's documented GET responses show them
 * (conditionalaccesspolicy-get: description, sessionControls, templateId, modifiedDateTime; namedlocation-get:
 * modifiedDateTime).
 */
export const NULL_DEFAULTS: Readonly<Record<string, Json>> = {
  conditionalAccessPolicies: { description: null, sessionControls: null, templateId: null, modifiedDateTime: null },
  namedLocations: { modifiedDateTime: null },
};

const ROLE = (value: string, id: string) => ({
  id,
  value,
  allowedMemberTypes: ["Application"],
  isEnabled: true,
  displayName: value,
  description: value,
  origin: "Application",
});

/** Microsoft Graph's application id (its service principal defines Graph's app roles). */
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
/** Office 365 Exchange Online's application id (defines Exchange.ManageAsApp, which S&C checks). */
export const EXCHANGE_APP_ID = "00000002-0000-0ff1-ce00-000000000000";

/** Resource principals present in every tenant, with the app roles this project and Veeam use. */
export const RESOURCE_PRINCIPALS = [
  {
    appId: GRAPH_APP_ID,
    displayName: "Microsoft Graph",
    appRoles: [
      ROLE("Directory.Read.All", "7ab1d382-f21e-4acd-a863-ba3e13f7da61"),
      ROLE("Group.Read.All", "5b567255-7703-4780-807c-7be8301ae99b"),
      ROLE("Sites.Read.All", "332a536c-c7ef-4017-ab91-336970924f0d"),
      ROLE("TeamSettings.ReadWrite.All", "bdd80a03-d9bc-451d-b7c4-ce7c63fe3c8f"),
      ROLE("ChannelMessage.Read.All", "7b2449af-6ccd-4f4d-9f78-e550c193f0d1"),
      ROLE("ChannelMember.ReadWrite.All", "35930dcf-aceb-4bd1-b99a-8ffed403c974"),
      ROLE("Organization.Read.All", "498476ce-e0fe-48b0-b801-37ba7e2685c6"),
      ROLE("Organization.ReadWrite.All", "292d869f-3427-49a8-9dab-8c70152b74e9"),
      ROLE("OrganizationalBranding.Read.All", "eb76ac34-0d62-4454-b97c-185e4250dc20"),
      ROLE("OrganizationalBranding.ReadWrite.All", "d2ebfbc1-a5f8-424b-83a6-56ab5927a73c"),
      ROLE("Policy.Read.All", "246dd0d5-5bd0-4def-940b-0421030a5b68"),
      ROLE("Policy.ReadWrite.ConditionalAccess", "01c0a623-fc9b-48e9-b794-0756f8e8f067"),
      ROLE("Policy.ReadWrite.SecurityDefaults", "1c6e93a6-28e2-4cbb-9f64-1a46a821124d"),
      ROLE("Policy.Read.AuthenticationMethod", "8e3bc81b-d2f3-4b7b-838c-32c88218d2f0"),
      ROLE("Policy.ReadWrite.AuthenticationMethod", "29c18626-4985-4dcd-85c0-193eef327366"),
      ROLE("Policy.ReadWrite.Authorization", "fb221be6-99f2-473f-bd32-01c6a0e9ca3b"),
      ROLE("SecurityEvents.Read.All", "bf394140-e372-4bf9-a898-299cfc7564e5"),
      ROLE("AuditLog.Read.All", "b0afded3-3588-46d8-8b3d-9842eff778da"),
      // Application permission id as graphpermissions.merill.net lists it (from Graph's own service principal).
      ROLE("DelegatedAdminRelationship.Read.All", "f6e9e124-4586-492f-adc0-c6f96e4823fd"),
      ROLE("Application.Read.All", "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30"),
      ROLE("Application.ReadWrite.All", "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9"),
      ROLE("AppRoleAssignment.ReadWrite.All", "06b708a9-e830-4db3-a914-8e69da51d44f"),
      ROLE("RoleManagement.Read.Directory", "483bed4a-2ad3-4361-a73b-c83ccdbdc53c"),
      ROLE("RoleManagement.ReadWrite.Directory", "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8"),
      ROLE("Directory.ReadWrite.All", "19dbc75e-c2e2-444c-a770-ec69d8559fc7"),
      ROLE("Group.ReadWrite.All", "62a82d76-70ea-41e2-9197-370581804d09"),
      ROLE("User.Read.All", "df021288-bdef-4463-88db-98f22de89214"),
      ROLE("Files.ReadWrite.All", "75359482-378d-4052-8f01-80520e7db3cd"),
      ROLE("Sites.FullControl.All", "a82116e5-55eb-4c41-a434-62fe8a61c773"),
    ],
  },
  {
    appId: EXCHANGE_APP_ID,
    displayName: "Office 365 Exchange Online",
    appRoles: [
      ROLE("full_access_as_app", "dc890d15-9560-4a4c-9b7f-a736ec74ec40"),
      ROLE("Exchange.ManageAsApp", "dc50a0fb-09a3-484d-be87-e023b12c6440"),
    ],
  },
  {
    appId: "00000003-0000-0ff1-ce00-000000000000",
    displayName: "Office 365 SharePoint Online",
    appRoles: [
      ROLE("Sites.FullControl.All", "678536fe-1083-478a-9c59-b99265e6b0d3"),
      ROLE("Sites.ReadWrite.All", "fbcd29d2-fcca-4405-aded-518d457caae4"),
      ROLE("User.Read.All", "df021288-bdef-4463-88db-98f22de89214"),
    ],
  },
];

const SKU_PLANS: Record<string, string[]> = {
  AAD_PREMIUM: ["AAD_PREMIUM"],
  AAD_PREMIUM_P2: ["AAD_PREMIUM", "AAD_PREMIUM_P2"],
  SPB: ["AAD_PREMIUM", "EXCHANGE_S_STANDARD"],
  SPE_E5: ["AAD_PREMIUM", "AAD_PREMIUM_P2"],
  O365_BUSINESS_PREMIUM: ["EXCHANGE_S_STANDARD"],
};
const PLAN_IDS: Record<string, string> = {
  AAD_PREMIUM: "41781fb2-bc02-4b7c-bd55-b576c07bb09d",
  AAD_PREMIUM_P2: "eec0eb4f-6444-4f95-aba0-50c24d67f998",
  EXCHANGE_S_STANDARD: "9aaf7827-d63c-4b61-89c3-182f06f82e5c",
};

const METHOD_TYPES: Record<string, string> = {
  Fido2: "fido2",
  MicrosoftAuthenticator: "microsoftAuthenticator",
  Sms: "sms",
  TemporaryAccessPass: "temporaryAccessPass",
  SoftwareOath: "softwareOath",
  Email: "email",
  Voice: "voice",
  X509Certificate: "x509Certificate",
};
const METHOD_DEFAULTS: Record<string, string> = {
  Fido2: "enabled",
  MicrosoftAuthenticator: "enabled",
  Sms: "enabled",
  TemporaryAccessPass: "disabled",
  SoftwareOath: "disabled",
  Email: "enabled",
  Voice: "disabled",
  X509Certificate: "disabled",
};

/** Secure Score improvement actions the baseline claims (controlName), with Microsoft's titles. */
const CONTROL_PROFILES: [string, string, number][] = [
  ["BlockLegacyAuthentication", "Enable Conditional Access policies to block legacy authentication", 8],
  ["MFARegistrationV2", "Ensure all users can complete multifactor authentication", 9],
  ["AdminMFAV2", "Ensure multifactor authentication is enabled for all users in administrative roles", 10],
  ["SigninRiskPolicy", "Turn on sign-in risk policy", 7],
  ["UserRiskPolicy", "Turn on user risk policy", 7],
  ["IntegratedApps", "Do not allow users to grant consent to unreliable applications", 4],
  ["PWAgePolicyNew", "Set the password expiration policy to never expire", 8],
];

/** Builds a tenant from a seed, with Entra's defaults for everything the seed omits. */
export function tenantFromSeed(seed: TenantSeed, now = Date.now()): TenantState {
  const tenantId = seed.tenantId.toLowerCase();
  const collections = Object.fromEntries(COLLECTIONS.map((c) => [c, [] as Json[]])) as TenantState["collections"];
  for (const p of RESOURCE_PRINCIPALS)
    collections.servicePrincipals.push({
      id: stableId(tenantId, p.appId),
      appId: p.appId,
      displayName: p.displayName,
      appRoles: p.appRoles,
      servicePrincipalType: "Application",
      appOwnerOrganizationId: "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
    });
  collections.authenticationStrengthPolicies.push(...BUILT_IN_STRENGTHS.map((p) => ({ ...p })));
  for (const sku of seed.skus ?? []) {
    // The id is `{tenantId}_{skuId}`, as in Microsoft's example (learn.microsoft.com/graph/api/subscribedsku-list).
    const skuId = newId();
    collections.subscribedSkus.push({
      id: `${tenantId}_${skuId}`,
      skuId,
      skuPartNumber: sku,
      capabilityStatus: "Enabled",
      prepaidUnits: { enabled: 25 },
      servicePlans: (SKU_PLANS[sku] ?? []).map((p) => ({
        servicePlanName: p,
        servicePlanId: PLAN_IDS[p] ?? newId(),
        provisioningStatus: "Success",
        appliesTo: "User",
      })),
    });
  }
  const users = new Map<string, string>();
  for (const u of seed.users ?? []) {
    const id = u.id ?? stableId(tenantId, "user", u.userPrincipalName.toLowerCase());
    users.set(u.userPrincipalName.toLowerCase(), id);
    collections.users.push({
      id,
      userPrincipalName: u.userPrincipalName,
      displayName: u.displayName ?? u.userPrincipalName.split("@")[0],
      accountEnabled: true,
    });
  }
  const groupMembers: Record<string, string[]> = {};
  for (const g of seed.groups ?? []) {
    const id = g.id ?? stableId(tenantId, "group", g.displayName.toLowerCase());
    collections.groups.push({
      id,
      displayName: g.displayName,
      securityEnabled: true,
      mailEnabled: false,
      mailNickname: g.displayName.toLowerCase().replace(/[^a-z0-9]/g, ""),
      groupTypes: [],
    });
    // Members are UPNs of seeded users (or their object ids); unknown ones are left out.
    groupMembers[id] = (g.members ?? [])
      .map((m) => users.get(m.toLowerCase()) ?? (collections.users.some((u) => u["id"] === m) ? m : undefined))
      .filter((x): x is string => x !== undefined);
  }
  for (const [name, items] of Object.entries(seed.collections ?? {})) {
    if (!(COLLECTIONS as readonly string[]).includes(name))
      throw new Error(`seed for ${seed.tenantId}: unknown collection '${name}' (use one of ${COLLECTIONS.join(", ")})`);
    // v1.0 servicePrincipal and unifiedRoleAssignment have no createdDateTime (Microsoft's models: msgraph-sdk).
    const created = NO_CREATED_DATE.has(name as CollectionName) ? {} : { createdDateTime: new Date(now).toISOString() };
    const defaults = NULL_DEFAULTS[name] ?? {};
    collections[name as keyof typeof collections].push(
      ...items.map((o) => ({ id: newId(), ...created, ...defaults, ...o })),
    );
  }
  const score = seed.secureScore ?? { currentScore: 42, maxScore: 100 };
  collections.secureScores.push({
    id: `${tenantId}_${new Date(now).toISOString().slice(0, 10)}`,
    azureTenantId: tenantId,
    createdDateTime: new Date(now).toISOString(),
    currentScore: score.currentScore,
    maxScore: score.maxScore,
    controlScores: CONTROL_PROFILES.map(([name, , max]) => ({
      controlName: name,
      controlCategory: "Identity",
      score: score.controlScores?.[name] ?? max / 2,
    })),
  });
  collections.secureScoreControlProfiles.push(
    ...CONTROL_PROFILES.map(([name, title, max]) => ({
      id: name,
      azureTenantId: tenantId,
      title,
      controlCategory: "Identity",
      maxScore: max,
      service: "AzureAD",
    })),
  );
  const authenticationMethodConfigurations = Object.keys(METHOD_TYPES).map((id) => ({
    "@odata.type": `#microsoft.graph.${METHOD_TYPES[id]}AuthenticationMethodConfiguration`,
    id,
    state: METHOD_DEFAULTS[id],
    excludeTargets: [],
  }));
  const singletons: TenantState["singletons"] = {
    securityDefaults: {
      id: "00000000-0000-0000-0000-000000000005",
      displayName: "Security Defaults",
      description: "Security defaults is a set of basic identity security mechanisms recommended by Microsoft.",
      isEnabled: seed.securityDefaultsEnabled ?? true,
    },
    authorizationPolicy: {
      id: "authorizationPolicy",
      displayName: "Authorization Policy",
      description: "Used to manage authorization related settings across the company.",
      allowInvitesFrom: "everyone",
      allowedToSignUpEmailBasedSubscriptions: true,
      allowedToUseSSPR: true,
      allowEmailVerifiedUsersToJoinOrganization: false,
      blockMsolPowerShell: false,
      guestUserRoleId: "10dae51f-b6af-4016-8d66-8c2a99b929b3",
      defaultUserRolePermissions: {
        allowedToCreateApps: true,
        allowedToCreateSecurityGroups: true,
        allowedToCreateTenants: true,
        allowedToReadBitlockerKeysForOwnedDevice: true,
        allowedToReadOtherUsers: true,
        // A new tenant also lists the Microsoft-managed resource-specific consent policies (as ScubaGear's
        // MS.AAD.5.2v1 tests and Maester's EIDSCA results show them).
        permissionGrantPoliciesAssigned: [
          "ManagePermissionGrantsForSelf.microsoft-user-default-legacy",
          "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team",
          "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-chat",
        ],
      },
    },
    authenticationMethodsPolicy: {
      id: "authenticationMethodsPolicy",
      displayName: "Authentication Methods Policy",
      description: "The tenant-wide policy that controls which authentication methods are allowed in the tenant.",
      policyVersion: "1.5",
      policyMigrationState: "migrationComplete",
      reconfirmationInDays: 0,
      authenticationMethodConfigurations,
    },
  };
  for (const [name, value] of Object.entries(seed.singletons ?? {})) {
    const key = name as keyof typeof singletons;
    if (!singletons[key]) throw new Error(`seed for ${seed.tenantId}: unknown singleton '${name}'`);
    singletons[key] = deepMerge(singletons[key], value);
  }
  return {
    tenantId,
    primaryDomain: seed.primaryDomain,
    displayName: seed.displayName,
    organization: {
      id: tenantId,
      displayName: seed.displayName,
      tenantType: "AAD",
      countryLetterCode: "US",
      verifiedDomains: [
        {
          name: seed.primaryDomain,
          isInitial: true,
          isDefault: true,
          type: "Managed",
          capabilities: "Email, OfficeCommunicationsOnline",
        },
      ],
    },
    collections,
    singletons,
    branding: { ...(seed.branding ?? {}) },
    streams: { ...(seed.streams ?? {}) },
    compliance: {
      ComplianceTag: [...(seed.compliance?.ComplianceTag ?? [])],
      RetentionCompliancePolicy: [...(seed.compliance?.RetentionCompliancePolicy ?? [])],
      RetentionComplianceRule: [...(seed.compliance?.RetentionComplianceRule ?? [])],
    },
    groupMembers,
    clientCertificates: {},
    createdAt: {},
    microsoftManagedAdded: false,
  };
}

/** A deterministic GUID-shaped id from its parts (SHA-1 based), so seeds and fixtures are stable. */
export function stableId(...parts: string[]): string {
  const h = createHash("sha1").update(parts.join("|")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Objects merged recursively; arrays of objects with ids merged by id (seeding one auth method keeps the rest). */
function deepMerge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = base[k];
    if (Array.isArray(v) && Array.isArray(b) && v.every((x) => x && typeof x === "object" && "id" in x)) {
      out[k] = b.map((item: Json) => ({ ...item, ...(v.find((x: Json) => x["id"] === item["id"]) ?? {}) }));
    } else if (v && typeof v === "object" && !Array.isArray(v) && b && typeof b === "object") out[k] = deepMerge(b, v);
    else out[k] = v;
  }
  return out;
}
