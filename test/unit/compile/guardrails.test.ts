import { describe, expect, it } from "vitest";
import { checkGuardrails } from "../../../src/compile/guardrails";
import type { DesiredResource } from "../../../src/core/desired";
import { parseStackConfig } from "../../../src/stack/load";
import { exampleConfig } from "../../support/repo";

const stack = parseStackConfig(exampleConfig("fabrikam"), {
  file: "stacks/Pulumi.fabrikam.yaml",
  decrypted: false,
}).config;
const policy = (users: Record<string, string[]>, grant = ["mfa"]): DesiredResource => ({
  name: "ca99",
  controlId: "CA99",
  type: "conditionalAccessPolicy",
  naturalKey: "CA99 - Test",
  stage: "enforce",
  dependsOn: [],
  properties: {
    displayName: "CA99 - Test",
    state: "enabled",
    conditions: { users, applications: { includeApplications: ["All"] }, clientAppTypes: ["all"] },
    grantControls: { operator: "OR", builtInControls: grant },
  },
});

describe("guardrails on compiled output (exact messages)", () => {
  it("a policy that does not exclude every break-glass principal", () => {
    expect(
      checkGuardrails(
        [policy({ includeUsers: ["All"], excludeGroups: ["ref:group/Break-glass accounts (m365-baseline)"] })],
        stack,
        "stacks/Pulumi.fabrikam.yaml",
      ),
    ).toEqual([
      {
        file: "stacks/Pulumi.fabrikam.yaml",
        path: "m365-baseline:breakGlass",
        message:
          "CA99 policy 'CA99 - Test' does not exclude group/Fabrikam Emergency Access, user/breakglass@fabrikam.onmicrosoft.com",
        fix: "every conditional-access policy must exclude all break-glass principals; this is a bug in the control if the stack lists them",
      },
    ]);
  });
  it("a policy that blocks all users with no exclusion", () => {
    const issues = checkGuardrails(
      [policy({ includeUsers: ["All"] }, ["block"])],
      stack,
      "stacks/Pulumi.fabrikam.yaml",
    );
    expect(issues.map((i) => i.message)).toContain("CA99 policy 'CA99 - Test' blocks all users with no exclusion");
  });
  it("a policy that excludes everyone it must passes", () => {
    expect(
      checkGuardrails(
        [
          policy(
            {
              includeUsers: ["All"],
              excludeGroups: ["ref:group/Break-glass accounts (m365-baseline)", "ref:group/Fabrikam Emergency Access"],
              excludeUsers: ["ref:user/breakglass@fabrikam.onmicrosoft.com"],
            },
            ["block"],
          ),
        ],
        stack,
        "x",
      ),
    ).toEqual([]);
  });
});
