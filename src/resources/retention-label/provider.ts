/** Retention labels through `*-ComplianceTag`; a label a rule still publishes is never deleted. */
import {
  complianceTagParameters,
  labelFromComplianceTag,
  type RetentionLabelProperties,
} from "../../core/retention-vocabulary";
import { changed, named, tagList } from "../shared/compliance-provider";
import type { Props } from "../../providers/types";
import { refused } from "../shared/refused";

export const retentionLabel = named(
  "RetentionLabel",
  ["displayName", "behaviorDuringRetentionPeriod", "actionAfterRetentionPeriod", "retentionTrigger"],
  [],
  {
    get: "Get-ComplianceTag",
    newCmd: "New-ComplianceTag",
    set: "Set-ComplianceTag",
    remove: "Remove-ComplianceTag",
    toParams: (inputs) => complianceTagParameters(inputs as unknown as RetentionLabelProperties),
    setParams: (olds, news) => {
      const all = complianceTagParameters(news as unknown as RetentionLabelProperties);
      const params: Props = {};
      if (changed(olds, news, "retentionDurationDays")) params["RetentionDuration"] = all["RetentionDuration"];
      if (changed(olds, news, "descriptionForAdmins")) params["Comment"] = all["Comment"] ?? "";
      if (changed(olds, news, "descriptionForUsers")) params["Notes"] = all["Notes"] ?? "";
      return Object.keys(params).length > 0 ? params : undefined;
    },
    fromLive: (live) => labelFromComplianceTag(live) as unknown as Props,
    async beforeDelete(ctx, name) {
      const rules = await ctx.connection.compliance.invoke<Props>("Get-RetentionComplianceRule");
      const users = rules.filter((r) =>
        (tagList(r["PublishComplianceTag"]) ?? []).some((t) => t.toLowerCase() === name.toLowerCase()),
      );
      if (users.length > 0)
        throw refused(
          `retention label '${name}' is published by ${users.map((r) => `policy '${String(r["ParentPolicyName"] ?? r["Policy"])}' (rule '${String(r["Name"])}')`).join(", ")}; it is never deleted while in use`,
          "unpublish it first",
        );
    },
  },
);
