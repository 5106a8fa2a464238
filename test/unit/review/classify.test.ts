import { describe, expect, it } from "vitest";
import type { CompiledTenant, DesiredResource } from "../../../src/core/desired";
import { classifyTenant, isExcused, type ReviewChange, type ReviewSide } from "../../../src/review/classify";
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

describe("isExcused", () => {
  const ex = [{ control: "CA02", reason: "pilot group waiting", expires: "2026-12-01" }];
  const weakening = (controlId: string, object: string, path: string): ReviewChange => ({
    kind: "weakening",
    controlId,
    object,
    path,
    summary: "",
    before: undefined,
    after: undefined,
  });
  const onUsers = weakening("CA02", "ca02-mfa-all-users", "conditions.users.excludeUsers");
  it("accepts an exception that ends today or later", () => {
    expect(isExcused(ex, onUsers, "2026-12-01")).toBe(true);
  });
  it("rejects an expired one or one for another control", () => {
    expect(isExcused(ex, onUsers, "2026-12-02")).toBe(false);
    expect(isExcused(ex, weakening("CA01", "ca01", "state"), "2026-11-01")).toBe(false);
  });
  it("a scoped exception excuses changes at its properties only, never a stage change", () => {
    const scoped = [{ ...ex[0]!, properties: ["conditions.users"] }];
    expect(isExcused(scoped, onUsers, "2026-11-01")).toBe(true);
    expect(isExcused(scoped, weakening("CA02", "ca02-mfa-all-users", "grantControls"), "2026-11-01")).toBe(false);
    expect(isExcused(scoped, weakening("CA02", "outcome", "stage"), "2026-11-01")).toBe(false);
    expect(isExcused(scoped, weakening("CA02", "exceptions", "CA02"), "2026-11-01")).toBe(true);
  });
});

describe("exceptions in review: their reach", () => {
  const base = { control: "CA02", reason: "pilot group waiting", expires: "2026-12-01" };
  const sides = (before: object[], after: object[]) =>
    classifyTenant({ ...side([]), exceptions: before as never }, { ...side([]), exceptions: after as never }).map(
      (c) => [c.kind, c.summary],
    );
  it("shows the properties an added exception reaches", () => {
    expect(sides([], [{ ...base, properties: ["conditions.users.excludeUsers"] }])).toEqual([
      [
        "weakening",
        "exception added until 2026-12-01 for properties conditions.users.excludeUsers: pilot group waiting",
      ],
    ]);
  });
  it("widening an exception's scope weakens, narrowing it strengthens", () => {
    const narrow = { ...base, properties: ["conditions.users.excludeUsers"] };
    expect(sides([narrow], [base])).toEqual([["weakening", "exception widened to the whole control"]]);
    expect(sides([base], [narrow])).toEqual([
      ["strengthening", "exception narrowed to properties conditions.users.excludeUsers"],
    ]);
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

describe("endpoint changes in review", () => {
  const at = (endpoints: Record<string, string>) => ({ ...side([]), endpoints });
  const kinds = (before: Record<string, string>, after: Record<string, string>) =>
    classifyTenant(at(before), at(after)).map((c) => [c.kind, c.controlId, c.summary]);
  it("a stack pointed at a non-Microsoft host, or trusting another CA, is a weakening no exception excuses", () => {
    expect(kinds({}, { graph: "https://graph.attacker.example" })).toEqual([
      ["weakening", "endpoints", "endpoints.graph: (Microsoft's default) → https://graph.attacker.example"],
    ]);
    expect(kinds({}, { caCertificateFile: "certs/ca.pem" })[0]?.[0]).toBe("weakening");
    const change = classifyTenant(at({}), at({ graph: "https://graph.attacker.example" }))[0]!;
    const everything = [{ control: "CA02", reason: "pilot group waiting", expires: "2027-12-01" }];
    expect(isExcused(everything, change, "2026-11-01")).toBe(false);
  });
  it("back to Microsoft's host strengthens; another Microsoft cloud host is neutral", () => {
    expect(kinds({ graph: "https://localhost:8443" }, {})[0]?.[0]).toBe("strengthening");
    expect(kinds({}, { graph: "https://graph.microsoft.us" })[0]?.[0]).toBe("neutral");
  });
});
