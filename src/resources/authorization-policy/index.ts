/**
 * The tenant's authorization policy (Graph `authorizationPolicy`): what users may do by default (create apps,
 * consent), a singleton managed by our dynamic provider. Allowing anything by default weakens.
 */
import type { DesiredResource } from "../../core/desired";
import { graph } from "../../controls/types";
import { singletonViews } from "../shared/policy-singleton";
import { mergeComplex, singletonLogic } from "../shared/singleton-provider";
import { grantsNothing, noDependencies, type ChangeKind, type Json, type ResourceDefinition } from "../types";
import { leafOf, setChange } from "../weakening";

const PATH = "/policies/authorizationPolicy";

/**
 * User consent is the `ManagePermissionGrantsForSelf.*` policies. Graph also lists the Microsoft-managed
 * resource-specific consent policies (`ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-
 * permissions-for-team` / `-for-chat`) there by default (as in ScubaGear's MS.AAD.5.2v1 tests and Maester's EIDSCA
 * results); the baseline does not manage them, so they are neither compared nor removed.
 */
const USER_CONSENT = /^ManagePermissionGrantsForSelf\./i;

type Permissions = { permissionGrantPoliciesAssigned?: string[] } & Json;

/** The policy with only the user-consent grant policies in `permissionGrantPoliciesAssigned`. */
function userConsentView(policy: Json): Json {
  const d = policy["defaultUserRolePermissions"] as Permissions | undefined;
  if (!d || !Array.isArray(d.permissionGrantPoliciesAssigned)) return policy;
  const mine = d.permissionGrantPoliciesAssigned.filter((p) => USER_CONSENT.test(p));
  return { ...policy, defaultUserRolePermissions: { ...d, permissionGrantPoliciesAssigned: mine } };
}

/** The PATCH body: the desired settings, keeping the resource-specific consent policies the tenant has. */
function keepOwnedResourceConsent(live: Json, desired: Json): Json {
  const body = mergeComplex(live, desired);
  const want = (desired["defaultUserRolePermissions"] as Permissions | undefined)?.permissionGrantPoliciesAssigned;
  const have = (live["defaultUserRolePermissions"] as Permissions | undefined)?.permissionGrantPoliciesAssigned ?? [];
  if (!want) return body;
  const kept = have.filter((p) => !USER_CONSENT.test(p));
  const d = body["defaultUserRolePermissions"] as Permissions;
  return { ...body, defaultUserRolePermissions: { ...d, permissionGrantPoliciesAssigned: [...want, ...kept] } };
}

const views = singletonViews("authorizationPolicy");

function weakening(_r: DesiredResource, path: string, before: unknown, after: unknown): ChangeKind | undefined {
  if (typeof after === "boolean" && /^allowed/.test(leafOf(path))) return after ? "weakening" : "strengthening";
  // Each permission grant policy assigned lets users consent to more apps themselves.
  if (leafOf(path) === "permissionGrantPoliciesAssigned") return setChange(before, after, "grow-weakens");
  return undefined;
}

function summary(r: DesiredResource): string {
  const d = (r.properties["defaultUserRolePermissions"] ?? {}) as Json;
  const consent = d["permissionGrantPoliciesAssigned"];
  const list = Array.isArray(consent) ? consent.join(",") : String(consent ?? "");
  return `users create apps: ${String(d["allowedToCreateApps"])}; consent: ${list || "none"}`;
}

export const authorizationPolicy: ResourceDefinition = {
  type: "authorizationPolicy",
  endpoint: { api: "graph", path: PATH, singleton: true },
  permissions: { read: [graph("Policy.Read.All")], write: [graph("Policy.ReadWrite.Authorization")] },
  check: { ...views, live: (r, found, live) => userConsentView(views.live(r, found, live) as Json) },
  weakening,
  grants: grantsNothing,
  summary,
  order: 2,
  implicitDependencies: noDependencies,
  management: {
    kind: "dynamic",
    pulumiType: "AuthorizationPolicy",
    logic: singletonLogic("AuthorizationPolicy", PATH, "authorizationPolicy", {
      view: userConsentView,
      body: keepOwnedResourceConsent,
    }),
  },
};
