/**
 * A tenant seed in which the compiled desired state is already applied — what `pulumi up` would leave
 * behind — with refs resolved to the seed's own ids. Used to generate the demo fixtures.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ASSET_KINDS } from "../core/assets";
import type { CompiledTenant, DesiredResource } from "../core/desired";
import { complianceTagParameters, type RetentionLabelProperties } from "../core/retention-vocabulary";
import type { Json } from "./errors";
import { RESOURCE_PRINCIPALS, stableId } from "./seed";
import type { TenantSeed } from "./types";

/** A TenantSeed under construction (mutable), for generators and demo drift. */
export interface DemoSeed extends TenantSeed {
  users: { id?: string; userPrincipalName: string }[];
  groups: { id?: string; displayName: string; members?: string[] }[];
  securityDefaultsEnabled: boolean;
  collections: Record<string, Json[]>;
  singletons: Record<string, Json>;
  branding: Record<string, Json>;
  streams: Record<string, { contentType: string; data: string }>;
  compliance: Record<"ComplianceTag" | "RetentionCompliancePolicy" | "RetentionComplianceRule", Json[]>;
}

/** The seed for `compiled`, plus the given users/groups that exist in the tenant anyway. */
export function seedFromCompiled(
  compiled: CompiledTenant,
  root: string,
  base: {
    skus: string[];
    users: string[];
    groups?: string[];
    secureScore?: { currentScore: number; maxScore: number; controlScores?: Record<string, number> };
  },
): DemoSeed {
  const t = compiled.tenantId.toLowerCase();
  const seed: DemoSeed = {
    tenantId: t,
    primaryDomain: compiled.primaryDomain,
    displayName: compiled.displayName,
    skus: base.skus,
    users: base.users.map((u) => ({ userPrincipalName: u })),
    groups: (base.groups ?? []).map((g) => ({ displayName: g })),
    securityDefaultsEnabled: true,
    collections: {},
    singletons: {},
    branding: {},
    streams: {},
    compliance: { ComplianceTag: [], RetentionCompliancePolicy: [], RetentionComplianceRule: [] },
    ...(base.secureScore ? { secureScore: base.secureScore } : {}),
  };
  const add = (collection: string, o: Json) => (seed.collections[collection] ??= []).push(o);
  const ref = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(ref);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, ref(x)]));
    const m = typeof v === "string" ? /^ref:(group|user|namedLocation)\/(.+)$/.exec(v) : null;
    return m ? stableId(t, m[1]!, m[2]!.toLowerCase()) : v;
  };
  for (const r of compiled.resources) APPLY[r.type](r, { seed, add, ref, t, root });
  return seed;
}

interface Ctx {
  seed: DemoSeed;
  add: (c: string, o: Json) => void;
  ref: (v: unknown) => unknown;
  t: string;
  root: string;
}

const location = (v: unknown) =>
  ((v ?? []) as string[]).map((n) => ({ Name: n, DisplayName: n, Type: n === "All" ? "Unknown" : "Individual" }));
const LOCATIONS = [
  "ExchangeLocation",
  "SharePointLocation",
  "OneDriveLocation",
  "ModernGroupLocation",
  "TeamsChannelLocation",
  "TeamsChatLocation",
];

