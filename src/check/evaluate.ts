/**
 * Pure evaluation of one tenant: matches each desired resource with its live object, canonicalizes,
 * compares, and folds the results into one status per control, plus the inventory of what the baseline
 * does not own and the Secure Score actions it addresses.
 */
import { secureScore } from "./secure-score";
import { exceptionCovers, exceptionFor } from "../core/exceptions";
import { activePlans, LICENCE_PLANS, plansCarry } from "../core/licences";
import type { CompiledTenant, DesiredResource } from "../core/desired";
import { resourceDefinition } from "../resources";
import type {
  ControlResult,
  ControlStatus,
  PropertyDifference,
  SecureScoreSummary,
  UnmanagedObject,
} from "../report/types";
import { compareProperties, type RefLookup } from "./compare";
import type { LiveSnapshot } from "./snapshot";

/** What `check` needs to know about a control from the registry. */
export interface ControlInfo {
  readonly id: string;
  readonly title: string;
  readonly severity: ControlResult["severity"];
  /** Secure Score improvement actions (controlName) the control addresses. */
  readonly secureScore: readonly string[];
  /** The Entra ID licence the control needs, if any. */
  readonly licence?: "P1" | "P2" | null | undefined;
  /** Framework references (CIS, CISA SCuBA, Maester), for the dashboard. */
  readonly frameworks?: readonly { readonly framework: string; readonly ref: string }[] | undefined;
}

/**
 * What the tenant's subscriptions say about a control's licence, against what its stack declares: a control the
 * stack applies but the tenant cannot run is not licensed (Graph refuses it), one the stack leaves out could run.
 */
function licenceNote(
  licence: "P1" | "P2" | null | undefined,
  declared: boolean,
  plans: Set<string> | undefined,
): string | undefined {
  if (!licence || !plans) return undefined;
  const has = plansCarry(plans, licence);
  const key = `m365-baseline:licences.entraId${licence}`;
  if (declared && !has)
    return `the stack declares Entra ID ${licence}, but no active subscription of the tenant has ${LICENCE_PLANS[licence].join(" or ")} (subscribedSkus); buy the licence or set ${key}: false`;
  if (!declared && has) return `the tenant has Entra ID ${licence} (subscribedSkus): set ${key}: true to apply it`;
  return undefined;
}

export interface StackExceptionInfo {
  readonly control: string;
  readonly reason: string;
  readonly expires: string;
  /** When set, the exception excuses only differences at these property paths. */
  readonly properties?: readonly string[] | undefined;
}

/** App roles whose holders can take over a tenant or read all its data; apps holding them are inventoried. */
export const HIGH_PRIVILEGE_GRAPH_ROLES = new Set([
  "Application.ReadWrite.All",
  "AppRoleAssignment.ReadWrite.All",
  "Directory.ReadWrite.All",
  "RoleManagement.ReadWrite.Directory",
  "Policy.ReadWrite.ConditionalAccess",
  "Group.ReadWrite.All",
  "User.ReadWrite.All",
  "Mail.ReadWrite",
  "Mail.Send",
  "Files.ReadWrite.All",
  "Sites.FullControl.All",
  "Sites.ReadWrite.All",
  "PrivilegedAccess.ReadWrite.AzureAD",
]);

const MICROSOFT_MANAGED = /^Microsoft-managed:/i;

/**
 * Evaluates every control of `compiled` against `live`; `today` is YYYY-MM-DD. `licencesDerived` (a stack with
 * `licences: auto`, compiled for what subscribedSkus give) turns the licence notes off: there is no claim to differ.
 */
