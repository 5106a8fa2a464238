/**
 * What a tenant's subscriptions say about its Entra ID licences, from Graph's `GET /subscribedSkus`: the one place
 * that decides whether a tenant has P1 or P2, used by `check` (licence notes, `licences: auto`) and the Pulumi program
 * (`licences: auto`). Pure: the read itself goes through the tenant's Graph client.
 */
import type * as Graph from "@microsoft/microsoft-graph-types";

/** The Entra ID plans a stack claims (`m365-baseline:licences`), or that were derived for it. */
export interface Licences {
  readonly entraIdP1: boolean;
  readonly entraIdP2: boolean;
}

/**
 * What an offline command (validate, plan, review, promote, adopt, consent) compiles a `licences: auto` stack with:
 * every plan, so it sees every control the baseline has; `check` and the program derive the real ones from the tenant.
 */
export const OFFLINE_AUTO_LICENCES: Licences = { entraIdP1: true, entraIdP2: true };

/** What validate and plan say about a `licences: auto` stack, whose licences no offline command can know. */
export const AUTO_LICENCES_NOTE =
  "licences: auto: derived from the tenant's subscribedSkus at check and up time; offline, Entra ID P1 and P2 are assumed";

/**
 * The read `check` and the program send (v1.0, learn.microsoft.com/graph/api/subscribedsku-list): only the fields the
 * derivation needs.
 */
export const SUBSCRIBED_SKUS_PATH = "/subscribedSkus?$select=skuPartNumber,servicePlans,capabilityStatus";

// The service plans that carry each licence (learn.microsoft.com/entra/identity/users/licensing-service-plan-reference:
// AAD_PREMIUM is Entra ID P1, AAD_PREMIUM_P2 is P2, which includes P1).
export const LICENCE_PLANS: Record<"P1" | "P2", readonly string[]> = {
  P1: ["AAD_PREMIUM", "AAD_PREMIUM_P2"],
  P2: ["AAD_PREMIUM_P2"],
};

/** The service plans the tenant's active subscriptions provide; undefined when Graph listed no subscription. */
export function activePlans(skus: readonly Graph.SubscribedSku[]): Set<string> | undefined {
  if (skus.length === 0) return undefined;
  // capabilityStatus Enabled or Warning (the grace period after expiry) still serves the plan; Suspended, Deleted and
  // LockedOut do not (learn.microsoft.com/graph/api/resources/subscribedsku); a plan switched off is not provided.
  const active = skus.filter((s) => s.capabilityStatus === "Enabled" || s.capabilityStatus === "Warning");
  return new Set(
    active
      .flatMap((s) => (s.servicePlans ?? []).filter((p) => p.provisioningStatus !== "Disabled"))
      .map((p) => String(p.servicePlanName)),
  );
}

/** True when `plans` (from `activePlans`) include one that carries `licence`. */
export function plansCarry(plans: ReadonlySet<string>, licence: "P1" | "P2"): boolean {
  return LICENCE_PLANS[licence].some((p) => plans.has(p));
}

/**
 * The licences `subscribedSkus` give the tenant (for a stack with `licences: auto`); a tenant Graph lists no
 * subscription for has neither plan.
 */
export function licencesFromSkus(skus: readonly Graph.SubscribedSku[]): Licences {
  const plans = activePlans(skus) ?? new Set<string>();
  return { entraIdP1: plansCarry(plans, "P1"), entraIdP2: plansCarry(plans, "P2") };
}

/** `Entra ID P1 yes, P2 no`: how reports and messages name a set of licences. */
export function describeLicences(licences: Licences): string {
  return `Entra ID P1 ${licences.entraIdP1 ? "yes" : "no"}, P2 ${licences.entraIdP2 ? "yes" : "no"}`;
}
