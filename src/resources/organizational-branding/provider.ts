/**
 * Company branding: the default localization ("0") and per-locale localizations. Text and complex
 * properties go by PATCH, each image or CSS file by PUT on its stream; outputs carry each stream's
 * SHA-256, so a logo changed by hand shows as a hash difference. Streams are removed before the branding.
 */
import { ASSET_KINDS, loadAsset, sha256Hex, type AssetKind } from "../../core/assets";
import type { GraphClient } from "../../graph/types";
import { containsUnknown, project } from "../../providers/canonical";
import { mergeComplex } from "../shared/singleton-provider";
import type { CheckFailure, LiveState, LogicContext, Props, ResourceLogic } from "../../providers/types";
import { ValidationError } from "../../errors";

const TEXT_KEYS = [
  "signInPageText",
  "usernameHintText",
  "backgroundColor",
  "loginPageLayoutConfiguration",
  "loginPageTextVisibilitySettings",
];

/** Where one branding stream (image or CSS) of a localization lives ("0" is the default branding). */
export function streamPath(organizationId: string, locale: string, kind: string): string {
  return `/organization/${organizationId}/branding/localizations/${locale}/${kind}`;
}

/**
 * The SHA-256 of each of `kinds`' live streams that is set (Graph answers an unset one with an empty body); what
 * `check` and the provider's read compare with the repository files.
 */
export async function streamDigests(
  graph: GraphClient,
  organizationId: string,
  locale: string,
  kinds: readonly string[],
): Promise<Record<string, string>> {
  const read = await Promise.all(
    kinds.map(async (k) => [k, await graph.getStream(streamPath(organizationId, locale, k))] as const),
  );
  return Object.fromEntries(read.flatMap(([k, bytes]) => (bytes && bytes.length > 0 ? [[k, sha256Hex(bytes)]] : [])));
}

function paths(ctx: LogicContext, locale: string) {
  const org = `/organization/${ctx.connection.tenantId}/branding`;
  // Accept-Language selects the localization on /branding; "0" is the default (Graph docs, organizationalbranding-get
  // and -update).
  return {
    branding: locale === "0" ? org : `${org}/localizations/${locale}`,
    headers: { "Accept-Language": locale },
    stream: (kind: AssetKind) => streamPath(ctx.connection.tenantId, locale, kind),
    localizations: `${org}/localizations`,
  };
}

function text(props: Props): Props {
  return Object.fromEntries(Object.entries(props).filter(([k]) => TEXT_KEYS.includes(k)));
}

