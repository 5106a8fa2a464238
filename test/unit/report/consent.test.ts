import { describe, expect, it } from "vitest";
import { renderHtml } from "../../../src/report";
import { consentNeeded } from "../../../src/report/consent";
import type { CheckReport, TenantCheckResult } from "../../../src/report/types";

const tenant = (stack: string, missingPermissions?: string[]): TenantCheckResult => ({
  stack,
  tenantId: stack,
  displayName: stack,
  status: missingPermissions ? "error" : "compliant",
  controls: [],
  unmanaged: [],
  requests: 0,
  durationMs: 0,
  ...(missingPermissions ? { missingPermissions, error: "refused" } : {}),
});
const report = (tenants: TenantCheckResult[]): CheckReport => ({
  schemaVersion: 1,
  generatedAt: "2026-11-23T00:00:00Z",
  baselineVersion: "t",
  tenants,
  summary: { tenants: tenants.length, compliant: 0, drifted: 0, errors: 0 },
});

describe("the fleet's consent gaps", () => {
  it("group tenants by missing permission, most widespread first, then by name", () => {
    expect(
      consentNeeded(report([tenant("northwind", ["B", "A"]), tenant("contoso"), tenant("fabrikam", ["A"])])),
    ).toEqual([
      { permission: "A", stacks: ["fabrikam", "northwind"] },
      { permission: "B", stacks: ["northwind"] },
    ]);
  });
  it("are empty when every tenant's consent is complete", () => {
    expect(consentNeeded(report([tenant("contoso")]))).toEqual([]);
  });
  it("are a table of the HTML dashboard, rendered without script and escaped; absent when there are none", () => {
    const html = renderHtml(
      report([tenant("fabrikam", ["Exchange.ManageAsApp (Office 365 Exchange Online)", "<b>x</b>"])]),
    );
    expect(html).toContain(
      '<table id="consent"><tr><th>Permission</th><th>Tenants (stacks)</th></tr><tr><td>&lt;b&gt;x&lt;/b&gt;</td><td>fabrikam</td></tr><tr><td>Exchange.ManageAsApp (Office 365 Exchange Online)</td><td>fabrikam</td></tr></table>',
    );
    expect(renderHtml(report([tenant("contoso")]))).not.toContain("Consent needed");
  });
});
