/**
 * The OData query subset Graph supports on the collections we use: `$filter` with eq, ne, startswith,
 * in, and, and ge/gt/le/lt on a DateTimeOffset (sign-ins: `createdDateTime ge 2026-11-20T00:00:00Z`); `$select`;
 * `$top`; paging with absolute `@odata.nextLink` via `$skiptoken`.
 */
import { badRequest, type Json, type Reply } from "./errors";

type Predicate = (o: Json) => boolean;

/** Parses a `$filter`; a clause outside the subset is Graph's 400 `Request_UnsupportedQuery`. */
export function parseFilter(filter: string): Predicate | Reply {
  const clauses = splitAnd(filter.trim());
  const predicates: Predicate[] = [];
  for (const clause of clauses) {
    let m: RegExpExecArray | null;
    if ((m = /^(\w+(?:\/\w+)?) (eq|ne) '((?:[^']|'')*)'$/i.exec(clause))) {
      const [, field, op, raw] = m as unknown as [string, string, string, string];
      const value = raw.replace(/''/g, "'").toLowerCase();
      predicates.push((o) => (String(get(o, field) ?? "").toLowerCase() === value) === (op.toLowerCase() === "eq"));
    } else if ((m = /^(\w+) eq (true|false)$/i.exec(clause))) {
      const [, field, raw] = m as unknown as [string, string, string];
      predicates.push((o) => o[field] === (raw.toLowerCase() === "true"));
    } else if ((m = /^(\w+) (ge|gt|le|lt) (\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2}))$/i.exec(clause))) {
      // An unquoted DateTimeOffset literal, compared as an instant (OData ABNF: dateTimeOffsetValue).
      const [, field, op, raw] = m as unknown as [string, string, string, string];
      const bound = Date.parse(raw);
      const compare: Record<string, (a: number) => boolean> = {
        ge: (a) => a >= bound,
        gt: (a) => a > bound,
        le: (a) => a <= bound,
        lt: (a) => a < bound,
      };
      const test = compare[op.toLowerCase()]!;
      predicates.push((o) => {
        const at = Date.parse(String(o[field] ?? ""));
        return !Number.isNaN(at) && test(at);
      });
    } else if ((m = /^startswith\((\w+), ?'((?:[^']|'')*)'\)$/i.exec(clause))) {
      const [, field, raw] = m as unknown as [string, string, string];
      const value = raw.replace(/''/g, "'").toLowerCase();
      predicates.push((o) =>
        String(o[field] ?? "")
          .toLowerCase()
          .startsWith(value),
      );
    } else if ((m = /^(\w+) in \((.*)\)$/i.exec(clause))) {
      const [, field, list] = m as unknown as [string, string, string];
      const values = new Set(
        [...list.matchAll(/'((?:[^']|'')*)'/g)].map((v) => v[1]!.replace(/''/g, "'").toLowerCase()),
      );
      predicates.push((o) => values.has(String(o[field] ?? "").toLowerCase()));
    } else {
      return badRequest(`Invalid filter clause: ${clause}`, "Request_UnsupportedQuery");
    }
  }
  return (o) => predicates.every((p) => p(o));
}

function splitAnd(filter: string): string[] {
  // "and" outside quotes and parentheses separates clauses.
  const parts: string[] = [];
  let depth = 0,
    quoted = false,
    start = 0;
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === "(") depth++;
    else if (!quoted && c === ")") depth--;
    else if (!quoted && depth === 0 && filter.slice(i, i + 5).toLowerCase() === " and ") {
      parts.push(filter.slice(start, i).trim());
      start = i + 5;
      i += 4;
    }
  }
  parts.push(filter.slice(start).trim());
  return parts.filter(Boolean);
}

function get(o: Json, path: string): unknown {
  return path.split("/").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Json)[k] : undefined), o);
}

/** `$select`: id and @odata.type always stay, as Graph returns them. */
export function select(o: Json, fields: string | null): Json {
  if (!fields) return o;
  const keep = new Set(fields.split(",").map((f) => f.trim()));
  return Object.fromEntries(Object.entries(o).filter(([k]) => keep.has(k) || k === "id" || k === "@odata.type"));
}

/**
 * A page of `items` for the request URL, with an absolute nextLink when more remain — also under `$top`, which sets
 * the page size ("If more items remain in the result set, the response body will contain an @odata.nextLink":
 * learn.microsoft.com/graph/query-parameters, $top).
 */
export function page(url: URL, items: readonly Json[], pageSize: number, context: string): Json {
  const top = url.searchParams.get("$top");
  const size = top ? Math.min(Number(top), pageSize) : pageSize;
  const skip = Number(url.searchParams.get("$skiptoken") ?? 0);
  const slice = items.slice(skip, skip + size).map((o) => select(o, url.searchParams.get("$select")));
  const body: Json = { "@odata.context": context, value: slice };
  if (skip + size < items.length) {
    const next = new URL(url.toString());
    next.searchParams.set("$skiptoken", String(skip + size));
    body["@odata.nextLink"] = next.toString();
  }
  return body;
}

/** Filtered collection, or the 400 for an unsupported filter. */
export function query(url: URL, items: readonly Json[]): Json[] | Reply {
  const filter = url.searchParams.get("$filter");
  if (!filter) return [...items];
  const predicate = parseFilter(filter);
  return typeof predicate === "function" ? items.filter(predicate) : predicate;
}
