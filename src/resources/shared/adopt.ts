/**
 * Building blocks of `m365-baseline adopt`: which live objects share a desired object's natural key, and what
 * that means for the first `pulumi up` (import the one, create, or stop on a conflict).
 */
import type { DesiredResource } from "../../core/desired";
import type { Adoption } from "../types";

/** The live objects whose `key` equals the resource's natural key, case-insensitively (Graph display names are). */
export function sameName<T extends { id?: string | null | undefined }>(
  resource: DesiredResource,
  list: readonly T[],
  key = "displayName",
): T[] {
  const wanted = resource.naturalKey.toLowerCase();
  return list.filter((o) => String((o as Record<string, unknown>)[key] ?? "").toLowerCase() === wanted);
}

/**
 * One Pulumi resource's adoption from the live objects of its name: none → create; two or more → a conflict (which
 * one `up` takes over cannot be guessed, and the other would stay beside it); one → its import id from `importId`,
 * unless `mismatch` says why `up` could not update it into the baseline's (e.g. a property the provider can only
 * set on create, so the import would be followed by a delete).
 */
export function adoptOne<T extends { id?: string | null | undefined }>(
  name: string,
  what: string,
  matches: readonly T[],
  importId: (id: string) => string,
  mismatch: (found: T) => string | undefined = () => undefined,
): Adoption {
  if (matches.length === 0) return { name, action: "create" };
  const ids = matches.map((m) => String(m.id));
  if (matches.length > 1)
    return {
      name,
      action: "conflict",
      reason: `${matches.length} ${what} objects have this name (${ids.join(", ")})`,
      fix: `rename or delete all but one of them in the tenant, then run adopt again`,
    };
  const reason = mismatch(matches[0]!);
  if (reason)
    return {
      name,
      action: "conflict",
      reason: `the ${what} ${ids[0]} ${reason}`,
      fix: "rename it in the tenant (pulumi up then creates the baseline's beside it), or change it by hand first",
    };
  return { name, action: "adopt", id: ids[0]!, importId: importId(ids[0]!) };
}
