/**
 * The authentication methods policy (Graph `authenticationMethodsPolicy`): which methods (SMS, voice, email …) are
 * enabled, each configuration PATCHed on its own path by our dynamic provider. Enabling a method weakens.
 */
import type { DesiredResource } from "../../core/desired";
import { graph } from "../../controls/types";
import { singletonViews } from "../shared/policy-singleton";
import { grantsNothing, noDependencies, type ChangeKind, type Json, type ResourceDefinition } from "../types";
import { asList, leafOf } from "../weakening";
import { authenticationMethodsPolicy as logic } from "./provider";

function weakening(_r: DesiredResource, path: string, before: unknown, after: unknown): ChangeKind | undefined {
  if (leafOf(path) === "state") return after === "enabled" ? "weakening" : "strengthening";
  if (path !== "authenticationMethodConfigurations") return undefined;
  // The list changes whole: compare each method's state by id; a method enabled is one more way to sign in.
  const states = (v: unknown) =>
    new Map(asList(v).map((c) => [String((c as Json)["id"]).toLowerCase(), (c as Json)["state"]]));
  const was = states(before);
  const now = states(after);
  const ids = [...new Set([...was.keys(), ...now.keys()])];
  if (ids.some((id) => now.get(id) === "enabled" && was.get(id) !== "enabled")) return "weakening";
  return ids.some((id) => was.get(id) === "enabled" && now.get(id) !== "enabled") ? "strengthening" : "neutral";
}

export const authenticationMethodsPolicy: ResourceDefinition = {
  type: "authenticationMethodsPolicy",
  endpoint: { api: "graph", path: "/policies/authenticationMethodsPolicy", singleton: true },
  permissions: {
    read: [graph("Policy.Read.AuthenticationMethod")],
    write: [graph("Policy.ReadWrite.AuthenticationMethod")],
  },
  check: singletonViews("authenticationMethodsPolicy"),
  weakening,
  grants: grantsNothing,
  summary: (r) =>
    ((r.properties["authenticationMethodConfigurations"] ?? []) as Json[])
      .map((c) => `${String(c["id"])} ${String(c["state"])}`)
      .join(", "),
  order: 2,
  implicitDependencies: noDependencies,
  management: { kind: "dynamic", pulumiType: "AuthenticationMethodsPolicy", logic },
};
