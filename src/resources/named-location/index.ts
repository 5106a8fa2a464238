/**
 * Named locations (Graph `ipNamedLocation` / `countryNamedLocation`), managed by `azuread.NamedLocation`. A trusted
 * location exempts sign-ins from it, and any policy may lean on that (MFA skipped on site): adding or widening one
 * weakens.
 */
import type { DesiredResource } from "../../core/desired";
import { graph } from "../../controls/types";
import { dropDefault, ownedView } from "../shared/owned";
import { checkable } from "../shared/views";
import { adoptOne, sameName } from "../shared/adopt";
import { byNaturalKey, noDependencies, type ChangeKind, type Json, type ResourceDefinition } from "../types";
import { leafOf, setChange } from "../weakening";
import { registerNamedLocation } from "./register";

/** Set by the service (Graph namedLocation: read-only properties). */
const SERVER_COMPUTED = ["id", "createdDateTime", "modifiedDateTime"];

/**
 * The location's settings, the same for desired and live (the kind stays: `@odata.type` tells IP from country).
 * `countryLookupMethod` is `clientIpAddress` unless set (Graph countryNamedLocation).
 */
function locationView(location: object): Json {
  const view = ownedView(location, SERVER_COMPUTED, true);
  dropDefault(view, "countryLookupMethod", "clientIpAddress");
  return view;
}

function weakening(r: DesiredResource, path: string, before: unknown, after: unknown): ChangeKind | undefined {
  if (leafOf(path) === "isTrusted") return after === true ? "weakening" : "strengthening";
  if (path === "ipRanges" && r.properties["isTrusted"] === true) return setChange(before, after, "grow-weakens");
  return undefined;
}

function summary(r: DesiredResource): string {
  const p = r.properties;
  if (Array.isArray(p["ipRanges"])) {
    const ranges = (p["ipRanges"] as Json[]).map((x) => x["cidrAddress"]).join(",");
    return `ip ${ranges}${p["isTrusted"] ? " (trusted)" : ""}`;
  }
  const countries = p["countriesAndRegions"];
  return `countries ${Array.isArray(countries) ? countries.join(",") : String(countries ?? "")}`;
}

export const namedLocation: ResourceDefinition = {
  type: "namedLocation",
  endpoint: { api: "graph", path: "/identity/conditionalAccess/namedLocations", singleton: false },
  permissions: {
    read: [graph("Policy.Read.All")],
    write: [graph("Policy.Read.All"), graph("Policy.ReadWrite.ConditionalAccess")],
  },
  check: {
    find: (r, live) => byNaturalKey(r, live.namedLocations),
    desired: (r) => locationView(checkable(r)),
    live: (_r, found) => locationView(found),
    compare: "complete",
  },
  weakening,
  grants: (r) => r.properties["isTrusted"] === true,
  summary,
  // Before the policies, so `ref:namedLocation/<name>` resolves to the managed location.
  order: 0,
  implicitDependencies: noDependencies,
  management: {
    kind: "azuread",
    register(r, { optsFor, refs }) {
      return registerNamedLocation(r, refs, optsFor(r.name));
    },
    names: (r) => [r.name],
    // Import ids as @pulumi/azuread's NamedLocation documents them. The provider cannot turn an IP location into a
    // country location (its `ip` and `country` blocks conflict), so a hand-made one of the other kind is a conflict.
    adopt: (r, live) => [
      adoptOne(
        r.name,
        "named location",
        sameName(r, live.namedLocations),
        (id) => `/identity/conditionalAccess/namedLocations/${id}`,
        (found) => {
          const kind = (o: object) => String((o as Json)["@odata.type"] ?? "").replace("#microsoft.graph.", "");
          const [live, wanted] = [kind(found), kind(r.properties)];
          return live && live !== wanted ? `is a ${live}; the baseline's is a ${wanted}` : undefined;
        },
      ),
    ],
  },
};
