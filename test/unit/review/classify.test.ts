import { describe, expect, it } from "vitest";
import type { CompiledTenant, DesiredResource } from "../../../src/core/desired";
import { classifyTenant, hasUnexpiredException, type ReviewSide } from "../../../src/review/classify";
import { renderReviewMarkdown } from "../../../src/review/markdown";

function policy(state: string, grant: string[], exclude: string[] = ["ref:group/Break-glass"]): DesiredResource {
  return {
    name: "ca02-require-mfa",
    controlId: "CA02",
    type: "conditionalAccessPolicy",
    naturalKey: "CA02 - Require MFA for all users",
    stage: state === "enabled" ? "enforce" : "reportOnly",
    properties: {
      displayName: "CA02 - Require MFA for all users",
      state,
      conditions: { users: { includeUsers: ["All"], excludeGroups: exclude } },
      grantControls: { operator: "OR", builtInControls: grant },
    },
    dependsOn: [],
  };
}

function side(resources: DesiredResource[], exceptions: ReviewSide["exceptions"] = []): ReviewSide {
  const compiled: CompiledTenant = {
    stack: "contoso",
    tenantId: "t",
    primaryDomain: "contoso.onmicrosoft.com",
    displayName: "Contoso",
    baseline: "msp-standard",
    resources,
    outcomes: resources.map((r) => ({ controlId: r.controlId, status: "applied" as const, stage: r.stage })),
  };
  return { compiled, exceptions };
}

describe("classifyTenant", () => {
  it("flags turning MFA off as a weakening with before/after", () => {
    const changes = classifyTenant(side([policy("enabled", ["mfa"])]), side([policy("enabled", [])]));
    expect(changes).toEqual([
      {
        kind: "weakening",
        controlId: "CA02",
        object: "ca02-require-mfa",
        path: "grantControls.builtInControls",
        summary: "grantControls.builtInControls: -mfa",
        before: ["mfa"],
        after: [],
      },
    ]);
  });

  it("treats enforce → report-only as a weakening of both stage and state", () => {
    const changes = classifyTenant(
      side([policy("enabled", ["mfa"])]),
      side([policy("enabledForReportingButNotEnforced", ["mfa"])]),
    );
    expect(changes.map((c) => [c.kind, c.path])).toEqual([
      ["weakening", "stage"],
      ["weakening", "state"],
    ]);
  });

  it("treats report-only → enforce as strengthening", () => {
    const changes = classifyTenant(
      side([policy("enabledForReportingButNotEnforced", ["mfa"])]),
      side([policy("enabled", ["mfa"])]),
    );
    expect(changes.every((c) => c.kind === "strengthening")).toBe(true);
    expect(changes).toHaveLength(2);
  });

  it("treats an added exclusion as weakening and a removed one as strengthening", () => {
    const broadened = classifyTenant(
      side([policy("enabled", ["mfa"])]),
      side([policy("enabled", ["mfa"], ["ref:group/Break-glass", "ref:group/Sales"])]),
    );
    expect(broadened.map((c) => [c.kind, c.summary])).toEqual([
      ["weakening", "conditions.users.excludeGroups: +ref:group/Sales"],
    ]);
    const narrowed = classifyTenant(
      side([policy("enabled", ["mfa"], ["ref:group/Break-glass", "ref:group/Sales"])]),
      side([policy("enabled", ["mfa"])]),
    );
    expect(narrowed.map((c) => c.kind)).toEqual(["strengthening"]);
  });

  it("classifies retention shortening, application permission added, and exceptions", () => {
    const rule = (days: number): DesiredResource => ({
      name: "ret02-rule",
      controlId: "RET02",
      type: "retentionComplianceRule",
      naturalKey: "r",
      stage: "enforce",
      properties: { Name: "r", Policy: "p", RetentionDuration: days, RetentionComplianceAction: "Keep" },
      dependsOn: [],
    });
    const app = (roles: string[]): DesiredResource => ({
      name: "app01-veeam",
      controlId: "APP01",
      type: "application",
      naturalKey: "Veeam",
      stage: "enforce",
      properties: { displayName: "Veeam", requiredResourceAccess: [{ resourceAppId: "g", roles }] },
      dependsOn: [],
    });
    const before = side(
      [rule(2555), app(["Directory.Read.All"])],
      [{ control: "CA02", reason: "pilot group waiting", expires: "2026-12-01" }],
    );
    const after = side(
      [rule(365), app(["Directory.Read.All", "Mail.ReadWrite"])],
      [
        { control: "CA02", reason: "pilot group waiting", expires: "2027-03-01" },
        { control: "CA01", reason: "legacy scanner migration", expires: "2026-12-31" },
      ],
    );
    const kinds = classifyTenant(before, after).map((c) => [c.controlId, c.kind]);
    expect(kinds).toEqual([
      ["APP01", "weakening"],
      ["RET02", "weakening"],
      ["CA02", "weakening"],
      ["CA01", "weakening"],
    ]);
  });

  it("reports neutral text changes as neutral", () => {
    const brand = (text: string): DesiredResource => ({
      name: "brand01-default",
      controlId: "BRAND01",
      type: "organizationalBranding",
      naturalKey: "0",
      stage: "enforce",
      properties: { signInPageText: text },
      dependsOn: [],
    });
    expect(classifyTenant(side([brand("Hello")]), side([brand("Welcome")])).map((c) => c.kind)).toEqual(["neutral"]);
  });
});

