/**
 * Graph's error bodies (`{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`) and the
 * reply helpers every route uses.
 */
import { randomUUID } from "node:crypto";

// Request and stored bodies are untyped Graph JSON; each route checks what it reads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped Graph JSON
export type Json = Record<string, any>;

/** A response the router produces; the server writes it (after latency and faults). */
export interface Reply {
  readonly status: number;
  readonly body?: Json | Buffer | string | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/** Graph's error body: `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`. */
export function graphError(status: number, code: string, message: string, extra: Json = {}): Reply {
  const requestId = randomUUID();
  return {
    status,
    headers: { "request-id": requestId },
    body: {
      error: {
        code,
        message,
        ...extra,
        innerError: {
          date: new Date().toISOString().slice(0, 19),
          "request-id": requestId,
          "client-request-id": requestId,
        },
      },
    },
  };
}

export const ok = (body: Json, status = 200): Reply => ({ status, body });
export const noContent = (): Reply => ({ status: 204 });
export const notFound = (what: string): Reply =>
  graphError(
    404,
    "Request_ResourceNotFound",
    `Resource '${what}' does not exist or one of its queried reference-property objects are not present.`,
  );
export const badRequest = (message: string, code = "Request_BadRequest", extra: Json = {}): Reply =>
  graphError(400, code, message, extra);

/** A new directory object id. */
export function newId(): string {
  return randomUUID();
}
