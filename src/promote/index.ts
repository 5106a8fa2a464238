/**
 * `m365-baseline promote`: the gate before conditional-access controls go from reportOnly to enforce. It compiles
 * the stack as if the controls were enforced, refuses when any enforced policy would reach a break-glass principal
 * (offline, and by Graph's What If where the tenant offers it), and reports what the report-only policies would
 * have failed or interrupted in the sign-in logs, the evidence Microsoft asks for before enabling a policy
 * (https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-report-only).
 */
import type { CompiledTenant } from "../core/desired";
import { findControl } from "../controls";
import { ValidationError, type Issue } from "../errors";
import type { LoadedTenant } from "../tenant";
import type { BreakGlassHit } from "./offline";
import type { ImpactOutcome, WhatIfOutcome } from "./live";
import { PROMOTIONS_DIR } from "../review/promotions";

/** Everything `promote` found, for one stack and the controls promoted together. */
export interface PromotionEvidence {
  readonly stack: string;
  readonly tenantId: string;
  readonly displayName: string;
  readonly date: string;
  readonly days: number;
  readonly controls: readonly { readonly controlId: string; readonly policy: string }[];
  readonly offline: readonly BreakGlassHit[];
  readonly breakGlass: readonly string[];
  readonly whatIf: WhatIfOutcome;
  readonly impact: ImpactOutcome;
}

/** Whether the evidence refuses the promotion: any break-glass hit, offline or by What If. */
export function refused(evidence: PromotionEvidence): boolean {
  return evidence.offline.length > 0 || (evidence.whatIf.available && evidence.whatIf.hits.length > 0);
}

/**
 * Checks that each of `controls` is a conditional-access control the stack applies in report-only now; throws a
 * ValidationError naming each that is not (unknown, not CA, already enforced, off, not licensed).
 */
export function checkPromotable(tenant: LoadedTenant, controls: readonly string[]): void {
  const file = tenant.stack.file;
  const issues: Issue[] = [];
  const path = (id: string) => `m365-baseline:stages.${id}`;
  const candidates = reportOnlyControls(tenant.compiled).join(", ") || "none";
  const choose = `name one of the stack's report-only CA controls: ${candidates}`;
  for (const id of controls) {
    const outcome = tenant.compiled.outcomes.find((o) => o.controlId === id);
    if (!findControl(id)?.conditionalAccess)
      issues.push({
        file,
        path: path(id),
        message: `${id} is not a conditional-access control: only those have a report-only stage to promote`,
        fix: choose,
      });
    else if (!outcome)
      issues.push({
        file,
        path: path(id),
        message: `${id} is not in baseline '${tenant.baseline.name}'`,
        fix: choose,
      });
    else if (outcome.stage === "enforce")
      issues.push({
        file,
        path: path(id),
        message: `${id} is already enforced in stack '${tenant.stack.name}'`,
        fix: `nothing to promote; drop ${id} from the command`,
      });
    else if (outcome.stage === "off" || outcome.status !== "applied")
      issues.push({
        file,
        path: path(id),
        message: `${id} is ${outcome.status === "notLicensed" ? `not licensed (${outcome.reason})` : outcome.status}`,
        fix: `set m365-baseline:stages.${id}: reportOnly and let it run report-only before promoting it`,
      });
  }
  if (issues.length > 0) throw new ValidationError(issues);
}

/** The stack's CA controls compiled in report-only, the ones `promote` accepts. */
function reportOnlyControls(compiled: CompiledTenant): string[] {
  return compiled.outcomes
    .filter((o) => o.stage === "reportOnly" && o.status === "applied" && findControl(o.controlId)?.conditionalAccess)
    .map((o) => o.controlId);
}

/** The compiled policy's display name for each control, the name the sign-in logs and What If report. */
export function policyNames(
  compiled: CompiledTenant,
  controls: readonly string[],
): { controlId: string; policy: string }[] {
  return controls.map((controlId) => {
    const r = compiled.resources.find((x) => x.controlId === controlId && x.type === "conditionalAccessPolicy");
    return { controlId, policy: String(r?.properties["displayName"] ?? r?.naturalKey ?? controlId) };
  });
}