export function evaluateTenant(
  compiled: CompiledTenant,
  live: LiveSnapshot,
  controls: ReadonlyMap<string, ControlInfo>,
  exceptions: readonly StackExceptionInfo[],
  today: string,
  files: ReadonlyMap<string, string> = new Map(),
  options: { readonly licencesDerived?: boolean | undefined } = {},
): { controls: ControlResult[]; unmanaged: UnmanagedObject[]; secureScore: SecureScoreSummary | undefined } {
  const refs = refLookup(live);
  const plans = options.licencesDerived ? undefined : activePlans(live.subscribedSkus);
  const byControl = new Map<string, DesiredResource[]>();
  for (const r of compiled.resources) byControl.set(r.controlId, [...(byControl.get(r.controlId) ?? []), r]);

  const results: ControlResult[] = compiled.outcomes.map((outcome) => {
    const info = controls.get(outcome.controlId) ?? {
      id: outcome.controlId,
      title: outcome.controlId,
      severity: "medium" as const,
      secureScore: [],
    };
    const resources = byControl.get(outcome.controlId) ?? [];
    const base = {
      controlId: outcome.controlId,
      title: info.title,
      severity: info.severity,
      resources: resources.map((r) => r.name),
    };
    const judged = outcome.status === "applied" || outcome.status === "notLicensed";
    const note = judged ? licenceNote(info.licence, outcome.status === "applied", plans) : undefined;
    if (outcome.status === "notLicensed")
      return {
        ...base,
        status: "notLicensed",
        differences: [],
        message: [outcome.reason, note].filter(Boolean).join("; "),
      };
    if (note) return { ...base, status: "notLicensed", differences: [], message: note };
    const exception = exceptionFor(exceptions, outcome.controlId, today);
    if (outcome.status === "excepted" || outcome.status === "off") {
      const reason = exception?.reason ?? outcome.reason ?? "turned off for this tenant";
      const expires = exception?.expires ?? outcome.expires ?? "";
      return {
        ...base,
        status: "excepted",
        differences: [],
        exception: { reason, expires, expiresSoon: expiresWithin(expires, today, 30) },
      };
    }
    const differences: PropertyDifference[] = [];
    let missing = false;
    for (const resource of resources) {
      const found = resourceDifferences(resource, live, files, refs);
      if (found === undefined) {
        missing = true;
        continue;
      }
      for (const d of found)
        differences.push({ ...d, path: resources.length > 1 ? `${resource.name}: ${d.path}` : d.path });
    }
    // An exception scoped to properties excuses only the differences at them; the rest still counts.
    const scoped = exception?.properties ? exception : undefined;
    const remaining = scoped ? differences.filter((d) => !exceptionCovers(scoped, d.path)) : differences;
    const excused = differences.length - remaining.length;
    const status: ControlStatus = missing ? "missing" : remaining.length > 0 ? "drifted" : "compliant";
    const reach = exception && {
      reason: exception.reason,
      expires: exception.expires,
      expiresSoon: expiresWithin(exception.expires, today, 30),
      ...(scoped ? { properties: [...scoped.properties!], excused } : {}),
    };
    if (scoped)
      return status === "compliant" && excused > 0
        ? { ...base, status: "excepted", differences: [], exception: reach! }
        : { ...base, status, differences: remaining, ...(excused > 0 ? { exception: reach! } : {}) };
    const result: ControlResult = { ...base, status, differences };
    return exception && status !== "compliant" ? { ...result, status: "excepted", exception: reach! } : result;
  });

  return { controls: results, unmanaged: inventory(compiled, live), secureScore: secureScore(live, results, controls) };
}

/**
 * How the live object `resource` stands for differs from it, through its type's check views; `undefined` when the
 * tenant has no such object.
 */
export function resourceDifferences(
  resource: DesiredResource,
  live: LiveSnapshot,
  files: ReadonlyMap<string, string>,
  refs: RefLookup = refLookup(live),
): PropertyDifference[] | undefined {
  const views = resourceDefinition(resource.type).check;
  const found = views.find(resource, live);
  if (found === undefined) return undefined;
  return compareProperties(views.desired(resource, files), views.live(resource, found, live), refs, views.compare);
}

