/** Graph `ipNamedLocation` / `countryNamedLocation` (as compiled) → `azuread.NamedLocation`. */
import type * as azuread from "@pulumi/azuread";
import type * as pulumi from "@pulumi/pulumi";
import type { DesiredResource } from "../../core/desired";
import { azureadModule } from "../shared/pulumi-modules";
import type { RefResolver } from "../../program/refs";

interface NamedLocationProperties {
  displayName: string;
  ipRanges?: { cidrAddress: string }[];
  isTrusted?: boolean;
  countriesAndRegions?: string[];
  includeUnknownCountriesAndRegions?: boolean;
  countryLookupMethod?: string;
}

/** Registers the named location and makes `ref:namedLocation/<displayName>` resolve to it. */
export function registerNamedLocation(
  resource: DesiredResource,
  refs: RefResolver,
  opts: pulumi.CustomResourceOptions,
): azuread.NamedLocation {
  const az = azureadModule();
  const p = resource.properties as unknown as NamedLocationProperties;
  const location = new az.NamedLocation(
    resource.name,
    {
      displayName: p.displayName,
      ip: p.ipRanges ? { ipRanges: p.ipRanges.map((x) => x.cidrAddress), trusted: p.isTrusted === true } : undefined,
      country: p.countriesAndRegions
        ? {
            countriesAndRegions: p.countriesAndRegions,
            includeUnknownCountriesAndRegions: p.includeUnknownCountriesAndRegions === true,
            countryLookupMethod: p.countryLookupMethod,
          }
        : undefined,
    },
    opts,
  );
  // Conditional access wants the bare GUID: the resource `id` is the Graph path
  // (/identity/conditionalAccess/namedLocations/<guid>), `objectId` is the GUID.
  refs.ownNamedLocation(p.displayName, location.objectId);
  return location;
}
