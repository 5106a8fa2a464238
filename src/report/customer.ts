/**
 * The customer's shared-responsibility report: one self-contained, printable (A4) HTML page per tenant, built from
 * a saved check report alone (no tenant access). It says what Microsoft runs, what the MSP enforces through the
 * baseline (each control's status) and what stays the customer's, backup and recovery included. Every text from
 * the report passes `escapeHtml`: tenant names, values, reasons and errors are untrusted.
 */
import { escapeHtml as h } from "./html-escape";
import type { CheckReport, ControlResult, ControlStatus, SecureScoreSummary, TenantCheckResult } from "./types";

/** Framework references (CIS, SCuBA, …) of a control, looked up by id from the control registry by the caller. */
export type FrameworkLookup = ReadonlyMap<string, readonly { readonly framework: string; readonly ref: string }[]>;

/** Options for `renderCustomerReport`. */
export interface CustomerReportOptions {
  /** Framework references by control id; a report does not carry them, the registry does. */
  readonly frameworks?: FrameworkLookup | undefined;
  /** The MSP's name as the customer knows it (default "your managed service provider"). */
  readonly provider?: string | undefined;
}

/** Microsoft's side of the model (learn.microsoft.com/azure/security/fundamentals/shared-responsibility). */
export const SHARED_RESPONSIBILITY_URL =
  "https://learn.microsoft.com/azure/security/fundamentals/shared-responsibility";

// For SaaS such as Microsoft 365, Microsoft's shared-responsibility doc puts the physical hosts, network and
// datacenter, and the application and identity platform's operation on Microsoft's side.
const MICROSOFT_RUNS: readonly string[] = [
  "The Microsoft 365 and Entra ID platform: its servers, operating systems, network and software updates.",
  "Physical security of the datacenters that hold your data.",
  "Availability of the identity service (Entra ID sign-in and token issuance) and of the Microsoft 365 services.",
];

// What the same doc leaves with the customer for SaaS: information and data, devices, accounts and identities.
const CUSTOMER_KEEPS: readonly string[] = [
  "Your data: what is stored where, who it is shared with, and its classification.",
  "Your people's accounts: joiners and leavers, who holds an admin role, and what each user may open.",
  "Your devices (phones, laptops) and the networks they connect from.",
  "Decisions on the exceptions listed above, and on alerts and incidents we raise with you.",
];

const STATUS_LABEL: Record<ControlStatus, string> = {
  compliant: "compliant",
  drifted: "drifted",
  missing: "missing",
  excepted: "excepted",
  notLicensed: "not licensed",
  error: "error",
};

/** The backup app's control: its id in the registry (src/controls/app01-backup-app). */
const BACKUP_CONTROL = "APP01";

/** The file name (no directory) for a stack's report: characters outside `[A-Za-z0-9._-]` become `_`. */
export function customerReportFileName(stack: string, extension: "html" | "pdf"): string {
  const base = stack.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_") || "_";
  return `${base}.${extension}`;
}

