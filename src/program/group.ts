/** Graph security `group` (as compiled) → `azuread.Group` plus one `azuread.GroupMember` per member. */
import * as azuread from "@pulumi/azuread";
import type * as pulumi from "@pulumi/pulumi";
import type { DesiredResource } from "../core/desired";
import type { RefResolver } from "./refs";

interface GroupProperties { displayName: string; description?: string; mailNickname: string; members?: string[] }

/** Registers the group and its members, and makes `ref:group/<displayName>` resolve to it. */
export function registerGroup(resource: DesiredResource, refs: RefResolver, opts: pulumi.CustomResourceOptions): azuread.Group {
  const p = resource.properties as unknown as GroupProperties;
  const group = new azuread.Group(resource.name, {
    displayName: p.displayName,
    description: p.description,
    securityEnabled: true,
    mailEnabled: false,
    mailNickname: p.mailNickname,
    // Break-glass exclusions match by object id; a second group with the same name would be ambiguous.
    preventDuplicateNames: true,
  }, opts);
  refs.ownGroup(p.displayName, group.objectId);
  // One GroupMember per desired member: each is created, refreshed and removed on its own. Members
  // added by hand are NOT seen this way (Group.members would own the full list instead).
  for (const member of p.members ?? []) {
    new azuread.GroupMember(`${resource.name}-member-${slug(member.replace(/^ref:user\//, ""))}`, { groupObjectId: group.objectId, memberObjectId: refs.resolve(member) }, opts);
  }
  return group;
}

/** Lower-case letters, digits and dashes: stable Pulumi names from UPNs and permission values. */
export function slug(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}
