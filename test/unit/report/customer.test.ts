import { describe, expect, it } from "vitest";
import {
  backupState,
  controlDetail,
  customerReportFileName,
  renderCustomerReport,
  SHARED_RESPONSIBILITY_URL,
} from "../../../src/report/customer";
import { escapeHtml } from "../../../src/report/html-escape";
import type { CheckReport, ControlResult, TenantCheckResult } from "../../../src/report/types";
import { HOSTILE, hostileReport, RAW_CONTROL } from "../../support/hostile";

const base = { severity: "high" as const, resources: [], differences: [] };

function tenantWith(controls: ControlResult[], extra: Partial<TenantCheckResult> = {}): TenantCheckResult {
  return {
    stack: "contoso",
    tenantId: "6b0c3a52-7a3e-4d0b-9f0e-1c2d3e4f5a61",
    displayName: "Contoso Ltd",
    status: "drifted",
    controls,
    unmanaged: [],
    requests: 1,
    durationMs: 1,
    ...extra,
  };
}

function reportOf(tenant: TenantCheckResult): CheckReport {
  return {
    schemaVersion: 1,
    generatedAt: "2026-11-23T00:00:00.000Z",
    baselineVersion: "abc1234",
    tenants: [tenant],
    summary: { tenants: 1, compliant: 0, drifted: 1, errors: 0 },
  };
}

/** The text of the row whose first cell is `id`, tags removed. */
function row(html: string, id: string): string {
  const m = new RegExp(`<tr class="[^"]*"><td>${id}</td>(.*?)</tr>`).exec(html);
  expect(m, `row ${id}`).not.toBeNull();
  return m![1]!.replace(/<[^>]+>/g, "|");
}

