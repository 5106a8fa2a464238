/**
 * Security defaults (Graph `identitySecurityDefaultsEnforcementPolicy`), a tenant singleton managed by our dynamic
 * provider: adopted on create, restored on delete. Turning them off is neutral in review: POL01 turns them off only
 * once conditional access is enforced, which replaces them (Graph refuses enabled policies while they are on).
 */
import { graph } from "../../controls/types";
import { singletonViews } from "../shared/policy-singleton";
import { singletonLogic } from "../shared/singleton-provider";
import { grantsNothing, noDependencies, type ResourceDefinition } from "../types";

const PATH = "/policies/identitySecurityDefaultsEnforcementPolicy";

export const identitySecurityDefaultsEnforcementPolicy: ResourceDefinition = {
  type: "identitySecurityDefaultsEnforcementPolicy",
  endpoint: { api: "graph", path: PATH, singleton: true },
  permissions: { read: [graph("Policy.Read.All")], write: [graph("Policy.ReadWrite.SecurityDefaults")] },
  check: singletonViews("identitySecurityDefaultsEnforcementPolicy"),
  weakening: () => "neutral",
  grants: grantsNothing,
  summary: (r) => `security defaults ${r.properties["isEnabled"] ? "on" : "off"}`,
  // Before the enabled policies that wait for it.
  order: 1,
  implicitDependencies: noDependencies,
  management: {
    kind: "dynamic",
    pulumiType: "SecurityDefaults",
    logic: singletonLogic("SecurityDefaults", PATH, "identitySecurityDefaultsEnforcementPolicy"),
  },
};
