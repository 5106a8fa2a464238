/**
 * One tenant from disk to desired state: the stack file, its baseline, `compile()` and the checks of
 * every file it refers to. Everything the CLI and the Pulumi program need before touching Microsoft.
 */
import type { Baseline } from "../baseline/define";
import { loadBaseline } from "../baseline/load";
import { compile } from "../compile";
import type { CompiledTenant } from "../core/desired";
import { ValidationError, type Issue } from "../errors";
import { listStacks, loadStack, type LoadedStack } from "../stack/load";
import { checkCaCertificateFile, checkReferencedFiles, parameterOrigin } from "./files";
import { join } from "node:path";

/** A stack, its baseline and the compiled desired state. */
export interface LoadedTenant {
  readonly stack: LoadedStack;
  readonly baseline: Baseline;
  readonly compiled: CompiledTenant;
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

/** Compiles an already parsed stack (from a file or from Pulumi's configuration) and checks its files. */
export function compileStack(
  root: string,
  stack: LoadedStack,
  date: string,
  options: { allowUnexcusedWeakenings?: boolean } = {},
): LoadedTenant {
  const baseline = loadBaseline(root, stack.config.baseline, stack.file);
  const compiled = compile(baseline, stack.config, {
    file: stack.file,
    stack: stack.name,
    today: date,
    allowUnexcusedWeakenings: options.allowUnexcusedWeakenings,
  });
  const issues = [
    ...checkReferencedFiles(root, compiled, parameterOrigin(stack.config, stack.file, baseline.file), date),
    ...checkCaCertificateFile(root, stack.config, stack.file),
  ];
  if (issues.length > 0) throw new ValidationError(issues);
  return { stack, baseline, compiled };
}

/** Loads every stack under `root/stacks`, collecting all problems of all stacks before failing. */
export function loadAllTenants(
  root: string,
  date: string,
  names: readonly string[] = listStacks(join(root, "stacks")),
): LoadedTenant[] {
  const tenants: LoadedTenant[] = [];
  const issues: Issue[] = [];
  for (const name of names) {
    try {
      tenants.push(loadTenant(root, name, date));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      issues.push(...error.issues);
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return tenants;
}