function inventory(compiled: CompiledTenant, live: LiveSnapshot): UnmanagedObject[] {
  const owned = (type: DesiredResource["type"]) =>
    new Set(compiled.resources.filter((r) => r.type === type).map((r) => r.naturalKey.toLowerCase()));
  const out: UnmanagedObject[] = [];
  const ca = owned("conditionalAccessPolicy");
  for (const p of live.conditionalAccessPolicies) {
    const name = String(p["displayName"]);
    if (ca.has(name.toLowerCase())) continue;
    out.push({
      type: "conditionalAccessPolicy",
      id: String(p["id"]),
      displayName: name,
      label: MICROSOFT_MANAGED.test(name) ? "microsoftManaged" : "unmanaged",
      detail: `state ${String(p["state"])}`,
    });
  }
  const locations = owned("namedLocation");
  for (const l of live.namedLocations) {
    if (!locations.has(String(l["displayName"]).toLowerCase()))
      out.push({
        type: "namedLocation",
        id: String(l["id"]),
        displayName: String(l["displayName"]),
        label: "unmanaged",
      });
  }
  const apps = owned("application");
  const privileged = new Map<string, { name: string; roles: Set<string> }>();
  for (const a of live.graphAppRoleAssignments) {
    const role = String(a["appRoleValue"] ?? "");
    const name = String(a["principalDisplayName"] ?? a["principalId"]);
    if (
      !HIGH_PRIVILEGE_GRAPH_ROLES.has(role) ||
      apps.has(name.toLowerCase()) ||
      a["principalType"] !== "ServicePrincipal"
    )
      continue;
    const entry = privileged.get(String(a["principalId"])) ?? { name, roles: new Set<string>() };
    entry.roles.add(role);
    privileged.set(String(a["principalId"]), entry);
  }
  for (const [id, { name, roles }] of [...privileged].sort((x, y) => x[1].name.localeCompare(y[1].name))) {
    out.push({
      type: "application",
      id,
      displayName: name,
      label: "highPrivilege",
      detail: [...roles].sort().join(", "),
    });
  }
  out.push(...duplicates(compiled, live));
  const policies = owned("retentionCompliancePolicy");
  for (const p of live.retentionPolicies) {
    if (!policies.has(String(p["Name"]).toLowerCase()))
      out.push({
        type: "retentionCompliancePolicy",
        id: String(p["Guid"] ?? p["Identity"] ?? p["Name"]),
        displayName: String(p["Name"]),
        label: "unmanaged",
      });
  }
  return out;
}

/**
 * Objects with the name of a managed one (a hand-made copy, or what a first `up` created beside a hand-made one): check
 * compares the first it finds, so the others are listed for the operator to adopt or remove (never removed by us).
 */
function duplicates(compiled: CompiledTenant, live: LiveSnapshot): UnmanagedObject[] {
  const collections = {
    conditionalAccessPolicy: live.conditionalAccessPolicies,
    namedLocation: live.namedLocations,
    group: live.groups,
    application: live.applications,
  } as const;
  const out: UnmanagedObject[] = [];
  for (const [type, objects] of Object.entries(collections) as [
    keyof typeof collections,
    readonly Record<string, unknown>[],
  ][]) {
    for (const r of compiled.resources.filter((x) => x.type === type)) {
      const same = objects.filter((o) => String(o["displayName"]).toLowerCase() === r.naturalKey.toLowerCase());
      for (const extra of same.slice(1))
        out.push({
          type,
          id: String(extra["id"]),
          displayName: String(extra["displayName"]),
          label: "duplicate",
          detail: `same name as the managed ${type} (${String(same[0]!["id"])}), which check compares; remove or rename this one`,
        });
    }
  }
  return out;
}

/** Maps live ids of groups, users and named locations to the `ref:` tokens the baseline uses. */
function refLookup(live: LiveSnapshot): RefLookup {
  const map = new Map<string, string>();
  for (const g of live.groups) map.set(String(g["id"]), `ref:group/${String(g["displayName"])}`);
  for (const u of live.users) map.set(String(u["id"]), `ref:user/${String(u["userPrincipalName"])}`);
  for (const l of live.namedLocations) map.set(String(l["id"]), `ref:namedLocation/${String(l["displayName"])}`);
  return map;
}

function expiresWithin(expires: string, today: string, days: number): boolean {
  if (!expires) return false;
  const ms = Date.parse(`${expires.slice(0, 10)}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`);
  return ms <= days * 86_400_000;
}