/** The printable shared-responsibility page for one tenant of `report`. */
export function renderCustomerReport(
  report: CheckReport,
  tenant: TenantCheckResult,
  options: CustomerReportOptions = {},
): string {
  const provider = options.provider ?? "your managed service provider";
  const list = (items: readonly string[]) => `<ul>${items.map((i) => `<li>${h(i)}</li>`).join("")}</ul>`;
  const rows = tenant.controls
    .map((c) => {
      const refs = options.frameworks?.get(c.controlId) ?? [];
      return `<tr class="${c.status}"><td>${h(c.controlId)}</td><td>${h(c.title)}</td><td class="status">${h(
        STATUS_LABEL[c.status] ?? String(c.status),
      )}</td><td>${h(controlDetail(c))}</td><td>${h(refs.map((r) => `${r.framework} ${r.ref}`).join("; "))}</td></tr>`;
    })
    .join("\n");
  const enforced =
    tenant.controls.length === 0
      ? `<p>No control results for this tenant.</p>`
      : `<table class="controls"><thead><tr><th>Control</th><th>Title</th><th>Status</th><th>Detail</th>` +
        `<th>Frameworks</th></tr></thead><tbody>\n${rows}\n</tbody></table>`;
  const meta =
    `<p class="meta">Tenant ${h(tenant.tenantId)} · stack ${h(tenant.stack)} · checked ${h(report.generatedAt)}` +
    ` · baseline ${h(report.baselineVersion)}</p>`;
  const tenantError = tenant.error ? `<p class="alert">The check of this tenant failed: ${h(tenant.error)}</p>` : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Security responsibilities — ${h(tenant.displayName)}</title>
<style>
@page{size:A4;margin:12mm 14mm}
body{font:10pt/1.35 system-ui,"Segoe UI",Arial,sans-serif;color:#1b1f24;margin:24px;max-width:180mm}
h1{font-size:16pt;margin:0 0 4px} h2{font-size:12pt;margin:14px 0 4px;border-bottom:1px solid #d0d7de}
h3{font-size:11pt;margin:10px 0 4px} ul{margin:4px 0;padding-left:20px} p{margin:4px 0}
.meta{color:#57606a;font-size:9pt} .alert{border:1px solid #cf222e;background:#ffebe9;padding:6px}
table{border-collapse:collapse;width:100%;font-size:9pt} th,td{border:1px solid #d0d7de;padding:3px 6px;
text-align:left;vertical-align:top;overflow-wrap:break-word} th{background:#f0f3f6}
table.controls td:first-child,table.controls th,td.status{white-space:nowrap}
tr.compliant .status{background:#dafbe1} tr.drifted .status,tr.missing .status{background:#fff1c2}
tr.error .status{background:#ffd8d3} tr.excepted .status{background:#ddf4ff} tr.notLicensed .status{color:#57606a}
dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px} dt{font-weight:600}
@media print{body{margin:0;max-width:none} tr,li,dl{break-inside:avoid} h2{break-after:avoid}
a{color:inherit;text-decoration:none}}
</style></head><body>
<h1>Security responsibilities — ${h(tenant.displayName)}</h1>
${meta}
${tenantError}
<h2>What Microsoft runs</h2>
${list(MICROSOFT_RUNS)}
<p class="meta">Source: Microsoft, <a href="${SHARED_RESPONSIBILITY_URL}">“Shared responsibility in the cloud”</a>
<span class="url">${SHARED_RESPONSIBILITY_URL}</span></p>
<h2>What ${h(provider)} enforces through the baseline</h2>
${enforced}
<h2>Microsoft Secure Score</h2>
${secureScoreSection(tenant.secureScore)}
<h2>What remains yours</h2>
${list(CUSTOMER_KEEPS)}
<h3>Backup and recovery</h3>
${backupSection(report, tenant)}
</body></html>
`;
}

/** One line on why a control has its status: differences summarized, the exception, or the message. */
export function controlDetail(c: ControlResult): string {
  const parts: string[] = [];
  if (c.status === "missing") parts.push("not present in the tenant");
  if (c.differences.length > 0) {
    const shown = c.differences
      .slice(0, 3)
      .map((d) => `${d.path}: expected ${brief(d.desired)}, found ${brief(d.live)}`);
    const more = c.differences.length - shown.length;
    parts.push(`${c.differences.length} difference(s): ${shown.join("; ")}${more > 0 ? `; and ${more} more` : ""}`);
  }
  if (c.exception) {
    const scope = c.exception.properties ? ` (only ${c.exception.properties.join(", ")})` : "";
    const soon = c.exception.expiresSoon ? " — expires within 30 days" : "";
    parts.push(`exception until ${c.exception.expires || "(no date)"}${scope}${soon}: ${c.exception.reason}`);
  }
  if (c.message) parts.push(c.message);
  return parts.join(". ");
}

/** A value as short JSON for a table cell. */
function brief(value: unknown): string {
  const text = value === undefined ? "(none)" : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function secureScoreSection(score: SecureScoreSummary | undefined): string {
  if (!score) return `<p>Secure Score was not read for this tenant.</p>`;
  // The gain is the points of the improvement actions the baseline addresses and Microsoft does not yet count
  // as met (src/check/secure-score.ts); the projection is capped at the maximum Microsoft reports.
  const gain = score.gainByBaseline ?? 0;
  const projected = Math.min(score.maxScore, score.currentScore + gain);
  const pct = (n: number) => (score.maxScore > 0 ? ` (${Math.round((n / score.maxScore) * 100)} %)` : "");
  const now = `${fmt(score.currentScore)} of ${fmt(score.maxScore)}${pct(score.currentScore)}`;
  return `<dl class="score"><dt>Now</dt><dd>${now}</dd>
<dt>With the baseline fully in place</dt><dd>${fmt(projected)} of ${fmt(score.maxScore)}${pct(projected)}</dd></dl>`;
}

const fmt = (n: number): string => String(Math.round(n * 100) / 100);

/** What the report tells about the backup app: registered, consented and signing in. */
export interface BackupState {
  readonly managed: boolean;
  readonly registered: string;
  readonly consented: string;
  readonly signingIn: string;
  /** A warning on the sign-in line: none recorded, or the last one is older than `STALE_SIGN_IN_DAYS`. */
  readonly signInWarning?: string | undefined;
}

/** A backup app that has not signed in for this many days is probably not running its backups. */
export const STALE_SIGN_IN_DAYS = 7;

/** The backup app's state as far as a check report shows it (APP01's status and differences, its last sign-in). */
export function backupState(tenant: TenantCheckResult, generatedAt?: string): BackupState {
  const c = tenant.controls.find((x) => x.controlId === BACKUP_CONTROL);
  if (!c) return { managed: false, registered: "not managed by the baseline", consented: "—", signingIn: "—" };
  const unknown = (why: string) => ({ managed: true, registered: why, consented: why, signingIn: why });
  switch (c.status) {
    case "missing":
      return { managed: true, registered: "no — the app is not registered", consented: "no", signingIn: "no" };
    case "error":
      return unknown(`unknown — the check failed${c.message ? `: ${c.message}` : ""}`);
    case "excepted":
    case "notLicensed":
      return unknown(`not checked (${STATUS_LABEL[c.status]})`);
    default: {
      // Consent is compared at the path `consent` (src/resources/application: the service principal's app roles).
      const consent = c.differences.filter((d) => d.path.startsWith("consent"));
      return {
        managed: true,
        registered: "yes",
        consented:
          consent.length === 0
            ? "yes — its permissions are granted"
            : "partly — the granted permissions differ from the documented set",
        ...signIn(tenant, generatedAt),
      };
    }
  }
}

/** The sign-in line from the report's `backupSignIn`, days counted up to when the check ran. */
function signIn(
  tenant: TenantCheckResult,
  generatedAt: string | undefined,
): Pick<BackupState, "signingIn" | "signInWarning"> {
  const s = tenant.backupSignIn;
  if (!s) return { signingIn: "not read (this report has no sign-in activity for the app)" };
  if (s.notRead) return { signingIn: `not read: ${s.notRead}` };
  if (!s.lastSignInDateTime)
    return {
      signingIn: "no sign-in recorded",
      signInWarning: "the backup app has never signed in: check that the backups run",
    };
  const at = Date.parse(s.lastSignInDateTime);
  const now = generatedAt ? Date.parse(generatedAt) : Number.NaN;
  if (Number.isNaN(at)) return { signingIn: `last sign-in ${s.lastSignInDateTime}` };
  const date = new Date(at).toISOString().slice(0, 10);
  if (Number.isNaN(now)) return { signingIn: `last sign-in ${date}` };
  const days = Math.max(0, Math.floor((now - at) / 86_400_000));
  const ago = days === 0 ? "today" : days === 1 ? "1 day ago" : `${days} days ago`;
  return {
    signingIn: `last sign-in ${date} (${ago})`,
    ...(days > STALE_SIGN_IN_DAYS
      ? {
          signInWarning: `no sign-in for more than ${STALE_SIGN_IN_DAYS} days: have the backups stopped? Check them`,
        }
      : {}),
  };
}

function backupSection(report: CheckReport, tenant: TenantCheckResult): string {
  const state = backupState(tenant, report.generatedAt);
  const intro = state.managed
    ? `<p>The baseline registers the backup product's app with exactly its documented permissions. Running the
backups, checking that they succeed and testing restores remain yours (or your backup provider's).</p>`
    : `<p>The baseline registers no backup application for this tenant: backup and recovery of your Microsoft 365
data is entirely yours. Microsoft keeps the service available; it does not keep backups you can restore from
at will.</p>`;
  return `${intro}
<dl class="backup"><dt>Backup app registered</dt><dd>${h(state.registered)}</dd>
<dt>Permissions consented</dt><dd>${h(state.consented)}</dd>
<dt>Signing in</dt><dd>${h(state.signingIn)}</dd></dl>${
    state.signInWarning ? `\n<p class="alert">Backup app: ${h(state.signInWarning)}.</p>` : ""
  }`;
}
