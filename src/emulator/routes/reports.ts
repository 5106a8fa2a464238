/**
 * Service principals' last sign-ins (beta): `GET /reports/servicePrincipalSignInActivities`, with `$filter=appId eq`
 * (https://learn.microsoft.com/graph/api/reportroot-list-serviceprincipalsigninactivities?view=graph-rest-beta),
 * seedable through the tenant seed's `collections.servicePrincipalSignInActivities` in the shape of
 * https://learn.microsoft.com/graph/api/resources/serviceprincipalsigninactivity?view=graph-rest-beta (`appId`,
 * `lastSignInActivity { lastSignInDateTime, lastSignInRequestId }`, the four per-flow activities). Like the sign-in
 * logs it is sign-in data that needs Entra ID P1 or P2 ("Viewing applications sign-in activity requires a Microsoft
 * Entra ID P1 or P2 license": https://learn.microsoft.com/entra/identity/monitoring-health/concept-sign-ins); without
 * it the emulator answers as the sign-in logs route does (routes/audit-logs.ts).
 */
import { graphError } from "../errors";
import { list, route, type Route } from "../router";
import { hasPremium } from "./audit-logs";

export const reportRoutes: Route[] = [
  {
    ...route("GET", "/reports/servicePrincipalSignInActivities", "reports.servicePrincipalSignInActivities", (ctx) =>
      hasPremium(ctx)
        ? list(ctx, ctx.tenant.collections.servicePrincipalSignInActivities ?? [])
        : graphError(
            403,
            "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
            "Neither tenant is B2C or tenant doesn't have premium license",
          ),
    ),
    // Beta only: v1.0 has no servicePrincipalSignInActivities.
    versions: ["beta"],
  },
];
