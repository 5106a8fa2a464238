/**
 * Security groups the baseline manages (the break-glass group), as `azuread.Group` owning its whole member list.
 * Every member is excluded from every conditional-access policy, so a member added is a weakening and drift.
 */
import type * as Graph from "@microsoft/microsoft-graph-types";
import type { DesiredResource } from "../../core/desired";
import { graph } from "../../controls/types";
import { checkable } from "../shared/views";
import {
  byNaturalKey,
  grantsNothing,
  noDependencies,
  type ChangeKind,
  type CheckViews,
  type ResourceDefinition,
} from "../types";
import { leafOf, setChange } from "../weakening";
import { registerGroup } from "./register";
import { adoptOne, sameName } from "../shared/adopt";

function weakening(_r: DesiredResource, path: string, before: unknown, after: unknown): ChangeKind | undefined {
  return leafOf(path) === "members" ? setChange(before, after, "grow-weakens") : undefined;
}

function members(r: DesiredResource): string[] {
  return [...((r.properties["members"] ?? []) as string[])].sort();
}

const views: CheckViews<Graph.Group> = {
  find: (r, live) => byNaturalKey(r, live.groups),
  // A managed group's membership is exact: someone added to the break-glass group is excluded from every policy.
  // mailNickname is write-only here and the description is ours, not a setting anyone weakens.
  desired: (r) => ({ ...checkable(r, ["members", "mailNickname", "description"]), members: members(r) }),
  live: (_r, found, live) => {
    const list = live.groupMembers.get(String(found.id)) ?? [];
    const refs = list.map((m) => (m.userPrincipalName ? `ref:user/${m.userPrincipalName}` : String(m.id)));
    return { ...found, members: refs.sort() };
  },
};

/**
 * Why a same-name group cannot become the baseline's: the baseline's is a security group that is not mail-enabled.
 * A differing mailNickname is no reason — the registrar ignores changes to it (see register.ts).
 */
function groupMismatch(found: Graph.Group): string | undefined {
  if (found.securityEnabled !== true || found.mailEnabled === true)
    return "is not a security group without mail (a Microsoft 365 or mail-enabled group)";
  return undefined;
}

export const group: ResourceDefinition = {
  type: "group",
  endpoint: { api: "graph", path: "/groups", singleton: false },
  permissions: { read: [graph("Group.Read.All")], write: [graph("Group.ReadWrite.All")] },
  check: views,
  weakening,
  grants: grantsNothing,
  summary: (r) => `security group; ${members(r).length} members`,
  // Before the policies, so `ref:group/<name>` resolves to the managed group.
  order: 0,
  implicitDependencies: noDependencies,
  management: {
    kind: "azuread",
    register(r, { optsFor, refs }) {
      return registerGroup(r, refs, optsFor(r.name));
    },
    names: (r) => [r.name],
    adopt: (r, live) => [
      adoptOne(
        r.name,
        "group",
        sameName(r, live.groups),
        (id) => `/groups/${id}`,
        (found) => groupMismatch(found),
      ),
    ],
  },
};
