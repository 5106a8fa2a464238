/**
 * Tenant-wide policy singletons (security defaults, authorization policy): always present, so create
 * adopts the live object, records the managed values it had, and delete restores them.
 */
import { project } from "../../providers/canonical";
import type { LiveState, LogicContext, Props, ResourceLogic } from "../../providers/types";

/**
 * The PATCH body for `desired`: complex properties merged over the live ones, since Graph PATCH replaces them whole.
 */
export function mergeComplex(live: Props, desired: Props): Props {
  const body: Props = {};
  for (const [key, value] of Object.entries(desired)) {
    const current = live[key];
    body[key] =
      value &&
      typeof value === "object" &&
      !Array.isArray(value) &&
      current &&
      typeof current === "object" &&
      !Array.isArray(current)
        ? { ...(current as Props), ...mergeComplex(current as Props, value as Props) }
        : value;
  }
  return body;
}

/** How a singleton type shapes what it reads and writes (both default to the object as Graph has it). */
export interface SingletonShape {
  /** The live object as the baseline sees it: settings it does not manage inside a managed property removed. */
  view?(live: Props): Props;
  /** The PATCH body: by default the desired properties merged over the live complex ones. */
  body?(live: Props, desired: Props): Props;
}

/** A singleton at `path` whose managed properties are written with one PATCH. */
export function singletonLogic(type: string, path: string, id: string, shape: SingletonShape = {}): ResourceLogic {
  const read = async (ctx: LogicContext, inputs: Props): Promise<{ live: Props; managed: Props }> => {
    const live = await ctx.connection.graph.get<Props>(path);
    return { live, managed: (project(shape.view ? shape.view(live) : live, inputs) ?? {}) as Props };
  };
  const write = async (ctx: LogicContext, live: Props, desired: Props): Promise<LiveState> => {
    await ctx.connection.graph.patch(path, shape.body ? shape.body(live, desired) : mergeComplex(live, desired));
    return { id, props: desired };
  };
  return {
    type,
    replaceKeys: [],
    bookkeeping: [],
    check: () => [],
    async create(ctx, inputs) {
      const { live, managed } = await read(ctx, inputs);
      const state = await write(ctx, live, inputs);
      // What the tenant had before the baseline took over; delete puts it back.
      return { ...state, extra: { previous: managed }, adopted: true };
    },
    async read(ctx, _id, inputs, outputs) {
      const { managed } = await read(ctx, inputs);
      return { id, props: managed, extra: { previous: outputs["previous"] } };
    },
    async update(ctx, _id, olds, news) {
      const { live } = await read(ctx, news);
      const state = await write(ctx, live, news);
      return { ...state, extra: { previous: olds["previous"] } };
    },
    async delete(ctx, _id, outputs) {
      const previous = outputs["previous"] as Props | undefined;
      if (!previous || Object.keys(previous).length === 0) return;
      const live = await ctx.connection.graph.get<Props>(path);
      await ctx.connection.graph.patch(path, mergeComplex(live, previous));
    },
  };
}
