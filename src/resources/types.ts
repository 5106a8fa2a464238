/**
 * What the tool knows about one kind of object it manages, in one place: where Graph (or the Security &
 * Compliance endpoint) keeps it, how `check` finds and views it, which changes weaken it in review, how the
 * plan summarises it, how the Pulumi program registers it and which permissions each operation needs. The
 * registry (./index) holds one definition per `ResourceType`, so a missing piece is a compile error.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { LiveSnapshot } from "../check/snapshot";
import type { CompiledTenant, DesiredResource, ResourceType } from "../core/desired";
import type { Permission } from "../controls/types";
import type { RefResolver } from "../program/refs";
import type { ResourceLogic } from "../providers/types";

export type Json = Record<string, unknown>;

/** Direction of one change in review: a weakening needs an exception before it reaches a tenant. */
export type ChangeKind = "weakening" | "strengthening" | "neutral";

/** Where the objects live: a Graph path (collection or singleton) or the S&C cmdlet noun. */
export type Endpoint =
  | { readonly api: "graph"; readonly path: string; readonly singleton: boolean }
  | { readonly api: "compliance"; readonly noun: string };

/** What a registrar gets from the program for one resource. */
export interface RegisterContext {
  readonly opts: pulumi.CustomResourceOptions;
  /** `opts` for the Pulumi resource named `name`, with its `import` id when the stack adopts an existing object. */
  optsFor(name: string): pulumi.CustomResourceOptions;
  readonly refs: RefResolver;
  readonly root: string;
  /** Registers one of our dynamic resources (`pulumi-nodejs:dynamic/m365:<type>`). */
  readonly dynamic: (type: string, name: string, inputs: Json, opts: pulumi.CustomResourceOptions) => pulumi.Resource;
}

/** How the program manages the type: an `@pulumi/azuread` resource, or our dynamic provider over Graph/S&C. */
export type Management =
  | {
      readonly kind: "azuread";
      /** Registers the azuread resource(s); loads @pulumi/azuread only when called. */
      register(resource: DesiredResource, ctx: RegisterContext): pulumi.Resource;
      /** The Pulumi names `register` gives the resources it registers (what `m365-baseline:imports` may name). */
      names(resource: DesiredResource): string[];
      /** For each of those resources: the live object `pulumi up` should adopt, or why it cannot, or create. */
      adopt(resource: DesiredResource, live: LiveSnapshot, files: FileDigests): Adoption[];
    }
  | {
      readonly kind: "dynamic";
      /** Pulumi type suffix: `pulumi-nodejs:dynamic/m365:<pulumiType>`; never renamed (state holds it). */
      readonly pulumiType: string;
      /** The provider logic, run in the dynamic-provider process. */
      readonly logic: ResourceLogic;
      /** The dynamic resource's inputs, when they are not the compiled properties as they are. */
      inputs?(resource: DesiredResource, root: string): Json;
    };

/**
 * How `check` matches and compares an object (`Live`: Microsoft's Graph model, or S&C cmdlet output); both views
 * are in the desired resource's vocabulary.
 */
export interface CheckViews<Live extends object = object> {
  /** The live object the desired resource stands for; `undefined` when it is missing. */
  find(resource: DesiredResource, live: LiveSnapshot): Live | undefined;
  /** The desired properties `check` can verify by reading; `files` gives repository files' digests by path. */
  desired(resource: DesiredResource, files: FileDigests): Json;
  /** The live object in the desired vocabulary. */
  live(resource: DesiredResource, found: Live, live: LiveSnapshot): unknown;
  /**
   * `complete`: the type owns its objects whole — both views are canonical and every property either has is
   * compared. `desiredKeys` (the default): only what the baseline sets, plus lists added inside managed objects.
   */
  readonly compare?: "desiredKeys" | "complete";
}

/**
 * What `m365-baseline adopt` found for one Pulumi resource: one live object of its natural key to import
 * (`importId` in the azuread provider's import form), none (`create`), or a `conflict` `up` must not guess about.
 */
export type Adoption =
  | { readonly name: string; readonly action: "adopt"; readonly id: string; readonly importId: string }
  | { readonly name: string; readonly action: "create" }
  | { readonly name: string; readonly action: "conflict"; readonly reason: string; readonly fix: string };

/** A repository file's digest by its path: SHA-256 (hex) of a branding file, the SHA-1 thumbprint of a certificate. */
export type FileDigests = ReadonlyMap<string, string>;

/** One managed resource type. */
export interface ResourceDefinition {
  readonly type: ResourceType;
  readonly endpoint: Endpoint;
  /** Application permissions `check` (read) and `pulumi up` (write) need for this type. */
  readonly permissions: { readonly read: readonly Permission[]; readonly write: readonly Permission[] };
  readonly check: CheckViews;
  /**
   * The direction of a change to the property at `path` (dot-separated, inside `properties`); `undefined`
   * leaves it to the rules every type shares (retention durations) and else neutral.
   */
  weakening(resource: DesiredResource, path: string, before: unknown, after: unknown): ChangeKind | undefined;
  /** True when adding such an object grants something (an identity, a trusted network): adding weakens. */
  grants(resource: DesiredResource): boolean;
  /** Key settings in a few words, in Graph's vocabulary, for the plan table. */
  summary(resource: DesiredResource): string;
  /** Registration order: lower first, so refs resolve to managed objects and dependencies exist. */
  readonly order: number;
  /** Names of compiled resources this one must wait for that compile cannot know. */
  implicitDependencies(resource: DesiredResource, compiled: CompiledTenant): string[];
  readonly management: Management;
}

/** Finds `resource` in `list` by its natural key, case-insensitively (Graph display names are). */
export function byNaturalKey<T extends object>(
  resource: DesiredResource,
  list: readonly T[],
  key = "displayName",
): T | undefined {
  const wanted = resource.naturalKey.toLowerCase();
  return list.find((o) => String((o as Record<string, unknown>)[key] ?? "").toLowerCase() === wanted);
}

/** No implicit dependencies. */
export const noDependencies = (): string[] => [];

/** Adds nothing that grants access. */
export const grantsNothing = (): boolean => false;
