/**
 * What an exception excuses: its whole control, or — when it names `properties` — only differences and weakenings at
 * those property paths (as check and review print them, e.g. `conditions.users.excludeUsers`), so the rest of the
 * control is still checked and still needs its own exception to weaken.
 */

/** An exception as a stack file writes it. */
export interface ExceptionScope {
  readonly control: string;
  readonly expires: string;
  readonly properties?: readonly string[] | undefined;
}

/** True when `scope` names no properties, or names `path` or one of its parents (`a.b` covers `a.b.c`, `a.b[0]`). */
export function exceptionCovers(scope: ExceptionScope, path: string): boolean {
  if (!scope.properties || scope.properties.length === 0) return true;
  // Multi-resource controls prefix a path with its resource ("ret02-mail-rule: RetentionDuration").
  const candidates = [path, path.replace(/^[^:]+:\s*/, "")];
  return scope.properties.some((p) =>
    candidates.some((c) => c === p || c.startsWith(`${p}.`) || c.startsWith(`${p}[`)),
  );
}

/** The unexpired exception of `controlId` on `today` that covers `path` (any path when `path` is undefined). */
export function exceptionFor<T extends ExceptionScope>(
  exceptions: readonly T[],
  controlId: string,
  today: string,
  path?: string,
): T | undefined {
  return exceptions.find(
    (e) => e.control === controlId && e.expires >= today && (path === undefined || exceptionCovers(e, path)),
  );
}
