/**
 * `m365-baseline:imports` against the compiled tenant: an import naming a resource the program does not register
 * would be ignored by Pulumi without a word, and the object it meant would then be created a second time.
 */
import type { CompiledTenant } from "../core/desired";
import type { Issue } from "../errors";
import { resourceDefinition } from "../resources";

/** The Pulumi names of every azuread resource the program registers for `compiled`. */
export function importableNames(compiled: CompiledTenant): Set<string> {
  const names = new Set<string>();
  for (const r of compiled.resources) {
    const management = resourceDefinition(r.type).management;
    if (management.kind === "azuread") for (const n of management.names(r)) names.add(n);
  }
  return names;
}

/** One issue per import that names no resource the program registers. */
export function checkImports(
  imports: Readonly<Record<string, string>>,
  compiled: CompiledTenant,
  file: string,
): Issue[] {
  const names = importableNames(compiled);
  return Object.keys(imports)
    .filter((name) => !names.has(name))
    .map((name) => ({
      file,
      path: `m365-baseline:imports.${name}`,
      message: `'${name}' is not a resource this stack registers with @pulumi/azuread`,
      fix: "remove the entry (its control may be off, or renamed), or run m365-baseline adopt --write again",
    }));
}
