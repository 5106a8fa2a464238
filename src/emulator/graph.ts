/**
 * Graph v1.0 dispatch: the route table, `$batch` (≤ 20 requests, each answered as its own route would),
 * and 501 for anything unknown so a test never passes against a route we do not emulate.
 */
import { brandingRoutes } from "./routes/branding";
import { applicationRoutes } from "./routes/applications";
import { conditionalAccessRoutes } from "./routes/conditional-access";
import { directoryRoutes } from "./routes/directory";
import { policyRoutes } from "./routes/policies";
import { securityRoutes } from "./routes/security";
import { badRequest, graphError, type Json, type Reply } from "./errors";
import { graphDenial } from "./permissions";
import type { RequestContext, Route } from "./router";

const ROUTES: Route[] = [...conditionalAccessRoutes, ...policyRoutes, ...brandingRoutes, ...applicationRoutes, ...directoryRoutes, ...securityRoutes];

/** A request as the dispatcher sees it (the server fills in tenant, behaviour and time). */
export type GraphRequest = Omit<RequestContext, "params">;

/** The route for a method and /v1.0 path, with its parameters. */
export function matchRoute(method: string, path: string): { route: Route; params: string[] } | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const m = route.pattern.exec(path);
    if (m) return { route, params: m.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return undefined;
}

/** Answers one Graph request; `name` is the route name for the log. */
export function dispatchGraph(req: GraphRequest): { reply: Reply; name: string } {
  const path = req.url.pathname.replace(/^\/v1\.0/, "") || "/";
  const hit = matchRoute(req.method, path);
  if (!hit) return { reply: graphError(501, "NotImplemented", `The emulator does not implement ${req.method} /v1.0${path}. Add the route to src/emulator or correct the request.`), name: "unimplemented" };
  const denied = graphDenial(req.roles, hit.route.name, req.method);
  return { reply: denied ?? hit.route.handler({ ...req, params: hit.params }), name: hit.route.name };
}

/** One sub-request of a `$batch`. */
export interface BatchItem {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: Json;
}

/** Validates a `$batch` body; Graph refuses more than 20 requests. */
export function batchItems(body: Json): BatchItem[] | Reply {
  const requests = body["requests"];
  if (!Array.isArray(requests) || requests.length === 0) return badRequest("Invalid batch payload: 'requests' must be a non-empty array.", "BadRequest");
  if (requests.length > 20) return badRequest("Number of requests in a batch exceeds the limit of 20.", "BadRequest");
  const ids = new Set<string>();
  for (const r of requests as BatchItem[]) {
    if (!r.id || !r.method || !r.url) return badRequest("Each batch request needs id, method and url.", "BadRequest");
    if (ids.has(r.id)) return badRequest(`Batch request ids must be unique: '${r.id}'.`, "BadRequest");
    ids.add(r.id);
  }
  return requests as BatchItem[];
}
