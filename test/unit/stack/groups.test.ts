import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ValidationError, type Issue } from "../../../src/errors";
import { loadGroup } from "../../../src/stack/groups";
import { parseStackConfig, withGroups } from "../../../src/stack/load";
import { loadEachTenant, loadTenant } from "../../../src/tenant";
import { REPO, exampleConfig, tempRepo } from "../../support/repo";

const TODAY = "2026-11-23";
const K = (key: string) => `m365-baseline:${key}`;
const SMALL_OFFICE = readFileSync(join(REPO, "test/fixtures/groups/small-office.yaml"), "utf8");
const HEALTHCARE = readFileSync(join(REPO, "test/fixtures/groups/healthcare.yaml"), "utf8");
const STACK = "stacks/Pulumi.t.yaml";

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

/** A temp repository with stack `t` (fabrikam plus `changes`) and the given group files. */
function repo(changes: Record<string, unknown>, groups: Record<string, string | Record<string, unknown>>): string {
  const extra = Object.fromEntries(
    Object.entries(groups).map(([name, g]) => [
      `stacks/groups/${name}.yaml`,
      typeof g === "string" ? g : stringify({ config: g }),
    ]),
  );
  const r = tempRepo({ t: { ...exampleConfig("fabrikam"), ...changes } }, extra);
  cleanups.push(r.cleanup);
  return r.root;
}

function issuesOf(run: () => unknown): readonly Issue[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error("expected a ValidationError");
}

const stageOf = (root: string, id: string) =>
  loadTenant(root, "t", TODAY).compiled.outcomes.find((o) => o.controlId === id)!.stage;