const APPLY: Record<DesiredResource["type"], (r: DesiredResource, c: Ctx) => void> = {
  conditionalAccessPolicy: (r, c) =>
    c.add("conditionalAccessPolicies", { id: stableId(c.t, "ca", r.naturalKey), ...(c.ref(r.properties) as Json) }),
  namedLocation: (r, c) =>
    c.add("namedLocations", { id: stableId(c.t, "namedLocation", r.naturalKey.toLowerCase()), ...r.properties }),
  group: (r, c) => {
    const p = r.properties as Json;
    c.seed.groups.push({
      id: stableId(c.t, "group", r.naturalKey.toLowerCase()),
      displayName: p["displayName"],
      members: ((p["members"] ?? []) as string[]).map((m) => m.replace(/^ref:user\//, "")),
    });
  },
  identitySecurityDefaultsEnforcementPolicy: (r, c) => {
    c.seed.securityDefaultsEnabled = r.properties["isEnabled"] === true;
  },
  authorizationPolicy: (r, c) => {
    c.seed.singletons["authorizationPolicy"] = { ...r.properties };
  },
  authenticationMethodsPolicy: (r, c) => {
    c.seed.singletons["authenticationMethodsPolicy"] = JSON.parse(JSON.stringify(r.properties)) as Json;
  },
  organizationalBranding: (r, c) => branding(r, c, "0"),
  brandingLocalization: (r, c) => branding(r, c, r.naturalKey),
  retentionLabel: (r, c) =>
    c.seed.compliance.ComplianceTag.push({
      Guid: stableId(c.t, "tag", r.naturalKey),
      Mode: "Enforce",
      IsRecordLabel: false,
      Regulatory: false,
      Comment: "",
      Notes: "",
      ...complianceTagParameters(r.properties as unknown as RetentionLabelProperties),
    }),
  retentionCompliancePolicy: (r, c) => {
    const { preservationLockAcknowledged: _a, ...p } = r.properties as Json;
    c.seed.compliance.RetentionCompliancePolicy.push({
      Guid: stableId(c.t, "policy", r.naturalKey),
      Comment: "",
      Enabled: true,
      RestrictiveRetention: false,
      DistributionStatus: "Success",
      Mode: "Enforce",
      ...p,
      ...Object.fromEntries(LOCATIONS.map((l) => [l, location(p[l])])),
    });
  },
  retentionComplianceRule: (r, c) => {
    const p = r.properties as Json;
    c.seed.compliance.RetentionComplianceRule.push({
      Guid: stableId(c.t, "rule", r.naturalKey),
      // A publishing rule has the name the service gave it (see compliance.ts serviceRuleName).
      Name: p["Name"] ?? `ctptr-${stableId(c.t, "rule", r.naturalKey)}`,
      Policy: stableId(c.t, "policy", String(p["Policy"])),
      ParentPolicyName: p["Policy"],
      RetentionDuration: p["RetentionDuration"] ?? null,
      RetentionComplianceAction: p["RetentionComplianceAction"] ?? null,
      ExpirationDateOption: p["ExpirationDateOption"] ?? null,
      PublishComplianceTag: p["PublishComplianceTag"] ?? [],
      Mode: "Enforce",
    });
  },
  application: (r, c) => {
    const p = r.properties as Json;
    const appId = stableId(c.t, "appId", r.naturalKey);
    const spId = stableId(c.t, "servicePrincipal", r.naturalKey);
    const der = readFileSync(resolve(c.root, String(p["certificateFile"])), "utf8")
      .replace(/-----[^-]+-----/g, "")
      .replace(/\s+/g, "");
    const resource = (appIdOf: string) => RESOURCE_PRINCIPALS.find((x) => x.appId === appIdOf)!;
    const roleId = (resourceAppId: string, value: string) =>
      resource(resourceAppId).appRoles.find((x) => x.value === value)!.id;
    const access = p["requiredResourceAccess"] as { resourceAppId: string; roles: string[] }[];
    c.add("applications", {
      id: stableId(c.t, "application", r.naturalKey),
      appId,
      displayName: p["displayName"],
      signInAudience: p["signInAudience"],
      passwordCredentials: [],
      keyCredentials: [
        {
          keyId: stableId(c.t, "key", r.naturalKey),
          customKeyIdentifier: createHash("sha1").update(Buffer.from(der, "base64")).digest("base64"),
          type: "AsymmetricX509Cert",
          usage: "Verify",
          key: der,
          displayName: "CN=backup",
        },
      ],
      requiredResourceAccess: access.map((a) => ({
        resourceAppId: a.resourceAppId,
        resourceAccess: a.roles.map((v) => ({ id: roleId(a.resourceAppId, v), type: "Role" })),
      })),
    });
    c.add("servicePrincipals", {
      id: spId,
      appId,
      displayName: p["displayName"],
      servicePrincipalType: "Application",
      appRoles: [],
    });
    for (const a of access)
      for (const v of a.roles) {
        c.add("appRoleAssignments", {
          id: stableId(c.t, "assignment", a.resourceAppId, v),
          appRoleId: roleId(a.resourceAppId, v),
          principalId: spId,
          principalType: "ServicePrincipal",
          principalDisplayName: p["displayName"],
          resourceId: stableId(c.t, a.resourceAppId),
          resourceDisplayName: resource(a.resourceAppId).displayName,
        });
      }
    for (const role of (p["directoryRoles"] ?? []) as string[])
      c.add("roleAssignments", {
        id: stableId(c.t, "role", role),
        principalId: spId,
        roleDefinitionId: role,
        directoryScopeId: "/",
      });
  },
};

function branding(r: DesiredResource, c: Ctx, locale: string): void {
  const { assets, id: _id, ...text } = r.properties as Json;
  c.seed.branding[locale] = text;
  for (const kind of ASSET_KINDS) {
    const path = (assets as Record<string, string> | undefined)?.[kind];
    if (!path) continue;
    const bytes = readFileSync(resolve(c.root, path));
    c.seed.streams[`${locale}/${kind}`] = {
      contentType: kind === "customCSS" ? "text/css" : path.endsWith(".png") ? "image/png" : "image/jpeg",
      data: bytes.toString("base64"),
    };
  }
}
