/**
 * The compiled desired state: what `compile(baseline, stack)` returns and what the Pulumi program,
 * the providers, `plan`, `check` and `review` consume. Properties use Microsoft Graph's own
 * vocabulary (the JSON Graph returns), with tenant objects referenced by name, never by GUID.
 */

/** Rollout stage of one control in one tenant. */
export type Stage = "reportOnly" | "enforce" | "off";

/**
 * A tenant object referenced by name inside `properties`, resolved per tenant (by the program to
 * azuread resources/invokes, by `check` to live ids). Written as a string token so lists stay lists:
 * `ref:group/<displayName>`, `ref:user/<userPrincipalName>`, `ref:namedLocation/<displayName>`.
 */
export type RefToken = `ref:${"group" | "user" | "namedLocation"}/${string}`;

/** The kinds of object the baseline manages, named after the Graph (or S&C) entity. */
export type ResourceType =
  | "conditionalAccessPolicy"
  | "namedLocation"
  | "group"
  | "organizationalBranding"
  | "brandingLocalization"
  | "retentionLabel"
  | "retentionCompliancePolicy"
  | "retentionComplianceRule"
  | "identitySecurityDefaultsEnforcementPolicy"
  | "authorizationPolicy"
  | "authenticationMethodsPolicy"
  | "application";

/** One object the baseline wants in a tenant. */
export interface DesiredResource {
  /**
   * Stable logical name (Pulumi resource name); derived from the control id and natural key, never from list position.
   */
  readonly name: string;
  /** The control that produced it, e.g. `CA01`. */
  readonly controlId: string;
  readonly type: ResourceType;
  /** The key Graph objects are matched by: displayName for collections, a fixed id for singletons. */
  readonly naturalKey: string;
  /** Rollout stage this resource was compiled for. */
  readonly stage: Stage;
  /** Desired properties in Graph vocabulary, canonical (sorted sets, omitted empties), refs as RefToken strings. */
  readonly properties: Readonly<Record<string, unknown>>;
  /** Names of other desired resources that must exist first. */
  readonly dependsOn: readonly string[];
  /** Pulumi resource options the baseline asks for (not Graph properties, never compared with live state). */
  readonly options?: { readonly retainOnDelete?: boolean | undefined } | undefined;
}

/** Why a control produced nothing, or produced it in a weakened form. */
export interface ControlOutcome {
  readonly controlId: string;
  readonly status: "applied" | "off" | "notLicensed" | "excepted";
  readonly stage: Stage;
  /** Human reason: "off: <reason>", "requires Entra ID P2", the exception's reason. */
  readonly reason?: string | undefined;
  /** For `excepted`: ISO date the exception expires. */
  readonly expires?: string | undefined;
}

/** Everything compiled for one tenant. Deterministic: same inputs, byte-identical JSON. */
export interface CompiledTenant {
  readonly stack: string;
  readonly tenantId: string;
  readonly primaryDomain: string;
  readonly displayName: string;
  readonly baseline: string;
  readonly resources: readonly DesiredResource[];
  readonly outcomes: readonly ControlOutcome[];
}