/** The string members of an input object (asset hashes or paths by kind); anything else reads as absent. */
function strings(value: unknown): Partial<Record<string, string>> {
  if (typeof value !== "object" || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}

async function putAssets(ctx: LogicContext, locale: string, inputs: Props, only?: readonly AssetKind[]): Promise<void> {
  const hashes = strings(inputs["assets"]);
  const files = strings(inputs["assetPaths"]);
  for (const kind of ASSET_KINDS) {
    const hash = hashes[kind];
    if (hash === undefined || (only && !only.includes(kind))) continue;
    const file = files[kind] ?? "";
    const loaded = loadAsset(ctx.root, kind, file);
    if (!loaded.ok) throw new ValidationError([{ file, path: kind, message: loaded.message, fix: loaded.fix }]);
    if (loaded.asset.sha256 !== hash)
      throw new ValidationError([
        {
          file,
          path: kind,
          message: `changed since the program ran (hash ${loaded.asset.sha256.slice(0, 12)}…, expected ${hash.slice(0, 12)}…)`,
          fix: "run the preview again",
        },
      ]);
    await ctx.connection.graph.putStream(paths(ctx, locale).stream(kind), loaded.asset.bytes, loaded.asset.contentType);
  }
}

function brandingLogic(type: string, localeOf: (inputs: Props) => string): ResourceLogic {
  const read = async (ctx: LogicContext, locale: string, inputs: Props): Promise<LiveState | undefined> => {
    const p = paths(ctx, locale);
    const live = await ctx.connection.graph.tryGet<Props>(p.branding, { headers: p.headers });
    if (!live) return undefined;
    const props = (project(live, text(inputs)) ?? {}) as Props;
    if (locale !== "0") props["id"] = locale;
    props["assets"] = await streamDigests(
      ctx.connection.graph,
      ctx.connection.tenantId,
      locale,
      Object.keys((inputs["assets"] ?? {}) as Props),
    );
    return { id: locale, props: { ...props, assetPaths: inputs["assetPaths"] } };
  };
  return {
    type,
    replaceKeys: ["id"],
    bookkeeping: ["assetPaths"],
    check(inputs, root) {
      const failures: CheckFailure[] = [];
      const hashes = (inputs["assets"] ?? {}) as Props;
      const files = (inputs["assetPaths"] ?? {}) as Props;
      for (const kind of Object.keys(hashes)) {
        if (!(ASSET_KINDS as readonly string[]).includes(kind)) {
          failures.push({
            property: `assets.${kind}`,
            reason: `unknown branding stream; use one of ${ASSET_KINDS.join(", ")}`,
          });
          continue;
        }
        if (containsUnknown(files[kind])) continue;
        const loaded = loadAsset(root, kind as AssetKind, String(files[kind] ?? ""));
        if (!loaded.ok) failures.push({ property: `assetPaths.${kind}`, reason: `${loaded.message} (${loaded.fix})` });
      }
      return failures;
    },
    async create(ctx, inputs) {
      const locale = localeOf(inputs);
      const p = paths(ctx, locale);
      const existing = await ctx.connection.graph.tryGet<Props>(p.branding, { headers: p.headers });
      if (existing) {
        await ctx.connection.graph.patch(p.branding, mergeComplex(existing, text(inputs)), { headers: p.headers });
      } else if (locale === "0") {
        // Default branding cannot be created explicitly; POSTing a localization without id creates it
        // (microsoftgraph/microsoft-graph-docs-contrib#2354; CIPP Invoke-CIPPStandardPhishProtection does the same).
        await ctx.connection.graph.post(p.localizations, text(inputs), { headers: { "Accept-Language": "0" } });
      } else {
        await ctx.connection.graph.post(p.localizations, { id: locale, ...text(inputs) });
      }
      await putAssets(ctx, locale, inputs);
      return { id: locale, props: inputs, adopted: existing !== undefined };
    },
    read: (ctx, id, inputs) => read(ctx, id, inputs),
    async update(ctx, id, olds, news) {
      const p = paths(ctx, id);
      if (JSON.stringify(project(olds, text(news))) !== JSON.stringify(text(news))) {
        const live = (await ctx.connection.graph.tryGet<Props>(p.branding, { headers: p.headers })) ?? {};
        await ctx.connection.graph.patch(p.branding, mergeComplex(live, text(news)), { headers: p.headers });
      }
      const oldHashes = (olds["assets"] ?? {}) as Props;
      const newHashes = (news["assets"] ?? {}) as Props;
      await putAssets(
        ctx,
        id,
        news,
        ASSET_KINDS.filter((k) => newHashes[k] !== undefined && newHashes[k] !== oldHashes[k]),
      );
      for (const kind of ASSET_KINDS.filter((k) => oldHashes[k] !== undefined && newHashes[k] === undefined))
        await ctx.connection.graph.delete(p.stream(kind));
      return { id, props: news };
    },
    async delete(ctx, id, outputs) {
      const p = paths(ctx, id);
      // Graph refuses to delete a branding that still has images.
      for (const kind of Object.keys((outputs["assets"] ?? {}) as Props))
        await ctx.connection.graph.delete(p.stream(kind as AssetKind));
      if (id === "0") await ctx.connection.graph.delete(p.branding, { headers: p.headers });
      else await ctx.connection.graph.delete(`${p.localizations}/${id}`);
    },
  };
}

export const organizationalBranding = brandingLogic("OrganizationalBranding", () => "0");
export const brandingLocalization = brandingLogic("BrandingLocalization", (inputs) => String(inputs["id"]));
