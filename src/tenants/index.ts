/**
 * `m365-baseline tenants`: the customer tenants a partner reaches through granular delegated admin relationships
 * (GDAP: `GET /tenantRelationships/delegatedAdminRelationships` in the partner's own tenant), each with the stack
 * that manages it or none yet; and the first stack file for one of them. Pure; the command reads.
 */
import type * as Graph from "@microsoft/microsoft-graph-types";
import { stringify } from "yaml";
import { NS } from "../stack/schema";

/** One customer tenant: its relationships (a customer may have several), and the stack that manages it. */
export interface CustomerRow {
  readonly tenantId: string;
  readonly displayName: string;
  /** `active` when any relationship is; else the most recent relationship's status. */
  readonly status: string;
  readonly relationships: readonly { readonly displayName: string; readonly status: string; readonly ends?: string }[];
  readonly stack?: string | undefined;
}

/** Customers of `relationships`, sorted by name, each matched (case-insensitively by tenant id) to a stack. */
export function customerRows(
  relationships: readonly Graph.DelegatedAdminRelationship[],
  stacks: readonly { readonly name: string; readonly tenantId: string }[],
): CustomerRow[] {
  const byTenant = new Map<string, Graph.DelegatedAdminRelationship[]>();
  for (const r of relationships) {
    const id = r.customer?.tenantId?.toLowerCase();
    if (id) byTenant.set(id, [...(byTenant.get(id) ?? []), r]);
  }
  const stackOf = new Map(stacks.map((s) => [s.tenantId.toLowerCase(), s.name]));
  return [...byTenant]
    .map(([tenantId, list]) => {
      const latest = [...list].sort((a, b) => String(b.createdDateTime).localeCompare(String(a.createdDateTime)));
      const status = list.some((r) => r.status === "active") ? "active" : String(latest[0]!.status ?? "unknown");
      return {
        tenantId,
        displayName: String(latest.find((r) => r.customer?.displayName)?.customer?.displayName ?? tenantId),
        status,
        relationships: latest.map((r) => ({
          displayName: String(r.displayName ?? r.id),
          status: String(r.status ?? "unknown"),
          ...(r.endDateTime ? { ends: r.endDateTime.slice(0, 10) } : {}),
        })),
        stack: stackOf.get(tenantId),
      };
    })
    .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.tenantId.localeCompare(b.tenantId));
}

/** One line per customer (status, tenant id, name, stack or "no stack"), then the count without a stack. */
export function renderCustomers(rows: readonly CustomerRow[]): string {
  const width = Math.max(...rows.map((r) => r.displayName.length), 4);
  const lines = rows.map((r) => {
    const ends = r.relationships.find((x) => x.status === r.status)?.ends;
    const stack = r.stack ? `stacks/Pulumi.${r.stack}.yaml` : "no stack";
    return `  ${r.status.padEnd(16)} ${r.tenantId}  ${r.displayName.padEnd(width)}  ${stack}${ends ? ` (ends ${ends})` : ""}`;
  });
  const missing = rows.filter((r) => !r.stack && r.status === "active").length;
  const next =
    missing > 0
      ? `${missing} active customer(s) without a stack: m365-baseline tenants --new <name> --tenant <id> writes one.`
      : "Every active customer has a stack.";
  return (
    [`tenants: ${rows.length} customer(s) through delegated admin relationships`, ...lines, next].join("\n") + "\n"
  );
}

/** What a new stack needs that GDAP does not say: the initial domain and the break-glass accounts. */
export interface NewStackInput {
  readonly tenantId: string;
  readonly displayName: string;
  readonly primaryDomain: string;
  readonly breakGlass: readonly string[];
  readonly baseline: string;
  /** The Entra ID plans the operator says the tenant has; `check` reports what its subscribedSkus say. */
  readonly licences: { readonly entraIdP1: boolean; readonly entraIdP2: boolean };
}

/**
 * The text of a new stack file for one customer: its own ids only (no secrets, no other tenant's values), every
 * control in report-only (the baseline's default) until the operator enforces it, and the deploying app from
 * `stacks/fleet.yaml` unless one is given.
 */
export function newStackText(input: NewStackInput): string {
  const config = {
    [`${NS}:tenantId`]: input.tenantId,
    [`${NS}:primaryDomain`]: input.primaryDomain,
    [`${NS}:displayName`]: input.displayName,
    [`${NS}:baseline`]: input.baseline,
    [`${NS}:licences`]: { ...input.licences },
    [`${NS}:breakGlass`]: { users: [...input.breakGlass] },
  };
  return [
    "# yaml-language-server: $schema=./schema.json",
    `# ${input.displayName}: written by m365-baseline tenants --new. Licences, stages and branding are yours to set;`,
    "# secrets go in with pulumi config set --secret (never into this file).",
    stringify({ config }).trimEnd(),
    "",
  ].join("\n");
}
