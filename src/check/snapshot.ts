/**
 * Reads everything `check` compares for one tenant, each collection once: conditional-access policies and
 * named locations one by one through the paced client, every other Graph read in `$batch` rounds, and the
 * retention objects with one S&C call each, all but the first inside the paced wait. Read-only: this module never
 * writes.
 */
import type * as Graph from "@microsoft/microsoft-graph-types";
import type { CompiledTenant } from "../core/desired";
import { SUBSCRIBED_SKUS_PATH } from "../core/licences";
import { GraphRequestError } from "../errors";
import { combineRefusals, isRefusal } from "../graph/consent-hint";
import { expectList } from "../graph/shape";
import type { BatchRead, BatchResult, TenantConnection } from "../graph/types";
import { resourceDefinitions } from "../resources";
import { GROUP_SELECT, policyPrincipalIds, principalReads, withPrincipals } from "./principals";
import { streamDigests } from "../resources/organizational-branding/provider";
import { readSignInActivities, type SignInActivityRead } from "./sign-in";

/** Graph's Microsoft Graph resource application (its service principal holds the app roles apps are granted). */
export const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

type Json = Record<string, unknown>;

/** The singletons `check` reads, by resource type; `undefined` when Graph answered 404 (e.g. no default branding). */
export interface LiveSingletons {
  identitySecurityDefaultsEnforcementPolicy?: Graph.IdentitySecurityDefaultsEnforcementPolicy | undefined;
  authorizationPolicy?: Graph.AuthorizationPolicy | undefined;
  authenticationMethodsPolicy?: Graph.AuthenticationMethodsPolicy | undefined;
  organizationalBranding?: Graph.OrganizationalBranding | undefined;
}

/** What a managed application holds in the tenant beyond its registration. */
export interface ApplicationGrants {
  /** The application's service principal's object id. */
  readonly servicePrincipalId: string;
  readonly consent: readonly Graph.AppRoleAssignment[];
  readonly directoryRoles: readonly string[];
  /** The directory role assignments behind `directoryRoles` (adopt imports them by id). */
  readonly roleAssignments: readonly Graph.UnifiedRoleAssignment[];
}

/** An app-role assignment of Microsoft Graph's app roles, with the role's value added. */
export type GraphAppRoleAssignment = Graph.AppRoleAssignment & { readonly appRoleValue: string | undefined };

/** The live state of one tenant as Graph (typed with Microsoft's models) and S&C (cmdlet output) return it. */
export interface LiveSnapshot {
  readonly organizationId: string | undefined;
  readonly subscribedSkus: readonly Graph.SubscribedSku[];
  readonly conditionalAccessPolicies: readonly Graph.ConditionalAccessPolicy[];
  readonly namedLocations: readonly Graph.NamedLocation[];
  readonly groups: readonly Graph.Group[];
  readonly users: readonly Graph.User[];
  readonly applications: readonly Graph.Application[];
  /**
   * Members (id, userPrincipalName) of the groups the baseline manages, by group id: a member added by hand is drift.
   */
  readonly groupMembers: ReadonlyMap<string, readonly Graph.User[]>;
  /**
   * Per managed application (by appId): its service principal's app-role assignments (the admin consent) and the
   * template ids of its directory roles; absent when the app has no service principal.
   */
  readonly applicationGrants: ReadonlyMap<string, ApplicationGrants>;
  /**
   * Per managed application found in the tenant (by appId): its last sign-in from the beta report, or why that
   * optional read failed (src/check/sign-in.ts).
   */
  readonly applicationSignIns: ReadonlyMap<string, SignInActivityRead>;
  /** The branding's localizations (the default appears as id "0"), when the baseline manages one. */
  readonly brandingLocalizations: readonly Graph.OrganizationalBrandingLocalization[];
  /** SHA-256 of each default-branding stream the baseline names (`bannerLogo` → hex), when the tenant has it. */
  readonly brandingStreams: ReadonlyMap<string, string>;
  /** Object id → appId of the resource APIs' service principals (consent names the resource by object id). */
  readonly resourceAppIds: ReadonlyMap<string, string>;
  /** App-role id → value for each resource API the baseline's applications use (Graph, Exchange, SharePoint). */
  readonly resourceAppRoles: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** App-role assignments of Microsoft Graph's app roles, with the role's value added as `appRoleValue`. */
  readonly graphAppRoleAssignments: readonly GraphAppRoleAssignment[];
  readonly singletons: LiveSingletons;
  readonly secureScore: Graph.SecureScore | undefined;
  readonly secureScoreControlProfiles: readonly Graph.SecureScoreControlProfile[];
  /**
   * S&C `Get-ComplianceTag`, `Get-RetentionCompliancePolicy`, `Get-RetentionComplianceRule` output (no Microsoft
   * model).
   */
  readonly retentionLabels: readonly Json[];
  readonly retentionPolicies: readonly Json[];
  readonly retentionRules: readonly Json[];
}

