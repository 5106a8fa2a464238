/**
 * `defineBaseline()`: a typed list of controls with their default stage and parameters. It validates
 * every control's parameters against the control's schema when the baseline file loads.
 */
import type { Stage } from "../core/desired";
import { ValidationError, type Issue } from "../errors";
import { controls, findControl, type ControlId, type ControlInput } from "../controls";
import { zodIssues } from "../stack/issues";

/** One control as a baseline enables it. */
export interface BaselineEntry<K extends ControlId> {
  /** Default rollout stage; tenants move it with `stages` in their stack file. */
  readonly stage: Exclude<Stage, "off">;
  readonly params?: ControlInput<K>;
}

export interface BaselineSpec {
  /** Must equal the file name: `baselines/<name>.ts`. */
  readonly name: string;
  readonly description: string;
  readonly controls: { readonly [K in ControlId]?: BaselineEntry<K> };
}

/** A loaded, validated baseline. Parameters stay in input form so stack overrides merge before defaults apply. */
export interface Baseline {
  readonly name: string;
  readonly description: string;
  readonly file: string;
  readonly controls: ReadonlyMap<
    ControlId,
    { readonly stage: Exclude<Stage, "off">; readonly params: Readonly<Record<string, unknown>> }
  >;
}

/** Declares and validates a baseline; throws ValidationError naming `baselines/<name>.ts` and the key path. */
export function defineBaseline(spec: BaselineSpec): Baseline {
  const file = `baselines/${spec.name}.ts`;
  const issues: Issue[] = [];
  const entries = new Map<ControlId, { stage: Exclude<Stage, "off">; params: Record<string, unknown> }>();
  for (const [id, entry] of Object.entries(spec.controls) as [string, BaselineEntry<ControlId> | undefined][]) {
    const control = findControl(id);
    if (!control || !entry) {
      issues.push({
        file,
        path: `controls.${id}`,
        message: `unknown control '${id}'`,
        fix: `use one of ${Object.keys(controls).join(", ")}`,
      });
      continue;
    }
    const params = (entry.params ?? {}) as Record<string, unknown>;
    const parsed = control.schema.safeParse(params);
    if (!parsed.success) issues.push(...zodIssues(parsed.error, file, `controls.${id}.params`));
    entries.set(id as ControlId, { stage: entry.stage, params });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return { name: spec.name, description: spec.description, file, controls: entries };
}
