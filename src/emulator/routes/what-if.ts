/**
 * Conditional Access What If (beta): `POST /identity/conditionalAccess/evaluate`
 * (https://learn.microsoft.com/graph/api/conditionalaccessroot-evaluate?view=graph-rest-beta). The body names a
 * `conditionalAccessWhatIfSubject` (a `#microsoft.graph.userSubject` with `userId`), a `conditionalAccessContext`
 * (a `#microsoft.graph.applicationContext` with `includeApplications`), `conditionalAccessWhatIfConditions` and
 * `appliedPoliciesOnly`; the answer is a collection of `whatIfAnalysisResult`, each the stored policy plus
 * `policyApplies` and `analysisReasons` (`notSet` when it applies, else why not: `users`, `application`,
 * `policyNotEnabled`, …: https://learn.microsoft.com/graph/api/resources/whatifanalysisresult?view=graph-rest-beta).
 * Modelled: the user condition (users, groups by direct membership, directory roles by template id, `All`,
 * `GuestsOrExternalUsers` never matching a member) and the application condition; other conditions are not
 * evaluated (a sign-in with no such details is not excluded by them). Report-only policies are evaluated like
 * enabled ones (the What If tool reports them:
 * https://learn.microsoft.com/entra/identity/conditional-access/what-if-tool);
 * disabled policies never apply (`policyNotEnabled`).
 */
import { badRequest, ok, type Json } from "../errors";
import { metadataRoot, route, type RequestContext, type Route } from "../router";

/** Why the policy does not apply to the user and applications, or "notSet" when it does. */
function analysis(ctx: RequestContext, policy: Json, userId: string, apps: readonly string[]): string {
  if (policy["state"] === "disabled") return "policyNotEnabled";
  const users = (policy["conditions"]?.["users"] ?? {}) as Record<string, string[] | undefined>;
  const groups = Object.entries(ctx.tenant.groupMembers)
    .filter(([, members]) => members.includes(userId))
    .map(([id]) => id);
  const roles = ctx.tenant.collections.roleAssignments
    .filter((r) => r["principalId"] === userId)
    .map((r) => String(r["roleDefinitionId"]));
  const has = (key: string, values: readonly string[]) => (users[key] ?? []).some((v) => values.includes(v));
  const included =
    has("includeUsers", ["All", userId]) || has("includeGroups", ["All", ...groups]) || has("includeRoles", roles);
  const excluded = has("excludeUsers", [userId]) || has("excludeGroups", groups) || has("excludeRoles", roles);
  if (!included || excluded) return "users";
  const applications = (policy["conditions"]?.["applications"] ?? {}) as Record<string, string[] | undefined>;
  const include = applications["includeApplications"] ?? [];
  const appIncluded = include.includes("All") || apps.some((a) => include.includes(a));
  const appExcluded = apps.some((a) => (applications["excludeApplications"] ?? []).includes(a));
  if (!appIncluded || appExcluded) return "application";
  return "notSet";
}

export const whatIfRoutes: Route[] = [
  {
    ...route("POST", "/identity/conditionalAccess/evaluate", "conditionalAccess.evaluate", (ctx) => {
      const body = ctx.json();
      const subject = (body["conditionalAccessWhatIfSubject"] ?? {}) as Json;
      const userId = subject["userId"];
      if (subject["@odata.type"] !== "#microsoft.graph.userSubject" || typeof userId !== "string")
        return badRequest("conditionalAccessWhatIfSubject must be a #microsoft.graph.userSubject with a userId.");
      if (!ctx.tenant.collections.users.some((u) => String(u["id"]).toLowerCase() === userId.toLowerCase()))
        return badRequest(`The user '${userId}' does not exist in the tenant.`);
      const context = (body["conditionalAccessContext"] ?? {}) as Json;
      const apps = (context["includeApplications"] ?? []) as string[];
      const results = ctx.tenant.collections.conditionalAccessPolicies.map((p) => {
        const reasons = analysis(ctx, p, userId, apps);
        return {
          "@odata.type": "#microsoft.graph.whatIfAnalysisResult",
          ...p,
          policyApplies: reasons === "notSet",
          analysisReasons: reasons,
        };
      });
      const value = body["appliedPoliciesOnly"] === true ? results.filter((r) => r.policyApplies) : results;
      return ok({ "@odata.context": `${metadataRoot(ctx)}#Collection(microsoft.graph.whatIfAnalysisResult)`, value });
    }),
    // Beta only: v1.0 has no evaluate action.
    versions: ["beta"],
  },
];
