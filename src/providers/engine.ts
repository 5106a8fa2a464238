/**
 * Turns a `ResourceLogic` into Pulumi's dynamic `ResourceProvider` calls: explicit boolean diffs with
 * immutable keys in `replaces`, reads that return live `props` and `inputs` (so `preview --refresh`
 * shows drift), an empty id when the object is gone, and outputs that never hold a secret.
 */
import { InternalError } from "../errors";
import { changedKeys, containsUnknown, managed } from "./canonical";
import type { LogicContext, Props, ResourceLogic } from "./types";

/** Outputs that are not inputs: recorded by create, carried by read/update, never diffed. */
const EXTRA_KEYS = ["previous", "adopted"];

/** The subset of Pulumi's dynamic-provider interface this project implements, with plain objects. */
export interface DynamicCalls {
  check(olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
  diff(
    id: string,
    olds: Props,
    news: Props,
  ): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }>;
  create(inputs: Props): Promise<{ id: string; outs: Props }>;
  read(id: string, props: Props): Promise<{ id: string; props: Props; inputs?: Props }>;
  update(id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
  delete(id: string, props: Props): Promise<void>;
}

/** Plain JSON: `undefined` members dropped, since the engine's protobuf Struct cannot carry them. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Provider calls for `logic`, with the tenant context created on first use. */
export function dynamicCalls(logic: ResourceLogic, context: () => LogicContext, root: string): DynamicCalls {
  const ignore = [...logic.bookkeeping, ...EXTRA_KEYS];
  const inputsOf = (props: Props) => managed(props, EXTRA_KEYS);
  // The engine keeps only the message: it gets the resource and the step in front, the error keeps its type.
  const fail = (what: string, id: string, error: unknown): never => {
    const prefix = `${logic.type} '${id}': ${what} failed: `;
    if (!(error instanceof Error)) throw new InternalError(`${prefix}${String(error)} (thrown as a non-Error)`);
    error.message = `${prefix}${error.message}`;
    throw error;
  };
  return {
    async check(_olds, news) {
      // Each logic skips values still unknown during preview; a failure names the property and the fix.
      return { inputs: news, failures: logic.check(inputsOf(news), root) };
    },
    async diff(_id, olds, news) {
      const keys = changedKeys(olds, news, ignore);
      // An immutable key only forces replacement when both sides are known and differ.
      const replaces = keys.filter(
        (k) => logic.replaceKeys.includes(k) && !containsUnknown(news[k]) && olds[k] !== undefined,
      );
      return { changes: keys.length > 0, replaces, deleteBeforeReplace: replaces.length > 0 };
    },
    async create(inputs) {
      const desired = inputsOf(inputs);
      try {
        const state = await logic.create(context(), desired);
        return plain({
          id: state.id,
          outs: { ...desired, ...state.props, ...(state.extra ?? {}), adopted: state.adopted },
        });
      } catch (error) {
        return fail("create", String(desired["displayName"] ?? desired["Name"] ?? desired["id"] ?? logic.type), error);
      }
    },
    async read(id, props) {
      try {
        const live = await logic.read(context(), id, inputsOf(props), props);
        if (!live) return { id: "", props: {} };
        return plain({
          id: live.id,
          props: { ...live.props, ...(live.extra ?? {}), adopted: props["adopted"] },
          inputs: live.props,
        });
      } catch (error) {
        return fail("read", id, error);
      }
    },
    async update(id, olds, news) {
      try {
        const state = await logic.update(context(), id, olds, inputsOf(news));
        return plain({ outs: { ...inputsOf(news), ...state.props, ...(state.extra ?? {}), adopted: olds["adopted"] } });
      } catch (error) {
        return fail("update", id, error);
      }
    },
    async delete(id, props) {
      try {
        await logic.delete(context(), id, props);
      } catch (error) {
        fail("delete", id, error);
      }
    },
  };
}
