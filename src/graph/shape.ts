/**
 * The shape checks a 2xx body must pass before anything reads it: an object where Graph returns an entity, and a
 * `value` list where it returns a collection (Graph docs, "Paging": every collection response carries `value`).
 * Anything else is a GraphRequestError, never read as "no objects": an empty list would make `check` report every
 * managed object missing, or an unmanaged policy absent, on the word of a broken proxy or a wrong endpoint.
 */
import { GraphRequestError } from "../errors";

const FIX =
  "Microsoft Graph does not answer this way: check that endpoints.graph points at Graph and that no proxy in between rewrites responses, then run again";

/** What `value` is, in a few words, for the message. */
function kind(value: unknown): string {
  if (value === undefined) return "empty";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** The error for a 2xx response whose body is not what the call expects. */
export function invalidBody(method: string, path: string, status: number, what: string): GraphRequestError {
  return new GraphRequestError({ status, code: "InvalidResponseBody", message: `${what} (${FIX})`, method, path });
}

/** Returns `body` when it is a JSON object, else throws `invalidBody`. */
export function expectObject(body: unknown, method: string, path: string, status = 200): Record<string, unknown> {
  if (typeof body === "object" && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  throw invalidBody(method, path, status, `the response body is ${kind(body)}, not a JSON object`);
}

/** Returns the `value` list of a collection body, else throws `invalidBody`. */
export function expectList<T>(body: unknown, method: string, path: string, status = 200): T[] {
  const value = expectObject(body, method, path, status)["value"];
  if (Array.isArray(value)) return value as T[];
  throw invalidBody(
    method,
    path,
    status,
    value === undefined
      ? "the collection response has no `value` list"
      : `the response's \`value\` is ${kind(value)}, not a list`,
  );
}