/** The evidence as text lines for the terminal, or as Markdown for a file committed with the stage change. */
export function renderEvidence(e: PromotionEvidence, format: "text" | "markdown"): string {
  const md = format === "markdown";
  const ids = e.controls.map((c) => c.controlId).join(", ");
  const lines: string[] = [];
  lines.push(
    md
      ? `# Promotion evidence: ${ids} on ${e.stack}`
      : `Promotion of ${ids} to enforce on ${e.stack} (${e.displayName}, ${e.tenantId})`,
  );
  if (md) lines.push("", `Tenant: ${e.displayName} (${e.tenantId}). Date: ${e.date}. Sign-in window: ${e.days} days.`);
  lines.push("", md ? "## Break-glass principals" : "Break-glass principals:");
  for (const p of e.breakGlass) lines.push(`${md ? "-" : " "} ${p}`);
  const item = md ? "- " : "  ";
  for (const c of e.controls) {
    lines.push("", md ? `## ${c.policy}` : c.policy);
    const offline = e.offline.filter((h) => h.controlId === c.controlId);
    lines.push(
      `${item}Break-glass (offline): ${
        offline.length === 0
          ? "safe, every break-glass principal is excluded"
          : `REFUSED: ${offline.map((h) => `${h.principal} (${h.why}; ${h.demands})`).join("; ")}`
      }`,
    );
    lines.push(`${item}Break-glass (What-If): ${whatIfLine(e.whatIf, c.policy)}`);
    lines.push(`${item}Report-only impact, last ${e.days} days: ${impactLine(e.impact, c.policy)}`);
  }
  const others = e.offline.filter((h) => !e.controls.some((c) => c.controlId === h.controlId));
  const otherWhatIf = e.whatIf.available
    ? e.whatIf.hits.filter((h) => !e.controls.some((c) => c.policy === h.policy))
    : [];
  if (others.length + otherWhatIf.length > 0) {
    lines.push(
      "",
      md ? "## Other enforced policies reaching break-glass" : "Other enforced policies reaching break-glass:",
    );
    for (const h of others) lines.push(`${item}${h.policy}: ${h.principal} (${h.why}) [offline]`);
    for (const h of otherWhatIf) lines.push(`${item}${h.policy}: user ${h.user} [What-If, ${h.state}]`);
  }
  lines.push(
    "",
    refused(e)
      ? `Result: REFUSED. A break-glass principal would be in scope of an enforced policy; nothing was written.`
      : `Result: safe to enforce ${ids}.`,
  );
  return `${lines.join("\n")}\n`;
}

function whatIfLine(w: WhatIfOutcome, policy: string): string {
  if (!w.available) return w.note;
  const hits = w.hits.filter((h) => h.policy === policy);
  return hits.length === 0
    ? `safe, applies to none of ${w.users.length} break-glass user(s) (${w.users.join(", ")})`
    : `REFUSED: applies to ${hits.map((h) => `user ${h.user}`).join(", ")}`;
}

function impactLine(i: ImpactOutcome, policy: string): string {
  if (!i.available) return i.note;
  const p = i.policies.find((x) => x.policy === policy);
  if (!p || p.evaluated === 0) return `no sign-in evaluated it (of ${i.signIns} since ${i.since})`;
  return (
    `${p.failedSignIns} sign-in(s) / ${p.failedUsers} user(s) would have failed, ` +
    `${p.interruptedSignIns} sign-in(s) / ${p.interruptedUsers} user(s) interrupted ` +
    `(of ${p.evaluated} report-only evaluations since ${i.since})`
  );
}

/** The default evidence file: `docs/promotions/<stack>-<CONTROL>[-<CONTROL>…]-<date>.md`, what review looks for. */
export function evidenceFile(stack: string, controls: readonly string[], date: string): string {
  return `${PROMOTIONS_DIR}/${stack}-${[...controls].sort().join("-")}-${date}.md`;
}
