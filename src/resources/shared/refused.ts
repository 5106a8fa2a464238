/**
 * The error a provider raises when the tenant's current state refuses what the baseline asks for: the input cannot
 * be applied as it is, so it is a ValidationError naming the tenant, with the fix (in the baseline or the tenant).
 * The engine puts the resource and the step in front of its message.
 */
import { ValidationError } from "../../errors";

/** Where a tenant-state refusal points: the tenant the provider is converging. */
export const TENANT = "the tenant";

/** A ValidationError for `message` about the tenant's state, with `fix`; `path` names the baseline key when known. */
export function refused(message: string, fix: string, file: string = TENANT, path = ""): ValidationError {
  return new ValidationError([{ file, path, message, fix }]);
}
