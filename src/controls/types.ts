/**
 * What a control is: metadata (frameworks, Secure Score, permissions, licence), a zod schema of its
 * parameters, and a pure `compile` from parameters + tenant context to desired resources in Graph's
 * vocabulary. Core code reads these properties and never switches on a control's id.
 */
import type { z } from "zod";
import type { DesiredResource, RefToken, ResourceType, Stage } from "../core/desired";
import type { StackSection } from "../stack/parameters";

export type Severity = "critical" | "high" | "medium" | "low";

/** A framework reference, e.g. `{ framework: "CISA SCuBA", ref: "MS.AAD.1.1v1" }`. */
export interface FrameworkRef {
  readonly framework: "CIS M365" | "CISA SCuBA" | "Maester" | "Microsoft";
  readonly ref: string;
}

/** An application permission on a resource API (Microsoft Graph unless named). */
export interface Permission {
  readonly resource: "Microsoft Graph" | "Office 365 Exchange Online" | "Entra ID role";
  readonly value: string;
}

/** What compile knows about the tenant: the stack plus references derived from it. */
export interface CompileContext {
  readonly stackFile: string;
  readonly tenantId: string;
  readonly primaryDomain: string;
  readonly stage: Stage;
  readonly breakGlass: {
    readonly groupRef: RefToken;
    readonly groupRefs: readonly RefToken[];
    readonly userRefs: readonly RefToken[];
  };
  /** Named locations declared in the stack, by name. */
  readonly namedLocations: ReadonlySet<string>;
  /** Whether any conditional-access control is enforced in this tenant. */
  readonly conditionalAccessEnforced: boolean;
}

/** Desired resource without the fields compile fills in for every control. */
export type ResourceDraft = Omit<DesiredResource, "controlId" | "stage" | "dependsOn"> & {
  readonly dependsOn?: readonly string[];
};

export interface ControlDefinition<P = unknown> {
  readonly id: string;
  readonly title: string;
  readonly rationale: string;
  readonly severity: Severity;
  readonly frameworks: readonly FrameworkRef[];
  /** Secure Score improvement actions (controlName) the control addresses. */
  readonly secureScore: readonly string[];
  readonly permissions: { readonly read: readonly Permission[]; readonly write: readonly Permission[] };
  readonly licence: "P1" | "P2" | null;
  readonly resourceTypes: readonly ResourceType[];
  /** Whether compile adds the break-glass exclusions (every conditional-access control). */
  readonly conditionalAccess: boolean;
  /** The stack section holding this control's tenant-specific parameters; `overrides.<id>` when absent. */
  readonly stackSection?: StackSection;
  /** Parameters; every field described. Baselines give defaults, stacks override. */
  readonly schema: z.ZodType<P>;
  /** Desired resources for these parameters in this tenant. Pure. */
  compile(params: P, context: CompileContext): ResourceDraft[];
}

/** Declares a control; parameter types are inferred from its zod schema. */
export function defineControl<S extends z.ZodType>(
  definition: Omit<ControlDefinition<z.output<S>>, "schema"> & { readonly schema: S },
): ControlDefinition<z.output<S>> & { readonly schema: S } {
  return definition as ControlDefinition<z.output<S>> & { readonly schema: S };
}

/** A Microsoft Graph application permission. */
export function graph(value: string): Permission {
  return { resource: "Microsoft Graph", value };
}
