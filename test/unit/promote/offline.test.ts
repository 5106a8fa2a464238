/**
 * The offline break-glass evaluation of `promote`: the compiled policies, switched to enabled for the promoted
 * controls, must leave every break-glass principal out of scope; a policy that reaches one names the policy and
 * the principal.
 */
import { describe, expect, it } from "vitest";
import type { DesiredResource } from "../../../src/core/desired";
import {
  breakGlassHits,
  breakGlassPrincipals,
  compiledMembership,
  promotedPolicies,
} from "../../../src/promote/offline";
import { loadTenant } from "../../../src/tenant";
import { REPO } from "../../support/repo";

const contoso = loadTenant(REPO, "contoso", "2026-11-23");
const principals = breakGlassPrincipals(contoso.stack.config);
const membership = compiledMembership(contoso.compiled);
const BG1 = "bg-admin1@contoso.onmicrosoft.com";
const GROUP = "Break-glass accounts (m365-baseline)";

/** A CA policy resource with the given user condition and state. */
function policy(users: Record<string, string[]>, state = "enabled", controlId = "CA99"): DesiredResource {
  return {
    name: controlId.toLowerCase(),
    controlId,
    type: "conditionalAccessPolicy",
    naturalKey: `${controlId} - Test`,
    stage: state === "enabled" ? "enforce" : "reportOnly",
    properties: {
      displayName: `${controlId} - Test`,
      state,
      conditions: { users, applications: { includeApplications: ["All"] } },
      grantControls: { operator: "OR", builtInControls: ["block"] },
    },
    dependsOn: [],
  };
}

describe("break-glass principals", () => {
  it("are the stack's users and the group the baseline creates", () => {
    expect(principals.map((p) => `${p.kind} ${p.name}`)).toEqual([
      `user ${BG1}`,
      "user bg-admin2@contoso.onmicrosoft.com",
      `group ${GROUP}`,
    ]);
    expect(membership(`ref:user/${BG1}`)).toEqual([`ref:group/${GROUP}`]);
  });
});

describe("breakGlassHits", () => {
  it("finds nothing in contoso's policies with every CA control promoted (compile excludes break-glass)", () => {
    const all = contoso.compiled.resources.filter((r) => r.type === "conditionalAccessPolicy").map((r) => r.controlId);
    const promoted = promotedPolicies(contoso.compiled, all);
    expect(promoted.filter((p) => p.properties["state"] === "enabled").length).toBe(all.length);
    expect(breakGlassHits(promoted, principals, membership)).toEqual([]);
  });

  it("All users with the break-glass group and users excluded is safe", () => {
    const users = {
      includeUsers: ["All"],
      excludeGroups: [`ref:group/${GROUP}`],
      excludeUsers: principals.filter((p) => p.kind === "user").map((p) => p.ref),
    };
    expect(breakGlassHits([policy(users)], principals, membership)).toEqual([]);
  });

  it("a policy without the exclusion is refused, naming the policy and each principal", () => {
    const hits = breakGlassHits([policy({ includeUsers: ["All"] })], principals, membership);
    expect(hits.map((h) => `${h.policy}: ${h.principal} (${h.why}; ${h.demands})`)).toEqual([
      `CA99 - Test: user ${BG1} (includeUsers All, not excluded; grant block)`,
      "CA99 - Test: user bg-admin2@contoso.onmicrosoft.com (includeUsers All, not excluded; grant block)",
      `CA99 - Test: group ${GROUP} (includeUsers All, not excluded; grant block)`,
    ]);
  });

  it("a user excluded only through the break-glass group's membership is safe", () => {
    const users = { includeUsers: ["All"], excludeGroups: [`ref:group/${GROUP}`] };
    expect(breakGlassHits([policy(users)], principals, membership)).toEqual([]);
    // Without the membership (an account not in the group), the same policy reaches the users.
    expect(breakGlassHits([policy(users)], principals, () => []).map((h) => h.principal)).toEqual([
      `user ${BG1}`,
      "user bg-admin2@contoso.onmicrosoft.com",
    ]);
  });

  it("a policy that includes the break-glass group reaches its members", () => {
    const hits = breakGlassHits([policy({ includeGroups: [`ref:group/${GROUP}`] })], principals, membership);
    expect(hits.map((h) => [h.principal, h.why])).toEqual([
      [`user ${BG1}`, `included through group/${GROUP}`],
      ["user bg-admin2@contoso.onmicrosoft.com", `included through group/${GROUP}`],
      [`group ${GROUP}`, `included through group/${GROUP}`],
    ]);
  });

  it("roles count as applying unless excluded, and report-only policies are not enforced", () => {
    const roles = { includeRoles: ["62e90394-69f5-4237-9190-012177145e10"] };
    expect(breakGlassHits([policy(roles)], principals, membership)).toHaveLength(3);
    expect(
      breakGlassHits([policy({ includeUsers: ["All"] }, "enabledForReportingButNotEnforced")], principals, membership),
    ).toEqual([]);
  });

  it("fails if compile stopped excluding break-glass: a policy with the exclusions stripped is refused", () => {
    const promoted = promotedPolicies(contoso.compiled, ["CA04"]).map((p) => {
      if (p.controlId !== "CA04") return p;
      const conditions = p.properties["conditions"] as Record<string, Record<string, unknown>>;
      const { excludeGroups: _g, excludeUsers: _u, ...users } = conditions["users"]!;
      return { ...p, properties: { ...p.properties, conditions: { ...conditions, users } } };
    });
    const hits = breakGlassHits(promoted, principals, membership);
    expect(new Set(hits.map((h) => h.policy))).toEqual(
      new Set(["CA04 - Require phishing-resistant MFA for administrators"]),
    );
    expect(hits.map((h) => h.principal)).toContain(`user ${BG1}`);
  });
});
