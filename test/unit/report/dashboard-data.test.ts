import { describe, expect, it } from "vitest";
import { renderHtml } from "../../../src/report";
import {
  dashboardData,
  embedJson,
  fleetKpis,
  sparkline,
  tenantHistories,
  type DashboardHistoryRun,
} from "../../../src/report/dashboard-data";
import { sampleControls, sampleFleetReport, sampleHistory } from "../../../src/report/sample-fleet";

const HOSTILE = `</script><script>alert(1)</script><!-- <SCRIPT> & \u2028\u2029 </ScRiPt >`;

describe("embedJson", () => {
  it("round-trips and leaves nothing an HTML parser reads inside a script element", () => {
    const value = { name: HOSTILE, nested: [HOSTILE, { "</script>": "<!--" }], n: 1, nil: null };
    const text = embedJson(value);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
  });

  it("keeps a hostile display name inside the data element of the rendered page", () => {
    const report = sampleFleetReport(3, (i) => (i === 1 ? HOSTILE : undefined));
    const html = renderHtml(report);
    const start = html.indexOf('<script id="dashboard-data" type="application/json">');
    const end = html.indexOf("</script>", start);
    // The element's text ends at the first `</script` (any case) — and that must be the element's own end tag.
    expect(html.slice(start).search(/<\/script/i)).toBe(end - start);
    const text = html.slice(start + '<script id="dashboard-data" type="application/json">'.length, end);
    expect(text).not.toMatch(/<!--|<script/i);
    expect((JSON.parse(text) as { report: typeof report }).report.tenants[1]!.displayName).toBe(HOSTILE);
    // Two script elements only: the data and the page's own script.
    expect(html.match(/<script/gi)).toHaveLength(2);
  });
});

describe("the page's Content-Security-Policy", () => {
  it("allows exactly the page's one script and one style by hash, and nothing from anywhere", async () => {
    const { createHash } = await import("node:crypto");
    const html = renderHtml(sampleFleetReport(2));
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!;
    expect(csp).not.toContain("unsafe");
    expect(csp).toMatch(/^default-src 'none'; /);
    const hash = (text: string): string => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(csp).toContain(`script-src ${hash(script)};`);
    expect(csp).toContain(`style-src ${hash(style)};`);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });
});

describe("dashboardData", () => {
  it("lists the report's controls in id order with the catalogue's framework references", () => {
    const data = dashboardData(sampleFleetReport(2), sampleControls());
    expect(data.controls.map((c) => c.id)).toEqual(["CA01", "CA02", "CA03", "CA06", "ID01"]);
    expect(data.controls[0]!.frameworks).toContainEqual({ framework: "CISA SCuBA", ref: "MS.AAD.1.1v1" });
    expect(dashboardData(sampleFleetReport(1)).controls[0]).toEqual({
      id: "CA01",
      title: "Block legacy authentication",
      frameworks: [],
      secureScore: [],
    });
  });

  it("counts the fleet's KPIs", () => {
    expect(fleetKpis(sampleFleetReport(20))).toEqual({
      tenants: 20,
      compliantPercent: 60,
      drifted: 6,
      errors: 2,
      expiringExceptions: 2,
      consentGaps: 2,
    });
    expect(fleetKpis(sampleFleetReport(0)).compliantPercent).toBe(0);
  });
});

describe("history sparkline data", () => {
  const run = (runAt: string, drifted: number, firstSeen = runAt): DashboardHistoryRun => ({
    runAt,
    tenants: [
      {
        stack: "contoso",
        controls: [
          ...Array.from({ length: drifted }, (_, i) => ({
            controlId: `CA0${i + 1}`,
            status: "drifted" as const,
            differences: [{ path: "state", firstSeen }],
          })),
          { controlId: "CA09", status: "missing", differences: [{ path: "(missing)", firstSeen }] },
          { controlId: "CA08", status: "excepted", differences: [] },
        ],
      },
    ],
  });

  it("counts drifted and missing controls per run, oldest first, whatever order the runs come in", () => {
    const history = tenantHistories([
      run("2026-12-03T00:00:00Z", 2, "2026-12-02T00:00:00Z"),
      run("2026-12-01T00:00:00Z", 0),
      run("2026-12-02T00:00:00Z", 1),
    ]);
    expect(history["contoso"]!.runs).toEqual([
      { at: "2026-12-01T00:00:00Z", drifted: 1 },
      { at: "2026-12-02T00:00:00Z", drifted: 2 },
      { at: "2026-12-03T00:00:00Z", drifted: 3 },
    ]);
    expect(history["contoso"]!.spark).toBe(sparkline([1, 2, 3]));
    // First-seen times come from the newest run.
    expect(history["contoso"]!.firstSeen).toEqual([
      ["CA01", "state", "2026-12-02T00:00:00Z"],
      ["CA02", "state", "2026-12-02T00:00:00Z"],
      ["CA09", "(missing)", "2026-12-02T00:00:00Z"],
    ]);
    expect(tenantHistories([])).toEqual({});
  });

  it("keeps a stack named __proto__ an ordinary key", () => {
    const history = tenantHistories([
      { runAt: "2026-12-01T00:00:00Z", tenants: [{ stack: "__proto__", controls: [] }] },
    ]);
    expect(Object.keys(history)).toEqual(["__proto__"]);
  });

  it("draws points inside the box: 0 at the bottom, the maximum at the top, x evenly spaced", () => {
    expect(sparkline([], 120, 24)).toBe("");
    expect(sparkline([3], 120, 24)).toBe("0,2 120,2");
    expect(sparkline([0, 0], 120, 24)).toBe("0,22 120,22");
    expect(sparkline([0, 2, 4], 120, 24)).toBe("0,22 60,12 120,2");
    expect(sparkline([1, 0, 0, 1], 100, 24)).toBe("0,2 33.3,22 66.7,22 100,2");
  });

  it("builds from the sample history the browser test and benchmark use", () => {
    const report = sampleFleetReport(10);
    const history = tenantHistories(sampleHistory(report, 5));
    expect(history["tenant-0006"]!.runs.map((r) => r.drifted)).toEqual([0, 1, 2, 2, 2]);
    expect(history["tenant-0000"]!.runs.map((r) => r.drifted)).toEqual([0, 0, 0, 0, 0]);
  });
});
