// The fleet dashboard at 1,000 tenants in Debian's headless Chromium, driven by playwright-core (issue 19).
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHtml } from "../../../src/report";
import { CHROMIUM_ARGS, DEFAULT_CHROMIUM as CHROMIUM_PATH } from "../../../src/report/pdf";
import { sampleControls, sampleFleetReport, sampleHistory, sampleTenantId } from "../../../src/report/sample-fleet";

const HOSTILE_NAME = `</script><script>window.__pwned=1</script><!-- <img src=x onerror="window.__pwned=2">`;
const HOSTILE_INDEX = 7; // an excepted tenant (kind 7)
const report = sampleFleetReport(1000, (i) => (i === HOSTILE_INDEX ? HOSTILE_NAME : undefined));
const available = existsSync(CHROMIUM_PATH);
const SKIPPED = `skipped: no chromium at ${CHROMIUM_PATH} (apt-get install chromium; .ci/run installs it)`;
if (!available) console.log(`dashboard browser test ${SKIPPED}`);
// The reason is in the title too, so the reporter's list of skipped tests says why.
const TITLE = `fleet dashboard in headless Chromium (1,000 tenants)${available ? "" : ` — ${SKIPPED}`}`;

describe.skipIf(!available)(TITLE, () => {
  const dir = mkdtempSync(join(tmpdir(), "m365b-dashboard-"));
  const file = join(dir, "dashboard.html");
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    writeFileSync(file, renderHtml(report, { controls: sampleControls(), history: sampleHistory(report, 5) }));
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto(`file://${file}`);
    await page.waitForSelector("#tenants tbody tr");
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows the fleet KPIs and one compliance bar per control with its framework references", async () => {
    expect(await page.textContent('[data-kpi="tenants"]')).toBe("1000");
    expect(await page.textContent('[data-kpi="compliant"]')).toBe("60%");
    expect(await page.textContent('[data-kpi="drifted"]')).toBe("300");
    expect(await page.textContent('[data-kpi="errors"]')).toBe("100");
    expect(await page.textContent('[data-kpi="expiring"]')).toBe("100");
    expect(await page.textContent('[data-kpi="consent"]')).toBe("100");
    expect(await page.textContent("#consent-needed summary")).toBe("Consent needed: 2 permission(s), 100 tenant(s)");
    expect(await page.isVisible("#consent")).toBe(false); // collapsed: 100 stacks per permission
    expect(await page.locator("#control-bars tr[data-control]").count()).toBe(5);
    const ca01 = await page.textContent('#control-bars tr[data-control="CA01"]');
    expect(ca01).toContain("CISA SCuBA MS.AAD.1.1v1");
    expect(ca01).toContain("Secure Score BlockLegacyAuthentication");
    expect(ca01).toContain("200 drifted");
    // A script error (including a CSP refusal of the page's own script) would leave the page half drawn.
    expect(errors).toEqual([]);
  });

  it("pages the table, narrows it by search and filters it by status and control", async () => {
    expect(await page.locator("#tenants tbody tr").count()).toBe(100);
    expect(await page.getAttribute("#count", "data-matches")).toBe("1000");
    await page.fill("#search", sampleTenantId(421));
    expect(await page.locator("#tenants tbody tr").count()).toBe(1);
    expect(await page.getAttribute("#tenants tbody tr", "data-stack")).toBe("tenant-0421");
    await page.fill("#search", "customer 0999");
    expect(await page.getAttribute("#tenants tbody tr", "data-stack")).toBe("tenant-0999");
    await page.fill("#search", "");
    await page.selectOption("#filter-status", "drifted");
    expect(await page.getAttribute("#count", "data-matches")).toBe("300");
    await page.selectOption("#filter-control", "CA02");
    expect(await page.getAttribute("#count", "data-matches")).toBe("100"); // only kind 6 drifts CA02
    await page.selectOption("#filter-control", "");
    await page.selectOption("#filter-status", "");
    await page.click('th[data-sort="drifted"]');
    await page.click('th[data-sort="drifted"]');
    expect(await page.getAttribute('th[data-sort="drifted"]', "aria-sort")).toBe("descending");
    expect(await page.textContent("#tenants tbody tr:first-child td:nth-child(4)")).toBe("2");
    // A control's bar lists its failing tenants: CA01 is drifted in 200 and an error in 100.
    await page.click('#control-bars tr[data-control="CA01"]');
    expect(await page.getAttribute("#count", "data-matches")).toBe("300");
    expect(await page.inputValue("#filter-control")).toBe("CA01");
    await page.selectOption("#filter-control", "");
    expect(await page.getAttribute("#count", "data-matches")).toBe("1000");
    await page.focus('th[data-sort="errors"]');
    await page.keyboard.press("Enter");
    expect(await page.getAttribute('th[data-sort="errors"]', "aria-sort")).toBe("ascending");
    await page.screenshot({ path: join(dir, "fleet.png"), fullPage: true });
  });

  it("opens a tenant's page with its exact differences, first-seen times and drift history", async () => {
    await page.click('th[data-sort="name"]'); // ascending by name again
    await page.fill("#search", "tenant-0006");
    await page.click('#tenants tbody tr[data-stack="tenant-0006"] a');
    await page.waitForSelector("#differences");
    expect(page.url()).toMatch(/#tenant\/tenant-0006$/);
    expect(await page.isHidden("#fleet")).toBe(true);
    const rows = await page.$$eval("#differences tr[data-control]", (trs) =>
      trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)),
    );
    expect(rows).toEqual([
      ["CA01 Block legacy authentication", "drifted", "state", '"enabled"', '"disabled"', "2026-12-01T06:00:00.000Z"],
      [
        "CA01 Block legacy authentication",
        "drifted",
        "conditions.users.excludeGroups",
        '["bg"]',
        '["bg","g-6"]',
        "2026-12-01T06:00:00.000Z",
      ],
      ["CA02 Require MFA for all users", "drifted", "state", '"enabled"', '"disabled"', "2026-12-02T06:00:00.000Z"],
      [
        "CA02 Require MFA for all users",
        "drifted",
        "conditions.users.excludeGroups",
        '["bg"]',
        '["bg","g-6"]',
        "2026-12-02T06:00:00.000Z",
      ],
    ]);
    const drift = await page.textContent("#drift-history");
    expect(drift).toContain("0 → 1 → 2 → 2 → 2 (oldest 2026-11-30T06:00:00.000Z)");
    expect(await page.getAttribute("#drift-history polyline", "points")).toMatch(/^0,22 /);
    expect(await page.textContent("#secure-score")).toBe("Secure Score now: 46 / 100 · after the baseline: 54 / 100");
    expect(await page.textContent("#tenant")).toContain("Backup tool");
    await page.screenshot({ path: join(dir, "tenant.png"), fullPage: true });
    await page.goto(`file://${file}#tenant/tenant-0009`);
    expect(await page.textContent("#consent-gaps")).toBe("Policy.Read.AllApplication.Read.All");
  });

  it("renders a hostile display name as text: no script ran, no element was injected", async () => {
    await page.goto(`file://${file}`);
    await page.fill("#search", "tenant-0007");
    expect(await page.textContent('#tenants tbody tr[data-stack="tenant-0007"] a')).toBe(HOSTILE_NAME);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.locator("script").count()).toBe(2);
    expect(await page.locator("img").count()).toBe(0);
    await page.click('#tenants tbody tr[data-stack="tenant-0007"] a');
    expect(await page.textContent("#tenant h1")).toBe(HOSTILE_NAME);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(errors).toEqual([]);
  });

  it("wrote non-empty screenshots", () => {
    for (const name of ["fleet.png", "tenant.png"]) expect(statSync(join(dir, name)).size).toBeGreaterThan(1000);
  });
});
