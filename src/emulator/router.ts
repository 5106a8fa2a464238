/** Route table plumbing: what a handler sees, and generic collection operations with Graph's semantics. */
import { badRequest, newId, noContent, notFound, ok, type Json, type Reply } from "./errors";
import { page, query, select } from "./odata";
import { NO_CREATED_DATE, type CollectionName, type TenantState } from "./store";
import type { EmulatorBehaviour } from "./types";

/** Everything a handler needs for one request. */
export interface RequestContext {
  readonly tenant: TenantState;
  readonly method: string;
  readonly url: URL;
  readonly params: readonly string[];
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly json: () => Json;
  readonly raw: Buffer;
  readonly behaviour: EmulatorBehaviour;
  readonly base: string;
  readonly now: number;
  /** The token's app roles; undefined when the client's grants are not modelled (see permissions.ts). */
  readonly roles?: readonly string[] | undefined;
}

export type Handler = (ctx: RequestContext) => Reply;

/** A Graph API version the emulator serves. */
export type GraphVersion = "v1.0" | "beta";

/** A route: method, path pattern under the version (anchored), a stable name for the request log, versions served. */
export interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly name: string;
  readonly handler: Handler;
  /** `v1.0` only unless the route is also served on beta (see `alsoBeta`). */
  readonly versions: readonly GraphVersion[];
}

/** Builds a route; `path` uses `{}` for one path segment captured as a parameter. */
export function route(method: string, path: string, name: string, handler: Handler): Route {
  const source = path
    .replace(/[.*+?^$()|[\]\\]/g, "\\$&")
    .replace(/\\\(appId='\{\}'\\\)/g, "\\(appId='([^']+)'\\)")
    .replace(/\{\}/g, "([^/]+)");
  return { method, pattern: new RegExp(`^${source}$`), name, handler, versions: ["v1.0"] };
}

/**
 * The same routes also served under `/beta`: for the resources the azuread provider reads and writes through
 * Graph beta (groups, applications, service principals, users: its clients in
 * internal/services/{groups,applications,serviceprincipals,users}/client), whose beta shape matches v1.0 for
 * the properties modelled here.
 */
export function alsoBeta(routes: readonly Route[]): Route[] {
  return routes.map((r) => ({ ...r, versions: ["v1.0", "beta"] }));
}

/** The Graph version of the request (`v1.0` or `beta`). */
export function versionOf(ctx: { readonly url: URL }): GraphVersion {
  return ctx.url.pathname.startsWith("/beta/") ? "beta" : "v1.0";
}

/** The `@odata.context` root of the request's version, `https://…/v1.0/$metadata`. */
export function metadataRoot(ctx: { readonly url: URL; readonly base: string }): string {
  return `${ctx.base}/${versionOf(ctx)}/$metadata`;
}

const ctxUrl = (ctx: RequestContext) => `${metadataRoot(ctx)}#${ctx.url.pathname.replace(/^\/(v1\.0|beta)\//, "")}`;

/** True while a new object is still invisible to reads by id (eventual consistency). */
export function isFresh(ctx: RequestContext, id: string, kind?: string): boolean {
  const created = ctx.tenant.createdAt[id];
  if (created === undefined) return false;
  const delay =
    (kind === undefined ? undefined : ctx.behaviour.consistencyDelays?.[kind]) ?? ctx.behaviour.consistencyDelayMs;
  return ctx.now - created < delay;
}

/** GET a collection with $filter/$select/$top and paging. */
export function list(ctx: RequestContext, items: readonly Json[]): Reply {
  const found = query(ctx.url, items);
  if (!Array.isArray(found)) return found;
  return ok(page(ctx.url, found, ctx.behaviour.pageSize, ctxUrl(ctx)));
}

/** Finds an object by id (case-insensitive), honouring the consistency delay. */
export function find(ctx: RequestContext, name: CollectionName, id: string): Json | undefined {
  const item = ctx.tenant.collections[name].find((o) => String(o["id"]).toLowerCase() === id.toLowerCase());
  return item && !isFresh(ctx, String(item["id"]), name) ? item : undefined;
}

/** Stores a new object with an id and (where its resource has one) createdDateTime; 201 with the object. */
export function create(ctx: RequestContext, name: CollectionName, object: Json): Reply {
  const created = NO_CREATED_DATE.has(name) ? {} : { createdDateTime: new Date(ctx.now).toISOString() };
  const item: Json = { id: newId(), ...created, ...object };
  ctx.tenant.collections[name].push(item);
  ctx.tenant.createdAt[String(item["id"])] = ctx.now;
  return ok({ "@odata.context": `${metadataRoot(ctx)}#${name}/$entity`, ...item }, 201);
}

/** GET by id with `$select`: 200 or 404 Request_ResourceNotFound. */
export function getOne(ctx: RequestContext, name: CollectionName, id: string): Reply {
  const item = find(ctx, name, id);
  if (!item) return notFound(id);
  const body = select(item, ctx.url.searchParams.get("$select"));
  return ok({ "@odata.context": `${metadataRoot(ctx)}#${name}/$entity`, ...body });
}

const STAMPS_MODIFIED = new Set<CollectionName>(["conditionalAccessPolicies", "namedLocations"]);

/** PATCH: top-level properties replaced whole (Graph does not merge complex properties); read-only ones refused. */
export function patchOne(
  ctx: RequestContext,
  name: CollectionName,
  id: string,
  validate?: (merged: Json) => Reply | undefined,
): Reply {
  const item = find(ctx, name, id);
  if (!item) return notFound(id);
  const changes = ctx.json();
  for (const readOnly of ["id", "createdDateTime", "appId"])
    if (readOnly in changes && changes[readOnly] !== item[readOnly])
      return badRequest(`Property '${readOnly}' is read-only and cannot be set.`);
  // Only the resources that have modifiedDateTime get it: conditional-access policies and named locations
  // (learn.microsoft.com/graph/api/resources/conditionalaccesspolicy, …/resources/namedlocation). Applications,
  // service principals and groups have no such property (…/resources/application, …/resources/serviceprincipal,
  // …/resources/group); a client's model puts it in additionalData (found by the Kiota SDK's contract test).
  const stamp = STAMPS_MODIFIED.has(name) ? { modifiedDateTime: new Date(ctx.now).toISOString() } : {};
  const merged = { ...item, ...changes, ...stamp };
  const problem = validate?.(merged);
  if (problem) return problem;
  Object.assign(item, merged);
  return noContent();
}

/** DELETE by id: 204, or 404 when absent. */
export function deleteOne(
  ctx: RequestContext,
  name: CollectionName,
  id: string,
  onDelete?: (item: Json) => void,
): Reply {
  const items = ctx.tenant.collections[name];
  const index = items.findIndex((o) => String(o["id"]).toLowerCase() === id.toLowerCase());
  if (index < 0) return notFound(id);
  const [item] = items.splice(index, 1);
  onDelete?.(item!);
  return noContent();
}
