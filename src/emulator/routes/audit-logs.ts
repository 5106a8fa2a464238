/**
 * Sign-in logs: `GET /auditLogs/signIns` (https://learn.microsoft.com/graph/api/signin-list), seedable through
 * the tenant seed's `collections.signIns` in the shape of Microsoft's example response. Graph needs Entra ID P1
 * or P2 for them ("You must have a Microsoft Entra ID P1 or P2 license to download sign-in logs using the
 * Microsoft Graph API": https://learn.microsoft.com/graph/api/resources/signin); without it Graph answers
 * 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant, "Neither tenant is B2C or tenant doesn't have premium
 * license" (as reported in https://github.com/microsoftgraph/msgraph-sdk-dotnet/issues/1006).
 */
import { graphError, type Json } from "../errors";
import { list, route, type RequestContext, type Route } from "../router";

/** True when a subscribed SKU has an Entra ID P1 or P2 service plan. */
export function hasPremium(ctx: RequestContext): boolean {
  return ctx.tenant.collections.subscribedSkus.some((s) =>
    ((s["servicePlans"] ?? []) as Json[]).some((p) =>
      ["AAD_PREMIUM", "AAD_PREMIUM_P2"].includes(String(p["servicePlanName"])),
    ),
  );
}

/** Newest first, as the sign-in log lists them. */
function newestFirst(items: readonly Json[]): Json[] {
  return [...items].sort((a, b) => String(b["createdDateTime"]).localeCompare(String(a["createdDateTime"])));
}

export const auditLogRoutes: Route[] = [
  route("GET", "/auditLogs/signIns", "auditLogs.signIns", (ctx) =>
    hasPremium(ctx)
      ? list(ctx, newestFirst(ctx.tenant.collections.signIns ?? []))
      : graphError(
          403,
          "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
          "Neither tenant is B2C or tenant doesn't have premium license",
        ),
  ),
];
