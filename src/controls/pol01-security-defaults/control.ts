/** POL01: security defaults off once conditional access is enforced (they block enabled CA policies). */
import { z } from "zod";
import { defineControl, graph } from "../types";

export const pol01 = defineControl({
  id: "POL01",
  title: "Security defaults off under enforced conditional access",
  rationale:
    "Security defaults and enabled CA policies cannot coexist; CA replaces them with finer-grained protection.",
  severity: "medium",
  frameworks: [{ framework: "Microsoft", ref: "Security defaults vs conditional access" }],
  secureScore: [],
  permissions: { read: [graph("Policy.Read.All")], write: [graph("Policy.ReadWrite.SecurityDefaults")] },
  licence: "P1",
  resourceTypes: ["identitySecurityDefaultsEnforcementPolicy"],
  conditionalAccess: false,
  schema: z.object({}).strict(),
  compile: (_params, context) =>
    context.conditionalAccessEnforced
      ? [
          {
            name: "pol01-security-defaults",
            type: "identitySecurityDefaultsEnforcementPolicy" as const,
            naturalKey: "identitySecurityDefaultsEnforcementPolicy",
            properties: { isEnabled: false },
          },
        ]
      : [],
});
