/**
 * What the real azuread plugin (terraform-provider-azuread v3.8.0 on go-azure-sdk) asks of Graph and Entra,
 * request by request, without the Pulumi engine: the cloud metadata document its `metadata_host` reads, a token
 * for the Graph resource id that document names, and each route, query form and error body its group,
 * application, service principal, app-role and directory-role resources use (Graph beta included).
 */
import { X509Certificate } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../../src/emulator";
import { generatePem } from "../../support/graph-test-server";
import { accessToken, CLIENT_ID, CONTOSO, expectGraphError, raw, startTestEmulator, type RawResponse } from "./harness";

type Json = Record<string, unknown>;
const GRAPH = "00000003-0000-0000-c000-000000000000";
const DIRECTORY_READ_ALL = "7ab1d382-f21e-4acd-a863-ba3e13f7da61";
const GLOBAL_READER = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";
const ALEX = "alex@contoso.onmicrosoft.com";
const ROLE_ID = "2f9c5f0e-6a3b-4d51-9c8e-1a2b3c4d5e6f";

let emulator: RunningEmulator;
let token: string;
let callerId: string;

/** A Graph request as the provider makes it (token for the emulator's own Graph resource id). */
function call(method: string, path: string, body?: unknown): Promise<RawResponse> {
  return raw(emulator, method, path, { token, body });
}

/** The status of a Graph request. */
async function status(method: string, path: string, body?: unknown): Promise<number> {
  return (await call(method, path, body)).status;
}

/** `?$filter=…`, encoded. */
const where = (expression: string) => `?$filter=${encodeURIComponent(expression)}`;
/** A reference URL the provider builds: its client's base URI plus `/directoryObjects/{id}`. */
const bind = (version: string, id: string) => `${emulator.url}/${version}/directoryObjects/${id}`;
const ids = (r: RawResponse) => (r.json().value as Json[]).map((o) => o["id"] as string);

beforeAll(async () => {
  emulator = await startTestEmulator({
    tenants: [{ ...CONTOSO, users: [{ userPrincipalName: ALEX, displayName: "Alex" }] }],
    behaviour: { conditionalAccessIntervalMs: 0 },
  });
  emulator.consent(CONTOSO.tenantId, CLIENT_ID, [
    "Group.ReadWrite.All",
    "User.Read.All",
    "Application.ReadWrite.All",
    "AppRoleAssignment.ReadWrite.All",
    "RoleManagement.ReadWrite.Directory",
  ]);
  token = await accessToken(emulator, CONTOSO.tenantId, `${emulator.url}/.default`);
  const principals = emulator.tenant(CONTOSO.tenantId).collections.servicePrincipals;
  callerId = String(principals.find((s) => s["appId"] === CLIENT_ID)!["id"]);
});
afterAll(async () => {
  await emulator.close();
});

describe("cloud metadata and token (go-azure-sdk environments.FromEndpoint, auth.ClientAssertionAuthorizer)", () => {
  it("serves the 2022-09-01 metadata document with login and Microsoft Graph at the emulator", async () => {
    const r = await raw(emulator, "GET", "/metadata/endpoints?api-version=2022-09-01");
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({
      name: "AzureCloud",
      resourceManager: `${emulator.url}/`,
      microsoftGraphResourceId: `${emulator.url}/`,
      authentication: { loginEndpoint: emulator.url, tenant: "common", identityProvider: "AAD" },
    });
  });

  it("answers a metadata request without api-version with ARM's 400", async () => {
    const r = await raw(emulator, "GET", "/metadata/endpoints");
    expect(r.status).toBe(400);
    expect(r.json().error.code).toBe("MissingApiVersionParameter");
  });

  it("issues a token for <graph resource id>/.default whose oid is the caller's service principal", () => {
    const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as Json;
    expect(claims).toMatchObject({ tid: CONTOSO.tenantId, appid: CLIENT_ID, oid: callerId, idtyp: "app" });
    expect(claims["roles"]).toContain("Group.ReadWrite.All");
  });
});

