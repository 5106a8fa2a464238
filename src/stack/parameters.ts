/**
 * Where a control's tenant-specific parameters sit in a stack file: under `overrides.<id>`, or in a section of
 * their own the control names (`branding`, `backupApp`, `retention.labels`). Core code asks here and never
 * switches on a control's id.
 */
import type { StackConfig } from "./schema";

/** A stack section that holds one control's parameters, or one field of it (the field becomes the parameter). */
export type StackSection =
  | { readonly section: "branding" | "backupApp" }
  | { readonly section: "retention"; readonly field: "labels" | "policies" };

/** The parameters the stack sets for a control, and the stack key (without namespace) they are written under. */
export interface StackParameters {
  /** `overrides.CA02`, `branding`, `retention`: the prefix of every key path inside `value`. */
  readonly key: string;
  readonly value: Readonly<Record<string, unknown>> | undefined;
}

/** The stack's parameters for control `id`, read from its own section when it names one. */
export function stackParameters(stack: StackConfig, id: string, where: StackSection | undefined): StackParameters {
  if (where === undefined) return { key: `overrides.${id}`, value: stack.overrides[id] };
  if (where.section === "retention") {
    const field = stack.retention?.[where.field];
    return { key: "retention", value: field === undefined ? undefined : { [where.field]: field } };
  }
  return { key: where.section, value: stack[where.section] };
}
