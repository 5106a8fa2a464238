import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hasStackTrace, runCli } from "../../support/cli";
import { REPO, exampleConfig, tempRepo } from "../../support/repo";

const K = (key: string) => `m365-baseline:${key}`;
const fixture = (name: string) => readFileSync(join(REPO, "test/fixtures/groups", `${name}.yaml`), "utf8");
const groups = {
  "stacks/groups/small-office.yaml": fixture("small-office"),
  "stacks/groups/healthcare.yaml": fixture("healthcare"),
};
const office = { ...exampleConfig("contoso"), [K("groups")]: ["small-office"] };
delete office[K("stages")];
const clinic = { ...exampleConfig("fabrikam"), [K("groups")]: ["small-office", "healthcare"] };
const good = tempRepo({ office }, groups);
const conflicting = tempRepo({ office, clinic }, groups);
afterAll(() => {
  good.cleanup();
  conflicting.cleanup();
});

describe("CLI with tenant groups (stacks/groups/<name>.yaml)", () => {
  it("validate passes a stack that takes its stages from a group", () => {
    const r = runCli(["validate", "--dir", good.root]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("ok  stacks/Pulumi.office.yaml: 21 resources from baseline msp-standard\n");
  });
  it("plan shows the group's stages as compiled, and where each layered value came from", () => {
    const r = runCli(["plan", "--stack", "office", "--dir", good.root]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^CA01 +conditionalAccessPolicy "CA01 - [^"]+" +enforce /m);
    expect(r.stdout).toMatch(/^CA05 +conditionalAccessPolicy "CA05 - [^"]+" +reportOnly /m);
    expect(r.stdout).toContain(
      "Where the values come from (baseline < stacks/groups/small-office.yaml < stacks/Pulumi.office.yaml):",
    );
    expect(r.stdout).toMatch(/^m365-baseline:stages\.CA01 +enforce +stacks\/groups\/small-office\.yaml$/m);
    expect(r.stdout).toMatch(
      /^m365-baseline:namedLocations\[0\] +named location "Contoso HQ" +stacks\/Pulumi\.office\.yaml$/m,
    );
    expect(r.stdout).toMatch(
      /^m365-baseline:exceptions\[0\] +exception for CA09 until 2027-03-31 +stacks\/groups\/small-office\.yaml$/m,
    );
    expect(r.stdout).toContain("Stages and parameters not listed come from the baseline (baselines/msp-standard.ts).");
    const json = runCli(["plan", "--stack", "office", "--dir", good.root, "--json"]);
    expect(() => JSON.parse(json.stdout) as unknown).not.toThrow();
  });
  it("validate names both group files and the key when two groups of one stack disagree; exit 1", () => {
    const r = runCli(["validate", "--dir", conflicting.root]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "stacks/groups/healthcare.yaml: m365-baseline:stages.CA03: the groups stacks/groups/small-office.yaml and " +
        "stacks/groups/healthcare.yaml of stacks/Pulumi.clinic.yaml set this to different values",
    );
    expect(r.stderr).not.toContain("Pulumi.office.yaml");
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
  it("plan of the stack whose groups conflict fails the same way, one line", () => {
    const r = runCli(["plan", "--stack", "clinic", "--dir", conflicting.root]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("m365-baseline:stages.CA03");
  });
  it("a stack overriding the group's value is shown as replacing it", () => {
    const decided = tempRepo(
      { clinic: { ...clinic, [K("stages")]: { CA03: "enforce", CA09: { off: "scanner uses device code" } } } },
      groups,
    );
    try {
      const r = runCli(["plan", "--stack", "clinic", "--dir", decided.root]);
      expect(r.stderr).toBe("");
      const row = r.stdout.split("\n").find((l) => l.startsWith("m365-baseline:stages.CA03 "));
      expect(row).toMatch(/ enforce +stacks\/Pulumi\.clinic\.yaml \(replaces stacks\/groups\/healthcare\.yaml\)$/);
    } finally {
      decided.cleanup();
    }
  });
});
