/**
 * What every conditional-access control shares: the parameter schema for exclusions, the admin role
 * template ids, the built-in authentication strengths, and the builder that adds the break-glass
 * exclusions to every policy so no compiled policy can lock the emergency accounts out.
 */
import { z } from "zod";
import type { RefToken, Stage } from "../../core/desired";
import type { CompileContext, ControlDefinition, FrameworkRef, Permission, ResourceDraft, Severity } from "../types";
import { defineControl, graph } from "../types";

/** Microsoft's admin-MFA role list (entra-docs conditional-access-admin-roles), by role template id. */
export const ADMIN_ROLE_TEMPLATE_IDS = [
  "62e90394-69f5-4237-9190-012177145e10", // Global Administrator
  "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", // Application Administrator
  "c4e39bd9-1100-46d3-8c65-fb160da0071f", // Authentication Administrator
  "b0f54661-2d74-4c50-afa3-1ec803f12efe", // Billing Administrator
  "158c047a-c907-4556-b7ef-446551a6b5f7", // Cloud Application Administrator
  "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", // Conditional Access Administrator
  "29232cdf-9323-42fd-ade2-1d097af3e4de", // Exchange Administrator
  "729827e3-9c14-49f7-bb1b-9608f156bbb8", // Helpdesk Administrator
  "966707d0-3269-4727-9be2-8c3a10f19b9d", // Password Administrator
  "7be44c8a-adaf-4e2a-84d6-ab2649e08a13", // Privileged Authentication Administrator
  "e8611ab8-c189-46e8-94e1-60213ab1f814", // Privileged Role Administrator
  "194ae4cb-b126-40b2-bd5b-6091b380977d", // Security Administrator
  "f28a1f50-f6e7-4571-818b-6a12f2af6b6c", // SharePoint Administrator
  "69091246-20e8-4a56-aa4d-066075b2a7a8", // Teams Administrator
  "fe930be7-5e62-47db-91af-98c3a49a38b1", // User Administrator
] as const;

/** CISA's highly privileged roles (ScubaGear aad.md), which adds Hybrid Identity Administrator. */
export const CISA_PRIVILEGED_ROLE_TEMPLATE_IDS = [
  "62e90394-69f5-4237-9190-012177145e10",
  "e8611ab8-c189-46e8-94e1-60213ab1f814",
  "fe930be7-5e62-47db-91af-98c3a49a38b1",
  "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
  "29232cdf-9323-42fd-ade2-1d097af3e4de",
  "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2", // Hybrid Identity Administrator
  "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
  "158c047a-c907-4556-b7ef-446551a6b5f7",
] as const;

/** Built-in authentication strengths by name. */
export const AUTHENTICATION_STRENGTHS = {
  multifactor: "00000000-0000-0000-0000-000000000002",
  passwordlessMfa: "00000000-0000-0000-0000-000000000003",
  phishingResistantMfa: "00000000-0000-0000-0000-000000000004",
} as const;

export const CA_PERMISSIONS: { read: readonly Permission[]; write: readonly Permission[] } = {
  read: [graph("Policy.Read.All"), graph("Group.Read.All"), graph("User.Read.All")],
  write: [
    graph("Policy.Read.All"),
    graph("Policy.ReadWrite.ConditionalAccess"),
    graph("Group.ReadWrite.All"),
    graph("User.Read.All"),
  ],
};

/** Exclusions a stack may add to a policy (each one is a weakening that needs an exception). */
export const exclusionsSchema = z
  .object({
    excludeGroups: z
      .array(z.string().min(1))
      .default([])
      .describe("Extra groups (display names) excluded from the policy, besides break-glass."),
    excludeUsers: z
      .array(z.string().email())
      .default([])
      .describe("Extra users (UPNs) excluded from the policy, besides break-glass."),
    excludeRoles: z
      .array(z.string().uuid())
      .default([])
      .describe("Directory role template ids excluded from the policy."),
  })
  .strict();

export type Exclusions = z.output<typeof exclusionsSchema>;

/** Graph's CA state for a rollout stage. */
export function caState(stage: Stage): "enabled" | "enabledForReportingButNotEnforced" | "disabled" {
  return stage === "enforce" ? "enabled" : stage === "reportOnly" ? "enabledForReportingButNotEnforced" : "disabled";
}

