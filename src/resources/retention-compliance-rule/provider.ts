/** Retention rules through `*-RetentionComplianceRule`: the retention action, or the labels a policy publishes. */
import { byName, changed, duration, named, tagList } from "../shared/compliance-provider";
import type { Props } from "../../providers/types";
import { refused } from "../shared/refused";

/**
 * A `Get-RetentionComplianceRule` object in the baseline's vocabulary: numbers the service serialises as strings
 * ("2555") read as numbers, `PublishComplianceTag` ("<guid>,<name>" entries) as label names.
 */
export function ruleFromLive(live: Props): Props {
  return {
    Name: live["Name"],
    Policy: live["ParentPolicyName"] ?? live["PolicyName"] ?? live["Policy"],
    RetentionDuration: duration(live["RetentionDuration"]),
    RetentionComplianceAction: live["RetentionComplianceAction"] || undefined,
    ExpirationDateOption: live["ExpirationDateOption"] || undefined,
    PublishComplianceTag: tagList(live["PublishComplianceTag"]),
  };
}

/**
 * The live rules the inputs can describe: the one with their Name, or — for a label-publishing rule, which the service
 * names itself (New-RetentionComplianceRule takes no -Name with -PublishComplianceTag: MicrosoftDocs/
 * office-docs-powershell New-RetentionComplianceRule.md) — the rules of their policy, of which the service allows one
 * ("Only one rule can be added to each retention policy", ibid.).
 */
export function rulesFor(all: readonly Props[], inputs: Props): Props[] {
  if (inputs["Name"] !== undefined) return [byName(all, String(inputs["Name"]))].filter((r) => r !== undefined);
  const policy = String(inputs["Policy"]).toLowerCase();
  return all.filter((r) => String(ruleFromLive(r)["Policy"] ?? "").toLowerCase() === policy);
}

function findRule(all: readonly Props[], inputs: Props): Props | undefined {
  const found = rulesFor(all, inputs);
  if (found.length > 1)
    throw refused(
      `retention policy '${String(inputs["Policy"])}' has ${found.length} rules (${found.map((r) => `'${String(r["Name"])}'`).join(", ")}) where the service allows one`,
      "remove the extra ones in the Purview portal, then run 'pulumi up' again",
    );
  return found[0];
}

export const retentionRule = named("RetentionRule", ["Name", "Policy"], [], {
  get: "Get-RetentionComplianceRule",
  newCmd: "New-RetentionComplianceRule",
  set: "Set-RetentionComplianceRule",
  remove: "Remove-RetentionComplianceRule",
  toParams: (inputs) => inputs,
  setParams(olds, news) {
    const params: Props = {};
    for (const key of [
      "RetentionDuration",
      "RetentionComplianceAction",
      "ExpirationDateOption",
      "PublishComplianceTag",
    ])
      if (changed(olds, news, key) && news[key] !== undefined) params[key] = news[key];
    return Object.keys(params).length > 0 ? params : undefined;
  },
  fromLive: ruleFromLive,
  find: findRule,
});
