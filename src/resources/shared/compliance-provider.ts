/**
 * Provider logic for objects of the Security & Compliance endpoint (`Get-/New-/Set-/Remove-<noun>`): identified by
 * Name, adopted when one exists, immutable settings replace. Each retention type instantiates it in its own folder.
 */
import { project } from "../../providers/canonical";
import type { CheckFailure, LiveState, LogicContext, Props, ResourceLogic } from "../../providers/types";
import { refused } from "./refused";

export const LOCATIONS = [
  "ExchangeLocation",
  "SharePointLocation",
  "OneDriveLocation",
  "ModernGroupLocation",
  "TeamsChannelLocation",
  "TeamsChatLocation",
];

/** The object named `name` (case-insensitively, as the service compares names). */
export const byName = (all: readonly Props[], name: string): Props | undefined =>
  all.find((o) => String(o["Name"]).toLowerCase() === name.toLowerCase());

async function findByName(ctx: LogicContext, cmdlet: string, name: string): Promise<Props | undefined> {
  // Listing and matching by Name behaves the same whether or not the service errors on an unknown -Identity.
  return byName(await ctx.connection.compliance.invoke<Props>(cmdlet), name);
}

/** Location lists come back as strings or as objects with a Name; compare names. */
export function locationNames(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : [value];
  const names = list
    .map((v) => (v && typeof v === "object" ? String((v as Props)["Name"] ?? (v as Props)["DisplayName"]) : String(v)))
    .filter((v) => v !== "");
  return names.length > 0 ? names : undefined;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The label names a rule's `PublishComplianceTag` holds: the service returns each entry as "<guid>,<name>" (in a list,
 * or joined in one string), where the cmdlet took names; the GUID parts are dropped. Undefined when there are none.
 */
export function tagList(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const parts = (Array.isArray(value) ? value.map(String) : [String(value)]).flatMap((entry) => entry.split(","));
  const names = parts.map((p) => p.trim()).filter((p) => p !== "" && !GUID.test(p));
  return names.length > 0 ? names : undefined;
}

export function duration(value: unknown): number | string | undefined {
  if (value === undefined || value === null) return undefined;
  return /^unlimited$/i.test(String(value)) ? "Unlimited" : Number(value);
}

export function named(
  type: string,
  replaceKeys: string[],
  bookkeeping: string[],
  ops: {
    get: string;
    newCmd: string;
    set: string;
    remove: string;
    check?: (inputs: Props) => CheckFailure[];
    toParams: (inputs: Props) => Props;
    setParams: (olds: Props, news: Props) => Props | undefined;
    fromLive: (live: Props, inputs: Props) => Props;
    beforeDelete?: (ctx: LogicContext, name: string, outputs: Props) => Promise<void>;
    /**
     * The existing object the inputs describe, for objects the service names itself (default: by Name); throws when
     * the match is ambiguous.
     */
    find?: (all: readonly Props[], inputs: Props) => Props | undefined;
  },
): ResourceLogic {
  const nameOf = (inputs: Props) => String(inputs["Name"] ?? inputs["displayName"]);
  const state = (live: Props, inputs: Props): LiveState => ({
    id: String(live["Name"]),
    props: {
      ...(project(ops.fromLive(live, inputs), inputs) as Props),
      ...Object.fromEntries(bookkeeping.map((k) => [k, inputs[k]])),
    },
  });
  return {
    type,
    replaceKeys,
    bookkeeping,
    check: (inputs) => ops.check?.(inputs) ?? [],
    async create(ctx, inputs) {
      const all = await ctx.connection.compliance.invoke<Props>(ops.get);
      const existing = ops.find ? ops.find(all, inputs) : byName(all, nameOf(inputs));
      if (existing) {
        // The service's name is the id: the same as the baseline's, except for objects the service names itself.
        const id = String(existing["Name"]);
        const current = state(existing, inputs).props;
        const differing = replaceKeys.filter((k) => JSON.stringify(current[k]) !== JSON.stringify(inputs[k]));
        if (differing.length > 0)
          throw refused(
            `${type} '${nameOf(inputs)}' already exists with different ${differing.join(", ")}, which cannot change in place`,
            "rename it in the baseline or remove the existing one after review",
          );
        const params = ops.setParams(current, inputs);
        if (params) await ctx.connection.compliance.invoke(ops.set, { Identity: id, ...params });
        return { id, props: inputs, adopted: true };
      }
      const [created] = await ctx.connection.compliance.invoke<Props>(ops.newCmd, ops.toParams(inputs));
      if (!ops.find) return { id: nameOf(inputs), props: inputs, adopted: false };
      // New-* answers with the object it made; the service-chosen name is read back when the answer lacks it.
      const made = created?.["Name"]
        ? created
        : ops.find(await ctx.connection.compliance.invoke<Props>(ops.get), inputs);
      if (!made)
        throw refused(
          `${type}: ${ops.newCmd} succeeded but ${ops.get} does not list the new object yet`,
          "run 'pulumi refresh' and 'pulumi up' again",
        );
      return { id: String(made["Name"]), props: inputs, adopted: false };
    },
    async read(ctx, id, inputs) {
      const live = await findByName(ctx, ops.get, id);
      return live ? state(live, inputs) : undefined;
    },
    async update(ctx, id, olds, news) {
      const params = ops.setParams(olds, news);
      if (params) await ctx.connection.compliance.invoke(ops.set, { Identity: id, ...params });
      return { id, props: news };
    },
    async delete(ctx, id, outputs) {
      if (!(await findByName(ctx, ops.get, id))) return;
      await ops.beforeDelete?.(ctx, id, outputs);
      await ctx.connection.compliance.invoke(ops.remove, { Identity: id });
    },
  };
}

/** True when `key` differs between the stored outputs and the new inputs. */
export const changed = (olds: Props, news: Props, key: string) =>
  JSON.stringify(olds[key]) !== JSON.stringify(news[key]);
