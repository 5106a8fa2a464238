/**
 * Company branding as Graph serves it: the default localization ("0", chosen by `Accept-Language`),
 * 404 until it exists, created only through POST …/localizations without id; PATCH for text, PUT per
 * stream with the portal's image limits; images must be removed before a branding is deleted.
 */
import { createHash } from "node:crypto";
import { ASSET_KINDS, ASSET_LIMITS, imageInfo, type AssetKind } from "../../core/assets";
import { badRequest, graphError, noContent, notFound, ok, type Json, type Reply } from "../errors";
import { route, type RequestContext, type Route } from "../router";

const ORG = "/organization/{}/branding";
const STREAM_KEYS = new Set<string>(ASSET_KINDS);

function localeOf(value: string | undefined): string {
  return !value || value === "0" || value.toLowerCase() === "default" ? "0" : value;
}

function view(ctx: RequestContext, locale: string): Json {
  const b = ctx.tenant.branding[locale]!;
  const urls = Object.fromEntries(
    ASSET_KINDS.map((k) => {
      const s = ctx.tenant.streams[`${locale}/${k}`];
      return [
        `${k}RelativeUrl`,
        s
          ? `${createHash("sha1").update(s.data).digest("hex").slice(0, 16)}/logintenantbranding/${locale}/${k.toLowerCase()}?ts=${ctx.now}`
          : null,
      ];
    }),
  );
  return {
    "@odata.context": `${ctx.base}/v1.0/$metadata#branding`,
    id: locale,
    cdnList: ["secure.aadcdn.microsoftonline-p.com", "aadcdn.msftauthimages.net", "aadcdn.msauthimages.net"],
    ...b,
    ...urls,
  };
}

function get(ctx: RequestContext, locale: string): Reply {
  return ctx.tenant.branding[locale] ? ok(view(ctx, locale)) : notFound(locale === "0" ? "branding" : locale);
}

function patch(ctx: RequestContext, locale: string): Reply {
  const b = ctx.tenant.branding[locale];
  if (!b) return notFound(locale);
  const body = ctx.json();
  const stream = Object.keys(body).find((k) => STREAM_KEYS.has(k));
  if (stream)
    return badRequest(
      `You can't update Stream types with other data types in the same request (${stream}).`,
      "Request_BadRequest",
    );
  for (const [k, v] of Object.entries(body)) if (k !== "id") b[k] = v;
  return noContent();
}

function remove(ctx: RequestContext, locale: string): Reply {
  if (!ctx.tenant.branding[locale]) return notFound(locale);
  if (ASSET_KINDS.some((k) => ctx.tenant.streams[`${locale}/${k}`]))
    return badRequest(
      "All images (Stream types) must first be removed before the branding can be deleted.",
      "Request_BadRequest",
    );
  delete ctx.tenant.branding[locale];
  return noContent();
}

