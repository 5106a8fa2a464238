import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli } from "../../support/cli";
import { REPO } from "../../support/repo";

interface Step {
  run?: string;
  uses?: string;
}
const workflows = ["pr-review.yml", "drift.yml"].map((f) => ({
  file: f,
  doc: parse(readFileSync(join(REPO, ".github/workflows", f), "utf8")) as {
    on: unknown;
    jobs: Record<string, { steps: Step[] }>;
  },
}));
const invocations = workflows.flatMap(({ file, doc }) =>
  Object.values(doc.jobs)
    .flatMap((j) => j.steps)
    .flatMap((s) => (s.run ?? "").split("\n"))
    .map((line) => /(?:npx m365-baseline|node trusted\/src\/cli\/bin\.js) (\w+)(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ file, verb: m[1]!, options: [...m[2]!.matchAll(/(--[a-z-]+)/g)].map((o) => o[1]!) })),
);

describe("CI templates", () => {
  it("call m365-baseline commands in both workflows", () => {
    expect(invocations.filter((i) => i.file === "pr-review.yml").map((i) => i.verb)).toEqual(
      expect.arrayContaining(["validate", "review"]),
    );
    expect(invocations.filter((i) => i.file === "drift.yml").map((i) => i.verb)).toEqual(
      expect.arrayContaining(["fleet", "check"]),
    );
  });
  it.each(invocations.map((i) => [`${i.file}: ${i.verb} ${i.options.join(" ")}`, i] as const))(
    "%s exists with those options",
    (_name, i) => {
      const help = runCli([i.verb, "--help"]);
      expect(help.code).toBe(0);
      for (const option of i.options) expect(help.stdout).toContain(option);
    },
  );
  it("the review gate runs the base branch's code on the pull request's tree", () => {
    const steps = workflows[0]!.doc.jobs["review"]!.steps as (Step & { with?: Record<string, unknown> })[];
    expect(steps.find((s) => s.with?.["path"] === "trusted")?.with?.["ref"]).toBe("${{ github.base_ref }}");
    const review = steps.find((s) => /\breview\b/.test(s.run ?? ""))!.run!;
    expect(review).toMatch(/node trusted\/src\/cli\/bin\.js review --dir pr --base/);
  });
  it("the drift workflow is scheduled, sharded and uploads reports; the review workflow runs pulumi preview", () => {
    const drift = workflows[1]!.doc as unknown as {
      on: { schedule: unknown[] };
      jobs: { drift: { strategy: { matrix: { shard: string[] } }; steps: Step[] } };
    };
    expect(drift.on.schedule).toHaveLength(1);
    expect(drift.jobs.drift.strategy.matrix.shard).toEqual(["1/4", "2/4", "3/4", "4/4"]);
    expect(drift.jobs.drift.steps.some((s) => s.uses?.startsWith("actions/upload-artifact"))).toBe(true);
    const review = workflows[0]!.doc;
    expect(
      Object.values(review.jobs)
        .flatMap((j) => j.steps)
        .some((s) => s.uses?.startsWith("pulumi/actions")),
    ).toBe(true);
  });
});
