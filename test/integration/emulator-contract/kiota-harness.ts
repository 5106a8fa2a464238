/**
 * The second client's set-up, shared by the kiota-*.test.ts files: Microsoft's Kiota-based Graph SDK
 * (@microsoft/msgraph-sdk) with its FetchRequestAdapter (default middleware: retry, redirect, parameter-name
 * decoding, user agent, headers inspection), bearer-token authentication provider, JSON and text serializers and
 * ODataError mapping, pointed at an in-process emulator with the demo seeds.
 *
 * The SDK's fluent request builders live in per-area packages (@microsoft/msgraph-sdk-groups, -identity, …) that are
 * not installed here: `createGraphServiceClient` has no navigation without them. Each request is therefore built as
 * those builders build it — a RequestInformation with the generated RFC 6570 URL template, Accept header, the model's
 * serializer for the body and the model's factory plus ODataError for the answer — and sent through the client's own
 * request adapter. Only the URL templates are written in the tests; everything on the wire and back is the SDK's.
 */
import * as https from "node:https";
import { join } from "node:path";
import {
  AllowedHostsValidator,
  BaseBearerTokenAuthenticationProvider,
  HttpMethod,
  ParseNodeFactoryRegistry,
  RequestInformation,
  SerializationWriterFactoryRegistry,
  type ErrorMappings,
  type ModelSerializerFunction,
  type Parsable,
  type ParsableFactory,
} from "@microsoft/kiota-abstractions";
import { FetchRequestAdapter, KiotaClientFactory } from "@microsoft/kiota-http-fetchlibrary";
import { JsonParseNodeFactory, JsonSerializationWriterFactory } from "@microsoft/kiota-serialization-json";
import { TextParseNodeFactory, TextSerializationWriterFactory } from "@microsoft/kiota-serialization-text";
import {
  createODataErrorFromDiscriminatorValue,
  type ODataError,
} from "@microsoft/msgraph-sdk/models/oDataErrors/index.js";
import { afterAll, beforeAll, expect } from "vitest";
import { readSeeds, type EmulatorOptions, type RunningEmulator } from "../../../src/emulator";
import { REPO } from "../../support/repo";
import { accessToken, CONTOSO, startTestEmulator } from "../emulator/harness";

/** A fetch on node:https that trusts the emulator's CA (Node 20's global fetch takes no CA). */
function fetchTrusting(ca: string) {
  return async (url: string, init: RequestInit): Promise<Response> => {
    const request = new Request(url, init);
    const body = init.body == null ? undefined : Buffer.from(await request.arrayBuffer());
    const target = new URL(url);
    return new Promise<Response>((resolve, reject) => {
      const req = https.request(
        {
          method: request.method,
          host: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          headers: Object.fromEntries(request.headers),
          ca,
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const status = res.statusCode ?? 0;
            const headers = new Headers();
            for (const [k, v] of Object.entries(res.headers))
              for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) headers.append(k, one);
            const empty = status === 204 || status === 205 || status === 304;
            resolve(new Response(empty ? null : Buffer.concat(chunks), { status, headers }));
          });
        },
      );
      req.on("error", reject);
      if (body) req.write(body);
      req.end();
    });
  };
}

/** Every answer that is not 2xx is parsed into the SDK's ODataError, as the generated builders map it. */
export const ERRORS: ErrorMappings = { XXX: createODataErrorFromDiscriminatorValue as ParsableFactory<Parsable> };

/** The adapter the request helpers below use by default (the file's, set by useKiota). */
let active: FetchRequestAdapter | undefined;

function current(): FetchRequestAdapter {
  if (!active) throw new Error("useKiota() has not started the emulator yet");
  return active;
}

