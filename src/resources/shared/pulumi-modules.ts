/**
 * The Pulumi SDKs, loaded when the program first registers a resource: `check`, `review`, the plan and the
 * dynamic-provider process use the registry without them (@pulumi/pulumi alone takes ~0.7 s to load).
 */

/** `@pulumi/azuread`, loaded on first use. */
export function azureadModule(): typeof import("@pulumi/azuread") {
  return require("@pulumi/azuread") as typeof import("@pulumi/azuread");
}

/** `@pulumi/pulumi`, loaded on first use. */
export function pulumiModule(): typeof import("@pulumi/pulumi") {
  return require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
}
