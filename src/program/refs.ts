/**
 * Per-tenant resolution of `ref:` tokens to object ids: objects this program creates resolve to their
 * resource; anything else is looked up by display name / UPN through the tenant's azuread provider.
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { InternalError } from "../errors";

/** Resolves RefTokens for one tenant; lookups are made once per name. */
export class RefResolver {
  private readonly groups = new Map<string, pulumi.Input<string>>();
  private readonly users = new Map<string, pulumi.Input<string>>();
  private readonly locations = new Map<string, pulumi.Input<string>>();

  constructor(private readonly provider: azuread.Provider) {}

  /** Declares that this program manages the group `displayName`. */
  ownGroup(displayName: string, id: pulumi.Input<string>): void {
    this.groups.set(displayName.toLowerCase(), id);
  }

  /** Declares that this program manages the named location `displayName`. */
  ownNamedLocation(displayName: string, id: pulumi.Input<string>): void {
    this.locations.set(displayName.toLowerCase(), id);
  }

  /** The object id for a token, or the value itself when it is not a token ("All", a role id, …). */
  resolve(value: string): pulumi.Input<string> {
    const [, kind, name] = /^ref:(group|user|namedLocation)\/(.+)$/.exec(value) ?? [];
    if (kind === undefined || name === undefined) return value;
    const key = name.toLowerCase();
    const opts = { provider: this.provider };
    if (kind === "group") {
      const id =
        this.groups.get(key) ?? azuread.getGroupOutput({ displayName: name, securityEnabled: true }, opts).objectId;
      this.groups.set(key, id);
      return id;
    }
    if (kind === "user") {
      const id = this.users.get(key) ?? azuread.getUserOutput({ userPrincipalName: name }, opts).objectId;
      this.users.set(key, id);
      return id;
    }
    const location = this.locations.get(key);
    // compile guarantees every referenced named location is declared in the stack, so this is a bug.
    if (!location) throw new InternalError(`named location '${name}' is referenced but not managed by this program`);
    return location;
  }

  /** `resolve` over a list; undefined stays undefined so optional provider arguments stay unset. */
  list(values: readonly string[] | undefined): pulumi.Input<string>[] | undefined {
    return values && values.length > 0 ? values.map((v) => this.resolve(v)) : undefined;
  }
}
