/** Retention rules through `*-RetentionComplianceRule`: the retention action, or the labels a policy publishes. */
import { changed, duration, named, tagList } from "../shared/compliance-provider";
import type { Props } from "../../providers/types";

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
});