describe("groups on beta (internal/services/groups)", () => {
  let groupId: string;
  let alexId: string;

  it("finds users by UPN and answers users/{id}/manager with 404 when there is none", async () => {
    alexId = ids(await call("GET", `/v1.0/users${where(`userPrincipalName eq '${ALEX}'`)}`))[0];
    expectGraphError(await call("GET", `/v1.0/users/${alexId}/manager`), 404, "Request_ResourceNotFound");
  });

  it("creates a group with owners@odata.bind, lists owners and members typed by @odata.type", async () => {
    const created = await call("POST", "/beta/groups", {
      displayName: "CA admins",
      mailEnabled: false,
      mailNickname: "caadmins",
      securityEnabled: true,
      groupTypes: [],
      membershipRule: null,
      "owners@odata.bind": [bind("beta", callerId)],
    });
    expect(created.status).toBe(201);
    groupId = created.json().id;
    expect(created.json()).not.toHaveProperty("owners@odata.bind");
    expect(created.json()["@odata.context"]).toBe(`${emulator.url}/beta/$metadata#groups/$entity`);
    const owners = (await call("GET", `/beta/groups/${groupId}/owners`)).json().value;
    const caller = { "@odata.type": "#microsoft.graph.servicePrincipal", id: callerId };
    expect(owners).toEqual([expect.objectContaining(caller)]);
    const ref = { "@odata.id": bind("beta", alexId) };
    expect(await status("POST", `/beta/groups/${groupId}/members/$ref`, ref)).toBe(204);
    expectGraphError(await call("POST", `/beta/groups/${groupId}/members/$ref`, ref), 400, "Request_BadRequest");
    const member = (await call("GET", `/beta/groups/${groupId}/members${where(`id eq '${alexId}'`)}`)).json().value;
    expect(member).toEqual([expect.objectContaining({ "@odata.type": "#microsoft.graph.user", id: alexId })]);
  });

  it("refuses a binding to an object that does not exist with the 400 the provider retries on", async () => {
    const r = await call("POST", "/beta/groups", {
      displayName: "Orphan",
      mailEnabled: false,
      mailNickname: "orphan",
      securityEnabled: true,
      "owners@odata.bind": [bind("beta", "00000000-0000-0000-0000-0000000000aa")],
    });
    const message = expectGraphError(r, 400, "Request_BadRequest")["message"];
    expect(message).toMatch(/does not exist or one of its queried reference-property objects are not present/);
  });

  it("finds a group by name and securityEnabled, patches it, lists memberOf, removes refs, deletes it", async () => {
    expect(
      ids(await call("GET", `/beta/groups${where("displayName eq 'CA admins' and securityEnabled eq true")}`)),
    ).toEqual([groupId]);
    expect(await status("PATCH", `/beta/groups/${groupId}`, { displayName: "TERRAFORM_UPDATE_x" })).toBe(204);
    expect(await status("PATCH", `/beta/groups/${groupId}`, { displayName: "CA admins" })).toBe(204);
    const parent = { displayName: "Parent", mailEnabled: false, mailNickname: "p", securityEnabled: true };
    const parentId = (await call("POST", "/beta/groups", parent)).json().id;
    await call("POST", `/beta/groups/${parentId}/members/$ref`, { "@odata.id": bind("beta", groupId) });
    const memberOf = (await call("GET", `/beta/groups/${groupId}/memberOf`)).json().value;
    expect(memberOf).toEqual([expect.objectContaining({ "@odata.type": "#microsoft.graph.group", id: parentId })]);
    const memberRef = `/beta/groups/${groupId}/members/${alexId}/$ref`;
    expect(await status("DELETE", memberRef)).toBe(204);
    expectGraphError(await call("DELETE", memberRef), 404, "Request_ResourceNotFound");
    expect(await status("DELETE", `/beta/groups/${groupId}`)).toBe(204);
    expectGraphError(await call("GET", `/beta/groups/${groupId}`), 404, "Request_ResourceNotFound");
    expect(ids(await call("GET", `/beta/groups/${parentId}/members`))).toEqual([]);
  });

  it("serves no beta path the emulator does not model: 501 before authentication", async () => {
    expectGraphError(await raw(emulator, "GET", "/beta/identity/conditionalAccess/policies"), 501, "NotImplemented");
  });
});

