/**
 * The fleet dashboard (issue 19): one self-contained HTML file (inline CSS and script, no URL is ever fetched) with the
 * fleet's KPIs, per-control compliance bars with framework references, a searchable, filterable, sortable and paged
 * tenants table, and a per-tenant page at `#tenant/<stack>` (exact differences, exceptions, consent gaps, unmanaged
 * objects, Secure Score and, with `--history`, drift over time and when each difference first appeared).
 *
 * Every text from the report is untrusted (tenant admins name the objects): the data is embedded as inert JSON
 * (`embedJson`) and the script builds the DOM with `textContent` only. The Content-Security-Policy allows exactly this
 * file's one script and one style element, by SHA-256 hash, and nothing else: no 'unsafe-inline', no network, no
 * forms, no <base>. Hashes rather than 'unsafe-inline' for style too: both elements are static text, so hashing them
 * costs nothing, and an injected <style> (were escaping ever broken) could otherwise still restyle or exfiltrate via
 * CSS selectors. Bar widths are set through the CSSOM (`element.style.width`), which CSP does not restrict.
 */
import { createHash } from "node:crypto";
import { CONSENT_HEADING, consentNeeded } from "./consent";
import { SPARK_HEIGHT, SPARK_WIDTH, dashboardData, embedJson, fleetKpis } from "./dashboard-data";
import type { DashboardControl, DashboardHistoryRun } from "./dashboard-data";
import type { CheckReport, ControlStatus } from "./types";

/** What the dashboard adds to the report: control metadata (framework references) and the check history. */
export interface HtmlOptions {
  readonly controls?: ReadonlyMap<string, DashboardControl> | undefined;
  /** History runs (`check --history`), any order; the newest should be this report's run. */
  readonly history?: readonly DashboardHistoryRun[] | undefined;
}

/** The control statuses in the order bars and filters show them, with their labels. */
const STATUS_LABELS: readonly (readonly [ControlStatus, string])[] = [
  ["compliant", "compliant"],
  ["drifted", "drifted"],
  ["missing", "missing"],
  ["excepted", "excepted"],
  ["notLicensed", "not licensed"],
  ["error", "error"],
];

