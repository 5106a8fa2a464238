/**
 * Licences from GET /subscribedSkus as Graph documents a subscription
 * (learn.microsoft.com/graph/api/subscribedsku-list: skuPartNumber, capabilityStatus,
 * servicePlans[].servicePlanName/provisioningStatus), for stacks with `licences: auto`.
 */
import type * as Graph from "@microsoft/microsoft-graph-types";
import { describe, expect, it } from "vitest";
import { describeLicences, licencesFromSkus } from "../../../src/core/licences";

const sku = (capabilityStatus: string, ...plans: string[]): Graph.SubscribedSku => ({
  skuPartNumber: "TEST",
  capabilityStatus,
  servicePlans: plans.map((servicePlanName) => ({ servicePlanName, provisioningStatus: "Success" })),
});

describe("licencesFromSkus", () => {
  it("Business Premium (AAD_PREMIUM) is P1 without P2; AAD_PREMIUM_P2 is both", () => {
    expect(licencesFromSkus([sku("Enabled", "AAD_PREMIUM", "EXCHANGE_S_STANDARD")])).toEqual({
      entraIdP1: true,
      entraIdP2: false,
    });
    expect(licencesFromSkus([sku("Enabled", "AAD_PREMIUM_P2")])).toEqual({ entraIdP1: true, entraIdP2: true });
  });
  it("a subscription in its grace period (Warning) still counts; Suspended, Deleted and LockedOut do not", () => {
    expect(licencesFromSkus([sku("Warning", "AAD_PREMIUM_P2")]).entraIdP2).toBe(true);
    for (const status of ["Suspended", "Deleted", "LockedOut"])
      expect(licencesFromSkus([sku(status, "AAD_PREMIUM_P2"), sku("Enabled", "AAD_PREMIUM")]), status).toEqual({
        entraIdP1: true,
        entraIdP2: false,
      });
  });
  it("a service plan switched off in an active subscription does not count", () => {
    const off: Graph.SubscribedSku = {
      capabilityStatus: "Enabled",
      servicePlans: [{ servicePlanName: "AAD_PREMIUM_P2", provisioningStatus: "Disabled" }],
    };
    expect(licencesFromSkus([off])).toEqual({ entraIdP1: false, entraIdP2: false });
  });
  it("a tenant with no subscription has neither plan", () => {
    expect(licencesFromSkus([])).toEqual({ entraIdP1: false, entraIdP2: false });
    expect(licencesFromSkus([sku("Enabled", "EXCHANGE_S_STANDARD")])).toEqual({ entraIdP1: false, entraIdP2: false });
  });
  it("names the licences the way reports print them", () =>
    expect(describeLicences({ entraIdP1: true, entraIdP2: false })).toBe("Entra ID P1 yes, P2 no"));
});