describe("customer report", () => {
  const drifted: ControlResult = {
    ...base,
    controlId: "CA01",
    title: "Block legacy authentication",
    status: "drifted",
    differences: [
      { path: "state", desired: "enabled", live: "disabled" },
      { path: "conditions.users.excludeGroups", desired: [], live: ["g1"] },
      { path: "a", desired: 1, live: 2 },
      { path: "b", desired: 1, live: 2 },
    ],
  };
  const excepted: ControlResult = {
    ...base,
    controlId: "CA02",
    title: "Require MFA",
    status: "excepted",
    exception: { reason: "Pilot group until rollout", expires: "2026-12-01", expiresSoon: true },
  };

  it("shows a drifted control as drifted with its differences summarized", () => {
    const html = renderCustomerReport(reportOf(tenantWith([drifted])), tenantWith([drifted]));
    const text = row(html, "CA01");
    expect(text).toContain("Block legacy authentication");
    expect(text).toContain("|drifted|");
    expect(text).toContain("4 difference(s)");
    expect(text).toContain("state: expected &quot;enabled&quot;, found &quot;disabled&quot;");
    // Three shown, the rest counted.
    expect(text).toContain("and 1 more");
    expect(text).not.toContain("b: expected");
  });

  it("shows an excepted control with its reason and expiry", () => {
    const text = row(renderCustomerReport(reportOf(tenantWith([excepted])), tenantWith([excepted])), "CA02");
    expect(text).toContain("|excepted|");
    expect(text).toContain("exception until 2026-12-01");
    expect(text).toContain("expires within 30 days");
    expect(text).toContain("Pilot group until rollout");
  });

  it("labels not licensed and error controls with their message", () => {
    const controls: ControlResult[] = [
      { ...base, controlId: "CA06", title: "Sign-in risk", status: "notLicensed", message: "needs Entra ID P2" },
      { ...base, controlId: "CA03", title: "MFA for admins", status: "error", message: "HTTP 503 from Graph" },
    ];
    const html = renderCustomerReport(reportOf(tenantWith(controls)), tenantWith(controls));
    expect(row(html, "CA06")).toContain("|not licensed||needs Entra ID P2|");
    expect(row(html, "CA03")).toContain("|error||HTTP 503 from Graph|");
  });

  it("names Microsoft's side with the shared-responsibility doc, and lists framework references", () => {
    const t = tenantWith([drifted]);
    const html = renderCustomerReport(reportOf(t), t, {
      frameworks: new Map([["CA01", [{ framework: "CIS M365", ref: "5.2.2.3" }]]]),
      provider: "Northwind IT",
    });
    expect(html).toContain(`href="${SHARED_RESPONSIBILITY_URL}"`);
    expect(html).toContain("Physical security of the datacenters");
    expect(html).toContain("What Northwind IT enforces through the baseline");
    expect(row(html, "CA01")).toContain("|CIS M365 5.2.2.3|");
  });

  it("is self-contained and printable on A4", () => {
    const t = tenantWith([drifted]);
    const html = renderCustomerReport(reportOf(t), t);
    expect(html).toContain("@page{size:A4");
    expect(html).toContain("@media print");
    expect(html).not.toMatch(/<script|<link|<img|src=|@import|url\(/i);
  });

  it("shows Secure Score now and with the baseline in place, capped at the maximum", () => {
    const score = { currentScore: 40, maxScore: 100, actions: [], gainByBaseline: 25 };
    const t = tenantWith([drifted], { secureScore: score });
    const html = renderCustomerReport(reportOf(t), t);
    expect(html).toContain("<dt>Now</dt><dd>40 of 100 (40 %)</dd>");
    expect(html).toContain("<dd>65 of 100 (65 %)</dd>");
    const capped = tenantWith([drifted], { secureScore: { ...score, gainByBaseline: 90 } });
    expect(renderCustomerReport(reportOf(capped), capped)).toContain("<dd>100 of 100 (100 %)</dd>");
    const none = tenantWith([drifted]);
    expect(renderCustomerReport(reportOf(none), none)).toContain("Secure Score was not read");
  });

  it("escapes every hostile text and keeps control and bidi characters out of the page", () => {
    for (const text of HOSTILE) {
      const report = hostileReport(text);
      for (const tenant of report.tenants) {
        const html = renderCustomerReport(report, tenant);
        // Our own markup is the only markup: no tag from the hostile text survives as a tag.
        expect(html).not.toMatch(/<(script|img|details|!--)/i);
        expect(html.replace(/\n/g, "")).not.toMatch(RAW_CONTROL);
        if (text.includes("<")) expect(html).toContain(escapeHtml(text));
      }
    }
  });
});

describe("backup app (APP01) state", () => {
  const app = (c: Partial<ControlResult>): TenantCheckResult =>
    tenantWith([{ ...base, controlId: "APP01", title: "Backup application registration", status: "compliant", ...c }]);

  const APP_ID = "1b0f6a8c-0000-4000-8000-00000000b0b0";
  const NOW = "2026-11-23T00:00:00.000Z";
  const signedIn = (backupSignIn: TenantCheckResult["backupSignIn"]): TenantCheckResult => ({
    ...app({}),
    backupSignIn,
  });

  it("compliant: registered and consented; a report without sign-in activity says it was not read", () => {
    const s = backupState(app({}), NOW);
    expect(s).toMatchObject({ managed: true, registered: "yes", consented: "yes — its permissions are granted" });
    expect(s.signingIn).toMatch(/^not read \(this report has no sign-in activity/);
    expect(s.signInWarning).toBeUndefined();
  });
  it("signing in: the last sign-in's date and its age in days up to when the check ran, no warning", () => {
    const s = backupState(signedIn({ appId: APP_ID, lastSignInDateTime: "2026-11-20T03:00:00Z" }), NOW);
    expect(s.signingIn).toBe("last sign-in 2026-11-20 (2 days ago)");
    expect(s.signInWarning).toBeUndefined();
  });
  it("a last sign-in older than 7 days warns that the backups may have stopped, on the page too", () => {
    const t = signedIn({ appId: APP_ID, lastSignInDateTime: "2026-11-01T00:00:00Z" });
    const s = backupState(t, NOW);
    expect(s.signingIn).toBe("last sign-in 2026-11-01 (22 days ago)");
    expect(s.signInWarning).toMatch(/more than 7 days: have the backups stopped/);
    const html = renderCustomerReport(reportOf(t), t);
    expect(html).toContain("<dd>last sign-in 2026-11-01 (22 days ago)</dd>");
    expect(html).toMatch(/<p class="alert">Backup app: no sign-in for more than 7 days/);
  });
  it("exactly 7 days ago is not yet stale", () => {
    const s = backupState(signedIn({ appId: APP_ID, lastSignInDateTime: "2026-11-16T00:00:00Z" }), NOW);
    expect(s.signingIn).toBe("last sign-in 2026-11-16 (7 days ago)");
    expect(s.signInWarning).toBeUndefined();
  });
  it("no sign-in recorded: said, and warned", () => {
    const t = signedIn({ appId: APP_ID });
    const s = backupState(t, NOW);
    expect(s.signingIn).toBe("no sign-in recorded");
    expect(s.signInWarning).toMatch(/never signed in/);
    expect(renderCustomerReport(reportOf(t), t)).toContain("<dd>no sign-in recorded</dd>");
  });
  it("not read: the reason, no warning (nothing is known)", () => {
    const t = signedIn({ appId: APP_ID, notRead: "needs AuditLog.Read.All: grant it to the deploying app" });
    const s = backupState(t, NOW);
    expect(s.signingIn).toBe("not read: needs AuditLog.Read.All: grant it to the deploying app");
    expect(s.signInWarning).toBeUndefined();
    expect(renderCustomerReport(reportOf(t), t)).not.toContain("Backup app:");
  });
  it("a missing app is not signing in", () => {
    expect(backupState(app({ status: "missing" })).signingIn).toBe("no");
  });
  it("missing: not registered", () => {
    expect(backupState(app({ status: "missing" })).registered).toMatch(/^no/);
  });
  it("drifted in its consent: registered, consent partly", () => {
    const s = backupState(app({ status: "drifted", differences: [{ path: "consent", desired: [], live: [] }] }));
    expect(s.registered).toBe("yes");
    expect(s.consented).toMatch(/^partly/);
  });
  it("drifted elsewhere only (a client secret): consent still granted", () => {
    const diff = [{ path: "credentials.clientSecrets", desired: 0, live: 1 }];
    expect(backupState(app({ status: "drifted", differences: diff })).consented).toMatch(/^yes/);
  });
  it("error: unknown, with the message", () => {
    expect(backupState(app({ status: "error", message: "HTTP 403" })).registered).toBe(
      "unknown — the check failed: HTTP 403",
    );
  });
  it("no APP01: backup is entirely the customer's, and the page says so", () => {
    const t = tenantWith([]);
    expect(backupState(t).managed).toBe(false);
    expect(renderCustomerReport(reportOf(t), t)).toContain(
      "backup and recovery of your Microsoft 365\ndata is entirely yours",
    );
  });
});

describe("helpers", () => {
  it("controlDetail says a missing object is not present", () => {
    expect(controlDetail({ ...base, controlId: "X", title: "X", status: "missing" })).toBe("not present in the tenant");
  });
  it("file names keep safe characters only and never climb out of the directory", () => {
    expect(customerReportFileName("contoso-eu.1", "html")).toBe("contoso-eu.1.html");
    expect(customerReportFileName("../../etc/passwd", "pdf")).toBe("__.._etc_passwd.pdf");
    expect(customerReportFileName("../../etc/passwd", "pdf")).not.toContain("/");
    expect(customerReportFileName("", "html")).toBe("_.html");
    expect(customerReportFileName("..", "html")).toBe("_.html");
  });
});
