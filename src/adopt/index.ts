/**
 * `m365-baseline adopt`, its pure part: for every object the stack's first `pulumi up` would create, whether the
 * tenant already has it (by natural key), what `up` will then change in it, and what must be settled by hand first.
 * The azuread types become `m365-baseline:imports`; the dynamic types find their object by name on their own.
 */
import type { CompiledTenant, ResourceType } from "../core/desired";
import { resourceDefinition } from "../resources";
import type { Adoption, FileDigests } from "../resources/types";
import type { LiveSnapshot } from "../check/snapshot";
import { resourceDifferences } from "../check/evaluate";
import type { PropertyDifference } from "../report/types";
import type { Issue } from "../errors";

/** One Pulumi resource of the stack and what the first `up` does with the tenant's object. */
export type AdoptionRow = Adoption & {
  readonly controlId: string;
  readonly type: ResourceType;
  /** `import`: adopted through `m365-baseline:imports`; `provider`: our dynamic provider finds it by name. */
  readonly via: "import" | "provider";
  /** For the desired resource itself (not its parts): what `up` will change in the adopted object. */
  readonly differences?: readonly PropertyDifference[] | undefined;
};

/** Every resource of `compiled` with its adoption, in compile order. */
export function planAdoption(compiled: CompiledTenant, live: LiveSnapshot, files: FileDigests): AdoptionRow[] {
  return compiled.resources.flatMap((r): AdoptionRow[] => {
    const base = { controlId: r.controlId, type: r.type };
    const differences = resourceDifferences(r, live, files);
    const definition = resourceDefinition(r.type);
    const management = definition.management;
    if (management.kind === "dynamic") {
      const found = definition.check.find(r, live) as Record<string, unknown> | undefined;
      // Graph objects by id, S&C objects by their Guid (the provider's own resource id is the name).
      const id = String(found?.["id"] ?? found?.["Guid"] ?? found?.["Name"] ?? "");
      return [
        found === undefined
          ? { ...base, name: r.name, action: "create", via: "provider" }
          : { ...base, name: r.name, action: "adopt", id, importId: "", via: "provider", differences },
      ];
    }
    return management
      .adopt(r, live, files)
      .map((a) => ({ ...a, ...base, via: "import", ...(a.name === r.name && differences ? { differences } : {}) }));
  });
}

/** The `m365-baseline:imports` the adopted azuread resources need, by Pulumi name. */
export function importsOf(rows: readonly AdoptionRow[]): Record<string, string> {
  return Object.fromEntries(
    rows.flatMap((r) => (r.action === "adopt" && r.via === "import" ? [[r.name, r.importId] as const] : [])),
  );
}

/** One issue per conflict: `up` must not run until each is settled in the tenant. */
export function conflictIssues(rows: readonly AdoptionRow[], file: string): Issue[] {
  return rows.flatMap((r) =>
    r.action === "conflict"
      ? [{ file, path: `${r.controlId} ${r.name}`, message: `cannot adopt: ${r.reason}`, fix: r.fix }]
      : [],
  );
}