describe("tenant groups: baseline < groups < stack", () => {
  it("a group's stage beats the baseline's; the stack's beats the group's", () => {
    const root = repo(
      { [K("groups")]: ["small-office"], [K("stages")]: { CA02: "reportOnly", CA09: { off: "devices, until March" } } },
      { "small-office": SMALL_OFFICE },
    );
    expect(stageOf(root, "CA01")).toBe("enforce"); // baseline: reportOnly; group: enforce
    expect(stageOf(root, "CA02")).toBe("reportOnly"); // group: enforce; stack: reportOnly
    expect(stageOf(root, "CA05")).toBe("reportOnly"); // neither: the baseline
    const origins = loadTenant(root, "t", TODAY).stack.origins!;
    expect(origins.get(K("stages.CA01"))!.file).toBe("stacks/groups/small-office.yaml");
    expect(origins.get(K("stages.CA02"))).toEqual({
      file: STACK,
      path: K("stages.CA02"),
      replaced: ["stacks/groups/small-office.yaml"],
    });
  });
  it("exceptions concatenate: the group's first, then the stack's", () => {
    const root = repo({ [K("groups")]: ["small-office"] }, { "small-office": SMALL_OFFICE });
    const exceptions = loadTenant(root, "t", TODAY).stack.config.exceptions;
    expect(exceptions.map((e) => e.reason)).toEqual([
      "Shared office printers sign in with device code until the fleet is replaced.",
      "Conference-room devices sign in with device code; replacement ordered (ticket FAB-1182).",
    ]);
  });
  it("a stack without groups compiles exactly as before", () => {
    const root = repo({}, { "small-office": SMALL_OFFICE });
    const plain = tempRepo({ t: exampleConfig("fabrikam") });
    cleanups.push(plain.cleanup);
    expect(loadTenant(root, "t", TODAY).compiled).toEqual(loadTenant(plain.root, "t", TODAY).compiled);
    expect(loadTenant(root, "t", TODAY).stack.origins).toBeUndefined();
  });
  it("two groups setting one stage differently is an error naming both group files and the key path", () => {
    const root = repo(
      { [K("groups")]: ["small-office", "healthcare"] },
      { "small-office": SMALL_OFFICE, healthcare: HEALTHCARE },
    );
    const issues = issuesOf(() => loadTenant(root, "t", TODAY));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: "stacks/groups/healthcare.yaml", path: K("stages.CA03") });
    expect(issues[0]!.message).toContain("stacks/groups/small-office.yaml and stacks/groups/healthcare.yaml");
    expect(issues[0]!.fix).toContain(`in ${STACK}`);
  });
  it("the stack setting that stage resolves the conflict, and its value is the one compiled", () => {
    const root = repo(
      {
        [K("groups")]: ["small-office", "healthcare"],
        [K("stages")]: { CA03: "enforce", CA09: { off: "devices, until March" } },
      },
      { "small-office": SMALL_OFFICE, healthcare: HEALTHCARE },
    );
    expect(stageOf(root, "CA03")).toBe("enforce");
    expect(stageOf(root, "CA02")).toBe("enforce"); // both groups agree
  });
  it.each<[string, Record<string, unknown>, string]>([
    ["tenantId", { [K("tenantId")]: "9d8e7f60-1b2c-4d3e-8f4a-5b6c7d8e9f02" }, K("tenantId")],
    ["breakGlass", { [K("breakGlass")]: { users: ["bg@x.onmicrosoft.com"] } }, K("breakGlass")],
    ["licences", { [K("licences")]: { entraIdP1: true, entraIdP2: true } }, K("licences")],
    ["deployment", { [K("deployment")]: { clientId: "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d" } }, K("deployment")],
    ["endpoints", { [K("endpoints")]: {} }, K("endpoints")],
    ["groups (no nesting)", { [K("groups")]: ["other"] }, K("groups")],
  ])("a group setting the per-tenant key %s is refused, naming the group file, key and fix", (_, config, path) => {
    const root = repo({ [K("groups")]: ["bad"] }, { bad: config });
    const issues = issuesOf(() => loadTenant(root, "t", TODAY));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: "stacks/groups/bad.yaml", path });
    expect(issues[0]!.message).toMatch(/belongs to one tenant and cannot be set by a group/);
    expect(issues[0]!.fix).toMatch(/^move it to each stack file that lists this group; a group may set stages, /);
  });
  it("an unknown key or a bad value in a group is reported in the group file", () => {
    const root = repo({}, { bad: { [K("stagez")]: {}, [K("stages")]: { CA01: "on" }, "pulumi:x": "1" } });
    const issues = issuesOf(() => loadGroup(root, "bad"));
    expect(issues.map((i) => `${i.file} ${i.path}`).sort()).toEqual([
      "stacks/groups/bad.yaml m365-baseline:stages.CA01",
      "stacks/groups/bad.yaml m365-baseline:stagez",
      "stacks/groups/bad.yaml pulumi:x",
    ]);
    expect(issues.find((i) => i.path === K("stagez"))!.fix).toContain("stacks/groups/schema.json");
  });
  it("a group that has no file is an error naming the stack file, groups[1] and the existing groups", () => {
    const root = repo(
      { [K("groups")]: ["small-office", "helthcare"] },
      { "small-office": SMALL_OFFICE, healthcare: HEALTHCARE },
    );
    const issues = issuesOf(() => loadTenant(root, "t", TODAY));
    expect(issues).toEqual([
      {
        file: STACK,
        path: K("groups[1]"),
        message: "group 'helthcare' not found: there is no stacks/groups/helthcare.yaml",
        fix: "create stacks/groups/helthcare.yaml, or use one of: healthcare, small-office",
      },
    ]);
  });
  it("a group name that is a path is refused by the schema, before any file is read", () => {
    const root = repo({ [K("groups")]: ["../Pulumi.t"] }, {});
    const issues = issuesOf(() => loadTenant(root, "t", TODAY));
    expect(issues.map((i) => `${i.file} ${i.path}`)).toEqual([`${STACK} ${K("groups[0]")}`]);
  });
  it("an expired exception a group carries is reported in the group file at its own index", () => {
    const root = repo(
      { [K("groups")]: ["small-office"] },
      {
        "small-office": {
          [K("exceptions")]: [
            { control: "CA09", reason: "printers until the fleet is replaced", expires: "2027-12-31" },
            { control: "CA09", reason: "old scanner, replaced last year", expires: "2026-01-31" },
          ],
        },
      },
    );
    const issues = issuesOf(() => loadTenant(root, "t", TODAY));
    expect(issues.map((i) => `${i.file} ${i.path}: ${i.message}`)).toEqual([
      "stacks/groups/small-office.yaml m365-baseline:exceptions[1].expires: exception for CA09 expired on 2026-01-31",
    ]);
  });
  it("a named location a group adds under a name the stack uses is a duplicate named in the later file", () => {
    const loc = { name: "HQ", ipRanges: ["203.0.113.0/24"] };
    const root = repo({ [K("groups")]: ["g"], [K("namedLocations")]: [loc] }, { g: { [K("namedLocations")]: [loc] } });
    const issues = issuesOf(() => loadTenant(root, "t", TODAY));
    expect(issues.map((i) => `${i.file} ${i.path}`)).toEqual([`${STACK} ${K("namedLocations[0].name")}`]);
  });
  it("validate's loader reports a broken group file nobody lists, and a misnamed file under stacks/groups/", () => {
    const root = repo({}, { unused: { [K("tenantId")]: "x" }, "Bad Name": SMALL_OFFICE });
    const failed = loadEachTenant(root, TODAY).failed;
    expect(failed.map((f) => `${f.file}: ${f.issues.map((i) => i.path).join(",")}`).sort()).toEqual([
      "stacks/groups/Bad Name.yaml: ",
      "stacks/groups/unused.yaml: m365-baseline:tenantId",
    ]);
    expect(failed.find((f) => f.file === "stacks/groups/Bad Name.yaml")!.issues[0]!.fix).toContain(
      "rename it to stacks/groups/bad-name.yaml",
    );
  });
  it("a broken group a stack lists is reported once, with the stack", () => {
    const root = repo({ [K("groups")]: ["bad"] }, { bad: { [K("tenantId")]: "x" } });
    const failed = loadEachTenant(root, TODAY).failed;
    expect(failed.map((f) => f.file)).toEqual([STACK]);
  });
  it("the Pulumi program's path: groups arrive as JSON from the engine and are layered the same way", () => {
    const root = repo({}, { "small-office": SMALL_OFFICE });
    const config = Object.fromEntries(
      Object.entries({ ...exampleConfig("fabrikam"), [K("groups")]: ["small-office"] }).map(([k, v]) => [
        k,
        typeof v === "string" ? v : JSON.stringify(v),
      ]),
    );
    const parsed = parseStackConfig(config, { file: STACK, decrypted: true });
    const stack = withGroups(root, { name: "t", ...parsed });
    expect(stack.config.stages["CA01"]).toBe("enforce");
    expect(stack.config.exceptions).toHaveLength(2);
  });
});
