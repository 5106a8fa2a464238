/**
 * Renders a check report for a terminal: a tenant summary, then per-tenant control tables with exact
 * drift, unmanaged objects and expiring exceptions. Colour only when asked (TTY and NO_COLOR unset).
 */
import { describeLicences } from "../core/licences";
import { CONSENT_HEADING, consentNeeded } from "./consent";
import { safeText as s } from "./safe-text";
import type { CheckReport, ControlResult, ControlStatus, TenantCheckResult } from "./types";
import { table } from "./table";

const COLOURS: Record<ControlStatus | "compliantTenant" | "errorTenant" | "driftedTenant", string> = {
  compliant: "32",
  drifted: "33",
  missing: "31",
  notLicensed: "90",
  excepted: "36",
  error: "31",
  compliantTenant: "32",
  driftedTenant: "33",
  errorTenant: "31",
};

/**
 * Plain-text (optionally coloured) report for `report`; every text from a stack or a tenant passes `safeText`, so
 * only our own colour codes reach the terminal.
 */
export function renderTerminal(report: CheckReport, options: { color: boolean }): string {
  const paint = (text: string, code: string | undefined) =>
    options.color && code ? `\u001b[${code}m${text}\u001b[0m` : text;
  const out: string[] = [];
  out.push(
    `m365-baseline check — ${report.summary.tenants} tenant(s): ${report.summary.compliant} compliant, ${report.summary.drifted} drifted, ${report.summary.errors} error(s)`,
  );
  out.push("");
  out.push(
    table(
      [
        "Tenant",
        "Stack",
        "Status",
        "Compliant",
        "Drifted",
        "Missing",
        "Excepted",
        "Not licensed",
        "Secure Score",
        "Requests",
      ],
      report.tenants.map((t) => [
        s(t.displayName),
        s(t.stack),
        paint(t.status, COLOURS[`${t.status}Tenant`]),
        count(t, "compliant"),
        count(t, "drifted"),
        count(t, "missing"),
        count(t, "excepted"),
        count(t, "notLicensed"),
        t.secureScore ? `${t.secureScore.currentScore}/${t.secureScore.maxScore}` : "—",
        String(t.requests),
      ]),
    ),
  );
  const consent = consentNeeded(report);
  if (consent.length > 0)
    out.push("", CONSENT_HEADING, ...consent.map((c) => `  ${s(c.permission)}: ${s(c.stacks.join(", "))}`));
  for (const tenant of report.tenants) {
    out.push("", `▸ ${s(tenant.displayName)} (${s(tenant.stack)}, ${s(tenant.tenantId)})`);
    if (tenant.error) {
      // A tenant-level failure (credentials, network) is one line; repeating it per control helps nobody.
      out.push(`  ${paint("error", COLOURS.error)}: ${s(tenant.error)}`);
      continue;
    }
    out.push(
      indent(
        table(
          ["Control", "Title", "Status", "Detail"],
          tenant.controls.map((c) => [
            s(c.controlId),
            s(c.title),
            paint(c.status, COLOURS[c.status]),
            s(detail(c.status, c.differences.length, c.message, c.exception)),
          ]),
        ),
      ),
    );
    for (const c of tenant.controls) {
      for (const d of c.differences)
        out.push(`    ${s(c.controlId)} ${s(d.path)}: desired ${s(json(d.desired))}, live ${s(json(d.live))}`);
    }
    if (tenant.unmanaged.length > 0) {
      out.push("  Not managed by the baseline (reported only, never changed):");
      out.push(
        indent(
          table(
            ["Type", "Name", "Label", "Detail"],
            tenant.unmanaged.map((u) => [s(u.type), s(u.displayName), s(u.label), s(u.detail ?? "")]),
          ),
          4,
        ),
      );
    }
    if (tenant.derivedLicences)
      out.push(`  Licences derived from subscribedSkus (licences: auto): ${describeLicences(tenant.derivedLicences)}`);
    const score = secureScoreLine(tenant);
    if (score) out.push(score);
    for (const c of tenant.controls) {
      if (c.exception?.expiresSoon)
        out.push(
          `  ${paint("exception expiring", COLOURS.excepted)}: ${s(c.controlId)} on ${s(c.exception.expires)} — ${s(c.exception.reason)}`,
        );
    }
  }
  return `${out.join("\n")}\n`;
}

/** Secure Score as Microsoft counts it: what the baseline's unmet actions would add, and what it leaves to others. */
function secureScoreLine(tenant: TenantCheckResult): string | undefined {
  const score = tenant.secureScore;
  if (!score || score.gainByBaseline === undefined) return undefined;
  const unmet = score.actions.filter((a) => !a.met).length;
  const others = score.notAddressed ?? [];
  const top = others
    .slice(0, 3)
    .map((a) => `${s(a.controlName)} +${(a.maxScore ?? 0) - (a.score ?? 0)}`)
    .join(", ");
  return (
    `  Secure Score ${score.currentScore}/${score.maxScore}: the baseline's ${unmet} unmet action(s) would add ` +
    `${score.gainByBaseline} point(s); ${others.length} action(s) with points left are not the baseline's` +
    (top ? ` (${top}${others.length > 3 ? ", …" : ""})` : "")
  );
}

function count(tenant: TenantCheckResult, status: ControlStatus): string {
  return String(tenant.controls.filter((c) => c.status === status).length);
}

function detail(
  status: ControlStatus,
  differences: number,
  message: string | undefined,
  exception: ControlResult["exception"],
): string {
  // A scoped exception's reach: the properties it excuses, and how many differences it excused.
  const only = exception?.properties ? ` (only ${exception.properties.join(", ")})` : "";
  if (status === "drifted")
    return `${differences} difference(s)${exception?.excused ? `; ${exception.excused} excused until ${exception.expires}${only}` : ""}`;
  if (status === "excepted" && exception) return `until ${exception.expires || "—"}${only}: ${exception.reason}`;
  return message ?? "";
}

function json(value: unknown): string {
  const text = JSON.stringify(value) ?? "(unset)";
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function indent(text: string, spaces = 2): string {
  return text
    .split("\n")
    .map((l) => (l ? " ".repeat(spaces) + l : l))
    .join("\n");
}
