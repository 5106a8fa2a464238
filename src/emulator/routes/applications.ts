/**
 * Applications: the object as Graph creates it (every property present with its default), key credentials
 * from certificates, `(appId='…')` addressing, owners from `owners@odata.bind`, app roles that must be disabled
 * before they change, and deletion taking the home tenant's service principal with it.
 */
import { X509Certificate } from "node:crypto";
import { badRequest, newId, notFound, ok, type Json, type Reply } from "../errors";
import { select as selected } from "../odata";
import { alsoBeta, create, deleteOne, find, list, metadataRoot, patchOne, route } from "../router";
import type { RequestContext, Route } from "../router";
import { forgetLinks, ownersOf, takeBindings } from "./directory-objects";
import { deleteServicePrincipal } from "./service-principals";

/**
 * What Graph fills in on create; complex values get their own defaults under what the caller sent. Shape:
 * the response of learn.microsoft.com/graph/api/application-post-applications (Example 1) and the property
 * table of learn.microsoft.com/graph/api/resources/application.
 */
function defaults(ctx: RequestContext): Json {
  return {
    deletedDateTime: null,
    applicationTemplateId: null,
    disabledByMicrosoftStatus: null,
    description: null,
    groupMembershipClaims: null,
    identifierUris: [],
    isDeviceOnlyAuthSupported: null,
    isFallbackPublicClient: null,
    notes: null,
    publisherDomain: ctx.tenant.primaryDomain,
    serviceManagementReference: null,
    signInAudience: "AzureADMyOrg",
    tags: [],
    tokenEncryptionKeyId: null,
    defaultRedirectUri: null,
    optionalClaims: null,
    addIns: [],
    appRoles: [],
    keyCredentials: [],
    passwordCredentials: [],
    requiredResourceAccess: [],
    api: {
      acceptMappedClaims: null,
      knownClientApplications: [],
      requestedAccessTokenVersion: null,
      oauth2PermissionScopes: [],
      preAuthorizedApplications: [],
    },
    info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
    parentalControlSettings: { countriesBlockedForMinors: [], legalAgeGroupRule: "Allow" },
    publicClient: { redirectUris: [] },
    spa: { redirectUris: [] },
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
    web: {
      homePageUrl: null,
      logoutUrl: null,
      redirectUris: [],
      redirectUriSettings: [],
      implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false },
    },
  };
}

/** `body` over `base`, one level deep for complex values (`null` for one stays the default, as Graph does). */
function overDefaults(base: Json, body: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(body)) {
    const d = base[k];
    const complex = d && typeof d === "object" && !Array.isArray(d);
    const object = v && typeof v === "object" && !Array.isArray(v);
    out[k] = complex && v === null ? d : complex && object ? { ...d, ...v } : v;
  }
  return out;
}

const seconds = (date: string) => new Date(date).toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * Key credentials as Graph stores them. `key` is the certificate, base64 of its DER or of its PEM text (the azuread
 * provider sends the PEM: internal/helpers/credentials KeyCredentialForResource); dates and thumbprint
 * come from the certificate. A credential sent with the `keyId` of an existing one and `key: null` keeps it:
 * GET returns `key: null` (learn.microsoft.com/graph/api/resources/keycredential, `key`), so clients adding
 * a certificate send the others back that way (application_certificate_resource.go).
 */
function keyCredentials(input: unknown, existing: readonly Json[] = []): Json[] | Reply {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input)) return badRequest("keyCredentials must be a collection.");
  const out: Json[] = [];
  for (const k of input as Json[]) {
    const kept = existing.find((e) => k["keyId"] && e["keyId"] === k["keyId"]);
    if (kept && (k["key"] === null || k["key"] === undefined)) {
      out.push(kept);
      continue;
    }
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(Buffer.from(String(k["key"] ?? ""), "base64"));
    } catch {
      const message =
        "Invalid certificate: the key value of a keyCredential must be a base64-encoded X.509" + " certificate.";
      return badRequest(message, "KeyCredentialsInvalidEndDate");
    }
    out.push({
      // Binary, so base64 on the wire: the thumbprint's 20 bytes (keycredential: "defaults to the thumbprint").
      customKeyIdentifier:
        k["customKeyIdentifier"] ?? Buffer.from(cert.fingerprint.replace(/:/g, ""), "hex").toString("base64"),
      displayName: k["displayName"] ?? `CN=${cert.subject.split("CN=")[1] ?? "certificate"}`,
      endDateTime: k["endDateTime"] ?? seconds(cert.validTo),
      startDateTime: k["startDateTime"] ?? seconds(cert.validFrom),
      keyId: k["keyId"] ?? newId(),
      type: k["type"] ?? "AsymmetricX509Cert",
      usage: k["usage"] ?? "Verify",
      key: cert.raw.toString("base64"),
    });
  }
  return out;
}

/** GET's view: certificate values only for `$select=keyCredentials` on one object (keycredential, `key`). */
function view(ctx: RequestContext, app: Json, single: boolean): Json {
  const withKeys = single && (ctx.url.searchParams.get("$select") ?? "").split(",").includes("keyCredentials");
  const keys = ((app["keyCredentials"] ?? []) as Json[]).map((k) => (withKeys ? k : { ...k, key: null }));
  return { ...app, keyCredentials: keys };
}

