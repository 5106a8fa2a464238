/**
 * Conditional-access policies (Graph `conditionalAccessPolicy`), managed by `azuread.ConditionalAccessPolicy`.
 * Review ranks their state (disabled < report-only < enabled), treats added exclusions and narrowed inclusions as
 * weakenings, and protective grants (block, MFA, compliant device) as what a policy must not lose.
 */
import type { DesiredResource } from "../../core/desired";
import { graph } from "../../controls/types";
import { azureadModule } from "../shared/pulumi-modules";
import { dropDefault, ownedView } from "../shared/owned";
import { checkable } from "../shared/views";
import { adoptOne, sameName } from "../shared/adopt";
import { conditionalAccessArgs } from "./register";
import { byNaturalKey, grantsNothing, type ChangeKind, type Json, type ResourceDefinition } from "../types";
import { includeChange, leafOf, protectiveChange, rankChange, setChange } from "../weakening";

/** Policy states from weakest to strongest (Graph conditionalAccessPolicyState). */
const STATE_RANK: Record<string, number> = { disabled: 0, enabledForReportingButNotEnforced: 1, enabled: 2 };
/** Grant controls whose loss weakens a policy. */
const PROTECTIVE_GRANTS = new Set(["block", "mfa", "passwordChange", "compliantDevice", "domainJoinedDevice"]);
/**
 * Microsoft's built-in authentication strengths, weakest first (Graph authenticationStrengthPolicy ids
 * 00000000-0000-0000-0000-00000000000{2,3,4}: Multifactor, Passwordless MFA, Phishing-resistant MFA).
 */
const STRENGTH_RANK: Record<string, number> = {
  "00000000-0000-0000-0000-000000000002": 1,
  "00000000-0000-0000-0000-000000000003": 2,
  "00000000-0000-0000-0000-000000000004": 3,
};
/**
 * Sign-in frequency: every time is strictest; a time-based interval lets a session live (Graph
 * signInFrequencySessionControl).
 */
const INTERVAL_RANK: Record<string, number> = { timeBased: 0, everyTime: 1 };
/** Persistent browser sessions: `never` keeps none (Graph persistentBrowserSessionControl mode). */
const PERSISTENT_RANK: Record<string, number> = { always: 0, never: 1 };

/** Set by the service, never by the baseline (Graph conditionalAccessPolicy: read-only properties). */
const SERVER_COMPUTED = ["id", "templateId", "createdDateTime", "modifiedDateTime", "deletedDateTime"];

/**
 * The policy's settings, the same for desired and live. Graph returns the referenced authentication strength
 * expanded (displayName, allowedCombinations, …; learn.microsoft.com/graph/api/conditionalaccesspolicy-get,
 * example of 2026-03): the reference is its id. `clientAppTypes: ["all"]` is what Graph returns for a policy that
 * sets none (same example, and conditionalaccessroot-list-policies).
 */
export function policyView(policy: object): Json {
  const view = ownedView(policy, SERVER_COMPUTED);
  const grant = view["grantControls"] as Json | undefined;
  const strength = grant?.["authenticationStrength"] as Json | undefined;
  if (grant && strength) grant["authenticationStrength"] = { id: String(strength["id"]).toLowerCase() };
  dropDefault(view, "conditions.clientAppTypes", ["all"]);
  return view;
}