/** The shape of a policy body before the builder adds state, display name and break-glass exclusions. */
export interface PolicyBody {
  readonly users: Readonly<Record<string, unknown>>;
  readonly applications: Readonly<Record<string, unknown>>;
  readonly clientAppTypes?: readonly string[];
  readonly conditions?: Readonly<Record<string, unknown>>;
  readonly grantControls?: Readonly<Record<string, unknown>>;
  readonly sessionControls?: Readonly<Record<string, unknown>>;
}

/** Builds one conditional-access policy resource with the break-glass principals always excluded. */
export function conditionalAccessPolicy(
  id: string,
  title: string,
  body: PolicyBody,
  exclusions: Exclusions,
  context: CompileContext,
): ResourceDraft {
  const displayName = `${id} - ${title}`;
  const excludeGroups = sortedUnique([
    ...context.breakGlass.groupRefs,
    ...exclusions.excludeGroups.map((g) => `ref:group/${g}` as RefToken),
  ]);
  const excludeUsers = sortedUnique([
    ...context.breakGlass.userRefs,
    ...exclusions.excludeUsers.map((u) => `ref:user/${u}` as RefToken),
  ]);
  const users = omitEmpty({
    ...body.users,
    excludeGroups,
    excludeUsers,
    excludeRoles: sortedUnique([
      ...((body.users["excludeRoles"] as string[] | undefined) ?? []),
      ...exclusions.excludeRoles,
    ]),
  });
  const properties = omitEmpty({
    displayName,
    state: caState(context.stage),
    conditions: omitEmpty({
      users,
      applications: omitEmpty(body.applications),
      clientAppTypes: body.clientAppTypes ?? ["all"],
      ...body.conditions,
    }),
    grantControls: body.grantControls,
    sessionControls: body.sessionControls,
  });
  return { name: id.toLowerCase(), type: "conditionalAccessPolicy", naturalKey: displayName, properties };
}

/** Framework references of a CA control; undefined entries are left out. */
export function caFrameworks(cisa?: string, cis?: string, maester?: string): FrameworkRef[] {
  const refs: FrameworkRef[] = [];
  if (cisa) refs.push({ framework: "CISA SCuBA", ref: cisa });
  if (cis) refs.push({ framework: "CIS M365", ref: cis });
  if (maester) refs.push({ framework: "Maester", ref: maester });
  return refs;
}

/** Sorted, de-duplicated copy (Graph treats these lists as sets). */
export function sortedUnique<T extends string>(values: readonly T[]): T[] {
  return [...new Set(values)].sort();
}

/** Drops undefined values and empty arrays, so omission (not `[]`) is what reaches Graph and azuread. */
export function omitEmpty(object: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(object).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
  );
}

/** What differs between conditional-access controls; the rest (permissions, resource type, break-glass) is shared. */
export interface ConditionalAccessSpec<S extends z.ZodType<Exclusions>> {
  readonly id: string;
  readonly title: string;
  readonly rationale: string;
  readonly severity: Severity;
  readonly frameworks: FrameworkRef[];
  readonly secureScore?: readonly string[];
  readonly licence?: "P1" | "P2";
  readonly schema: S;
  /** The policy body for these parameters, in Graph's vocabulary. */
  readonly policy: (params: z.output<S>) => PolicyBody;
}

/** Declares a conditional-access control: one policy, break-glass always excluded (weakenings: src/resources). */
export function defineConditionalAccessControl<S extends z.ZodType<Exclusions>>(
  spec: ConditionalAccessSpec<S>,
): ControlDefinition<z.output<S>> & { readonly schema: S } {
  return defineControl({
    id: spec.id,
    title: spec.title,
    rationale: spec.rationale,
    severity: spec.severity,
    frameworks: spec.frameworks,
    secureScore: spec.secureScore ?? [],
    permissions: CA_PERMISSIONS,
    licence: spec.licence ?? "P1",
    resourceTypes: ["conditionalAccessPolicy"],
    conditionalAccess: true,
    schema: spec.schema,
    compile: (params, context) => [conditionalAccessPolicy(spec.id, spec.title, spec.policy(params), params, context)],
  });
}
