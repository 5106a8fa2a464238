/** Retention policies through `*-RetentionCompliancePolicy`; a policy under Preservation Lock is never deleted. */
import { changed, LOCATIONS, locationNames, named } from "../shared/compliance-provider";
import { serviceBoolean } from "../../core/retention-vocabulary";
import type { CheckFailure, Props } from "../../providers/types";
import { refused } from "../shared/refused";

/**
 * A `Get-RetentionCompliancePolicy` object in the baseline's vocabulary (location objects as names, "True" as true).
 */
export function policyFromLive(live: Props): Props {
  return {
    Name: live["Name"],
    Comment: live["Comment"] || undefined,
    Enabled: live["Enabled"] === undefined ? undefined : serviceBoolean(live["Enabled"]),
    ...Object.fromEntries(LOCATIONS.map((l) => [l, locationNames(live[l])])),
    // "True" too: a locked policy read as unlocked would be false drift, and delete's lock guard reads the outputs.
    RestrictiveRetention: serviceBoolean(live["RestrictiveRetention"]) ? true : undefined,
  };
}

export const retentionPolicy = named("RetentionPolicy", ["Name"], ["preservationLockAcknowledged"], {
  get: "Get-RetentionCompliancePolicy",
  newCmd: "New-RetentionCompliancePolicy",
  set: "Set-RetentionCompliancePolicy",
  remove: "Remove-RetentionCompliancePolicy",
  check(inputs) {
    const failures: CheckFailure[] = [];
    const used = LOCATIONS.filter((l) => inputs[l] !== undefined);
    if (used.length === 0)
      failures.push({ property: "ExchangeLocation", reason: "a retention policy needs at least one location" });
    if (used.some((l) => l.startsWith("Teams")) && used.some((l) => !l.startsWith("Teams")))
      failures.push({
        property: used.find((l) => l.startsWith("Teams"))!,
        reason:
          "Teams locations must be in their own policy (the service refuses mixing them with Exchange/SharePoint)",
      });
    if (inputs["RestrictiveRetention"] === true && inputs["preservationLockAcknowledged"] !== true)
      failures.push({
        property: "RestrictiveRetention",
        reason: "Preservation Lock is irreversible; set preservationLockAcknowledged: true to confirm",
      });
    return failures;
  },
  toParams: (inputs) =>
    Object.fromEntries(Object.entries(inputs).filter(([k]) => k !== "preservationLockAcknowledged")),
  setParams(olds, news) {
    const params: Props = {};
    for (const key of ["Comment", "Enabled"])
      if (changed(olds, news, key)) params[key] = news[key] ?? (key === "Comment" ? "" : true);
    for (const location of LOCATIONS) {
      const before = locationNames(olds[location]) ?? [];
      const after = locationNames(news[location]) ?? [];
      const add = after.filter((x) => !before.includes(x));
      const remove = before.filter((x) => !after.includes(x));
      if (add.length > 0) params[`Add${location}`] = add;
      if (remove.length > 0) params[`Remove${location}`] = remove;
    }
    if (news["RestrictiveRetention"] === true && olds["RestrictiveRetention"] !== true)
      params["RestrictiveRetention"] = true;
    return Object.keys(params).length > 0 ? params : undefined;
  },
  fromLive: policyFromLive,
  async beforeDelete(_ctx, name, outputs) {
    if (outputs["RestrictiveRetention"] === true)
      throw refused(
        `retention policy '${name}' has Preservation Lock: it cannot be deleted`,
        "remove it from the baseline with retainOnDelete or keep it",
      );
  },
});
