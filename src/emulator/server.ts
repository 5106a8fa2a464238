/**
 * The emulator's HTTPS server: token endpoint, Graph v1.0 (and `$batch`), S&C InvokeCommand, admin
 * endpoints. Applies, per request: authentication, faults, Microsoft's throttling (CA pacing without
 * Retry-After, the resource-unit bucket), latency; logs it; persists state after every write.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { invokeCmdlet } from "./compliance";
import { maxPageSize } from "./compliance-output";
import { metadataReply } from "./metadata";
import { Faults } from "./faults";
import { batchItems, dispatchGraph, matchRoute, servesPath } from "./graph";
import { graphError, type Json, type Reply } from "./errors";
import type { Store } from "./store";
import { complianceDenial } from "./permissions";
import { issueToken, openIdConfiguration, readToken, tokenGrant } from "./token";
import type { EmulatorBehaviour, RequestLogEntry } from "./types";

const ANCHOR = /^UPN:SystemMailbox\{bb558c35-97f1-4cb9-8ff7-d53741dc928c\}@(.+)$/i;

/** Mutable server state shared with the public API. */
export interface ServerState {
  base: string;
  readonly store: Store;
  readonly behaviour: EmulatorBehaviour;
  readonly faults: Faults;
  readonly log: RequestLogEntry[];
  readonly devTokens: boolean;
  readonly lastConditionalAccess: Map<string, number>;
  readonly buckets: Map<string, { tokens: number; at: number }>;
  readonly redirected: Set<string>;
}

interface Incoming {
  method: string;
  url: URL;
  headers: Record<string, string | undefined>;
  raw: Buffer;
}

/** The request handler for `https.createServer`. */
export function handler(state: ServerState): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const incoming: Incoming = {
        method: req.method ?? "GET",
        url: new URL(req.url ?? "/", state.base),
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : v]),
        ),
        raw: Buffer.concat(chunks),
      };
      const served = serve(state, incoming);
      const fault =
        served.route === "admin"
          ? undefined
          : state.faults.pick(incoming.method, incoming.url.pathname + incoming.url.search, served.tenantId);
      const delay = state.behaviour.latencyMs + (fault?.latencyMs ?? 0);
      const failed = () => {
        logEntry(state, served.tenantId, incoming, fault!.reset ? 0 : fault!.status!, served.route);
        if (fault!.reset) req.socket.destroy();
        else
          write(
            res,
            faultReply(fault!.status!, fault!.code, fault!.retryAfterSeconds),
            incoming.headers["client-request-id"],
          );
      };
      // Without afterEffect the fault stops the request before it takes effect; with it, the change
      // happens and only the answer is lost (the case create-safety exists for).
      if (fault && !fault.afterEffect && (fault.status || fault.reset)) {
        setTimeout(failed, delay);
        return;
      }
      const result = served.reply();
      served.afterEffect();
      setTimeout(() => {
        if (fault && (fault.status || fault.reset)) return failed();
        logEntry(state, served.tenantId, incoming, result.status, served.route);
        write(res, result, incoming.headers["client-request-id"]);
      }, delay);
    });
  };
}

function faultReply(status: number, code: string | undefined, retryAfter: number | undefined): Reply {
  const reply = graphError(
    status,
    code ??
      (status === 429
        ? "TooManyRequests"
        : status === 503
          ? "ServiceUnavailable"
          : status === 504
            ? "GatewayTimeout"
            : "UnknownError"),
    "Injected fault (emulator).",
  );
  return retryAfter === undefined
    ? reply
    : { ...reply, headers: { ...reply.headers, "retry-after": String(retryAfter) } };
}