/** Singletons at a fixed Graph path, read in the first `$batch` round (branding needs the organization id first). */
const SINGLETONS: Partial<Record<keyof LiveSingletons, string>> = Object.fromEntries(
  resourceDefinitions.flatMap((d) =>
    d.endpoint.api === "graph" && d.endpoint.singleton && !d.endpoint.path.includes("{")
      ? [[d.type, d.endpoint.path]]
      : [],
  ),
);

/**
 * Reads the live snapshot the compiled baseline needs; which optional collections are read follows what
 * it contains. The conditional-access policies go first: they start the tenant's one-second CA clock,
 * and the named locations must wait for it. Every other read (the Graph `$batch` rounds, the S&C
 * collections) runs inside that wait, so a tenant takes about one paced interval, not the sum of its
 * reads, and under CPU contention the call that starts the clock is not queued behind the rest.
 */
export async function readSnapshot(
  connection: TenantConnection,
  compiled: CompiledTenant,
  known: { readonly subscribedSkus?: readonly Graph.SubscribedSku[] | undefined } = {},
): Promise<LiveSnapshot> {
  // Conditional access is paced at 1 request/s per tenant and must not be batched (each inner request counts).
  const policies = await connection.graph
    .list<Graph.ConditionalAccessPolicy>("/identity/conditionalAccess/policies")
    .catch((error: unknown) => {
      if (isRefusal(error)) return error;
      throw error;
    });
  // A refused first read still lets the other reads run, so one error names every permission the tenant
  // lacks; named locations need the same permission and are not read then.
  const refused = policies instanceof GraphRequestError;
  const [namedLocations, graph, retention] = await settleAll([
    refused
      ? Promise.reject(policies)
      : connection.graph.list<Graph.NamedLocation>("/identity/conditionalAccess/namedLocations"),
    readGraph(connection, compiled, refused ? [] : policies, known.subscribedSkus),
    readRetention(connection, compiled),
  ] as const);
  return {
    conditionalAccessPolicies: policies as Graph.ConditionalAccessPolicy[],
    namedLocations,
    ...graph,
    ...retention,
  };
}

/**
 * Every promise settled, then the values; else the first failure that is not a permission refusal, else
 * the refusals as one error (no request is left running when the tenant's connection closes).
 */
async function settleAll<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failures = settled
    .filter((s): s is PromiseRejectedResult => s.status === "rejected")
    .map((s) => s.reason as unknown);
  if (failures.length > 0)
    throw failures.find((f) => !isRefusal(f)) ?? combineRefusals(failures as GraphRequestError[]);
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** Throws the batch's permission refusals as one error, so a tenant's report names all it lacks at once. */
function throwRefusals(results: ReadonlyMap<string, BatchResult>): void {
  const refusals = [...results.values()].flatMap((r) => (!r.ok && isRefusal(r.error) ? [r.error] : []));
  if (refusals.length > 0) throw combineRefusals(refusals);
}

type GraphPart = Omit<
  LiveSnapshot,
  "conditionalAccessPolicies" | "namedLocations" | "retentionLabels" | "retentionPolicies" | "retentionRules"
>;

/**
 * Every other Graph read in two `$batch` rounds: the second needs ids from the first (default branding, managed groups'
 * members).
 */