/**
 * App roles: an enabled role cannot be removed or changed (other than disabled) in the same request; Graph
 * answers 400 "Permission (scope or role) cannot be deleted or updated unless disabled first", which the
 * azuread provider avoids by disabling first and retries on (applications.go, applicationDisableAppRoles,
 * applicationUpdateRetryFunc).
 */
function appRoleChange(existing: readonly Json[], next: readonly Json[]): Reply | undefined {
  const same = (a: Json, b: Json) =>
    ["value", "displayName", "description"].every((k) => (a[k] ?? null) === (b[k] ?? null)) &&
    JSON.stringify(a["allowedMemberTypes"] ?? []) === JSON.stringify(b["allowedMemberTypes"] ?? []);
  const refused = existing
    .filter((role) => role["isEnabled"] !== false)
    .some((role) => {
      const after = next.find((r) => r["id"] === role["id"]);
      return !after || (after["isEnabled"] !== false && !same(role, after));
    });
  const message = "Permission (scope or role) cannot be deleted or updated unless disabled first.";
  return refused ? badRequest(message, "CannotDeleteOrUpdateEnabledEntitlement") : undefined;
}

function createApplication(ctx: RequestContext): Reply {
  const body = ctx.json();
  if (!body["displayName"]) return badRequest("displayName is required.");
  if (Array.isArray(body["passwordCredentials"]) && body["passwordCredentials"].length > 0) {
    return badRequest("passwordCredentials cannot be set on create by the emulator; use addPassword.");
  }
  const keys = keyCredentials(body["keyCredentials"]);
  if (!Array.isArray(keys)) return keys;
  const owners = takeBindings(ctx, body, "owners");
  if (!Array.isArray(owners)) return owners;
  const app = { ...overDefaults(defaults(ctx), body), appId: newId(), keyCredentials: keys, passwordCredentials: [] };
  const reply = create(ctx, "applications", app);
  ownersOf(ctx.tenant, String((reply.body as Json)["id"])).push(...owners);
  return { ...reply, body: view(ctx, reply.body as Json, false) };
}

function patchApplication(ctx: RequestContext, id: string): Reply {
  const app = find(ctx, "applications", id);
  if (!app) return notFound(id);
  const body = { ...ctx.json() };
  if ("keyCredentials" in body) {
    const keys = keyCredentials(body["keyCredentials"], (app["keyCredentials"] ?? []) as Json[]);
    if (!Array.isArray(keys)) return keys;
    body["keyCredentials"] = keys;
  }
  if ("passwordCredentials" in body) {
    return badRequest("passwordCredentials cannot be set with PATCH; use addPassword.");
  }
  if (Array.isArray(body["appRoles"])) {
    const refused = appRoleChange((app["appRoles"] ?? []) as Json[], body["appRoles"] as Json[]);
    if (refused) return refused;
  }
  const reply = patchOne({ ...ctx, json: () => body }, "applications", id);
  // The home tenant's service principal mirrors the application's app roles (servicePrincipal resource, appRoles).
  const sp = ctx.tenant.collections.servicePrincipals.find((s) => s["appId"] === app["appId"]);
  if (reply.status === 204 && sp && Array.isArray(body["appRoles"])) {
    sp["appRoles"] = (body["appRoles"] as Json[]).map((r) => ({ origin: "Application", ...r }));
  }
  return reply;
}

/** DELETE: the application, its links, and its service principal in this (its home) tenant (application-delete). */
function deleteApplication(ctx: RequestContext, id: string): Reply {
  return deleteOne(ctx, "applications", id, (app) => {
    forgetLinks(ctx.tenant, String(app["id"]));
    const sp = ctx.tenant.collections.servicePrincipals.find((s) => s["appId"] === app["appId"]);
    if (sp) deleteServicePrincipal(ctx, String(sp["id"]));
  });
}

const byAppId = (ctx: RequestContext, appId: string): Json | undefined =>
  ctx.tenant.collections.applications.find((a) => a["appId"] === appId);

function getApplication(ctx: RequestContext, id: string): Reply {
  const app = find(ctx, "applications", id);
  if (!app) return notFound(ctx.params[0]!);
  const body = selected(view(ctx, app, true), ctx.url.searchParams.get("$select"));
  return ok({ "@odata.context": `${metadataRoot(ctx)}#applications/$entity`, ...body });
}

/** Served on beta too: the azuread provider reads `oauth2RequirePostResponse` there (application_resource.go). */
export const applicationRoutes: Route[] = alsoBeta([
  route("GET", "/applications", "applications", (ctx) =>
    list(
      ctx,
      ctx.tenant.collections.applications.map((a) => view(ctx, a, false)),
    ),
  ),
  route("POST", "/applications", "applications", createApplication),
  ...(["/applications/{}", "/applications(appId='{}')"] as const).flatMap((path) => {
    const resolve = (ctx: RequestContext) =>
      path.includes("appId") ? String(byAppId(ctx, ctx.params[0]!)?.["id"] ?? ctx.params[0]) : ctx.params[0]!;
    return [
      route("GET", path, "applications", (ctx) => getApplication(ctx, resolve(ctx))),
      route("PATCH", path, "applications", (ctx) => patchApplication(ctx, resolve(ctx))),
      route("DELETE", path, "applications", (ctx) => deleteApplication(ctx, resolve(ctx))),
    ];
  }),
]);
