/**
 * Renders a check report as one self-contained HTML dashboard (inline CSS and script, no external
 * URLs): a tenants × controls grid coloured by status, drift details on click, unmanaged objects and
 * exceptions expiring soon, the fleet's consent gaps. `#open=<stack>/<control>` in the URL opens a cell's details.
 */
import { CONSENT_HEADING, consentNeeded } from "./consent";
import type { CheckReport } from "./types";

/** The dashboard page for `report`. */
export function renderHtml(report: CheckReport): string {
  // `<` is escaped so report text can never close the script element.
  const data = JSON.stringify(report).replace(/</g, "\\u003c");
  // Rendered here, not by the page's script: the list an MSP acts on must be there even without JavaScript.
  const consent = consentNeeded(report);
  const consentSection =
    consent.length === 0
      ? ""
      : `<h2>Consent needed</h2><p>${escapeHtml(CONSENT_HEADING)}</p>
<table id="consent"><tr><th>Permission</th><th>Tenants (stacks)</th></tr>${consent.map((c) => `<tr><td>${escapeHtml(c.permission)}</td><td>${escapeHtml(c.stacks.join(", "))}</td></tr>`).join("")}</table>
`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>m365-baseline — compliance dashboard</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1b1f24;background:#fafbfc}
h1{font-size:20px;margin:0 0 4px} .meta{color:#57606a;margin-bottom:16px}
table{border-collapse:collapse;margin:8px 0 20px} th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left}
th{background:#f0f3f6;font-weight:600} td.cell{cursor:pointer;text-align:center;min-width:56px;font-size:12px}
.compliant{background:#dafbe1}.drifted{background:#fff1c2}.missing{background:#ffd8d3}.error{background:#ff8182}
.notLicensed{background:#eaeef2;color:#57606a}.excepted{background:#ddf4ff}.none{background:#fff;color:#8c959f}
#details{border:1px solid #d0d7de;background:#fff;padding:12px;min-height:40px;white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:12px}
.legend span{display:inline-block;padding:2px 8px;margin-right:4px;border:1px solid #d0d7de}
</style></head><body>
<h1>m365-baseline — compliance dashboard</h1>
<div class="meta" id="meta"></div>
<div class="legend"><span class="compliant">compliant</span><span class="drifted">drifted</span><span class="missing">missing</span><span class="excepted">excepted</span><span class="notLicensed">not licensed</span><span class="error">error</span></div>
<table id="grid"></table>
${consentSection}<h2>Details</h2><div id="details">Click a cell to see its differences.</div>
<h2>Exceptions expiring within 30 days</h2><table id="expiring"></table>
<h2>Objects the baseline does not manage</h2><table id="unmanaged"></table>
<script id="report-data" type="application/json">${data}</script>
<script>
(function () {
  var report = JSON.parse(document.getElementById("report-data").textContent);
  function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }
  function row(cells, header) { var tr = el("tr"); cells.forEach(function (c) { tr.appendChild(el(header ? "th" : "td", c)); }); return tr; }
  document.getElementById("meta").textContent = "Generated " + report.generatedAt + " · baseline " + report.baselineVersion + " · " +
    report.summary.tenants + " tenants: " + report.summary.compliant + " compliant, " + report.summary.drifted + " drifted, " + report.summary.errors + " errors";
  var ids = []; report.tenants.forEach(function (t) { t.controls.forEach(function (c) { if (ids.indexOf(c.controlId) < 0) ids.push(c.controlId); }); });
  ids.sort();
  var grid = document.getElementById("grid");
  grid.appendChild(row(["Tenant"].concat(ids), true));
  function show(tenant, control) {
    var lines = [tenant.displayName + " (" + tenant.stack + ") — " + control.controlId + " " + control.title, "status: " + control.status];
    if (control.message) lines.push(control.message);
    if (control.exception)
      lines.push(
        "exception until " +
          control.exception.expires +
          (control.exception.properties ? " (only " + control.exception.properties.join(", ") + ")" : "") +
          ": " +
          control.exception.reason,
      );
    control.differences.forEach(function (d) { lines.push(d.path + ": desired " + JSON.stringify(d.desired) + ", live " + JSON.stringify(d.live)); });
    var box = document.getElementById("details"); box.textContent = lines.join("\\n"); box.setAttribute("data-open", tenant.stack + "/" + control.controlId);
  }
  report.tenants.forEach(function (t) {
    var tr = el("tr"); tr.appendChild(el("th", t.displayName + (t.error ? " ⛔" : "")));
    ids.forEach(function (id) {
      var c = t.controls.filter(function (x) { return x.controlId === id; })[0];
      var td = el("td", c ? c.status : "—", "cell " + (c ? c.status : "none"));
      td.setAttribute("data-cell", t.stack + "/" + id);
      if (c) td.addEventListener("click", function () { show(t, c); });
      tr.appendChild(td);
    });
    grid.appendChild(tr);
  });
  var expiring = document.getElementById("expiring"); expiring.appendChild(row(["Tenant", "Control", "Expires", "Reason"], true));
  var unmanaged = document.getElementById("unmanaged"); unmanaged.appendChild(row(["Tenant", "Type", "Name", "Label", "Detail"], true));
  report.tenants.forEach(function (t) {
    t.controls.forEach(function (c) { if (c.exception && c.exception.expiresSoon) expiring.appendChild(row([t.displayName, c.controlId, c.exception.expires, c.exception.reason])); });
    t.unmanaged.forEach(function (u) { unmanaged.appendChild(row([t.displayName, u.type, u.displayName, u.label, u.detail || ""])); });
  });
  var m = /#open=([^/]+)\\/(.+)$/.exec(location.hash);
  if (m) report.tenants.forEach(function (t) { if (t.stack === m[1]) t.controls.forEach(function (c) { if (c.controlId === m[2]) show(t, c); }); });
})();
</script></body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