function weakening(_resource: DesiredResource, path: string, before: unknown, after: unknown): ChangeKind | undefined {
  const leaf = leafOf(path);
  if (leaf === "state") return rankChange(STATE_RANK, before, after);
  if (/^exclude/.test(leaf)) return setChange(before, after, "grow-weakens");
  if (/^include/.test(leaf)) return includeChange(before, after);
  if (leaf === "builtInControls") return protectiveChange(PROTECTIVE_GRANTS, before, after);
  if (path === "grantControls.authenticationStrength.id") {
    if (before === undefined || after === undefined) return after === undefined ? "weakening" : "strengthening";
    return rankChange(STRENGTH_RANK, before, after);
  }
  if (path.startsWith("grantControls.authenticationStrength")) {
    return after === undefined ? "weakening" : before === undefined ? "strengthening" : "neutral";
  }
  if (path === "sessionControls.signInFrequency.value") return longerWeakens(before, after);
  if (path === "sessionControls.signInFrequency.frequencyInterval") return rankChange(INTERVAL_RANK, before, after);
  if (path === "sessionControls.persistentBrowser.mode") return rankChange(PERSISTENT_RANK, before, after);
  if (/^sessionControls\.[^.]+\.isEnabled$/.test(path)) return after === true ? "strengthening" : "weakening";
  if (leaf === "clientAppTypes" || leaf === "signInRiskLevels" || leaf === "userRiskLevels") {
    return setChange(before, after, "grow-strengthens");
  }
  return undefined;
}

/** A longer session (more hours or days between sign-ins) weakens. */
function longerWeakens(before: unknown, after: unknown): ChangeKind {
  const b = Number(before);
  const a = Number(after);
  if (Number.isNaN(a) || Number.isNaN(b) || a === b) return "neutral";
  return a > b ? "weakening" : "strengthening";
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the plan reads a few optional nested keys
type Loose = Record<string, any>;

function summary(resource: DesiredResource): string {
  const p = resource.properties as Loose;
  const list = (v: unknown) => (Array.isArray(v) ? v.join(",") : String(v ?? ""));
  const u = p["conditions"]?.["users"] ?? {};
  const who = u["includeUsers"]
    ? `users ${list(u["includeUsers"])}`
    : u["includeRoles"]
      ? `${u["includeRoles"].length} admin roles`
      : "guests";
  const grant = p["grantControls"]?.["authenticationStrength"]
    ? `strength ${p["grantControls"]["authenticationStrength"]["id"].slice(-4)}`
    : p["grantControls"]
      ? list(p["grantControls"]["builtInControls"])
      : "session";
  const excluded = (u["excludeUsers"]?.length ?? 0) + (u["excludeGroups"]?.length ?? 0);
  return `${p["state"]}; ${who}; grant ${grant}; ${excluded} break-glass exclusions`;
}

export const conditionalAccessPolicy: ResourceDefinition = {
  type: "conditionalAccessPolicy",
  endpoint: { api: "graph", path: "/identity/conditionalAccess/policies", singleton: false },
  permissions: {
    read: [graph("Policy.Read.All")],
    write: [graph("Policy.Read.All"), graph("Policy.ReadWrite.ConditionalAccess")],
  },
  check: {
    find: (r, live) => byNaturalKey(r, live.conditionalAccessPolicies),
    desired: (r) => policyView(checkable(r)),
    live: (_r, found) => policyView(found),
    // The policy is the baseline's whole: an exclusion, platform, device filter or guest condition added by hand
    // is drift although the control never sets one.
    compare: "complete",
  },
  weakening,
  grants: grantsNothing,
  summary,
  order: 2,
  // An enabled policy waits for security defaults to be off: Graph refuses enabled CA while they are on.
  implicitDependencies: (r, compiled) =>
    r.properties["state"] === "enabled"
      ? compiled.resources.filter((x) => x.type === "identitySecurityDefaultsEnforcementPolicy").map((x) => x.name)
      : [],
  management: {
    kind: "azuread",
    register(r, { optsFor, refs }) {
      const args = conditionalAccessArgs(r.properties, refs, `${r.controlId} ${r.name}`);
      return new (azureadModule().ConditionalAccessPolicy)(r.name, args, optsFor(r.name));
    },
    names: (r) => [r.name],
    // Import ids as @pulumi/azuread's ConditionalAccessPolicy documents them ("## Import").
    adopt: (r, live) => [
      adoptOne(
        r.name,
        "conditional-access policy",
        sameName(r, live.conditionalAccessPolicies),
        (id) => `/identity/conditionalAccess/policies/${id}`,
      ),
    ],
  },
};
