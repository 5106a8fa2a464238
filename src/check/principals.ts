/**
 * The users and groups that live conditional-access policies name by id, read so a report shows who a hand-made
 * exclusion is (`ref:user/helpdesk@contoso.com`) instead of a bare object id.
 */
import type * as Graph from "@microsoft/microsoft-graph-types";
import type { BatchRead, BatchResult } from "../graph/types";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Graph limits the values of `in` in one directory filter (learn.microsoft.com/graph/filter-query-parameter points to
// its known query-parameter limitations; 15 is the figure reported: stackoverflow.com/questions/66579149), so longer
// id lists are read in chunks.
const IN_LIMIT = 15;

/** The object ids that conditional-access policies' user conditions name (the special values excluded). */

/** What `check` and `adopt` read of a group: its kind decides whether the baseline's security group can be it. */
export const GROUP_SELECT = "id,displayName,mailEnabled,securityEnabled";
export function policyPrincipalIds(policies: readonly Graph.ConditionalAccessPolicy[]): {
  users: string[];
  groups: string[];
} {
  const users = new Set<string>();
  const groups = new Set<string>();
  for (const p of policies) {
    const u = p.conditions?.users;
    for (const id of [...(u?.includeUsers ?? []), ...(u?.excludeUsers ?? [])]) if (GUID.test(id)) users.add(id);
    for (const id of [...(u?.includeGroups ?? []), ...(u?.excludeGroups ?? [])]) if (GUID.test(id)) groups.add(id);
  }
  return { users: [...users].sort(), groups: [...groups].sort() };
}

const chunks = (ids: readonly string[]) =>
  Array.from({ length: Math.ceil(ids.length / IN_LIMIT) }, (_, i) => ids.slice(i * IN_LIMIT, (i + 1) * IN_LIMIT));
const idFilter = (ids: readonly string[]) => encodeURIComponent(`id in (${ids.map((id) => `'${id}'`).join(",")})`);

/** `$batch` reads of those users and groups by id (nothing when there are none). */
export function principalReads(ids: { users: readonly string[]; groups: readonly string[] }): BatchRead[] {
  return [
    ...chunks(ids.users).map((c, i) => ({
      id: `principals:users:${i}`,
      url: `/users?$filter=${idFilter(c)}&$select=id,userPrincipalName`,
    })),
    ...chunks(ids.groups).map((c, i) => ({
      id: `principals:groups:${i}`,
      url: `/groups?$filter=${idFilter(c)}&$select=${GROUP_SELECT}`,
    })),
  ];
}

/** `known` plus the objects of kind `kind` the principal reads returned, each id once. */
export function withPrincipals<T extends { id?: string | null }>(
  known: readonly T[],
  results: ReadonlyMap<string, BatchResult>,
  kind: "users" | "groups",
): T[] {
  const seen = new Set(known.map((o) => String(o.id)));
  const found = [...results]
    .filter(([id, r]) => id.startsWith(`principals:${kind}:`) && r.ok)
    .flatMap(([, r]) => ((r.ok ? r.body : undefined) as { value?: T[] } | undefined)?.value ?? []);
  return [...known, ...found.filter((o) => !seen.has(String(o.id)) && seen.add(String(o.id)))];
}
