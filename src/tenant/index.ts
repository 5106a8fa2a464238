/**
 * One tenant from disk to desired state: the stack file, its baseline, `compile()` and the checks of
 * every file it refers to. Everything the CLI and the Pulumi program need before touching Microsoft.
 */
import type { Baseline } from "../baseline/define";
import { loadBaseline } from "../baseline/load";
import { compile } from "../compile";
import type { CompiledTenant } from "../core/desired";
import type { Licences } from "../core/licences";
import { ValidationError, formatIssue, type Issue } from "../errors";
import { groupFile, listGroups, loadGroup } from "../stack/groups";
import { attributeIssues } from "../stack/layers";
import { stackNameIssue, strayStackFiles } from "../stack/files";
import { listStacks, loadStack, type LoadedStack } from "../stack/load";
import { duplicateTenantIssues, rawTenantId } from "./duplicates";
import { stackWarnings } from "./warnings";
import { checkCaCertificateFile, checkReferencedFiles, parameterOrigin } from "./files";
import { checkImports } from "./imports";
import { join } from "node:path";

/** A stack, its baseline and the compiled desired state. */
export interface LoadedTenant {
  readonly stack: LoadedStack;
  readonly baseline: Baseline;
  readonly compiled: CompiledTenant;
  /** Problems that do not stop the stack (e.g. an exception ending more than a year ahead); validate prints them. */
  readonly warnings: readonly Issue[];
  /**
   * Only for a stack with `licences: auto` (compiled offline with `OFFLINE_AUTO_LICENCES`): the same stack compiled
   * for the licences derived from its tenant's subscribedSkus, which `check` and the program read first.
   */
  readonly withLicences?: ((licences: Licences) => LoadedTenant) | undefined;
}

/** Today's date as YYYY-MM-DD (UTC), the clock exceptions and certificates are judged by. */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Loads and compiles one stack under `root`; throws ValidationError listing every problem. */
export function loadTenant(
  root: string,
  name: string,
  date: string,
  options: { allowUnexcusedWeakenings?: boolean } = {},
): LoadedTenant {
  return compileStack(root, loadStack(root, name), date, options);
}

/**
 * Compiles an already parsed stack (from a file or from Pulumi's configuration) and checks its files; `licences` is
 * what a `licences: auto` stack is compiled for (see `CompileOptions.licences`).
 */
export function compileStack(
  root: string,
  stack: LoadedStack,
  date: string,
  options: { allowUnexcusedWeakenings?: boolean; licences?: Licences | undefined } = {},
): LoadedTenant {
  try {
    const baseline = loadBaseline(root, stack.config.baseline, stack.file);
    const compiled = compile(baseline, stack.config, {
      file: stack.file,
      stack: stack.name,
      today: date,
      allowUnexcusedWeakenings: options.allowUnexcusedWeakenings,
      licences: options.licences,
    });
    const issues = [
      ...checkReferencedFiles(root, compiled, parameterOrigin(stack.config, stack.file, baseline.file), date),
      ...checkCaCertificateFile(root, stack.config, stack.file),
      ...checkImports(stack.config.imports, compiled, stack.file),
    ];
    if (issues.length > 0) throw new ValidationError(issues);
    const warnings = attributeIssues(stackWarnings(stack, date), stack.origins, stack.file);
    const auto = stack.config.licences === "auto" && options.licences === undefined;
    const withLicences = (licences: Licences) => compileStack(root, stack, date, { ...options, licences });
    return { stack, baseline, compiled, warnings, ...(auto ? { withLicences } : {}) };
  } catch (error) {
    // compile sees one merged stack; a value a group wrote is reported in the group file, at its own key path.
    if (error instanceof ValidationError && stack.origins)
      throw new ValidationError(attributeIssues(error.issues, stack.origins, stack.file));
    throw error;
  }
}

/** A stack (or a stray file under stacks/) that did not load, with every problem found in it. */
export interface FailedStack {
  /** The stack name, or the file name for a file under stacks/ that is not read as a stack. */
  readonly stack: string;
  readonly file: string;
  /** The tenantId the file names, when it was readable; empty otherwise. */
  readonly tenantId: string;
  readonly issues: readonly Issue[];
}

/**
 * Loads each of `names` (default: every stack under `root/stacks`, plus an error for each file there that looks
 * like a stack but is not read as one) on its own: one bad stack never hides the others' results.
 */
export function loadEachTenant(
  root: string,
  date: string,
  names?: readonly string[],
): { tenants: LoadedTenant[]; failed: FailedStack[] } {
  const selected = names ?? listStacks(join(root, "stacks"));
  const loaded = new Map<string, LoadedTenant>();
  const problems = new Map<string, Issue[]>();
  for (const name of selected) {
    try {
      loaded.set(name, loadTenant(root, name, date));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.set(name, [...error.issues]);
    }
  }
  const known = new Map([...loaded].map(([name, t]) => [name, t.stack.config.tenantId]));
  const named = selected.filter((n) => stackNameIssue(n) === undefined);
  for (const [name, issue] of duplicateTenantIssues(root, named, known)) {
    problems.set(name, [issue, ...(problems.get(name) ?? [])]);
    loaded.delete(name);
  }
  const failed: FailedStack[] = selected
    .filter((name) => problems.has(name))
    .map((name) => ({
      stack: name,
      file: stackNameIssue(name) ? "command line" : `stacks/Pulumi.${name}.yaml`,
      tenantId: known.get(name) ?? (stackNameIssue(name) ? undefined : rawTenantId(root, name)) ?? "",
      issues: problems.get(name)!,
    }));
  if (names === undefined) {
    for (const issue of strayStackFiles(root))
      failed.push({ stack: issue.file.replace(/^stacks\//, ""), file: issue.file, tenantId: "", issues: [issue] });
    failed.push(...unreportedGroupFailures(root, failed));
  }
  return { tenants: selected.flatMap((n) => loaded.get(n) ?? []), failed };
}

/** Every group file under `root` that does not load, unless a stack listing it already reported the same issues. */
function unreportedGroupFailures(root: string, failed: readonly FailedStack[]): FailedStack[] {
  const seen = new Set(failed.flatMap((f) => f.issues.map(formatIssue)));
  return listGroups(root).flatMap((name) => {
    try {
      loadGroup(root, name);
      return [];
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const issues = error.issues.filter((i) => !seen.has(formatIssue(i)));
      return issues.length > 0 ? [{ stack: `groups/${name}.yaml`, file: groupFile(name), tenantId: "", issues }] : [];
    }
  });
}

/** Loads every stack under `root/stacks` (or `names`), collecting all problems of all stacks before failing. */
export function loadAllTenants(root: string, date: string, names?: readonly string[]): LoadedTenant[] {
  const { tenants, failed } = loadEachTenant(root, date, names);
  if (failed.length > 0) throw new ValidationError(failed.flatMap((f) => f.issues));
  return tenants;
}
