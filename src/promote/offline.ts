/**
 * The offline half of `promote`: the compiled conditional-access policies as they would be once the promoted
 * controls are enforced, evaluated for every break-glass principal. Pure: no Graph, no files. A break-glass
 * account must never be in scope of an enforced policy (Microsoft: "Exclude emergency access accounts from all
 * Conditional Access policies":
 * https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access),
 * so any policy that applies to one refuses the promotion, whatever its grant.
 */
import type { CompiledTenant, DesiredResource } from "../core/desired";
import type { StackConfig } from "../stack/schema";

/** One break-glass principal: a user (UPN) or a group (display name), as the stack names it. */
export interface BreakGlassPrincipal {
  readonly kind: "user" | "group";
  readonly name: string;
  /** The compile's token for it, `ref:user/<upn>` or `ref:group/<name>`. */
  readonly ref: string;
}

/** An enforced policy that would apply to a break-glass principal. */
export interface BreakGlassHit {
  readonly controlId: string;
  readonly policy: string;
  readonly principal: string;
  /** Why it applies, e.g. "includeUsers All, not excluded". */
  readonly why: string;
  /** What the policy demands there, e.g. "grant block" or "grant mfa". */
  readonly demands: string;
}

/** The stack's break-glass users and groups, and the group the baseline creates for the users. */
export function breakGlassPrincipals(stack: StackConfig): BreakGlassPrincipal[] {
  const groups = [...new Set([stack.breakGlass.groupName, ...stack.breakGlass.groups])];
  return [
    ...stack.breakGlass.users.map((u) => ({ kind: "user" as const, name: u, ref: `ref:user/${u}` })),
    ...groups.map((g) => ({ kind: "group" as const, name: g, ref: `ref:group/${g}` })),
  ];
}

/** The compiled CA policies with the promoted controls' policies switched to `enabled`, as enforce compiles them. */
export function promotedPolicies(compiled: CompiledTenant, controls: readonly string[]): DesiredResource[] {
  return compiled.resources
    .filter((r) => r.type === "conditionalAccessPolicy")
    .map((r) =>
      controls.includes(r.controlId)
        ? { ...r, stage: "enforce" as const, properties: { ...r.properties, state: "enabled" } }
        : r,
    );
}

type Users = Readonly<Record<string, readonly string[] | undefined>>;

/**
 * Every enforced policy (state `enabled`) among `policies` that applies to a break-glass principal. `memberOf`
 * gives the group refs a user ref is a member of (the baseline's own group holds every break-glass user). Roles
 * cannot be resolved offline: a policy that includes roles is taken to apply (break-glass accounts are usually
 * Global Administrators) unless the principal is excluded.
 */
export function breakGlassHits(
  policies: readonly DesiredResource[],
  principals: readonly BreakGlassPrincipal[],
  memberOf: (userRef: string) => readonly string[],
): BreakGlassHit[] {
  const hits: BreakGlassHit[] = [];
  for (const policy of policies) {
    if (policy.type !== "conditionalAccessPolicy" || policy.properties["state"] !== "enabled") continue;
    const conditions = (policy.properties["conditions"] ?? {}) as Record<string, unknown>;
    const users = (conditions["users"] ?? {}) as Users;
    for (const principal of principals) {
      const why = appliesTo(users, principal, principal.kind === "user" ? memberOf(principal.ref) : []);
      if (why)
        hits.push({
          controlId: policy.controlId,
          policy: String(policy.properties["displayName"] ?? policy.naturalKey),
          principal: `${principal.kind} ${principal.name}`,
          why,
          demands: demands(policy),
        });
    }
  }
  return hits;
}

/** Why the policy's user condition covers the principal, or undefined when it does not (or excludes it). */
function appliesTo(users: Users, principal: BreakGlassPrincipal, groups: readonly string[]): string | undefined {
  const list = (key: string) => users[key] ?? [];
  const excluded =
    principal.kind === "user"
      ? list("excludeUsers").includes(principal.ref) || groups.some((g) => list("excludeGroups").includes(g))
      : list("excludeGroups").includes(principal.ref);
  if (excluded) return undefined;
  // A group is "in scope" when a policy would reach its members through it or through All users.
  if (list("includeUsers").includes("All")) return "includeUsers All, not excluded";
  if (principal.kind === "user" && list("includeUsers").includes(principal.ref)) return "included by name";
  const viaGroup = (principal.kind === "user" ? groups : [principal.ref]).find((g) =>
    list("includeGroups").includes(g),
  );
  if (viaGroup) return `included through ${viaGroup.replace(/^ref:/, "")}`;
  if (list("includeRoles").length > 0) return "includes directory roles a break-glass account may hold, not excluded";
  return undefined;
}

/** What the policy asks of a sign-in in scope: its grant (block, mfa, strength…) and session controls. */
function demands(policy: DesiredResource): string {
  const grant = (policy.properties["grantControls"] ?? {}) as Record<string, unknown>;
  const parts = [...((grant["builtInControls"] as string[] | undefined) ?? [])];
  if (grant["authenticationStrength"]) parts.push("authentication strength");
  const session = Object.keys((policy.properties["sessionControls"] ?? {}) as object);
  return [
    parts.length > 0 ? `grant ${parts.join(", ")}` : "",
    session.length > 0 ? `session ${session.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join("; ");
}

/** The group refs each break-glass user belongs to offline: the baseline's own group, from its compiled members. */
export function compiledMembership(compiled: CompiledTenant): (userRef: string) => string[] {
  const groups = compiled.resources.filter((r) => r.type === "group");
  return (userRef) =>
    groups
      .filter((g) => ((g.properties["members"] as string[] | undefined) ?? []).includes(userRef))
      .map((g) => `ref:group/${g.naturalKey}`);
}