describe("applications and their certificates (internal/services/applications)", () => {
  let appId: string;
  let objectId: string;
  const role = { id: ROLE_ID, allowedMemberTypes: ["Application"], displayName: "Backup.Run", value: "Backup.Run" };
  const certificate = (keyId: string, pem: string) => ({
    keyId,
    type: "AsymmetricX509Cert",
    usage: "Verify",
    key: Buffer.from(pem).toString("base64"),
  });

  it("creates an application as Graph does: every property with its default, owners from the bind", async () => {
    const created = await call("POST", "/v1.0/applications", {
      displayName: "Backup app",
      signInAudience: "AzureADMyOrg",
      tags: [],
      web: { redirectUris: [] },
      info: null,
      appRoles: [{ ...role, description: "Run", isEnabled: true }],
      requiredResourceAccess: [{ resourceAppId: GRAPH, resourceAccess: [{ id: DIRECTORY_READ_ALL, type: "Role" }] }],
      "owners@odata.bind": [bind("v1.0", callerId)],
    });
    expect(created.status).toBe(201);
    ({ id: objectId, appId } = created.json());
    expect(created.json()).toMatchObject({
      publisherDomain: CONTOSO.primaryDomain,
      identifierUris: [],
      keyCredentials: [],
      passwordCredentials: [],
      api: { oauth2PermissionScopes: [], requestedAccessTokenVersion: null },
      web: {
        redirectUris: [],
        implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false },
      },
      info: { logoUrl: null, marketingUrl: null },
    });
    expect(ids(await call("GET", `/v1.0/applications/${objectId}/owners`))).toEqual([callerId]);
    expect(await status("DELETE", `/v1.0/applications/${objectId}/owners/${callerId}/$ref`)).toBe(204);
    expect(ids(await call("GET", `/v1.0/applications/${objectId}/owners`))).toEqual([]);
  });

  it("answers $select on one object, on beta too, and $filter by displayName", async () => {
    const beta = await call("GET", `/beta/applications/${objectId}?$select=oauth2RequirePostResponse`);
    expect(beta.status).toBe(200);
    expect(Object.keys(beta.json()).sort()).toEqual(["@odata.context", "id"]);
    expect(ids(await call("GET", `/v1.0/applications${where("displayName eq 'Backup app'")}`))).toEqual([objectId]);
  });

  it("adds a PEM certificate, keeps it when sent back by keyId with key null, shows key only on $select", async () => {
    const first = certificate("0b7d3c1e-1111-4222-8333-944455556666", (await generatePem("backup-app")).cert);
    const added = { id: objectId, keyCredentials: [first] };
    expect(await status("PATCH", `/v1.0/applications/${objectId}`, added)).toBe(204);
    const read = (await call("GET", `/v1.0/applications/${objectId}`)).json();
    const seconds = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(read.keyCredentials).toEqual([
      expect.objectContaining({ keyId: first.keyId, key: null, type: "AsymmetricX509Cert", endDateTime: seconds }),
    ]);
    const next = certificate("0b7d3c1e-2222-4222-8333-944455556666", (await generatePem("backup-app-2")).cert);
    const keyCredentials = [...read.keyCredentials, next];
    expect(await status("PATCH", `/v1.0/applications/${objectId}`, { keyCredentials })).toBe(204);
    const selected = (await call("GET", `/v1.0/applications/${objectId}?$select=keyCredentials`)).json();
    expect(selected.keyCredentials.map((k: Json) => k["keyId"])).toEqual([first.keyId, next.keyId]);
    const der = new X509Certificate(Buffer.from(first.key, "base64")).raw.toString("base64");
    expect(selected.keyCredentials[0].key).toBe(der);
  });

  it("refuses to change or remove an enabled app role until it is disabled", async () => {
    const path = `/v1.0/applications/${objectId}`;
    const changed = { appRoles: [{ ...role, description: "Run the backups", isEnabled: true }] };
    expectGraphError(await call("PATCH", path, changed), 400, "CannotDeleteOrUpdateEnabledEntitlement");
    expectGraphError(await call("PATCH", path, { appRoles: [] }), 400, "CannotDeleteOrUpdateEnabledEntitlement");
    expect(await status("PATCH", path, { appRoles: [{ ...role, description: "Run", isEnabled: false }] })).toBe(204);
    expect(await status("PATCH", path, changed)).toBe(204);
  });

  it("creates its service principal with the application's app roles, patches it, deletes both together", async () => {
    const sp = await call("POST", "/v1.0/servicePrincipals", {
      appId,
      accountEnabled: true,
      appRoleAssignmentRequired: false,
      description: "TERRAFORM_UPDATE_x",
      tags: [],
      "owners@odata.bind": [bind("v1.0", callerId)],
    });
    expect(sp.status).toBe(201);
    const spId = sp.json().id;
    expect(sp.json()).toMatchObject({
      appDisplayName: "Backup app",
      servicePrincipalNames: [appId],
      servicePrincipalType: "Application",
      notificationEmailAddresses: [],
      alternativeNames: [],
    });
    const mirrored = { value: "Backup.Run", description: "Run the backups", origin: "Application" };
    expect(sp.json().appRoles).toEqual([expect.objectContaining(mirrored)]);
    expect(await status("PATCH", `/v1.0/servicePrincipals/${spId}`, { description: null })).toBe(204);
    expect((await call("GET", `/v1.0/servicePrincipals/${spId}`)).json().description).toBeNull();
    expect(await status("GET", `/beta/servicePrincipals/${spId}?$select=samlMetadataUrl`)).toBe(200);
    expect(await status("DELETE", `/v1.0/servicePrincipals/${spId}/owners/${callerId}/$ref`)).toBe(204);
    expect(await status("DELETE", `/v1.0/applications/${objectId}`)).toBe(204);
    expectGraphError(await call("GET", `/v1.0/servicePrincipals/${spId}`), 404, "Request_ResourceNotFound");
  });
});

