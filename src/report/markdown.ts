/** Renders a check report as Markdown: summary table, then per-tenant controls, drift and inventory. */
import { CONSENT_HEADING, consentNeeded } from "./consent";
import type { CheckReport } from "./types";

const ICON: Record<string, string> = {
  compliant: "✅",
  drifted: "⚠️",
  missing: "❌",
  notLicensed: "➖",
  excepted: "🛈",
  error: "⛔",
};

/** Markdown for `report`; stable for the same input. */
export function renderMarkdown(report: CheckReport): string {
  const lines = [
    `# m365-baseline compliance report`,
    "",
    `Generated ${report.generatedAt} · baseline ${report.baselineVersion}`,
    "",
  ];
  lines.push(
    "| Tenant | Status | Compliant | Drifted / missing | Excepted | Not licensed | Secure Score |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const t of report.tenants) {
    const n = (s: string) => t.controls.filter((c) => c.status === s).length;
    lines.push(
      `| ${esc(t.displayName)} (\`${t.stack}\`) | ${ICON[t.status === "error" ? "error" : t.status]} ${t.status} | ${n("compliant")} | ${n("drifted") + n("missing")} | ${n("excepted")} | ${n("notLicensed")} | ${t.secureScore ? `${t.secureScore.currentScore}/${t.secureScore.maxScore}` : "—"} |`,
    );
  }
  const consent = consentNeeded(report);
  if (consent.length > 0)
    lines.push(
      "",
      `**${CONSENT_HEADING}**`,
      "",
      ...consent.map((c) => `- ${esc(c.permission)}: ${c.stacks.map((s) => `\`${s}\``).join(", ")}`),
    );
  for (const t of report.tenants) {
    lines.push("", `## ${esc(t.displayName)} (\`${t.stack}\`)`, "");
    if (t.error) lines.push(`> ⛔ ${esc(t.error)}`, "");
    lines.push("| Control | Title | Status | Detail |", "| --- | --- | --- | --- |");
    for (const c of t.controls) {
      const detailText =
        c.differences
          .map(
            (d) =>
              `\`${esc(d.path)}\`: desired \`${esc(JSON.stringify(d.desired) ?? "")}\`, live \`${esc(JSON.stringify(d.live) ?? "")}\``,
          )
          .join("<br>") ||
        (c.exception
          ? `until ${c.exception.expires}${c.exception.expiresSoon ? " (expiring soon)" : ""}: ${esc(c.exception.reason)}`
          : esc(c.message ?? ""));
      lines.push(`| ${c.controlId} | ${esc(c.title)} | ${ICON[c.status]} ${c.status} | ${detailText} |`);
    }
    if (t.unmanaged.length > 0) {
      lines.push(
        "",
        "Not managed by the baseline (reported only):",
        "",
        "| Type | Name | Label | Detail |",
        "| --- | --- | --- | --- |",
      );
      for (const u of t.unmanaged)
        lines.push(`| ${u.type} | ${esc(u.displayName)} | ${u.label} | ${esc(u.detail ?? "")} |`);
    }
  }
  return `${lines.join("\n")}\n`;
}

function esc(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