function write(res: ServerResponse, reply: Reply, clientRequestId: string | undefined): void {
  // Graph answers every request with a request-id, echoes the caller's client-request-id (or reuses the
  // request id), and repeats both inside an error's innerError.
  const inner =
    reply.body && typeof reply.body === "object" && !Buffer.isBuffer(reply.body)
      ? (reply.body["error"]?.["innerError"] as Json | undefined)
      : undefined;
  const requestId = String(inner?.["request-id"] ?? reply.headers?.["request-id"] ?? randomUUID());
  const clientId = clientRequestId ?? requestId;
  if (inner) inner["client-request-id"] = clientId;
  const body =
    reply.body === undefined
      ? ""
      : Buffer.isBuffer(reply.body)
        ? reply.body
        : typeof reply.body === "string"
          ? reply.body
          : JSON.stringify(reply.body);
  const type = Buffer.isBuffer(reply.body)
    ? "application/octet-stream"
    : "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8";
  res.writeHead(reply.status, {
    "content-type": type,
    "request-id": requestId,
    "client-request-id": clientId,
    ...(reply.headers ?? {}),
  });
  res.end(body);
}

function logEntry(state: ServerState, tenantId: string, r: Incoming, status: number, route: string): void {
  state.log.push({ time: Date.now(), tenantId, method: r.method, path: r.url.pathname + r.url.search, status, route });
}

/** A JSON request body; `{}` when empty or not JSON. */
function parseJson(raw: Buffer): Json {
  try {
    return raw.length ? (JSON.parse(raw.toString("utf8")) as Json) : {};
  } catch {
    return {};
  }
}

