import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { describe, expect, it } from "vitest";
import { DriftCollector, dynamicDiff } from "../../../src/fleet/events";
import { fleetExitCode, renderFleetMarkdown } from "../../../src/fleet/report";
import { parseShard, shardStacks } from "../../../src/fleet/shard";
import { tenantEnv } from "../../../src/fleet/runner";
import { REPO } from "../../support/repo";

const events = JSON.parse(readFileSync(join(REPO, "test/fixtures/events/drift-preview.json"), "utf8")) as EngineEvent[];

describe("drift from engine events", () => {
  const collector = new DriftCollector();
  for (const e of events) collector.add(e);
  it("keeps only real changes (no same/refresh/stack events)", () => {
    expect(collector.changes.map((c) => `${c.op} ${c.name}`)).toEqual([
      "update ca02",
      "update brand01-default",
      "create ret01-keep-7-years",
    ]);
  });
  it("uses azuread's detailed diff", () => {
    expect(collector.changes[0]!.properties).toEqual([
      { path: "state", kind: "update", before: "disabled", after: "enabledForReportingButNotEnforced" },
    ]);
  });
  it("computes dynamic diffs from old outputs vs new inputs, ignoring __provider, bookkeeping and unchanged assets", () => {
    expect(collector.changes[1]!.properties).toEqual([
      { path: "assets.bannerLogo", kind: "update", before: "1111", after: "9999" },
      { path: "signInPageText", kind: "update", before: "Hacked text", after: "Authorised users only." },
    ]);
  });
  it("a create lists every new property as added", () => {
    expect(dynamicDiff({}, { displayName: "L", n: 1 }).map((p) => p.kind)).toEqual(["add", "add"]);
  });
});

describe("sharding, environment, exit codes, Markdown", () => {
  it("splits stacks deterministically so every stack lands in exactly one shard", () => {
    const stacks = ["e", "a", "d", "b", "c"];
    const shards = [1, 2, 3].map((i) => shardStacks(stacks, { index: i, count: 3 }));
    expect(shards).toEqual([["a", "d"], ["b", "e"], ["c"]]);
    expect(shards.flat().sort()).toEqual([...stacks].sort());
  });
  it("refuses a malformed shard with the option named", () => {
    expect(() => parseShard("3/2")).toThrow(/--shard: '3\/2' is not a shard like 2\/4/);
    expect(parseShard("2/4")).toEqual({ index: 2, count: 4 });
  });
  it("gives a tenant its own passphrase only when configured", () => {
    expect(tenantEnv("fab-rikam", { M365B_PASSPHRASE_FAB_RIKAM: "pw" })).toEqual({
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_CONFIG_PASSPHRASE: "pw",
    });
    expect(tenantEnv("contoso", {})).toEqual({ PULUMI_SKIP_UPDATE_CHECK: "true" });
  });
  it("exit codes: error 1, drift 2, clean 0", () => {
    const base = { changes: [], summary: {}, durationMs: 1 };
    expect(fleetExitCode("drift", [{ stack: "a", status: "changes", ...base }])).toBe(2);
    expect(fleetExitCode("preview", [{ stack: "a", status: "changes", ...base }])).toBe(0);
    expect(
      fleetExitCode("drift", [
        { stack: "a", status: "error", ...base },
        { stack: "b", status: "changes", ...base },
      ]),
    ).toBe(1);
  });
  it("Markdown puts the summary table first and details after", () => {
    const collector = new DriftCollector();
    for (const e of events) collector.add(e);
    const md = renderFleetMarkdown("drift", [
      { stack: "fabrikam", status: "changes", changes: collector.changes, summary: {}, durationMs: 1 },
    ]);
    expect(md.indexOf("| fabrikam | changes | 3 |")).toBeGreaterThan(0);
    expect(md.indexOf("| fabrikam |")).toBeLessThan(md.indexOf("### fabrikam"));
    expect(md).toContain("`signInPageText`: `Hacked text` → `Authorised users only.`");
  });
});
