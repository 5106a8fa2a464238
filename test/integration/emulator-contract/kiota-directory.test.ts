/**
 * The second client (Microsoft's Kiota SDK, set up in kiota-harness.ts) on the directory routes: owners of
 * applications and service principals by `$ref`, app-role assignments from both sides, directory role
 * assignments, users, the organization, subscribed SKUs and GDAP relationships. What is written through the SDK's
 * serializers is read back through its models, field by field; nothing but annotations lands in additionalData.
 * URL templates are the generated builders' (msgraph-sdk-applications, -serviceprincipals, -rolemanagement, …).
 */
import { HttpMethod } from "@microsoft/kiota-abstractions";
import * as M from "@microsoft/msgraph-sdk/models/index.js";
import { describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../../src/emulator";
import type { Json } from "../../../src/emulator/errors";
import { CONTOSO } from "../emulator/harness";
import { expectTyped, odataError, request, send, sendNoContent, useKiota, withBody } from "./kiota-harness";

let emu: RunningEmulator;
useKiota((e) => {
  emu = e;
});
const tenant = () => emu.tenant(CONTOSO.tenantId);
const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
const ref = (id: string): M.ReferenceCreate => ({ odataId: `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

/** A new application and its service principal, made through the SDK. */
async function newApp(name: string): Promise<{ app: M.Application; sp: M.ServicePrincipal }> {
  const app = await send<M.Application>(
    withBody(request(HttpMethod.POST, "/applications"), { displayName: name }, M.serializeApplication),
    M.createApplicationFromDiscriminatorValue,
  );
  const sp = await send<M.ServicePrincipal>(
    withBody(request(HttpMethod.POST, "/servicePrincipals"), { appId: app.appId! }, M.serializeServicePrincipal),
    M.createServicePrincipalFromDiscriminatorValue,
  );
  return { app, sp };
}

describe("Microsoft's Kiota Graph SDK against the emulator: directory", () => {
  it("owners of applications and service principals: $ref add, list typed by @odata.type, $ref remove", async () => {
    const { app, sp } = await newApp("Kiota owned app");
    const user = tenant().collections.users[0]!;
    const graphSp = tenant().collections.servicePrincipals.find((s) => s["appId"] === GRAPH_APP_ID)!;
    // application-post-owners / serviceprincipal-post-owners: a user owns the app, a service principal the SP.
    const cases = [
      ["/applications/{application%2Did}", { "application%2Did": app.id! }, String(user["id"])],
      ["/servicePrincipals/{servicePrincipal%2Did}", { "servicePrincipal%2Did": sp.id! }, String(graphSp["id"])],
    ] as const;
    for (const [base, path, ownerId] of cases) {
      await sendNoContent(
        withBody(request(HttpMethod.POST, `${base}/owners/$ref`, path), ref(ownerId), M.serializeReferenceCreate),
      );
      const owners = await send<M.DirectoryObjectCollectionResponse>(
        request(HttpMethod.GET, `${base}/owners`, path),
        M.createDirectoryObjectCollectionResponseFromDiscriminatorValue,
      );
      expect(owners.value?.map((o) => o.id)).toEqual([ownerId]);
      const owner = owners.value![0]!;
      expectTyped(owner);
      if (base.startsWith("/applications")) {
        expect(owner.odataType).toBe("#microsoft.graph.user");
        expect((owner as M.User).userPrincipalName).toBe(user["userPrincipalName"]);
      } else {
        expect(owner.odataType).toBe("#microsoft.graph.servicePrincipal");
        expect((owner as M.ServicePrincipal).appId).toBe(GRAPH_APP_ID);
      }
      const twice = await odataError(
        sendNoContent(
          withBody(request(HttpMethod.POST, `${base}/owners/$ref`, path), ref(ownerId), M.serializeReferenceCreate),
        ),
      );
      expect(twice.responseStatusCode).toBe(400);

      const one = { ...path, "directoryObject%2Did": ownerId };
      await sendNoContent(request(HttpMethod.DELETE, `${base}/owners/{directoryObject%2Did}/$ref`, one));
      const after = await send<M.DirectoryObjectCollectionResponse>(
        request(HttpMethod.GET, `${base}/owners`, path),
        M.createDirectoryObjectCollectionResponseFromDiscriminatorValue,
      );
      expect(after.value).toEqual([]);
      const gone = await odataError(
        sendNoContent(request(HttpMethod.DELETE, `${base}/owners/{directoryObject%2Did}/$ref`, one)),
      );
      expect(gone.responseStatusCode).toBe(404);
    }
  });

  it("app-role assignments: granted on the resource, seen from both sides, read by id, deleted", async () => {
    const { sp } = await newApp("Kiota client app");
    const graph = await send<M.ServicePrincipal>(
      request(HttpMethod.GET, "/servicePrincipals(appId='{appId}')", { appId: GRAPH_APP_ID }),
      M.createServicePrincipalFromDiscriminatorValue,
    );
    const role = graph.appRoles?.find((r) => r.value === "Group.Read.All");
    expect(role?.allowedMemberTypes).toContain("Application");
    const resource = { "servicePrincipal%2Did": graph.id! };
    const principal = { "servicePrincipal%2Did": sp.id! };
    const TO = "/servicePrincipals/{servicePrincipal%2Did}/appRoleAssignedTo";
    const OF = "/servicePrincipals/{servicePrincipal%2Did}/appRoleAssignments";
    const body: M.AppRoleAssignment = { principalId: sp.id!, resourceId: graph.id!, appRoleId: role!.id! };
    const created = await send<M.AppRoleAssignment>(
      withBody(request(HttpMethod.POST, TO, resource), body, M.serializeAppRoleAssignment),
      M.createAppRoleAssignmentFromDiscriminatorValue,
    );
    expectTyped(created);
    const fields = (a: M.AppRoleAssignment) => [a.appRoleId, a.principalId, a.principalType, a.resourceId];
    expect(fields(created)).toEqual([role!.id, sp.id, "ServicePrincipal", graph.id]);
    expect([created.principalDisplayName, created.resourceDisplayName]).toEqual([
      "Kiota client app",
      graph.displayName,
    ]);
    expect(created.createdDateTime).toBeInstanceOf(Date);

    for (const [template, path] of [
      [TO, resource],
      [OF, principal],
    ] as const) {
      const all = await send<M.AppRoleAssignmentCollectionResponse>(
        request(HttpMethod.GET, template, path),
        M.createAppRoleAssignmentCollectionResponseFromDiscriminatorValue,
      );
      expect(all.value?.filter((a) => a.id === created.id).map(fields)).toEqual([fields(created)]);
      const one = await send<M.AppRoleAssignment>(
        request(HttpMethod.GET, `${template}/{appRoleAssignment%2Did}`, {
          ...path,
          "appRoleAssignment%2Did": created.id!,
        }),
        M.createAppRoleAssignmentFromDiscriminatorValue,
      );
      expect(fields(one)).toEqual(fields(created));
      expectTyped(one);
    }
    const twice = await odataError(
      send(
        withBody(request(HttpMethod.POST, TO, resource), body, M.serializeAppRoleAssignment),
        M.createAppRoleAssignmentFromDiscriminatorValue,
      ),
    );
    expect(twice.responseStatusCode).toBe(400);

    // From the principal's side (serviceprincipal-post-approleassignments), removed from the resource's.
    const role2 = graph.appRoles!.find((r) => r.value === "User.Read.All")!;
    const second = await send<M.AppRoleAssignment>(
      withBody(
        request(HttpMethod.POST, OF, principal),
        { ...body, appRoleId: role2.id! },
        M.serializeAppRoleAssignment,
      ),
      M.createAppRoleAssignmentFromDiscriminatorValue,
    );
    expect(fields(second)).toEqual([role2.id, sp.id, "ServicePrincipal", graph.id]);
    for (const [template, path, id] of [
      [TO, resource, second.id!],
      [OF, principal, created.id!],
    ] as const) {
      const item = { ...path, "appRoleAssignment%2Did": id };
      await sendNoContent(request(HttpMethod.DELETE, `${template}/{appRoleAssignment%2Did}`, item));
      const gone = await odataError(
        send(
          request(HttpMethod.GET, `${template}/{appRoleAssignment%2Did}`, item),
          M.createAppRoleAssignmentFromDiscriminatorValue,
        ),
      );
      expect(gone.responseStatusCode).toBe(404);
    }
  });

  it("app-role assignments to users and groups, with the default app role of an app that declares none", async () => {
    const { sp } = await newApp("Kiota resource app");
    const TO = "/servicePrincipals/{servicePrincipal%2Did}/appRoleAssignedTo";
    const resource = { "servicePrincipal%2Did": sp.id! };
    const user = tenant().collections.users[0]!;
    const group = tenant().collections.groups[0]!;
    const DEFAULT = "00000000-0000-0000-0000-000000000000";
    for (const [principal, type] of [
      [user, "User"],
      [group, "Group"],
    ] as const) {
      const body: M.AppRoleAssignment = {
        principalId: String(principal["id"]),
        resourceId: sp.id!,
        appRoleId: DEFAULT,
      };
      const created = await send<M.AppRoleAssignment>(
        withBody(request(HttpMethod.POST, TO, resource), body, M.serializeAppRoleAssignment),
        M.createAppRoleAssignmentFromDiscriminatorValue,
      );
      expect([created.principalId, created.principalType, created.appRoleId]).toEqual([principal["id"], type, DEFAULT]);
      expect(created.principalDisplayName).toBe(principal["displayName"]);
    }
    const all = await send<M.AppRoleAssignmentCollectionResponse>(
      request(HttpMethod.GET, TO, resource),
      M.createAppRoleAssignmentCollectionResponseFromDiscriminatorValue,
    );
    expect(all.value?.map((a) => a.principalType).sort()).toEqual(["Group", "User"]);
  });

  it("directory role assignments: create, $filter by principal, get, delete", async () => {
    const PATH = "/roleManagement/directory/roleAssignments";
    const { sp } = await newApp("Kiota reader app");
    const GLOBAL_READER = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";
    const body: M.UnifiedRoleAssignment = {
      principalId: sp.id!,
      roleDefinitionId: GLOBAL_READER,
      directoryScopeId: "/",
    };
    const created = await send<M.UnifiedRoleAssignment>(
      withBody(request(HttpMethod.POST, PATH, {}), body, M.serializeUnifiedRoleAssignment),
      M.createUnifiedRoleAssignmentFromDiscriminatorValue,
    );
    const fields = (r: M.UnifiedRoleAssignment) => [
      r.principalId,
      r.roleDefinitionId,
      r.directoryScopeId,
      r.appScopeId ?? null, // Kiota reads a JSON null as undefined
    ];
    expect(fields(created)).toEqual([sp.id, GLOBAL_READER, "/", null]);
    expectTyped(created);
    const filtered = await send<M.UnifiedRoleAssignmentCollectionResponse>(
      request(HttpMethod.GET, `${PATH}{?%24filter}`, {}, { "%24filter": `principalId eq '${sp.id!}'` }),
      M.createUnifiedRoleAssignmentCollectionResponseFromDiscriminatorValue,
    );
    expect(filtered.value?.map((r) => r.id)).toEqual([created.id]);
    const id = { "unifiedRoleAssignment%2Did": created.id! };
    const one = await send<M.UnifiedRoleAssignment>(
      request(HttpMethod.GET, `${PATH}/{unifiedRoleAssignment%2Did}`, id),
      M.createUnifiedRoleAssignmentFromDiscriminatorValue,
    );
    expect(fields(one)).toEqual(fields(created));
    const twice = await odataError(
      send(
        withBody(request(HttpMethod.POST, PATH, {}), body, M.serializeUnifiedRoleAssignment),
        M.createUnifiedRoleAssignmentFromDiscriminatorValue,
      ),
    );
    expect(twice.responseStatusCode).toBe(400);
    await sendNoContent(request(HttpMethod.DELETE, `${PATH}/{unifiedRoleAssignment%2Did}`, id));
    const gone = await odataError(
      send(
        request(HttpMethod.GET, `${PATH}/{unifiedRoleAssignment%2Did}`, id),
        M.createUnifiedRoleAssignmentFromDiscriminatorValue,
      ),
    );
    expect(gone.responseStatusCode).toBe(404);
  });

  it("users: list, by id and by userPrincipalName, $filter and $select", async () => {
    const seeded = tenant().collections.users;
    const all = await send<M.UserCollectionResponse>(
      request(HttpMethod.GET, "/users"),
      M.createUserCollectionResponseFromDiscriminatorValue,
    );
    const fields = (u: M.User | Json) => [u["id"], u["userPrincipalName"], u["displayName"], u["accountEnabled"]];
    expect(all.value?.map(fields)).toEqual(seeded.map(fields));
    const alex = seeded.find((u) => String(u["userPrincipalName"]).startsWith("alex@"))!;
    for (const key of [String(alex["id"]), String(alex["userPrincipalName"])]) {
      const one = await send<M.User>(
        request(HttpMethod.GET, "/users/{user%2Did}", { "user%2Did": key }),
        M.createUserFromDiscriminatorValue,
      );
      expect(fields(one)).toEqual(fields(alex));
      expectTyped(one);
    }
    const filtered = await send<M.UserCollectionResponse>(
      request(
        HttpMethod.GET,
        "/users{?%24filter,%24select}",
        {},
        { "%24filter": `userPrincipalName eq '${String(alex["userPrincipalName"])}'`, "%24select": "id,displayName" },
      ),
      M.createUserCollectionResponseFromDiscriminatorValue,
    );
    expect(filtered.value?.map((u) => [u.id, u.displayName, u.userPrincipalName])).toEqual([
      [alex["id"], alex["displayName"], undefined],
    ]);
    const missing = await odataError(
      send(
        request(HttpMethod.GET, "/users/{user%2Did}", { "user%2Did": "nobody@contoso.onmicrosoft.com" }),
        M.createUserFromDiscriminatorValue,
      ),
    );
    expect(missing.responseStatusCode).toBe(404);
  });

  it("organization and subscribed SKUs: what the tenant holds, typed", async () => {
    const org = tenant().organization;
    const list = await send<M.OrganizationCollectionResponse>(
      request(HttpMethod.GET, "/organization"),
      M.createOrganizationCollectionResponseFromDiscriminatorValue,
    );
    const one = await send<M.Organization>(
      request(HttpMethod.GET, "/organization/{organization%2Did}", { "organization%2Did": CONTOSO.tenantId }),
      M.createOrganizationFromDiscriminatorValue,
    );
    for (const o of [list.value![0]!, one]) {
      expect([o.id, o.displayName, o.tenantType, o.countryLetterCode]).toEqual([
        org["id"],
        org["displayName"],
        org["tenantType"],
        org["countryLetterCode"],
      ]);
      expect(o.verifiedDomains?.map((d) => [d.name, d.isInitial, d.isDefault, d.type])).toEqual([
        [CONTOSO.primaryDomain, true, true, "Managed"],
      ]);
      expectTyped(o);
    }

    const skus = await send<M.SubscribedSkuCollectionResponse>(
      request(HttpMethod.GET, "/subscribedSkus"),
      M.createSubscribedSkuCollectionResponseFromDiscriminatorValue,
    );
    const seeded = tenant().collections.subscribedSkus;
    expect(skus.value?.map((s) => [s.id, s.skuId, s.skuPartNumber, s.capabilityStatus])).toEqual(
      seeded.map((s) => [s["id"], s["skuId"], s["skuPartNumber"], s["capabilityStatus"]]),
    );
    const e5 = skus.value!.find((s) => s.skuPartNumber === "SPE_E5")!;
    // subscribedsku-list's example: the id is `{tenantId}_{skuId}`.
    expect(e5.id).toBe(`${CONTOSO.tenantId}_${e5.skuId!}`);
    expect(e5.prepaidUnits?.enabled).toBe(25);
    expect(e5.servicePlans?.map((p) => p.servicePlanName)).toContain("AAD_PREMIUM_P2");
    expectTyped(e5);
    const byId = await send<M.SubscribedSku>(
      request(HttpMethod.GET, "/subscribedSkus/{subscribedSku%2Did}", { "subscribedSku%2Did": e5.id! }),
      M.createSubscribedSkuFromDiscriminatorValue,
    );
    expect(byId.servicePlans?.map((p) => [p.servicePlanId, p.servicePlanName])).toEqual(
      e5.servicePlans?.map((p) => [p.servicePlanId, p.servicePlanName]),
    );
  });

  it("GDAP: delegatedAdminRelationships parsed by derived type, durations and customers; $top above 300 refused", async () => {
    // The partner's side, with Microsoft's documented example relationships
    // (learn.microsoft.com/graph/api/tenantrelationship-list-delegatedadminrelationships).
    tenant().collections.delegatedAdminRelationships.push(
      ...(["delegatedAdminRelationship", "resellerDelegatedAdminRelationship"] as const).map((type, i) => ({
        "@odata.type": `#microsoft.graph.${type}`,
        id: `5d027261-d21f-4aa9-b7db-7fa1f56fb16${i}-8777b240-c6f0-4469-9e98-a3205431b836`,
        displayName: `Contoso admin relationship ${i}`,
        duration: "P730D",
        customer: { tenantId: "52eaad04-13a2-4a2f-9ce8-93a294fadf36", displayName: "Contoso Inc" },
        accessDetails: { unifiedRoles: [{ roleDefinitionId: "dd4db9a0-cc4a-4213-9f9f-70242232d97e" }] },
        status: i === 0 ? "active" : "approvalPending",
        autoExtendDuration: "P180D",
        createdDateTime: "2022-02-10T11:24:42.3148266Z",
        ...(i === 1 ? { isPartnerConsentPending: true } : {}),
      })),
    );
    const PATH = "/tenantRelationships/delegatedAdminRelationships{?%24top}";
    const all = await send<M.DelegatedAdminRelationshipCollectionResponse>(
      request(HttpMethod.GET, PATH, {}, { "%24top": 300 }),
      M.createDelegatedAdminRelationshipCollectionResponseFromDiscriminatorValue,
    );
    expect(all.value?.map((r) => [r.odataType, r.status, r.customer?.tenantId, r.duration?.days])).toEqual([
      ["#microsoft.graph.delegatedAdminRelationship", "active", "52eaad04-13a2-4a2f-9ce8-93a294fadf36", 730],
      [
        "#microsoft.graph.resellerDelegatedAdminRelationship",
        "approvalPending",
        "52eaad04-13a2-4a2f-9ce8-93a294fadf36",
        730,
      ],
    ]);
    const reseller = all.value![1] as M.ResellerDelegatedAdminRelationship;
    expect(reseller.isPartnerConsentPending).toBe(true);
    expect(all.value![0]!.accessDetails?.unifiedRoles?.[0]?.roleDefinitionId).toBe(
      "dd4db9a0-cc4a-4213-9f9f-70242232d97e",
    );
    for (const r of all.value!) expectTyped(r);
    const tooMany = await odataError(
      send(
        request(HttpMethod.GET, PATH, {}, { "%24top": 301 }),
        M.createDelegatedAdminRelationshipCollectionResponseFromDiscriminatorValue,
      ),
    );
    expect(tooMany.responseStatusCode).toBe(400);
  });
});
