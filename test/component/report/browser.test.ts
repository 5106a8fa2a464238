import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderHtml } from "../../../src/report";
import type { CheckReport } from "../../../src/report/types";

// Debian's chromium (README set-up); the test installs nothing and is skipped with its reason without it.
const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (p) => existsSync(p) && spawnSync(p, ["--version"]).status === 0,
);

const report: CheckReport = {
  schemaVersion: 1,
  generatedAt: "2026-11-23T06:00:00.000Z",
  baselineVersion: "abc1234",
  summary: { tenants: 2, compliant: 1, drifted: 1, errors: 0 },
  tenants: [
    {
      stack: "contoso",
      tenantId: "6b0c3a52-7a3e-4d0b-9f0e-1c2d3e4f5a61",
      displayName: "Contoso Ltd",
      status: "compliant",
      requests: 12,
      durationMs: 300,
      unmanaged: [],
      controls: [
        {
          controlId: "CA01",
          title: "Block legacy authentication",
          severity: "high",
          status: "compliant",
          resources: ["ca01"],
          differences: [],
        },
      ],
    },
    {
      stack: "fabrikam",
      tenantId: "9d8e7f60-1b2c-4d3e-8f4a-5b6c7d8e9f02",
      displayName: "Fabrikam Inc",
      status: "drifted",
      requests: 12,
      durationMs: 300,
      unmanaged: [{ type: "conditionalAccessPolicy", id: "x", displayName: "Old MFA policy", label: "unmanaged" }],
      controls: [
        {
          controlId: "CA01",
          title: "Block legacy authentication",
          severity: "high",
          status: "drifted",
          resources: ["ca01"],
          differences: [{ path: "state", desired: "enabled", live: "disabled" }],
        },
      ],
    },
  ],
};

const dir = mkdtempSync(join(tmpdir(), "m365b-html-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!CHROMIUM)(
  "HTML dashboard in headless Chromium (skipped: no chromium at /usr/bin/chromium; apt-get install chromium)",
  () => {
    it("renders the tenants × controls grid and opens drift details from the URL", () => {
      const file = join(dir, "report.html");
      writeFileSync(file, renderHtml(report));
      const dom = execFileSync(
        CHROMIUM!,
        [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--user-data-dir=" + join(dir, "profile"),
          "--virtual-time-budget=3000",
          "--dump-dom",
          `file://${file}#open=fabrikam/CA01`,
        ],
        { encoding: "utf8", timeout: 60_000, stdio: ["ignore", "pipe", "ignore"] },
      );
      expect(dom).toMatch(/data-cell="contoso\/CA01"/);
      expect(dom).toMatch(/data-cell="fabrikam\/CA01"/);
      expect(dom).toMatch(/id="details"[^>]*data-open="fabrikam\/CA01"/);
      expect(dom).toContain("state");
      expect(dom).toContain("Old MFA policy");
    });
  },
);
