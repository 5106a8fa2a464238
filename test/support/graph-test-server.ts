/**
 * A tiny HTTPS Graph + token + S&C server for the Graph client's own tests, fully scripted by the test:
 * a self-signed certificate made at start, an OpenID configuration and token endpoint (so
 * ClientCertificateCredential runs for real), generic collections with $filter eq, paging, $batch,
 * conditional access limited to 1 request/s per tenant (429 without Retry-After), scripted faults and a
 * request log. Not the project's emulator (src/emulator/): a harness the client tests fully control.
 */
import { randomUUID } from "node:crypto";
import type * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";

export interface LoggedRequest {
  readonly time: number;
  readonly method: string;
  readonly path: string;
  readonly tenantId: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** A scripted fault, used `count` times on matching requests (default once). */
export interface ScriptedFault {
  readonly method?: string;
  readonly pathIncludes?: string;
  readonly status?: number;
  readonly errorCode?: string;
  readonly retryAfter?: string;
  readonly reset?: boolean;
  readonly latencyMs?: number;
  /** Apply the fault after the request took effect (the response is lost, the object exists). */
  readonly afterEffect?: boolean;
  count?: number;
  readonly detailCode?: string;
  /** Only for this tenant (default: any). */
  readonly tenantId?: string;
}

export interface TestServer {
  readonly url: string;
  readonly caCertificatePem: string;
  readonly log: LoggedRequest[];
  readonly faults: ScriptedFault[];
  /** Objects per `tenantId|collectionPath`. */
  readonly store: Map<string, Record<string, unknown>[]>;
  pageSize: number;
  /** Hide new objects from GET by id for this long (eventual consistency). */
  consistencyDelayMs: number;
  /** Per-tenant override of consistencyDelayMs. */
  readonly consistencyByTenant: Map<string, number>;
  /** Conditional access: minimum spacing per tenant before answering 429. */
  caIntervalMs: number;
  /** S&C: redirect the first InvokeCommand per tenant to `url` + `/region` path (regional redirect). */
  complianceRedirect: boolean;
  /** S&C handler: returns [status, body]. */
  compliance: (cmdlet: string, params: Record<string, unknown>, tenantId: string) => [number, unknown];
  /**
   * Answers a Graph or S&C request itself (a hostile server: drips, odd bodies, huge Retry-After) when it returns
   * true; the token endpoint is never offered to it.
   */
  intercept?:
    | ((
        request: { method: string; path: string; tenantId: string; body: string },
        response: http.ServerResponse,
      ) => boolean)
    | undefined;
  close(): Promise<void>;
}

const selfsigned = require("selfsigned") as {
  generate(attrs: unknown, opts: unknown): Promise<{ private: string; cert: string }>;
};

/** Generates a key + self-signed certificate PEM pair for a CN. */
export async function generatePem(cn: string): Promise<{ key: string; cert: string }> {
  const pems = await selfsigned.generate([{ name: "commonName", value: cn }], {
    days: 2,
    keySize: 2048,
    algorithm: "sha256",
    extensions: [
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: cn },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

function odataError(_status: number, code: string, message: string, detailCode?: string): string {
  return JSON.stringify({
    error: {
      code,
      message,
      ...(detailCode ? { details: [{ code: detailCode, message }] } : {}),
      innerError: { date: new Date().toISOString().slice(0, 19), "request-id": randomUUID() },
    },
  });
}

export async function startTestServer(): Promise<TestServer> {
  const pem = await generatePem("localhost");
  const lastCa = new Map<string, number>();
  const created = new Map<string, number>();
  const redirected = new Set<string>();
  let url = "";
  const state: TestServer = {
    url: "",
    caCertificatePem: pem.cert,
    log: [],
    faults: [],
    store: new Map(),
    pageSize: 100,
    consistencyDelayMs: 0,
    consistencyByTenant: new Map(),
    caIntervalMs: 1000,
    complianceRedirect: false,
    compliance: (cmdlet) => [200, { value: [{ Name: cmdlet }] }],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const server = https.createServer({ key: pem.key, cert: pem.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    let raw = Buffer.alloc(0);
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      raw = Buffer.concat(chunks);
      const body = raw.toString("utf8");
      const u = new URL(req.url ?? "/", url);
      const method = req.method ?? "GET";
      const bearer = /^Bearer tok\|([^|]+)\|/.exec(String(req.headers["authorization"] ?? ""))?.[1];
      const tenantId =
        /^\/([0-9a-f-]{36})\//.exec(u.pathname)?.[1] ??
        /\/adminapi\/beta\/([^/]+)\//.exec(u.pathname)?.[1] ??
        bearer ??
        "unknown";
      const send = (status: number, payload: string | Buffer, headers: Record<string, string> = {}): void => {
        state.log.push({
          time: Date.now(),
          method,
          path: u.pathname + u.search,
          tenantId,
          status,
          headers: req.headers,
          body,
        });
        res.writeHead(status, { "content-type": "application/json", "request-id": randomUUID(), ...headers });
        res.end(payload);
      };
      const graphOrCompliance = u.pathname.startsWith("/v1.0/") || u.pathname.includes("/InvokeCommand");
      if (graphOrCompliance && state.intercept?.({ method, path: u.pathname + u.search, tenantId, body }, res)) {
        state.log.push({
          time: Date.now(),
          method,
          path: u.pathname + u.search,
          tenantId,
          status: -1,
          headers: req.headers,
          body,
        });
        return;
      }
      const fault = state.faults.find(
        (f) =>
          (f.method ?? method) === method &&
          (f.tenantId ?? tenantId) === tenantId &&
          u.pathname.includes(f.pathIncludes ?? "") &&
          (f.count ?? 1) > 0,
      );
      const apply = (): boolean => {
        if (!fault) return false;
        fault.count = (fault.count ?? 1) - 1;
        if (fault.reset) {
          state.log.push({
            time: Date.now(),
            method,
            path: u.pathname,
            tenantId,
            status: 0,
            headers: req.headers,
            body,
          });
          req.socket.destroy();
          return true;
        }
        if (fault.status) {
          send(
            fault.status,
            odataError(fault.status, fault.errorCode ?? "UnknownError", "scripted fault", fault.detailCode),
            fault.retryAfter ? { "retry-after": fault.retryAfter } : {},
          );
          return true;
        }
        return false;
      };
      const run = (): void => {
        if (fault && !fault.afterEffect && apply()) return;
        handle(u, method, body, tenantId, send, fault?.afterEffect ? apply : () => false, raw);
      };
      if (fault?.latencyMs) setTimeout(run, fault.latencyMs);
      else run();
    });
  });

  const delay = (tenantId: string): number => state.consistencyByTenant.get(tenantId) ?? state.consistencyDelayMs;

  function handle(
    u: URL,
    method: string,
    body: string,
    tenantId: string,
    send: (s: number, p: string | Buffer, h?: Record<string, string>) => void,
    after: () => boolean,
    raw: Buffer,
  ): void {
    const p = u.pathname;
    if (p.endsWith("/.well-known/openid-configuration")) {
      const t = p.split("/")[1];
      return send(
        200,
        JSON.stringify({
          token_endpoint: `${url}/${t}/oauth2/v2.0/token`,
          authorization_endpoint: `${url}/${t}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${url}/${t}/oauth2/v2.0/logout`,
          issuer: `${url}/${t}/v2.0`,
          jwks_uri: `${url}/${t}/discovery/v2.0/keys`,
        }),
      );
    }
    if (p.endsWith("/oauth2/v2.0/token")) {
      const form = new URLSearchParams(body);
      if (!form.get("client_assertion") && !form.get("client_secret"))
        return send(
          400,
          JSON.stringify({ error: "invalid_client", error_description: "AADSTS7000216: client_assertion is required" }),
        );
      return send(
        200,
        JSON.stringify({
          token_type: "Bearer",
          expires_in: 3600,
          ext_expires_in: 3600,
          access_token: `tok|${tenantId}|${form.get("scope")}`,
        }),
      );
    }
    if (p.includes("/InvokeCommand")) {
      if (state.complianceRedirect && !redirected.has(tenantId) && !p.startsWith("/region")) {
        redirected.add(tenantId);
        return send(302, "", { location: `${url}/region${p}` });
      }
      const input = (
        JSON.parse(body || "{}") as { CmdletInput?: { CmdletName?: string; Parameters?: Record<string, unknown> } }
      ).CmdletInput;
      const [status, payload] = state.compliance(input?.CmdletName ?? "", input?.Parameters ?? {}, tenantId);
      if (after()) return;
      return send(status, typeof payload === "string" ? payload : JSON.stringify(payload));
    }
    if (!p.startsWith("/v1.0/")) return send(501, odataError(501, "NotImplemented", `no route ${method} ${p}`));
    const rel = p.slice("/v1.0".length);
    if (rel.startsWith("/identity/conditionalAccess")) {
      const now = Date.now();
      const last = lastCa.get(tenantId) ?? 0;
      if (now - last < state.caIntervalMs) return send(429, odataError(429, "TooManyRequests", "Too many requests"));
      lastCa.set(tenantId, now);
    }
    if (rel === "/$batch" && method === "POST") {
      const requests = (JSON.parse(body) as { requests: { id: string; url: string }[] }).requests;
      if (requests.length > 20) return send(400, odataError(400, "BadRequest", "too many requests in batch"));
      const responses = requests.map((r) => {
        const fault = state.faults.find(
          (f) => f.method === "BATCHITEM" && r.url.includes(f.pathIncludes ?? "") && (f.count ?? 1) > 0,
        );
        if (fault) {
          fault.count = (fault.count ?? 1) - 1;
          return {
            id: r.id,
            status: fault.status ?? 429,
            headers: fault.retryAfter ? { "Retry-After": fault.retryAfter } : {},
            body: JSON.parse(odataError(429, "TooManyRequests", "slow down")),
          };
        }
        const key = `${tenantId}|${r.url.replace(/\/[^/]+$/, "")}`;
        const id = r.url.split("/").pop();
        const obj = (state.store.get(key) ?? []).find((o) => o["id"] === id);
        return obj
          ? { id: r.id, status: 200, headers: {}, body: obj }
          : {
              id: r.id,
              status: 404,
              headers: {},
              body: JSON.parse(odataError(404, "Request_ResourceNotFound", `Resource '${id}' does not exist`)),
            };
      });
      return send(200, JSON.stringify({ responses: responses.reverse() }));
    }
    // Generic collection handling: /a/b (collection) and /a/b/{id} (item).
    const segments = rel.split("/").filter(Boolean);
    const collectionKey = (segs: string[]): string => `${tenantId}|/${segs.join("/")}`;
    const asCollection = state.store.get(collectionKey(segments));
    if (method === "POST" && (asCollection || !state.store.has(collectionKey(segments.slice(0, -1))))) {
      const obj: Record<string, unknown> & { id: string } = {
        id: randomUUID(),
        createdDateTime: new Date().toISOString(),
        ...(JSON.parse(body || "{}") as Record<string, unknown>),
      };
      if (rel === "/servicePrincipals") {
        const apps = state.store.get(`${tenantId}|/applications`) ?? [];
        const app = apps.find((a) => a["appId"] === obj["appId"]);
        if (!app || Date.now() - (created.get(String(app["id"])) ?? 0) < delay(tenantId)) {
          return send(
            400,
            odataError(
              400,
              "Request_BadRequest",
              `The appId '${String(obj["appId"])}' of the service principal does not reference a valid application object.`,
              "NoBackingApplicationObject",
            ),
          );
        }
      }
      if (rel === "/applications") obj["appId"] = randomUUID();
      state.store.set(collectionKey(segments), [...(asCollection ?? []), obj]);
      created.set(obj.id, Date.now());
      if (after()) return;
      return send(201, JSON.stringify(obj));
    }
    if (method === "GET" && asCollection) {
      let items = asCollection;
      const filter = u.searchParams.get("$filter");
      const eq = filter ? /^(\w+) eq '(.*)'$/.exec(filter) : null;
      if (eq) items = items.filter((o) => o[eq[1]!] === eq[2]!.replace(/''/g, "'"));
      const skip = Number(u.searchParams.get("$skiptoken") ?? 0);
      const page = items.slice(skip, skip + state.pageSize);
      const next = skip + state.pageSize < items.length ? new URL(u.toString()) : undefined;
      next?.searchParams.set("$skiptoken", String(skip + state.pageSize));
      return send(200, JSON.stringify({ value: page, ...(next ? { "@odata.nextLink": next.toString() } : {}) }));
    }
    const parent = state.store.get(collectionKey(segments.slice(0, -1)));
    const id = segments[segments.length - 1];
    const index = parent?.findIndex((o) => o["id"] === id) ?? -1;
    const fresh = index >= 0 && Date.now() - (created.get(String(id)) ?? 0) < delay(tenantId);
    if (!parent || index < 0 || fresh) {
      if (method === "PUT" && parent === undefined) {
        state.store.set(`${tenantId}|stream|${rel}`, [{ id: rel, data: raw }]);
        return send(204, "");
      }
      if (method === "GET" && state.store.has(`${tenantId}|stream|${rel}`)) {
        return send(200, state.store.get(`${tenantId}|stream|${rel}`)![0]!["data"] as Buffer, {
          "content-type": "image/png",
        });
      }
      return send(
        404,
        odataError(
          404,
          "Request_ResourceNotFound",
          `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
        ),
      );
    }
    if (method === "GET") return send(200, JSON.stringify(parent[index]));
    if (method === "PATCH") {
      parent[index] = { ...parent[index], ...(JSON.parse(body) as Record<string, unknown>) };
      if (after()) return;
      return send(204, "");
    }
    if (method === "DELETE") {
      parent.splice(index, 1);
      if (after()) return;
      return send(204, "");
    }
    return send(405, odataError(405, "BadRequest", "method not allowed"));
  }

  await new Promise<void>((resolve) => server.listen(0, "localhost", resolve));
  url = `https://localhost:${(server.address() as AddressInfo).port}`;
  (state as { url: string }).url = url;
  return state;
}