describe("hasUnexpiredException", () => {
  const ex = [{ control: "CA02", reason: "pilot group waiting", expires: "2026-12-01" }];
  it("accepts an exception that ends today or later", () => {
    expect(hasUnexpiredException(ex, "CA02", "2026-12-01")).toBe(true);
  });
  it("rejects an expired one or one for another control", () => {
    expect(hasUnexpiredException(ex, "CA02", "2026-12-02")).toBe(false);
    expect(hasUnexpiredException(ex, "CA01", "2026-11-01")).toBe(false);
  });
});

describe("renderReviewMarkdown", () => {
  it("puts the summary table first and marks unexcused weakenings", () => {
    const changes = classifyTenant(side([policy("enabled", ["mfa"])]), side([policy("enabled", [])]));
    const md = renderReviewMarkdown({
      base: "main",
      exitCode: 3,
      tenants: [
        { stack: "contoso", changes, weakenings: 1, strengthenings: 0, unexcused: changes, newPermissions: [] },
      ],
    });
    const lines = md.split("\n");
    expect(lines[0]).toBe("## m365-baseline security review (against `main`)");
    expect(lines[2]).toContain("1 weakening change(s) have no unexpired exception");
    expect(lines[4]).toBe("| Tenant | Weakening | Strengthening | Neutral | Unexcused |");
    expect(lines[6]).toBe("| contoso | 1 | 0 | 0 | 1 |");
    expect(md).toContain(
      '| 🔻 weakening | CA02 | ca02-require-mfa `grantControls.builtInControls` | `["mfa"]` | `[]` | **missing** |',
    );
  });
  it("lists permissions the change newly needs, by permission, before the tenants' details", () => {
    const md = renderReviewMarkdown({
      base: "main",
      exitCode: 0,
      tenants: [
        {
          stack: "contoso",
          changes: [],
          weakenings: 0,
          strengthenings: 0,
          unexcused: [],
          newPermissions: ["Exchange.ManageAsApp (Office 365 Exchange Online)"],
        },
        {
          stack: "fabrikam",
          changes: [],
          weakenings: 0,
          strengthenings: 0,
          unexcused: [],
          newPermissions: [
            "Exchange.ManageAsApp (Office 365 Exchange Online)",
            "SecurityEvents.Read.All (Microsoft Graph)",
          ],
        },
      ],
    });
    expect(md).toContain("**Consent before merge:**");
    expect(md).toContain(
      "- Exchange.ManageAsApp (Office 365 Exchange Online): contoso, fabrikam\n- SecurityEvents.Read.All (Microsoft Graph): fabrikam\n",
    );
    expect(
      renderReviewMarkdown({
        base: "main",
        exitCode: 0,
        tenants: [
          { stack: "contoso", changes: [], weakenings: 0, strengthenings: 0, unexcused: [], newPermissions: [] },
        ],
      }),
    ).not.toContain("Consent before merge");
  });
});
