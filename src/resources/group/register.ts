/** Graph security `group` (as compiled) → `azuread.Group` owning its full member list. */
import type * as azuread from "@pulumi/azuread";
import type * as pulumi from "@pulumi/pulumi";
import type { DesiredResource } from "../../core/desired";
import { azureadModule } from "../shared/pulumi-modules";
import type { RefResolver } from "../../program/refs";

interface GroupProperties {
  displayName: string;
  description?: string;
  mailNickname: string;
  members?: string[];
}

/** Registers the group with its members, and makes `ref:group/<displayName>` resolve to it. */
export function registerGroup(
  resource: DesiredResource,
  refs: RefResolver,
  opts: pulumi.CustomResourceOptions,
): azuread.Group {
  const az = azureadModule();
  const p = resource.properties as unknown as GroupProperties;
  const group = new az.Group(
    resource.name,
    {
      displayName: p.displayName,
      description: p.description,
      securityEnabled: true,
      mailEnabled: false,
      mailNickname: p.mailNickname,
      // The group owns its whole member list (azuread Group `members` is authoritative), so a member added by hand
      // to the break-glass group — excluded from every policy — is drift in `pulumi preview --refresh` and `up`
      // removes it. One GroupMember per member would leave such an addition unseen.
      members: (p.members ?? []).map((m) => refs.resolve(m)),
      // Break-glass exclusions match by object id; a second group with the same name would be ambiguous.
      preventDuplicateNames: true,
    },
    // azuread.Group replaces (deletes and re-creates) a group whose mail_nickname changes (ForceNew in the
    // provider's schema), which would drop its object id from every policy's exclusions. A security group
    // without mail never uses its nickname, so an adopted group keeps the one it has.
    { ...opts, ignoreChanges: [...(opts.ignoreChanges ?? []), "mailNickname"] },
  );
  refs.ownGroup(p.displayName, group.objectId);
  return group;
}