/** Computes the reply lazily (so a pre-effect fault can skip it) and persists after writes. */
function serve(
  state: ServerState,
  r: Incoming,
): { tenantId: string; route: string; reply: () => Reply; afterEffect: () => void } {
  let computed: Reply | undefined;
  let route = "unknown";
  let tenantId = "";
  const path = r.url.pathname;
  const json = (): Json => parseJson(r.raw);
  const once = (f: () => Reply) => () => (computed ??= f());
  const persist = () => {
    if (r.method !== "GET" && computed && computed.status < 300) state.store.save();
  };

  if (path.startsWith("/_emulator/")) {
    route = "admin";
    return { tenantId, route, afterEffect: () => undefined, reply: once(() => admin(state, r, json())) };
  }
  let m: RegExpExecArray | null;
  if ((m = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path))) {
    route = "token.openid";
    return {
      tenantId: m[1]!,
      route,
      afterEffect: () => undefined,
      reply: once(() => ({ status: 200, body: openIdConfiguration(state.base, m![1]!) })),
    };
  }
  if (path === "/metadata/endpoints" && r.method === "GET") {
    route = "metadata";
    return { tenantId, route, afterEffect: () => undefined, reply: once(() => metadataReply(state.base, r.url)) };
  }
  if (path === "/common/discovery/instance") {
    route = "token.discovery";
    return {
      tenantId,
      route,
      afterEffect: () => undefined,
      reply: once(() => ({
        status: 200,
        body: {
          tenant_discovery_endpoint: `${state.base}/common/v2.0/.well-known/openid-configuration`,
          "api-version": "1.1",
          metadata: [
            {
              preferred_network: new URL(state.base).host,
              preferred_cache: new URL(state.base).host,
              aliases: [new URL(state.base).host],
            },
          ],
        },
      })),
    };
  }
  if ((m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path)) && r.method === "POST") {
    route = "token";
    const tenantPath = m[1]!;
    return {
      tenantId: tenantPath,
      route,
      afterEffect: () => undefined,
      reply: once(() =>
        tokenGrant(
          state.store.get(tenantPath),
          tenantPath,
          new URLSearchParams(r.raw.toString("utf8")),
          `${state.base}/${tenantPath}/oauth2/v2.0/token`,
        ),
      ),
    };
  }
  const claims = readToken(r.headers["authorization"]);
  if ((m = /^(\/region)?\/adminapi\/beta\/([^/]+)\/InvokeCommand$/.exec(path)) && r.method === "POST") {
    route = "compliance";
    tenantId = m[2]!.toLowerCase();
    const regional = m[1] !== undefined;
    const result = {
      tenantId,
      route,
      afterEffect: persist,
      reply: once(() => {
        const tenant = state.store.get(tenantId);
        if (!claims || claims.aud !== "compliance" || claims.tid !== tenantId || !tenant)
          return {
            status: 401,
            body: {
              error: {
                code: "Unauthorized",
                message:
                  "Access denied: a valid token for https://ps.compliance.protection.outlook.com for this tenant is required.",
              },
            },
          };
        const anchor = ANCHOR.exec(r.headers["x-anchormailbox"] ?? "");
        if (!anchor || anchor[1]!.toLowerCase() !== tenant.primaryDomain.toLowerCase())
          return {
            status: 400,
            body: {
              error: {
                code: "BadRequest",
                message:
                  "The X-AnchorMailbox header must name the tenant's system mailbox (UPN:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@<initial domain>).",
              },
            },
          };
        if (state.behaviour.complianceRedirect && !regional && !state.redirected.has(tenantId)) {
          state.redirected.add(tenantId);
          return { status: 302, headers: { location: `${state.base}/region/adminapi/beta/${tenantId}/InvokeCommand` } };
        }
        const input = (json()["CmdletInput"] ?? {}) as Json;
        // The log names the cmdlet, so tests can tell reads (Get-*) from writes.
        result.route = `compliance:${String(input["CmdletName"] ?? "")}`;
        const denied = complianceDenial(claims, String(input["CmdletName"] ?? ""));
        if (denied) return denied;
        return invokeCmdlet(tenant, String(input["CmdletName"] ?? ""), (input["Parameters"] ?? {}) as Json, {
          url: new URL(r.url.pathname + r.url.search, state.base),
          maxPageSize: maxPageSize(r.headers["prefer"]),
          pageCeiling: state.behaviour.compliancePageSize,
        });
      }),
    };
    return result;
  }
  const version = /^\/(v1\.0|beta)\//.exec(path)?.[1];
  if (version) {
    tenantId = claims?.tid ?? "";
    route = "graph";
    const graph = (): Reply => {
      // A path the emulator does not serve at all is 501 before authentication: what Graph would require
      // there is unknown, and a test must never pass against it.
      if (!servesPath(path)) {
        route = "unimplemented";
        return graphError(501, "NotImplemented", `The emulator does not implement ${r.method} ${path}.`);
      }
      const tenant = claims && claims.aud === "graph" ? state.store.get(claims.tid) : undefined;
      if (!tenant)
        return graphError(
          401,
          "InvalidAuthenticationToken",
          "Access token is empty or invalid, or was issued for another resource.",
        );
      const ctxBase = { tenant, behaviour: state.behaviour, base: state.base, now: Date.now(), roles: claims?.roles };
      if (path === `/${version}/$batch` && r.method === "POST") {
        route = "batch";
        const items = batchItems(json());
        if (!Array.isArray(items)) return items;
        const responses = items.map((item) => {
          const url = new URL(`/${version}${item.url.startsWith("/") ? "" : "/"}${item.url}`, state.base);
          const headers = Object.fromEntries(Object.entries(item.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
          // A body is a JSON value, or base64 for other content (learn.microsoft.com/graph/json-batching: "might
          // be a JSON object or a base64 URL-encoded value, for example, when your body is an image"); a JSON
          // content type sent as base64 (what msgraph-sdk-core writes for a body whose step has no JSON
          // Content-Type) is JSON all the same.
          const encoded = typeof item.body === "string";
          const raw = encoded
            ? Buffer.from(item.body as string, "base64")
            : Buffer.from(item.body ? JSON.stringify(item.body) : "");
          const body = encoded && /json/i.test(headers["content-type"] ?? "") ? parseJson(raw) : item.body;
          const inner = { method: item.method.toUpperCase(), url, headers, raw };
          const { reply, name } = throttled(state, tenant.tenantId, inner.method, url, () =>
            dispatchGraph({
              ...ctxBase,
              method: inner.method,
              url,
              headers,
              json: () => (body !== null && typeof body === "object" ? body : {}),
              raw: inner.raw,
            }),
          );
          logEntry(state, tenant.tenantId, inner, reply.status, `batch:${name}`);
          return {
            id: item.id,
            status: reply.status,
            headers: { "content-type": "application/json", ...(reply.headers ?? {}) },
            body: Buffer.isBuffer(reply.body) ? reply.body.toString("base64") : (reply.body ?? null),
          };
        });
        return { status: 200, body: { responses } };
      }
      const { reply, name } = throttled(state, tenant.tenantId, r.method, r.url, () =>
        dispatchGraph({ ...ctxBase, method: r.method, url: r.url, headers: r.headers, json, raw: r.raw }),
      );
      route = name;
      return reply;
    };
    return {
      tenantId,
      get route() {
        return route;
      },
      afterEffect: persist,
      reply: once(graph),
    } as { tenantId: string; route: string; reply: () => Reply; afterEffect: () => void };
  }
  return {
    tenantId,
    route: "unimplemented",
    afterEffect: () => undefined,
    reply: once(() => graphError(501, "NotImplemented", `The emulator does not implement ${r.method} ${path}.`)),
  };
}

/** Applies Microsoft's throttling before a Graph route runs. */
function throttled(
  state: ServerState,
  tenantId: string,
  method: string,
  url: URL,
  run: () => { reply: Reply; name: string },
): { reply: Reply; name: string } {
  const b = state.behaviour;
  const name = matchRoute(method, url.pathname)?.route.name ?? "unimplemented";
  if (b.resourceUnitsPerSecond > 0) {
    const now = Date.now();
    const bucket = state.buckets.get(tenantId) ?? { tokens: b.resourceUnitsBurst, at: now };
    bucket.tokens = Math.min(
      b.resourceUnitsBurst,
      bucket.tokens + ((now - bucket.at) / 1000) * b.resourceUnitsPerSecond,
    );
    bucket.at = now;
    state.buckets.set(tenantId, bucket);
    if (bucket.tokens < 1)
      return {
        reply: {
          ...graphError(429, "TooManyRequests", "Too many requests: the tenant's resource-unit budget is exhausted."),
          headers: { "retry-after": String(Math.ceil((1 - bucket.tokens) / b.resourceUnitsPerSecond)) },
        },
        name: "throttled",
      };
    bucket.tokens -= 1;
  }
  if (name.startsWith("conditionalAccess") && b.conditionalAccessIntervalMs > 0) {
    const now = Date.now();
    const last = state.lastConditionalAccess.get(tenantId);
    // Microsoft's CA limit (1 request/s per tenant) answers 429 with no Retry-After, before the request takes effect.
    if (last !== undefined && now - last < b.conditionalAccessIntervalMs)
      return { reply: graphError(429, "TooManyRequests", "Too many requests."), name };
    state.lastConditionalAccess.set(tenantId, now);
  }
  return run();
}

function admin(state: ServerState, r: Incoming, body: Json): Reply {
  const path = r.url.pathname;
  if (path === "/_emulator/health")
    return {
      status: 200,
      body: {
        ok: true,
        tenants: [...state.store.tenants.values()].map((t) => ({
          tenantId: t.tenantId,
          primaryDomain: t.primaryDomain,
          displayName: t.displayName,
        })),
      },
    };
  if (path === "/_emulator/faults" && r.method === "POST") {
    try {
      state.faults.set((body["rules"] ?? []) as never, typeof body["seed"] === "number" ? body["seed"] : undefined);
      return { status: 204 };
    } catch (error) {
      return graphError(400, "BadRequest", `Invalid fault rules: ${(error as Error).message}`);
    }
  }
  if (path === "/_emulator/faults" && r.method === "GET") return { status: 200, body: { rules: state.faults.list() } };
  if (path === "/_emulator/token" && r.method === "POST") {
    if (!state.devTokens)
      return graphError(403, "Forbidden", "Developer tokens are off; start the emulator with --dev-tokens.");
    const tenant = state.store.get(String(body["tenantId"] ?? ""));
    if (!tenant) return graphError(404, "Request_ResourceNotFound", `Unknown tenant '${String(body["tenantId"])}'.`);
    return {
      status: 200,
      body: {
        token_type: "Bearer",
        ...issueToken({
          tid: tenant.tenantId,
          appid: "dev",
          aud: body["resource"] === "compliance" ? "compliance" : "graph",
        }),
      },
    };
  }
  return graphError(501, "NotImplemented", `No admin endpoint ${r.method} ${path}.`);
}