/** The SDK's request adapter for one tenant of `emu`, authenticated with that tenant's app-only token. */
export async function kiotaAdapter(emu: RunningEmulator, tenantId: string): Promise<FetchRequestAdapter> {
  const token = await accessToken(emu, tenantId);
  const host = new URL(emu.url).hostname;
  const auth = new BaseBearerTokenAuthenticationProvider({
    getAuthorizationToken: () => Promise.resolve(token),
    getAllowedHostsValidator: () => new AllowedHostsValidator(new Set([host])),
  });
  const parse = new ParseNodeFactoryRegistry();
  parse.contentTypeAssociatedFactories.set("application/json", new JsonParseNodeFactory());
  parse.contentTypeAssociatedFactories.set("text/plain", new TextParseNodeFactory());
  const write = new SerializationWriterFactoryRegistry();
  write.contentTypeAssociatedFactories.set("application/json", new JsonSerializationWriterFactory());
  write.contentTypeAssociatedFactories.set("text/plain", new TextSerializationWriterFactory());
  // KiotaClientFactory keeps the SDK's default middleware and ends the chain in our fetch.
  const http = KiotaClientFactory.create(fetchTrusting(emu.caCertificatePem));
  const adapter = new FetchRequestAdapter(auth, parse, write, http);
  adapter.baseUrl = `${emu.url}/v1.0`;
  return adapter;
}

/**
 * Starts an emulator with the demo seeds (test/fixtures/tenants: Contoso and Fabrikam, the test app's certificate
 * registered in both) and the SDK's adapter for Contoso before the file's tests, hands both to `use`, closes after.
 */
export function useKiota(
  use: (emu: RunningEmulator, adapter: FetchRequestAdapter) => void,
  options: EmulatorOptions = {},
): void {
  let emu: RunningEmulator | undefined;
  beforeAll(async () => {
    emu = await startTestEmulator({
      tenants: readSeeds(join(REPO, "test/fixtures/tenants")),
      ...options,
      behaviour: { conditionalAccessIntervalMs: 0, ...options.behaviour },
    });
    active = await kiotaAdapter(emu, CONTOSO.tenantId);
    use(emu, active);
  });
  afterAll(async () => {
    active = undefined;
    await emu?.close();
  });
}

/**
 * A request as a generated builder makes it: `{+baseurl}` template, path and query parameters, Accept. A `baseurl`
 * path parameter overrides the adapter's (how a beta request goes through the same adapter).
 */
export function request(
  method: HttpMethod,
  template: string,
  path: Record<string, string> = {},
  query: Record<string, string | number> = {},
): RequestInformation {
  const info = new RequestInformation(method, `{+baseurl}${template}`, { baseurl: current().baseUrl, ...path });
  for (const [k, v] of Object.entries(query)) info.queryParameters[k] = v;
  info.headers.tryAdd("Accept", "application/json");
  return info;
}

/** Sets the body as a generated builder does: the model's serializer through the adapter's JSON writer. */
export function withBody<T extends Parsable>(
  info: RequestInformation,
  body: T,
  serializer: ModelSerializerFunction<T>,
): RequestInformation {
  info.setContentFromParsable(current(), "application/json", body, serializer);
  return info;
}

/** Sends and parses the answer with `factory` (the SDK types its factories loosely; the caller names the model). */
export async function send<T extends Parsable>(
  info: RequestInformation,
  factory: ParsableFactory<Parsable>,
  adapter: FetchRequestAdapter = current(),
): Promise<T> {
  const value = (await adapter.send(info, factory, ERRORS)) as T | undefined;
  if (!value) throw new Error(`${info.httpMethod} ${info.URL}: no body`);
  return value;
}

/** Sends a request whose answer has no content (204), as the generated builders' PATCH/DELETE/$ref do. */
export function sendNoContent(info: RequestInformation): Promise<void> {
  return current().sendNoResponseContent(info, ERRORS);
}

/** The ODataError the SDK throws for `call`; success or any other error fails the test. */
export async function odataError(call: Promise<unknown>): Promise<ODataError> {
  try {
    await call;
  } catch (error) {
    if (error && typeof error === "object" && "errorEscaped" in error && "responseStatusCode" in error)
      return error as ODataError;
    throw error;
  }
  throw new Error("expected an ODataError");
}

/** A model's own properties are typed fields: nothing but OData annotations may land in additionalData. */
export function expectTyped(model: { additionalData?: Record<string, unknown> }): void {
  expect(Object.keys(model.additionalData ?? {}).filter((k) => !k.startsWith("@"))).toEqual([]);
}