function putStream(ctx: RequestContext, locale: string, kind: string): Reply {
  if (!STREAM_KEYS.has(kind))
    return badRequest(
      `Invalid locale id value ${kind}. It must be a valid ISO-639 locale.`,
      "Request_UnsupportedQuery",
    );
  if (!ctx.tenant.branding[locale]) return notFound(locale);
  const limit = ASSET_LIMITS[kind as AssetKind];
  const type = (ctx.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (ctx.raw.length > limit.maxBytes)
    return badRequest(
      `The ${kind} is ${ctx.raw.length} bytes; the maximum is ${limit.maxBytes}.`,
      "Request_BadRequest",
    );
  if (kind === "customCSS") {
    if (type !== "text/css")
      return badRequest("customCSS must be sent with Content-Type text/css.", "Request_BadRequest");
  } else {
    const info = imageInfo(ctx.raw);
    if (!info || (type !== "image/png" && type !== "image/jpeg" && type !== "image/jpg"))
      return badRequest(
        `The ${kind} must be a PNG or JPEG image sent with its image/* content type.`,
        "Request_BadRequest",
      );
    if ((limit.maxWidth && info.width > limit.maxWidth) || (limit.maxHeight && info.height > limit.maxHeight))
      return badRequest(
        `The ${kind} is ${info.width}x${info.height} pixels; the maximum is ${limit.maxWidth}x${limit.maxHeight}.`,
        "Request_BadRequest",
      );
  }
  ctx.tenant.streams[`${locale}/${kind}`] = { contentType: type, data: ctx.raw.toString("base64") };
  return noContent();
}

function getStream(ctx: RequestContext, locale: string, kind: string): Reply {
  if (!STREAM_KEYS.has(kind))
    return badRequest(
      `Invalid locale id value ${kind}. It must be a valid ISO-639 locale.`,
      "Request_UnsupportedQuery",
    );
  if (!ctx.tenant.branding[locale]) return notFound(locale);
  const s = ctx.tenant.streams[`${locale}/${kind}`];
  // An unset stream is 200 with an empty JSON object, as Graph documents it.
  return s ? { status: 200, body: Buffer.from(s.data, "base64"), headers: { "content-type": s.contentType } } : ok({});
}

function deleteStream(ctx: RequestContext, locale: string, kind: string): Reply {
  if (!STREAM_KEYS.has(kind))
    return badRequest(
      `Invalid locale id value ${kind}. It must be a valid ISO-639 locale.`,
      "Request_UnsupportedQuery",
    );
  if (!ctx.tenant.streams[`${locale}/${kind}`]) return notFound(kind);
  delete ctx.tenant.streams[`${locale}/${kind}`];
  return noContent();
}

export const brandingRoutes: Route[] = [
  route("GET", `${ORG}/localizations`, "branding.localizations", (ctx) =>
    ok({
      "@odata.context": `${ctx.base}/v1.0/$metadata#localizations`,
      value: Object.keys(ctx.tenant.branding)
        .sort()
        .map((l) => {
          // Items of a collection carry no @odata.context of their own.
          const { "@odata.context": _context, ...item } = view(ctx, l);
          return item;
        }),
    }),
  ),
  route("POST", `${ORG}/localizations`, "branding.localizations", (ctx) => {
    const body = ctx.json();
    const id = body["id"] === undefined ? undefined : String(body["id"]);
    if (id === "0" || id?.toLowerCase() === "default")
      return badRequest("The localization id cannot be '0' or 'default'.", "Request_BadRequest");
    // Observed: a POST without id and Accept-Language: 0 creates the default branding.
    const locale = id ?? localeOf(ctx.headers["accept-language"]);
    if (ctx.tenant.branding[locale])
      return graphError(409, "Request_BadRequest", `A branding localization for '${locale}' already exists.`);
    ctx.tenant.branding["0"] ??= {};
    const { id: _drop, ...props } = body;
    ctx.tenant.branding[locale] = { ...props };
    return ok(view(ctx, locale), 201);
  }),
  route("GET", `${ORG}/localizations/{}`, "branding.localizations", (ctx) => get(ctx, localeOf(ctx.params[1]))),
  route("PATCH", `${ORG}/localizations/{}`, "branding.localizations", (ctx) => patch(ctx, localeOf(ctx.params[1]))),
  route("DELETE", `${ORG}/localizations/{}`, "branding.localizations", (ctx) => remove(ctx, localeOf(ctx.params[1]))),
  route("PUT", `${ORG}/localizations/{}/{}`, "branding.streams", (ctx) =>
    putStream(ctx, localeOf(ctx.params[1]), ctx.params[2]!),
  ),
  route("GET", `${ORG}/localizations/{}/{}`, "branding.streams", (ctx) =>
    getStream(ctx, localeOf(ctx.params[1]), ctx.params[2]!),
  ),
  route("DELETE", `${ORG}/localizations/{}/{}`, "branding.streams", (ctx) =>
    deleteStream(ctx, localeOf(ctx.params[1]), ctx.params[2]!),
  ),
  route("GET", ORG, "branding", (ctx) => get(ctx, localeOf(ctx.headers["accept-language"]))),
  route("PATCH", ORG, "branding", (ctx) => patch(ctx, localeOf(ctx.headers["accept-language"]))),
  route("DELETE", ORG, "branding", (ctx) => remove(ctx, localeOf(ctx.headers["accept-language"]))),
  route("PUT", `${ORG}/{}`, "branding.streams", (ctx) => putStream(ctx, "0", ctx.params[1]!)),
  route("GET", `${ORG}/{}`, "branding.streams", (ctx) => getStream(ctx, "0", ctx.params[1]!)),
  route("PATCH", `${ORG}/{}`, "branding.streams", (ctx) =>
    badRequest(
      `Invalid locale id value ${ctx.params[1]}. It must be a valid ISO-639 locale.`,
      "Request_UnsupportedQuery",
    ),
  ),
];