/** Tenants rows per page: the DOM stays small at any fleet size, so filtering and sorting stay instant. */
const PAGE_SIZE = 100;

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1b1f24;background:#fafbfc}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}.meta{color:#57606a;margin-bottom:16px}
summary{cursor:pointer;font-weight:600;margin:16px 0 8px}
#kpis{display:flex;flex-wrap:wrap;gap:12px;margin:0;padding:0}
.kpi{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:10px 16px;min-width:120px;margin:0}
.kpi dt{color:#57606a;font-size:12px}.kpi dd{font-size:22px;font-weight:600;margin:0}
table{border-collapse:collapse;margin:8px 0 20px;background:#fff}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f0f3f6;font-weight:600}th[data-sort]{cursor:pointer;user-select:none}
#control-bars tr[data-control]{cursor:pointer}
th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
.bar{display:flex;width:240px;height:14px;border:1px solid #d0d7de;background:#fff}.bar span{display:block;height:100%}
.compliant{background:#2da44e}.drifted{background:#d4a72c}.missing{background:#e16f24}.excepted{background:#54aeff}
.notLicensed{background:#afb8c1}.error{background:#cf222e}
.status{display:inline-block;padding:0 6px;border-radius:8px;color:#fff;font-size:12px}
.status.notLicensed{color:#1b1f24}.refs{color:#57606a;font-size:12px}
.controls{display:flex;gap:8px;flex-wrap:wrap;align-items:center;margin:8px 0}
input,select,button{font:inherit;padding:3px 6px}
code,.value{font-family:ui-monospace,monospace;font-size:12px;white-space:pre-wrap;word-break:break-all}
svg.spark polyline{fill:none;stroke:#d4a72c;stroke-width:2}svg.spark{vertical-align:middle;background:#fff}
.label-highPrivilege,.label-duplicate{font-weight:600;color:#cf222e}
`;

// The page's script, for any current browser. It has no template literals of its own, so each `${…}` below is one
// of this module's numeric constants, filled in once when the module loads (and hashed for the CSP with it).
const SCRIPT = String.raw`
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var report = data.report;
  var PAGE = ${String(PAGE_SIZE)};
  var STATUSES = ["compliant", "drifted", "missing", "excepted", "notLicensed", "error"];
  var LABEL = { compliant: "compliant", drifted: "drifted", missing: "missing", excepted: "excepted",
    notLicensed: "not licensed", error: "error" };
  var ORDER = { error: 0, drifted: 1, compliant: 2 };
  var SVG = "http://www.w3.org/2000/svg";
  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function cell(tr, text, cls) { var td = el("td", text, cls); tr.appendChild(td); return td; }
  function head(table, names) {
    var tr = el("tr"); names.forEach(function (n) { tr.appendChild(el("th", n)); }); table.appendChild(tr);
  }
  function status(s) { return el("span", LABEL[s] || s, "status " + (LABEL[s] ? s : "")); }
  function value(v) { return v === undefined ? "(absent)" : JSON.stringify(v); }
  function spark(points) {
    var s = document.createElementNS(SVG, "svg");
    s.setAttribute("class", "spark");
    s.setAttribute("width", "${String(SPARK_WIDTH)}");
    s.setAttribute("height", "${String(SPARK_HEIGHT)}");
    s.setAttribute("viewBox", "0 0 ${String(SPARK_WIDTH)} ${String(SPARK_HEIGHT)}");
    var p = document.createElementNS(SVG, "polyline");
    p.setAttribute("points", points);
    s.appendChild(p);
    return s;
  }

  var rows = report.tenants.map(function (t, i) {
    var r = { t: t, i: i, drifted: 0, errors: 0, excepted: 0, byControl: new Map(),
      key: (t.displayName + " " + t.tenantId + " " + t.stack).toLowerCase(),
      score: t.secureScore && t.secureScore.maxScore ? t.secureScore.currentScore / t.secureScore.maxScore : -1,
      history: Object.prototype.hasOwnProperty.call(data.history, t.stack) ? data.history[t.stack] : undefined };
    t.controls.forEach(function (c) {
      r.byControl.set(c.controlId, c.status);
      if (c.status === "drifted" || c.status === "missing") r.drifted++;
      else if (c.status === "error") r.errors++;
      else if (c.status === "excepted") r.excepted++;
    });
    return r;
  });

  // Per-control compliance bars.
  var bars = $("control-bars");
  head(bars, ["Control", "Title", "Tenants", "Counts", "Framework references"]);
  data.controls.forEach(function (c) {
    var counts = {}, total = 0;
    STATUSES.forEach(function (s) { counts[s] = 0; });
    rows.forEach(function (r) { var s = r.byControl.get(c.id); if (s !== undefined) { counts[s]++; total++; } });
    var tr = el("tr"); tr.setAttribute("data-control", c.id);
    cell(tr, c.id); cell(tr, c.title);
    var bar = el("div", undefined, "bar");
    STATUSES.forEach(function (s) {
      if (!counts[s]) return;
      var seg = el("span", undefined, s);
      seg.style.width = (100 * counts[s] / total) + "%";
      seg.title = LABEL[s] + ": " + counts[s];
      bar.appendChild(seg);
    });
    cell(tr).appendChild(bar);
    cell(tr, STATUSES.filter(function (s) { return counts[s]; })
      .map(function (s) { return counts[s] + " " + LABEL[s]; }).join(" · "));
    cell(tr, (c.frameworks || []).map(function (f) { return f.framework + " " + f.ref; })
      .concat((c.secureScore || []).map(function (s) { return "Secure Score " + s; })).join("; "), "refs");
    // A control's row shows its tenants that are not compliant with it in the table below.
    tr.addEventListener("click", function () { showControl(c.id); });
    bars.appendChild(tr);
  });

  // Tenants table: filter, sort and page over the rows array; only one page is ever in the DOM.
  // failing: set by a control's bar (its drifted, missing and error tenants), cleared by any filter change.
  var state = { q: "", status: "", control: "", failing: false, sort: "name", dir: 1, page: 0 };
  var COLS = [["name", "Tenant"], ["tenantId", "Tenant id"], ["status", "Status"], ["drifted", "Drifted"],
    ["errors", "Errors"], ["excepted", "Excepted"], ["score", "Secure Score"], ["", "Drift over time"]];
  var KEY = {
    name: function (r) { return r.t.displayName.toLowerCase(); },
    tenantId: function (r) { return r.t.tenantId; },
    status: function (r) { return ORDER[r.t.status]; },
    drifted: function (r) { return r.drifted; },
    errors: function (r) { return r.errors; },
    excepted: function (r) { return r.excepted; },
    score: function (r) { return r.score; }
  };
  var controlSelect = $("filter-control");
  function showControl(id) {
    state.control = id; state.status = ""; state.page = 0; state.q = ""; state.failing = true;
    controlSelect.value = id; $("filter-status").value = ""; $("search").value = "";
    draw(); $("tenants").scrollIntoView();
  }
  data.controls.forEach(function (c) {
    var o = el("option", c.id + " — " + c.title); o.value = c.id; controlSelect.appendChild(o);
  });
  var table = $("tenants"), thead = el("thead"), tbody = el("tbody"), headRow = el("tr");
  COLS.forEach(function (col) {
    var th = el("th", col[1]);
    if (col[0]) {
      th.setAttribute("data-sort", col[0]);
      th.tabIndex = 0; // sortable from the keyboard too
      var sort = function () {
        if (state.sort === col[0]) state.dir = -state.dir; else { state.sort = col[0]; state.dir = 1; }
        state.page = 0; draw();
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    }
    headRow.appendChild(th);
  });
  thead.appendChild(headRow); table.appendChild(thead); table.appendChild(tbody);

  function matches(r) {
    if (state.q && r.key.indexOf(state.q) < 0) return false;
    if (state.control) {
      var s = r.byControl.get(state.control);
      if (state.failing) return s !== undefined && s !== "compliant" && s !== "excepted" && s !== "notLicensed";
      return s !== undefined && (!state.status || s === state.status);
    }
    if (!state.status) return true;
    if (ORDER[state.status] !== undefined) return r.t.status === state.status;
    return r.t.controls.some(function (c) { return c.status === state.status; });
  }
  function draw() {
    var key = KEY[state.sort];
    var shown = rows.filter(matches).sort(function (a, b) {
      var x = key(a), y = key(b);
      return (x < y ? -1 : x > y ? 1 : 0) * state.dir || a.i - b.i;
    });
    var pages = Math.max(1, Math.ceil(shown.length / PAGE));
    if (state.page >= pages) state.page = pages - 1;
    var from = state.page * PAGE, page = shown.slice(from, from + PAGE);
    var frag = document.createDocumentFragment();
    page.forEach(function (r) {
      var t = r.t, tr = el("tr");
      tr.setAttribute("data-stack", t.stack);
      var a = el("a", t.displayName);
      a.href = "#tenant/" + encodeURIComponent(t.stack);
      cell(tr).appendChild(a);
      cell(tr, t.tenantId, "value");
      cell(tr).appendChild(status(t.status));
      cell(tr, r.drifted); cell(tr, r.errors); cell(tr, r.excepted);
      cell(tr, t.secureScore ? t.secureScore.currentScore + " / " + t.secureScore.maxScore : "—");
      var trend = cell(tr);
      if (r.history) trend.appendChild(spark(r.history.spark));
      frag.appendChild(tr);
    });
    tbody.replaceChildren(frag);
    headRow.querySelectorAll("th[data-sort]").forEach(function (th) {
      if (th.getAttribute("data-sort") !== state.sort) th.removeAttribute("aria-sort");
      else th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
    });
    $("count").textContent = shown.length === 0 ? "No tenant matches." :
      "Showing " + (from + 1) + "–" + (from + page.length) + " of " + shown.length + " tenants (page " +
      (state.page + 1) + " of " + pages + ")";
    $("count").setAttribute("data-matches", String(shown.length));
    $("prev").disabled = state.page === 0;
    $("next").disabled = state.page >= pages - 1;
  }
  function on(id, event, set) {
    $(id).addEventListener(event, function (e) { set(e.target.value); state.page = 0; state.failing = false; draw(); });
  }
  on("search", "input", function (v) { state.q = v.trim().toLowerCase(); });
  on("filter-status", "change", function (v) { state.status = v; });
  on("filter-control", "change", function (v) { state.control = v; });
  $("prev").addEventListener("click", function () { state.page--; draw(); });
  $("next").addEventListener("click", function () { state.page++; draw(); });

  // The per-tenant page.
  function section(view, title, headers, items, fill) {
    if (items.length === 0) return;
    view.appendChild(el("h2", title));
    var t = el("table"); head(t, headers);
    items.forEach(function (item) { var tr = el("tr"); fill(tr, item); t.appendChild(tr); });
    view.appendChild(t);
    return t;
  }
  function tenantView(stack) {
    var view = $("tenant"), r = rows.filter(function (x) { return x.t.stack === stack; })[0];
    view.replaceChildren();
    var back = el("a", "← Fleet"); back.href = "#"; view.appendChild(back);
    if (!r) { view.appendChild(el("p", "No tenant with stack " + stack + " in this report.")); return; }
    var t = r.t;
    view.appendChild(el("h1", t.displayName));
    var meta = el("p", "stack " + t.stack + " · tenant " + t.tenantId + " · ", "meta");
    meta.appendChild(status(t.status)); view.appendChild(meta);
    if (t.error) view.appendChild(el("p", "Error: " + t.error));
    if (r.history) {
      var h = el("p", "Drifted controls over " + r.history.runs.length + " run(s): ");
      h.appendChild(spark(r.history.spark));
      var counts = r.history.runs.map(function (p) { return p.drifted; });
      // The last ten counts in words; the sparkline shows them all (up to --history-keep runs).
      var words = (counts.length > 10 ? "… → " : "") + counts.slice(-10).join(" → ");
      h.appendChild(document.createTextNode(" " + words + " (oldest " + r.history.runs[0].at + ")"));
      h.id = "drift-history"; view.appendChild(h);
    }
    var s = t.secureScore;
    if (s) {
      var line = "Secure Score now: " + s.currentScore + " / " + s.maxScore;
      if (s.gainByBaseline !== undefined)
        line += " · after the baseline: " + (s.currentScore + s.gainByBaseline) + " / " + s.maxScore;
      view.appendChild(el("p", line)).id = "secure-score";
    }
    var seen = new Map();
    if (r.history) r.history.firstSeen.forEach(function (f) { seen.set(f[0] + "\u0000" + f[1], f[2]); });
    var diffs = [];
    t.controls.forEach(function (c) {
      c.differences.forEach(function (d) { diffs.push({ c: c, d: d }); });
      if (c.status === "missing") diffs.push({ c: c, d: { path: "(missing)", desired: "present", live: undefined } });
    });
    var columns = ["Control", "Status", "Path", "Desired", "Live", "First seen"];
    var dt = section(view, "Differences", columns, diffs, function (tr, x) {
      tr.setAttribute("data-control", x.c.controlId);
      cell(tr, x.c.controlId + " " + x.c.title); cell(tr).appendChild(status(x.c.status));
      cell(tr, x.d.path, "value"); cell(tr, value(x.d.desired), "value"); cell(tr, value(x.d.live), "value");
      cell(tr, seen.get(x.c.controlId + "\u0000" + x.d.path) || "—");
    });
    if (dt) dt.id = "differences";
    section(view, "Controls", ["Control", "Title", "Status", "Detail"], t.controls, function (tr, c) {
      cell(tr, c.controlId); cell(tr, c.title); cell(tr).appendChild(status(c.status)); cell(tr, c.message || "");
    });
    section(view, "Exceptions", ["Control", "Expires", "Reason", "Scope"],
      t.controls.filter(function (c) { return c.exception; }), function (tr, c) {
        var e = c.exception;
        cell(tr, c.controlId); cell(tr, e.expires + (e.expiresSoon ? " (within 30 days)" : ""));
        cell(tr, e.reason); cell(tr, e.properties ? "only " + e.properties.join(", ") : "whole control");
      });
    var gaps = t.missingPermissions || [];
    if (gaps.length) {
      view.appendChild(el("h2", "Consent gaps"));
      var ul = el("ul"); ul.id = "consent-gaps";
      gaps.forEach(function (p) { ul.appendChild(el("li", p)); }); view.appendChild(ul);
    }
    var objects = ["Type", "Name", "Label", "Detail"];
    section(view, "Objects the baseline does not manage", objects, t.unmanaged, function (tr, u) {
      cell(tr, u.type); cell(tr, u.displayName); cell(tr, u.label, "label-" + u.label); cell(tr, u.detail || "");
    });
  }
  function route() {
    var h = location.hash, stack;
    var m = /^#tenant\/(.+)$/.exec(h) || /^#open=([^/]+)\//.exec(h);
    if (m) { try { stack = decodeURIComponent(m[1]); } catch (e) { stack = m[1]; } }
    $("fleet").hidden = stack !== undefined;
    $("tenant").hidden = stack === undefined;
    if (stack !== undefined) { tenantView(stack); window.scrollTo(0, 0); }
  }
  window.addEventListener("hashchange", route);
  draw();
  // Time to first render, for the benchmark: from navigation start to the tenants table's first rows in the DOM.
  window.__firstRowMs = performance.now();
  route();
})();
`;

/** The dashboard page for `report` (one self-contained file). */
export function renderHtml(report: CheckReport, options: HtmlOptions = {}): string {
  const kpis = fleetKpis(report);
  const data = embedJson(dashboardData(report, options.controls, options.history));
  // Rendered here, not by the page's script: the list an MSP acts on must be there even without JavaScript.
  const consent = consentNeeded(report);
  const consentRows = consent
    .map((c) => `<tr><td>${escapeHtml(c.permission)}</td><td>${escapeHtml(c.stacks.join(", "))}</td></tr>`)
    .join("");
  const consentSection =
    consent.length === 0
      ? ""
      : // Collapsed: at fleet scale the list of stacks is long, and the KPIs above already count the tenants.
        `<details id="consent-needed"><summary>Consent needed: ${consent.length} permission(s), ${kpis.consentGaps} \
tenant(s)</summary><p>${escapeHtml(CONSENT_HEADING)}</p>
<table id="consent"><tr><th>Permission</th><th>Tenants (stacks)</th></tr>${consentRows}</table>
</details>
`;
  const kpiCards = (
    [
      ["tenants", "Tenants", String(kpis.tenants)],
      ["compliant", "Compliant", `${kpis.compliantPercent}%`],
      ["drifted", "Drifted", String(kpis.drifted)],
      ["errors", "Errors", String(kpis.errors)],
      ["expiring", "Exceptions expiring ≤ 30 days", String(kpis.expiringExceptions)],
      ["consent", "Consent gaps (tenants)", String(kpis.consentGaps)],
    ] as const
  )
    .map(([id, label, value]) => `<div class="kpi"><dt>${label}</dt><dd data-kpi="${id}">${value}</dd></div>`)
    .join("");
  const legend = STATUS_LABELS.map(([s, label]) => `<span class="status ${s}">${label}</span>`).join(" ");
  const statusOptions = STATUS_LABELS.map(([s, label]) => `<option value="${s}">${label}</option>`).join("");
  const csp = [
    "default-src 'none'",
    `script-src '${sha256(SCRIPT)}'`,
    `style-src '${sha256(STYLE)}'`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>m365-baseline — fleet dashboard</title>
<style>${STYLE}</style></head><body>
<main id="fleet">
<h1>m365-baseline — fleet dashboard</h1>
<div class="meta">Generated ${escapeHtml(report.generatedAt)} · baseline ${escapeHtml(report.baselineVersion)}</div>
<dl id="kpis">${kpiCards}</dl>
<noscript><p>The controls and tenants below need JavaScript; the KPIs and consent gaps do not.</p></noscript>
${consentSection}<h2>Compliance by control</h2>
<div class="legend">${legend}</div>
<table id="control-bars"></table>
<h2>Tenants</h2>
<div class="controls">
<input id="search" type="search" placeholder="Search name or tenant id" aria-label="Search tenants">
<select id="filter-status" aria-label="Status"><option value="">any status</option>${statusOptions}</select>
<select id="filter-control" aria-label="Control"><option value="">any control</option></select>
<button id="prev" type="button">← Previous</button><button id="next" type="button">Next →</button>
<span id="count"></span>
</div>
<table id="tenants"></table>
</main>
<section id="tenant" hidden></section>
<script id="dashboard-data" type="application/json">${data}</script>
<script>${SCRIPT}</script></body></html>
`;
}

/** The CSP source of an inline element's text: its SHA-256, base64 (CSP Level 3, "hash-source"). */
function sha256(text: string): string {
  return `sha256-${createHash("sha256").update(text, "utf8").digest("base64")}`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
