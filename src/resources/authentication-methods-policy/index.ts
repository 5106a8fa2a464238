/**
 * The authentication methods policy (Graph `authenticationMethodsPolicy`): which methods (SMS, voice, email …) are
 * enabled, each configuration PATCHed on its own path by our dynamic provider. Enabling a method weakens.
 */
import type { DesiredResource } from "../../core/desired";
import { graph } from "../../controls/types";
import { singletonViews } from "../shared/policy-singleton";
import { grantsNothing, noDependencies, type ChangeKind, type Json, type ResourceDefinition } from "../types";
import { leafOf } from "../weakening";
import { authenticationMethodsPolicy as logic } from "./provider";

function weakening(_r: DesiredResource, path: string, _before: unknown, after: unknown): ChangeKind | undefined {
  return leafOf(path) === "state" ? (after === "enabled" ? "weakening" : "strengthening") : undefined;
}

export const authenticationMethodsPolicy: ResourceDefinition = {
  type: "authenticationMethodsPolicy",
  endpoint: { api: "graph", path: "/policies/authenticationMethodsPolicy", singleton: true },
  permissions: { read: [graph("Policy.Read.AuthenticationMethod")], write: [graph("Policy.ReadWrite.AuthenticationMethod")] },
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
