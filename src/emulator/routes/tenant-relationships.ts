/**
 * The partner side of granular delegated admin privileges (GDAP): in the partner's tenant,
 * `GET /tenantRelationships/delegatedAdminRelationships` lists its relationships with customer tenants
 * (`customer.tenantId` and `displayName`, `status` such as active, terminated or approvalPending,
 * `accessDetails.unifiedRoles`) as in Microsoft's example response
 * (https://learn.microsoft.com/graph/api/tenantrelationship-list-delegatedadminrelationships), each with
 * `@odata.type` and `@odata.etag`. `$top` accepts at most 300 there.
 */
import { badRequest } from "../errors";
import { list, route, type Route } from "../router";

export const tenantRelationshipRoutes: Route[] = [
  route("GET", "/tenantRelationships/delegatedAdminRelationships", "tenantRelationships.delegatedAdmin", (ctx) => {
    const top = ctx.url.searchParams.get("$top");
    if (top !== null && !(Number(top) >= 1 && Number(top) <= 300))
      return badRequest("The value of $top must be between 1 and 300.");
    // Saved emulator state from before this collection existed has none.
    return list(ctx, ctx.tenant.collections.delegatedAdminRelationships ?? []);
  }),
];
