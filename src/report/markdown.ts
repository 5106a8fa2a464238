/**
 * Renders a check report as Markdown: summary table, then per-tenant controls, drift and inventory. Names, values,
 * reasons and error texts from stacks and tenants go through `mdInline` / `mdCode` (no HTML, link or mention).
 */
import { CONSENT_HEADING, consentNeeded } from "./consent";
import { mdCode, mdInline } from "./markdown-text";
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
      `| ${mdInline(t.displayName, T)} (${mdCode(t.stack, T)}) | ${ICON[t.status === "error" ? "error" : t.status]} ${t.status} | ${n("compliant")} | ${n("drifted") + n("missing")} | ${n("excepted")} | ${n("notLicensed")} | ${t.secureScore ? `${t.secureScore.currentScore}/${t.secureScore.maxScore}` : "—"} |`,
    );
  }
  const consent = consentNeeded(report);
  if (consent.length > 0)
    lines.push(
      "",
      `**${CONSENT_HEADING}**`,
      "",
      ...consent.map((c) => `- ${c.permission}: ${c.stacks.map((s) => mdCode(s)).join(", ")}`),
    );
  for (const t of report.tenants) {
    lines.push("", `## ${mdInline(t.displayName)} (${mdCode(t.stack)})`, "");
    if (t.error) lines.push(`> ⛔ ${mdCode(t.error, { max: 2000 })}`, "");
    lines.push("| Control | Title | Status | Detail |", "| --- | --- | --- | --- |");
    for (const c of t.controls) {
      const detailText =
        c.differences
          .map(
            (d) =>
              `${mdCode(d.path, T)}: desired ${mdCode(JSON.stringify(d.desired) ?? "(unset)", T)}, live ${mdCode(JSON.stringify(d.live) ?? "(unset)", T)}`,
          )
          .join("<br>") ||
        (c.exception
          ? `until ${mdInline(c.exception.expires, T)}${c.exception.expiresSoon ? " (expiring soon)" : ""}: ${mdCode(c.exception.reason, T)}`
          : c.message
            ? mdCode(c.message, T)
            : "");
      // Titles are the registry's own text.
      lines.push(
        `| ${mdInline(c.controlId, T)} | ${c.title.replace(/\|/g, "\\|")} | ${ICON[c.status]} ${c.status} | ${detailText} |`,
      );
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
        lines.push(
          `| ${u.type} | ${mdInline(u.displayName, T)} | ${u.label} | ${u.detail ? mdCode(u.detail, T) : ""} |`,
        );
    }
  }
  return `${lines.join("\n")}\n`;
}

const T = { table: true } as const;
