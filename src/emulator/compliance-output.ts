/**
 * How the Security & Compliance REST endpoint writes cmdlet output: the objects serialised as the service does
 * (numbers as strings, a published label as "<guid>,<name>"), OData `$select`, and pages of at most the
 * `Prefer: odata.maxpagesize` the client asked for with an absolute `@odata.nextLink` to re-post the same body to.
 */
import type { Json, Reply } from "./errors";
import type { TenantState } from "./store";

/** The request's URL and paging preference, and the emulator's own page-size ceiling. */
export interface CmdletRequest {
  /** The absolute URL the cmdlet was posted to (its query holds `$skiptoken` and `$select`). */
  readonly url: URL;
  /** From `Prefer: odata.maxpagesize=N`, when sent. */
  readonly maxPageSize: number | undefined;
  /** The most the emulator answers in a page (a service may page smaller than asked: OData 4.01 §8.2.8.3). */
  readonly pageCeiling: number;
}

/** The `odata.maxpagesize` of a `Prefer` header (OData 4.01 Protocol §8.2.8.3), if any. */
export function maxPageSize(prefer: string | undefined): number | undefined {
  const m = /(?:^|[,;\s])odata\.maxpagesize\s*=\s*(\d+)/i.exec(prefer ?? "");
  return m ? Math.max(1, Number(m[1])) : undefined;
}

/**
 * One object as the service writes it. Integer-valued properties come back as strings ("2555") and a rule's
 * PublishComplianceTag as "<label guid>,<label name>" entries — the shapes Get-* output shows over REST, which a client
 * must read back to the names and numbers it sent (see the client's own S&C tests for the documented examples).
 */
function serviceShape(tenant: TenantState, o: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === "PublishComplianceTag" && Array.isArray(v))
      out[k] = v.map((name) => {
        const label = tenant.compliance.ComplianceTag.find(
          (l) => l["Name"].toLowerCase() === String(name).toLowerCase(),
        );
        return label ? `${label["Guid"]},${label["Name"]}` : String(name);
      });
    else out[k] = typeof v === "number" ? String(v) : v;
  }
  return out;
}

/** `$select`: only the named properties (names compared case-insensitively, as PowerShell does). */
function select(o: Json, fields: string | null): Json {
  if (!fields) return o;
  const keep = new Set(fields.split(",").map((f) => f.trim().toLowerCase()));
  return Object.fromEntries(Object.entries(o).filter(([k]) => keep.has(k.toLowerCase())));
}

/** The 200 reply carrying `items` (one page of them) for `request`. */
export function cmdletOutput(tenant: TenantState, items: readonly Json[], request: CmdletRequest): Reply {
  const { url } = request;
  const size = Math.min(request.maxPageSize ?? request.pageCeiling, request.pageCeiling);
  const skip = Number(url.searchParams.get("$skiptoken") ?? 0);
  const fields = url.searchParams.get("$select");
  const body: Json = {
    "@odata.context": `${url.origin}/adminapi/beta/${tenant.tenantId}/$metadata#Collection(Exchange.GenericHashTable)`,
    value: items.slice(skip, skip + size).map((o) => select(serviceShape(tenant, o), fields)),
  };
  if (skip + size < items.length) {
    const next = new URL(url.toString());
    next.searchParams.set("$skiptoken", String(skip + size));
    body["@odata.nextLink"] = next.toString();
  }
  const applied = request.maxPageSize === undefined ? {} : { "Preference-Applied": `odata.maxpagesize=${size}` };
  return { status: 200, headers: applied, body };
}
