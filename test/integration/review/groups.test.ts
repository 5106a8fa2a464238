import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { runCli } from "../../support/cli";
import { REPO, exampleConfig, reviewRepo } from "../../support/repo";

let root = "";
let git: ReturnType<typeof reviewRepo>["git"];
let cleanup = () => {};
const GROUP = "stacks/groups/small-office.yaml";

beforeAll(() => {
  ({ root, git, cleanup } = reviewRepo("m365b-review-groups-"));
  // The base compiles with its own committed src/ (reviewRepo copies it), so it is the code that knows groups.
  mkdirSync(join(root, "stacks", "groups"), { recursive: true });
  writeFileSync(join(root, GROUP), readFileSync(join(REPO, "test/fixtures/groups/small-office.yaml"), "utf8"));
  // Two tenants on the group (contoso's own stages moved into it), contoso and fabrikam unchanged.
  for (const [name, id] of [
    ["office-a", "11111111-2222-4333-8444-555555555501"],
    ["office-b", "11111111-2222-4333-8444-555555555502"],
  ] as const) {
    const config: Record<string, unknown> = {
      ...exampleConfig("contoso"),
      "m365-baseline:tenantId": id,
      "m365-baseline:groups": ["small-office"],
    };
    delete config["m365-baseline:stages"];
    writeFileSync(join(root, "stacks", `Pulumi.${name}.yaml`), stringify({ config }));
  }
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "base");
});
afterAll(() => cleanup());

describe("review sees a change to a group file in every stack that lists the group", () => {
  it("no change: exit 0", () => {
    const r = runCli(["review", "--base", "main", "--dir", root, "--today", "2026-11-23"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
  it("only stacks/groups/small-office.yaml changes (CA02 to reportOnly): both of its tenants weaken, exit 3", () => {
    const file = join(root, GROUP);
    writeFileSync(file, readFileSync(file, "utf8").replace("CA02: enforce", "CA02: reportOnly"));
    expect(git("status", "--porcelain").trim()).toBe(`M ${GROUP}`);
    const r = runCli(["review", "--base", "main", "--dir", root, "--today", "2026-11-23", "--format", "json"]);
    expect(r.code, r.stderr).toBe(3);
    const result = JSON.parse(r.stdout) as {
      tenants: { stack: string; unexcused: { controlId: string }[]; changes: unknown[] }[];
    };
    const unexcused = Object.fromEntries(
      result.tenants.map((t) => [t.stack, [...new Set(t.unexcused.map((c) => c.controlId))]]),
    );
    expect(unexcused).toEqual({ contoso: [], fabrikam: [], "office-a": ["CA02"], "office-b": ["CA02"] });
    expect(result.tenants.find((t) => t.stack === "contoso")!.changes).toEqual([]);
  });
  it("the same change committed and reviewed against the commit before it is seen the same way", () => {
    git("commit", "-q", "-am", "small offices: CA02 report-only");
    const r = runCli(["review", "--base", "main~1", "--dir", root, "--today", "2026-11-23", "--format", "json"]);
    expect(r.code).toBe(3);
    const tenants = (JSON.parse(r.stdout) as { tenants: { stack: string; weakenings: number }[] }).tenants;
    expect(tenants.filter((t) => t.weakenings > 0).map((t) => t.stack)).toEqual(["office-a", "office-b"]);
  });
});
