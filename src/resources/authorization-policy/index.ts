/**
 * The tenant's authorization policy (Graph `authorizationPolicy`): what users may do by default (create apps,
 * consent), a singleton managed by our dynamic provider. Allowing anything by default weakens.
 */
import type { DesiredResource } from "../../core/desired";
import { graph } from "../../controls/types";
import { singletonViews } from "../shared/policy-singleton";
import { singletonLogic } from "../shared/singleton-provider";
import { grantsNothing, noDependencies, type ChangeKind, type Json, type ResourceDefinition } from "../types";
import { leafOf, setChange } from "../weakening";

const PATH = "/policies/authorizationPolicy";

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
  check: singletonViews("authorizationPolicy"),
  weakening,
  grants: grantsNothing,
  summary,
  order: 2,
  implicitDependencies: noDependencies,
  management: {
    kind: "dynamic",
    pulumiType: "AuthorizationPolicy",
    logic: singletonLogic("AuthorizationPolicy", PATH, "authorizationPolicy"),
  },
};
