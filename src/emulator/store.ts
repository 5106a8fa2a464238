/**
 * Emulator state: every tenant as one JSON-serializable object (collections, singletons, branding and
 * its streams, S&C objects), persisted atomically (write temp, rename) so a restart loses nothing.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Json } from "./errors";
import type { FederatedCredential } from "./federated";

export const COLLECTIONS = [
  "conditionalAccessPolicies",
  "deletedConditionalAccessPolicies",
  "namedLocations",
  "authenticationStrengthPolicies",
  "applications",
  "servicePrincipals",
  "appRoleAssignments",
  "groups",
  "users",
  "roleAssignments",
  "subscribedSkus",
  "secureScores",
  "secureScoreControlProfiles",
  "retentionLabels",
  "delegatedAdminRelationships",
  "signIns",
  "servicePrincipalSignInActivities",
] as const;
export type CollectionName = (typeof COLLECTIONS)[number];

/**
 * Collections whose v1.0 resource has no createdDateTime: servicePrincipal and unifiedRoleAssignment
 * (learn.microsoft.com/graph/api/resources/serviceprincipal, …/resources/unifiedroleassignment; Microsoft's
 * models in @microsoft/msgraph-sdk agree).
 */
export const NO_CREATED_DATE: ReadonlySet<CollectionName> = new Set<CollectionName>([
  "servicePrincipals",
  "roleAssignments",
]);
export const COMPLIANCE_NOUNS = ["ComplianceTag", "RetentionCompliancePolicy", "RetentionComplianceRule"] as const;
export type ComplianceNoun = (typeof COMPLIANCE_NOUNS)[number];

/** One tenant's state. Plain data: what is persisted is exactly this. */
export interface TenantState {
  tenantId: string;
  primaryDomain: string;
  displayName: string;
  organization: Json;
  collections: Record<CollectionName, Json[]>;
  singletons: { securityDefaults: Json; authorizationPolicy: Json; authenticationMethodsPolicy: Json };
  /** Branding per locale; "0" is the default localization. */
  branding: Record<string, Json>;
  /** `<locale>/<stream>` → bytes (base64) and content type. */
  streams: Record<string, { contentType: string; data: string }>;
  compliance: Record<ComplianceNoun, Json[]>;
  /** Group id → member object ids. */
  groupMembers: Record<string, string[]>;
  /** Group, application or service principal id → owner object ids; absent in older saved state. */
  owners?: Record<string, string[]>;
  /** clientId → PEM certificates accepted for client assertions (besides applications' keyCredentials). */
  clientCertificates: Record<string, string[]>;
  /** clientId → federated identity credentials (workload identity federation); absent in older saved state. */
  federatedCredentials?: Record<string, FederatedCredential[]>;
  /** Object id → creation time (ms), for eventual consistency. */
  createdAt: Record<string, number>;
  microsoftManagedAdded: boolean;
}

/** All tenants, by id, with persistence. */
export class Store {
  readonly tenants = new Map<string, TenantState>();

  constructor(private readonly dataDir?: string) {}

  /** Loads `state.json` from the data directory, if present; returns whether it did. */
  load(): boolean {
    if (!this.dataDir) return false;
    const file = join(this.dataDir, "state.json");
    if (!existsSync(file)) return false;
    const data = JSON.parse(readFileSync(file, "utf8")) as { tenants: TenantState[] };
    for (const t of data.tenants) this.tenants.set(t.tenantId, t);
    return true;
  }

  /** Writes every tenant atomically: a crash mid-write leaves the previous file intact. */
  save(): void {
    if (!this.dataDir) return;
    mkdirSync(this.dataDir, { recursive: true });
    const file = join(this.dataDir, "state.json");
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ version: 1, tenants: [...this.tenants.values()] }));
    renameSync(temp, file);
  }

  /** The tenant, or undefined. */
  get(tenantId: string): TenantState | undefined {
    return this.tenants.get(tenantId.toLowerCase());
  }
}