async function readGraph(
  connection: TenantConnection,
  compiled: CompiledTenant,
  policies: readonly Graph.ConditionalAccessPolicy[],
  subscribedSkus: readonly Graph.SubscribedSku[] | undefined,
): Promise<GraphPart> {
  const { graph } = connection;
  const types = new Set(compiled.resources.map((r) => r.type));
  const refs = collectRefs(compiled);
  const reads: BatchRead[] = [
    { id: "organization", url: "/organization?$select=id,displayName" },
    // Already read when the stack's licences are derived from them (licences: auto): each collection once.
    ...(subscribedSkus ? [] : [{ id: "subscribedSkus", url: SUBSCRIBED_SKUS_PATH }]),
    { id: "secureScores", url: "/security/secureScores?$top=1" },
    { id: "secureScoreControlProfiles", url: "/security/secureScoreControlProfiles" },
    { id: "graphRoles", url: `/servicePrincipals(appId='${MICROSOFT_GRAPH_APP_ID}')?$select=id,appRoles` },
    { id: "graphRoleAssignments", url: `/servicePrincipals(appId='${MICROSOFT_GRAPH_APP_ID}')/appRoleAssignedTo` },
  ];
  if (refs.groups.length > 0)
    reads.push({
      id: "groups",
      url: `/groups?$filter=${inFilter("displayName", refs.groups)}&$select=${GROUP_SELECT}`,
    });
  if (refs.users.length > 0)
    reads.push({
      id: "users",
      url: `/users?$filter=${inFilter("userPrincipalName", refs.users)}&$select=id,userPrincipalName`,
    });
  const appNames = compiled.resources
    .filter((r) => r.type === "application")
    .map((r) => String(r.properties["displayName"]));
  reads.push({
    id: "applications",
    url:
      appNames.length > 0
        ? `/applications?$select=id,appId,displayName,signInAudience,requiredResourceAccess,keyCredentials,passwordCredentials`
        : "/applications?$select=id,appId,displayName&$top=1",
  });
  // Application permissions are compared by value: read the app roles of every other resource API they name.
  const resourceApps = [
    ...new Set(
      compiled.resources
        .filter((r) => r.type === "application")
        .flatMap((r) =>
          ((r.properties["requiredResourceAccess"] ?? []) as { resourceAppId: string }[]).map((a) => a.resourceAppId),
        ),
    ),
  ]
    .filter((a) => a !== MICROSOFT_GRAPH_APP_ID)
    .sort();
  for (const appId of resourceApps)
    reads.push({ id: `roles:${appId}`, url: `/servicePrincipals(appId='${appId}')?$select=id,appRoles` });
  for (const [type, path] of Object.entries(SINGLETONS))
    if (types.has(type as never)) reads.push({ id: type, url: path });
  reads.push(...principalReads(policyPrincipalIds(policies)));

  const results = await graph.batch(reads);
  throwRefusals(results);
  // Graph's JSON, typed with Microsoft's models: the one place a response body becomes a typed object.
  const body = <T = Json>(id: string) => okBody(results, id) as T | undefined;
  const values = <T>(id: string): T[] => listBody<T>(results, reads, id);

  const organizationId = values<Graph.Organization>("organization")[0]?.id ?? undefined;
  const singletons: Record<string, unknown> = {};
  for (const type of Object.keys(SINGLETONS)) if (types.has(type as never)) singletons[type] = body(type);
  const managedGroups = new Set(
    compiled.resources.filter((r) => r.type === "group").map((r) => r.naturalKey.toLowerCase()),
  );
  const groups = withPrincipals(values<Graph.Group>("groups"), results, "groups");
  const groupIds = groups
    .filter((g) => managedGroups.has(String(g.displayName).toLowerCase()))
    .map((g) => String(g.id));
  const second: BatchRead[] = groupIds.map((id) => ({
    id: `members:${id}`,
    url: `/groups/${id}/members?$select=id,userPrincipalName`,
  }));
  const branding =
    (types.has("organizationalBranding") || types.has("brandingLocalization")) && organizationId !== undefined;
  if (branding)
    second.push({
      id: "branding",
      url: `/organization/${organizationId}/branding`,
      headers: { "Accept-Language": "0" },
    });
  // The managed apps' service principals: their consent (app-role assignments) and, in a third round, their roles.
  const managedApps = new Set(appNames.map((n) => n.toLowerCase()));
  const appIds = values<Graph.Application>("applications")
    .filter((a) => managedApps.has(String(a.displayName).toLowerCase()))
    .map((a) => String(a.appId));
  for (const appId of appIds) {
    second.push({ id: `sp:${appId}`, url: `/servicePrincipals(appId='${appId}')?$select=id` });
    second.push({ id: `consent:${appId}`, url: `/servicePrincipals(appId='${appId}')/appRoleAssignments` });
  }
  const localizations = types.has("brandingLocalization") && organizationId !== undefined;
  if (localizations)
    second.push({ id: "localizations", url: `/organization/${organizationId}/branding/localizations` });
  // The sign-in activity is a beta report (not batchable with v1.0 reads): read beside the second round.
  const [more, applicationSignIns] = await Promise.all([
    second.length > 0 ? graph.batch(second) : new Map<string, BatchResult>(),
    readSignInActivities(connection, appIds),
  ]);
  throwRefusals(more);
  const moreBody = <T>(id: string) => okBody(more, id) as T | undefined;
  const moreValues = <T>(id: string): T[] => listBody<T>(more, second, id);
  const principals = appIds.flatMap((appId) => {
    const id = moreBody<Graph.ServicePrincipal>(`sp:${appId}`)?.id;
    return id ? [[appId, id] as const] : [];
  });
  const third: BatchRead[] = principals.map(([appId, id]) => ({
    id: `directoryRoles:${appId}`,
    url: `/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${id}'`)}`,
  }));
  const last = third.length > 0 ? await graph.batch(third) : new Map<string, BatchResult>();
  throwRefusals(last);
  const applicationGrants = new Map(
    principals.map(([appId, servicePrincipalId]) => {
      const consent = moreValues<Graph.AppRoleAssignment>(`consent:${appId}`);
      const roles = listBody<Graph.UnifiedRoleAssignment>(last, third, `directoryRoles:${appId}`);
      const directoryRoles = roles.map((r) => String(r.roleDefinitionId)).sort();
      return [appId, { servicePrincipalId, consent, directoryRoles, roleAssignments: roles }] as const;
    }),
  );
  if (branding) singletons["organizationalBranding"] = moreBody("branding");
  const groupMembers = new Map(groupIds.map((id) => [id, moreValues<Graph.User>(`members:${id}`)]));

  // Images and CSS are compared by content: one GET per stream the baseline names (a swapped logo is drift).
  const kinds = [
    ...new Set(
      compiled.resources
        .filter((r) => r.type === "organizationalBranding")
        .flatMap((r) => Object.keys((r.properties["assets"] ?? {}) as Json)),
    ),
  ].sort();
  const streams = branding && singletons["organizationalBranding"] !== undefined ? kinds : [];
  const brandingStreams = new Map(
    Object.entries(streams.length > 0 ? await streamDigests(graph, String(organizationId), "0", streams) : {}),
  );
  const resourceAppIds = new Map<string, string>(
    [MICROSOFT_GRAPH_APP_ID, ...resourceApps].flatMap((a) => {
      const id = body<Graph.ServicePrincipal>(a === MICROSOFT_GRAPH_APP_ID ? "graphRoles" : `roles:${a}`)?.id;
      return id ? [[id.toLowerCase(), a] as const] : [];
    }),
  );
  const rolesOf = (id: string) =>
    new Map((body<Graph.ServicePrincipal>(id)?.appRoles ?? []).map((r) => [String(r.id), String(r.value)]));
  const roleValues = rolesOf("graphRoles");
  const resourceAppRoles = new Map<string, ReadonlyMap<string, string>>([
    [MICROSOFT_GRAPH_APP_ID, roleValues],
    ...resourceApps.map((a) => [a, rolesOf(`roles:${a}`)] as const),
  ]);
  const graphAppRoleAssignments = values<Graph.AppRoleAssignment>("graphRoleAssignments").map((a) => ({
    ...a,
    appRoleValue: roleValues.get(String(a.appRoleId)),
  }));
  return {
    organizationId,
    subscribedSkus: subscribedSkus ?? values<Graph.SubscribedSku>("subscribedSkus"),
    groups,
    users: withPrincipals(values<Graph.User>("users"), results, "users"),
    applications: values<Graph.Application>("applications"),
    resourceAppRoles,
    resourceAppIds,
    applicationGrants,
    applicationSignIns,
    brandingStreams,
    brandingLocalizations: localizations ? moreValues<Graph.OrganizationalBrandingLocalization>("localizations") : [],
    groupMembers,
    graphAppRoleAssignments,
    singletons: singletons as LiveSingletons,
    secureScore: values<Graph.SecureScore>("secureScores")[0],
    secureScoreControlProfiles: values<Graph.SecureScoreControlProfile>("secureScoreControlProfiles"),
  };
}

/** The retention objects, one S&C call per collection, only when the baseline manages retention. */
async function readRetention(
  connection: TenantConnection,
  compiled: CompiledTenant,
): Promise<Pick<LiveSnapshot, "retentionLabels" | "retentionPolicies" | "retentionRules">> {
  const retention = compiled.resources.some(
    (r) =>
      r.type === "retentionLabel" || r.type === "retentionCompliancePolicy" || r.type === "retentionComplianceRule",
  );
  if (!retention) return { retentionLabels: [], retentionPolicies: [], retentionRules: [] };
  const [retentionLabels, retentionPolicies, retentionRules] = await settleAll([
    connection.compliance.invoke("Get-ComplianceTag"),
    connection.compliance.invoke("Get-RetentionCompliancePolicy"),
    connection.compliance.invoke("Get-RetentionComplianceRule"),
  ] as const);
  return { retentionLabels, retentionPolicies, retentionRules };
}

/** The body of a successful batch read; 404 means absent; any other failure fails the tenant's check. */
function okBody(results: ReadonlyMap<string, BatchResult>, id: string): Json | undefined {
  const result = results.get(id);
  if (!result) return undefined;
  if (!result.ok) {
    if (result.error.status === 404) return undefined;
    throw result.error;
  }
  return result.body as Json;
}

/**
 * The `value` list of a successful collection read, `[]` when absent (404); a 2xx body without a list fails the
 * tenant's check rather than reading as "no objects" (which would report every managed object missing).
 */
function listBody<T>(results: ReadonlyMap<string, BatchResult>, reads: readonly BatchRead[], id: string): T[] {
  const body = okBody(results, id);
  if (body === undefined) return [];
  return expectList<T>(body, "GET", reads.find((r) => r.id === id)?.url ?? id);
}

/** The group names and user principal names the compiled baseline references. */
export function collectRefs(compiled: CompiledTenant): { groups: string[]; users: string[]; namedLocations: string[] } {
  const found = { group: new Set<string>(), user: new Set<string>(), namedLocation: new Set<string>() };
  const visit = (value: unknown): void => {
    if (typeof value === "string") {
      const match = /^ref:(group|user|namedLocation)\/(.+)$/.exec(value);
      if (match) found[match[1] as keyof typeof found].add(match[2]!);
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === "object") Object.values(value).forEach(visit);
  };
  for (const resource of compiled.resources) visit(resource.properties);
  for (const resource of compiled.resources)
    if (resource.type === "group") found.group.add(String(resource.properties["displayName"]));
  return {
    groups: [...found.group].sort(),
    users: [...found.user].sort(),
    namedLocations: [...found.namedLocation].sort(),
  };
}

/** `name in ('a','b')` with OData quote escaping, URL-encoded. */
function inFilter(property: string, values: readonly string[]): string {
  return encodeURIComponent(`${property} in (${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(",")})`);
}

/** True when `error` means the tenant lacks a licence for the feature read (Graph answers 403 for some). */
export function isLicenceError(error: unknown): boolean {
  return error instanceof GraphRequestError && error.status === 403 && /licen[cs]e/i.test(error.message);
}
