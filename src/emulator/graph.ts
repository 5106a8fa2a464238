/**
 * Graph dispatch (v1.0, and beta for the routes that declare it): the route table, `$batch` (≤ 20 requests,
 * each answered as its own route would), and 501 for anything unknown so a test never passes against a route
 * we do not emulate.
 */
import { brandingRoutes } from "./routes/branding";
import { applicationRoutes } from "./routes/applications";
import { directoryObjectRoutes } from "./routes/directory-objects";
import { roleAssignmentRoutes } from "./routes/role-assignments";
import { servicePrincipalRoutes } from "./routes/service-principals";
import { conditionalAccessRoutes } from "./routes/conditional-access";
import { directoryRoutes } from "./routes/directory";
import { policyRoutes } from "./routes/policies";
import { securityRoutes } from "./routes/security";
import { tenantRelationshipRoutes } from "./routes/tenant-relationships";
import { auditLogRoutes } from "./routes/audit-logs";
import { whatIfRoutes } from "./routes/what-if";
import { reportRoutes } from "./routes/reports";
import { badRequest, graphError, type Json, type Reply } from "./errors";
import { graphDenial } from "./permissions";
import type { GraphVersion, RequestContext, Route } from "./router";

const ROUTES: Route[] = [
  ...conditionalAccessRoutes,
  ...policyRoutes,
  ...brandingRoutes,
  ...applicationRoutes,
  ...servicePrincipalRoutes,
  ...roleAssignmentRoutes,
  ...directoryRoutes,
  ...directoryObjectRoutes,
  ...securityRoutes,
  ...tenantRelationshipRoutes,
  ...auditLogRoutes,
  ...whatIfRoutes,
  ...reportRoutes,
];

/** Every Graph route the emulator serves (method, path pattern, log name, versions), for contract tests. */
export function graphRoutes(): readonly Pick<Route, "method" | "pattern" | "name" | "versions">[] {
  return ROUTES;
}

/** A request as the dispatcher sees it (the server fills in tenant, behaviour and time). */
export type GraphRequest = Omit<RequestContext, "params">;

/** The Graph version (`v1.0` or `beta`) and the path under it; undefined outside Graph. */
export function splitVersion(fullPath: string): { version: GraphVersion; path: string } | undefined {
  const m = /^\/(v1\.0|beta)(\/.*)?$/.exec(fullPath);
  return m ? { version: m[1] as GraphVersion, path: m[2] || "/" } : undefined;
}

/** The route for a method and a full Graph path (`/v1.0/…` or `/beta/…`), with its parameters. */
export function matchRoute(method: string, fullPath: string): { route: Route; params: string[] } | undefined {
  const split = splitVersion(fullPath);
  if (!split) return undefined;
  for (const route of ROUTES) {
    if (route.method !== method || !route.versions.includes(split.version)) continue;
    const m = route.pattern.exec(split.path);
    if (m) return { route, params: m.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return undefined;
}

/** True when some route (any method) serves this full Graph path; `$batch` is the server's own. */
export function servesPath(fullPath: string): boolean {
  const split = splitVersion(fullPath);
  if (!split) return false;
  if (split.path === "/$batch") return true;
  return ROUTES.some((r) => r.versions.includes(split.version) && r.pattern.test(split.path));
}

/** Answers one Graph request; `name` is the route name for the log. */
export function dispatchGraph(req: GraphRequest): { reply: Reply; name: string } {
  const hit = matchRoute(req.method, req.url.pathname);
  if (!hit) {
    const message =
      `The emulator does not implement ${req.method} ${req.url.pathname}.` +
      " Add the route to src/emulator or correct the request.";
    return { reply: graphError(501, "NotImplemented", message), name: "unimplemented" };
  }
  const denied = graphDenial(req.roles, hit.route.name, req.method);
  return { reply: denied ?? hit.route.handler({ ...req, params: hit.params }), name: hit.route.name };
}

/** One sub-request of a `$batch`. */
export interface BatchItem {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  /** A JSON value, or a base64 string for other content types (an image, say). */
  readonly body?: Json | string;
}

/** Validates a `$batch` body; Graph refuses more than 20 requests. */
export function batchItems(body: Json): BatchItem[] | Reply {
  const requests = body["requests"];
  if (!Array.isArray(requests) || requests.length === 0)
    return badRequest("Invalid batch payload: 'requests' must be a non-empty array.", "BadRequest");
  if (requests.length > 20) return badRequest("Number of requests in a batch exceeds the limit of 20.", "BadRequest");
  const ids = new Set<string>();
  for (const r of requests as BatchItem[]) {
    if (!r.id || !r.method || !r.url) return badRequest("Each batch request needs id, method and url.", "BadRequest");
    if (ids.has(r.id)) return badRequest(`Batch request ids must be unique: '${r.id}'.`, "BadRequest");
    ids.add(r.id);
    // "When a body is included with the request, the headers object must contain a value for Content-Type"
    // (learn.microsoft.com/graph/json-batching, request properties). Graph refuses the whole batch, naming the
    // write, as it answered msgraph-sdk-core's batch steps (which drop the headers): "Write request id : … does
    // not contain Content-Type header or body." (microsoftgraph/msgraph-sdk-dotnet#2628).
    const write = ["POST", "PATCH", "PUT"].includes(String(r.method).toUpperCase());
    const typed = Object.keys(r.headers ?? {}).some((k) => k.toLowerCase() === "content-type");
    if ((write || r.body !== undefined) && (r.body === undefined || r.body === null || !typed))
      return badRequest(`Write request id : ${r.id} does not contain Content-Type header or body.`, "BadRequest");
  }
  return requests as BatchItem[];
}
