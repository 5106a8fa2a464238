/**
 * The contract between the capture-free Pulumi shim and the provider logic: one `ResourceLogic` per
 * resource type, written against the Graph/S&C clients only, so it is unit-testable without Pulumi.
 */
import type { TenantConnection } from "../graph/types";

/** The value Pulumi passes for anything not yet known during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Props = Record<string, unknown>;

/** What every logic call gets: the tenant's clients and the project root (for asset files). */
export interface LogicContext {
  readonly connection: TenantConnection;
  readonly root: string;
}

/** A failed input check, in Pulumi's shape. */
export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/** The live object projected onto the managed properties, plus bookkeeping outputs. */
export interface LiveState {
  readonly id: string;
  /** Managed properties as they are live, in the same shape as the inputs. */
  readonly props: Props;
  /** Outputs that are not inputs (asset hashes, adoption, values to restore on delete). */
  readonly extra?: Props;
}

/**
 * One resource type. `inputs` are the desired properties (Graph or S&C vocabulary) the program passes;
 * keys listed in `bookkeeping` are carried along but never diffed.
 */
export interface ResourceLogic {
  /** Pulumi type suffix: `pulumi-nodejs:dynamic/m365:<type>`. */
  readonly type: string;
  /** Input keys that cannot change in place; a change replaces the object. */
  readonly replaceKeys: readonly string[];
  /** Input keys that are not Graph properties (asset paths, acknowledgements); never compared. */
  readonly bookkeeping: readonly string[];
  /** Every problem with the inputs at once; unknown values are skipped. */
  check(inputs: Props, root: string): CheckFailure[];
  /** Creates the object, or adopts an existing one with the same natural key, and converges it. */
  create(ctx: LogicContext, inputs: Props): Promise<LiveState & { readonly adopted: boolean }>;
  /** Reads the live object projected onto `inputs`' keys; undefined when it is gone. */
  read(ctx: LogicContext, id: string, inputs: Props, outputs: Props): Promise<LiveState | undefined>;
  /** Converges the live object from `olds` (stored outputs) to `news`. */
  update(ctx: LogicContext, id: string, olds: Props, news: Props): Promise<LiveState>;
  /** Deletes the object (404 is success), or restores the recorded value for tenant singletons. */
  delete(ctx: LogicContext, id: string, outputs: Props): Promise<void>;
}