describe("app-role and directory-role assignments (internal/services/{approleassignments,directoryroles})", () => {
  it("reads one assignment under its resource, deletes it there; a role assignment by id", async () => {
    const app = (await call("POST", "/v1.0/applications", { displayName: "Consent target" })).json();
    const sp = (await call("POST", "/v1.0/servicePrincipals", { appId: app.appId })).json();
    const graph = (await call("GET", `/v1.0/servicePrincipals${where(`appId eq '${GRAPH}'`)}`)).json().value[0];
    const body = { appRoleId: DIRECTORY_READ_ALL, principalId: sp.id, resourceId: graph.id };
    const created = (await call("POST", `/v1.0/servicePrincipals/${graph.id}/appRoleAssignedTo`, body)).json();
    const path = `/v1.0/servicePrincipals/${graph.id}/appRoleAssignedTo/${created.id}`;
    const expected = { id: created.id, ...body, principalType: "ServicePrincipal" };
    expect((await call("GET", path)).json()).toMatchObject(expected);
    const elsewhere = `/v1.0/servicePrincipals/${sp.id}/appRoleAssignedTo/${created.id}`;
    expectGraphError(await call("GET", elsewhere), 404, "Request_ResourceNotFound");
    expect(await status("DELETE", path)).toBe(204);
    expectGraphError(await call("GET", path), 404, "Request_ResourceNotFound");
    const role = { principalId: sp.id, roleDefinitionId: GLOBAL_READER, directoryScopeId: "/" };
    const assignment = (await call("POST", "/v1.0/roleManagement/directory/roleAssignments", role)).json();
    const byId = `/v1.0/roleManagement/directory/roleAssignments/${assignment.id}`;
    expect((await call("GET", byId)).json()).toMatchObject({ ...role, appScopeId: null });
    // Deleting the service principal removes what was assigned to it.
    expect(await status("DELETE", `/v1.0/servicePrincipals/${sp.id}`)).toBe(204);
    expectGraphError(await call("GET", byId), 404, "Request_ResourceNotFound");
  });
});

describe("permissions of the new routes", () => {
  it("owners, memberOf and manager need directory permissions, else Authorization_RequestDenied", async () => {
    const seed = { ...CONTOSO, users: [{ userPrincipalName: ALEX }], groups: [{ displayName: "G" }] };
    const narrow = await startTestEmulator({ tenants: [seed] });
    try {
      narrow.consent(CONTOSO.tenantId, CLIENT_ID, ["Application.Read.All"]);
      const t = await accessToken(narrow, CONTOSO.tenantId, `${narrow.url}/.default`);
      const { groups, users, servicePrincipals } = narrow.tenant(CONTOSO.tenantId).collections;
      const [group, user, sp] = [groups[0]!["id"], users[0]!["id"], servicePrincipals[0]!["id"]];
      const paths = [`/beta/groups/${group}/owners`, `/beta/groups/${group}/memberOf`, `/v1.0/users/${user}/manager`];
      for (const path of paths) {
        expectGraphError(await raw(narrow, "GET", path, { token: t }), 403, "Authorization_RequestDenied");
      }
      expect((await raw(narrow, "GET", `/v1.0/servicePrincipals/${sp}/owners`, { token: t })).status).toBe(200);
      const patch = await raw(narrow, "PATCH", `/v1.0/servicePrincipals/${sp}`, { token: t, body: { notes: "x" } });
      expectGraphError(patch, 403, "Authorization_RequestDenied");
    } finally {
      await narrow.close();
    }
  });
});
