/**
 * `review` and promotion evidence: a reportOnly → enforce stage change is listed with the evidence file
 * `promote --write` commits beside it, or with the command to run when the change has none.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { promotionsOf } from "../../../src/review/promotions";
import { runCli } from "../../support/cli";
import { reviewRepo } from "../../support/repo";

let root = "";
let git: ReturnType<typeof reviewRepo>["git"];
let cleanup = () => {};
const commit = (message: string) => {
  git("add", ".");
  git("commit", "-q", "-m", message);
};
const STACK = "stacks/Pulumi.contoso.yaml";
const review = () => runCli(["review", "--base", "main", "--dir", root, "--today", "2026-11-23"]);

beforeAll(() => {
  ({ root, git, cleanup } = reviewRepo("m365b-review-promote-"));
  // An earlier promotion's evidence is in the base: it is not evidence for this change.
  mkdirSync(join(root, "docs", "promotions"), { recursive: true });
  writeFileSync(join(root, "docs/promotions/contoso-CA04-2026-10-01.md"), "# Promotion evidence: CA04 on contoso\n");
  git("init", "-q", "-b", "main");
  commit("base");
  const stack = readFileSync(join(root, STACK), "utf8").replace(
    "    CA09: enforce\n",
    "    CA09: enforce\n    CA04: enforce\n",
  );
  writeFileSync(join(root, STACK), stack);
});
afterAll(() => cleanup());

describe("review of a reportOnly → enforce change", () => {
  it("without evidence in the change: says so and names the promote command (exit 0, a strengthening)", () => {
    const r = review();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      "- CA04 reportOnly → enforce: **no promotion evidence**: run " +
        "`m365-baseline promote --stack contoso CA04 --write` and commit the file it writes",
    );
  });

  it("with the evidence file added in the change: names it", () => {
    writeFileSync(join(root, "docs/promotions/contoso-CA04-2026-11-23.md"), "# Promotion evidence: CA04 on contoso\n");
    const r = review();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      "- CA04 reportOnly → enforce: promotion evidence `docs/promotions/contoso-CA04-2026-11-23.md`",
    );
  });
});

describe("promotionsOf", () => {
  const stage = (controlId: string, before: string, after: string) => ({
    kind: "strengthening" as const,
    controlId,
    object: "outcome",
    path: "stage",
    summary: `stage ${before} → ${after}`,
    before,
    after,
  });
  it("matches evidence by stack and control, new or changed at the head only", () => {
    const head = new Map([
      ["docs/promotions/contoso-CA02-CA03-2026-11-23.md", "a"],
      ["docs/promotions/contoso-eu-CA05-2026-11-23.md", "b"],
      ["docs/promotions/contoso-CA05-2026-01-01.md", "c"],
    ]);
    const base = new Map([["docs/promotions/contoso-CA05-2026-01-01.md", "c"]]);
    const changes = [stage("CA02", "reportOnly", "enforce"), stage("CA03", "reportOnly", "enforce")];
    const more = [...changes, stage("CA05", "reportOnly", "enforce"), stage("CA06", "off", "enforce")];
    expect(promotionsOf("contoso", more, head, base)).toEqual([
      { controlId: "CA02", evidence: "docs/promotions/contoso-CA02-CA03-2026-11-23.md" },
      { controlId: "CA03", evidence: "docs/promotions/contoso-CA02-CA03-2026-11-23.md" },
      // contoso-eu's file is another stack's; the 2026-01-01 file is unchanged from the base.
      { controlId: "CA05", evidence: undefined },
    ]);
  });
});
