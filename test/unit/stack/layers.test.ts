import { describe, expect, it } from "vitest";
import { attributeIssues, mergeLayers, originOf } from "../../../src/stack/layers";

const A = "stacks/groups/a.yaml";
const B = "stacks/groups/b.yaml";
const S = "stacks/Pulumi.t.yaml";
const group = (file: string, values: Record<string, unknown>) => ({ file, values, group: true });
const stack = (values: Record<string, unknown>) => ({ file: S, values, group: false });

describe("mergeLayers: groups in order, then the stack", () => {
  it("objects merge by key and the stack wins a leaf; the origin says whose value it replaced", () => {
    const r = mergeLayers(
      [
        group(A, { "m365-baseline:stages": { CA01: "enforce", CA02: "enforce" } }),
        stack({ "m365-baseline:stages": { CA02: "reportOnly", CA03: "enforce" } }),
      ],
      S,
    );
    expect(r.values["m365-baseline:stages"]).toEqual({ CA01: "enforce", CA02: "reportOnly", CA03: "enforce" });
    expect(r.origins.get("m365-baseline:stages.CA01")).toEqual({
      file: A,
      path: "m365-baseline:stages.CA01",
      replaced: [],
    });
    expect(r.origins.get("m365-baseline:stages.CA02")).toEqual({
      file: S,
      path: "m365-baseline:stages.CA02",
      replaced: [A],
    });
    expect(r.conflicts).toEqual([]);
  });
  it("arrays concatenate in layer order, each element keeping the index it has in its own file", () => {
    const r = mergeLayers(
      [
        group(A, { "m365-baseline:exceptions": [{ control: "CA01" }] }),
        group(B, { "m365-baseline:exceptions": [{ control: "CA02" }, { control: "CA03" }] }),
        stack({ "m365-baseline:exceptions": [{ control: "CA04" }] }),
      ],
      S,
    );
    expect((r.values["m365-baseline:exceptions"] as { control: string }[]).map((e) => e.control)).toEqual([
      "CA01",
      "CA02",
      "CA03",
      "CA04",
    ]);
    expect(originOf(r.origins, "m365-baseline:exceptions[2].expires")).toEqual({
      file: B,
      path: "m365-baseline:exceptions[1].expires",
    });
    expect(originOf(r.origins, "m365-baseline:exceptions[3]")).toEqual({
      file: S,
      path: "m365-baseline:exceptions[0]",
    });
    expect(r.conflicts).toEqual([]);
  });
  it("two groups giving one leaf different values is an error naming both files and the key path", () => {
    const r = mergeLayers(
      [
        group(A, { "m365-baseline:stages": { CA03: "enforce" } }),
        group(B, { "m365-baseline:stages": { CA03: "reportOnly" } }),
        stack({ "m365-baseline:stages": {} }),
      ],
      S,
    );
    expect(r.conflicts).toHaveLength(1);
    const [issue] = r.conflicts;
    expect(issue!.file).toBe(B);
    expect(issue!.path).toBe("m365-baseline:stages.CA03");
    expect(issue!.message).toContain(`${A} and ${B}`);
    expect(issue!.message).toContain('("enforce" and "reportOnly")');
    expect(issue!.fix).toContain(`set m365-baseline:stages.CA03 in ${S}`);
  });
  it("two groups agreeing on a value is no conflict", () => {
    const r = mergeLayers(
      [
        group(A, { "m365-baseline:stages": { CA03: "enforce" } }),
        group(B, { "m365-baseline:stages": { CA03: "enforce" } }),
      ],
      S,
    );
    expect(r.conflicts).toEqual([]);
  });
  it("the stack setting the leaf (or an ancestor of it) decides the conflict", () => {
    const layers = [
      group(A, { "m365-baseline:stages": { CA09: { off: "printers use device code" } } }),
      group(B, { "m365-baseline:stages": { CA09: { off: "scanners use device code" } } }),
    ];
    expect(mergeLayers(layers, S).conflicts.map((c) => c.path)).toEqual(["m365-baseline:stages.CA09.off"]);
    const byAncestor = mergeLayers([...layers, stack({ "m365-baseline:stages": { CA09: "enforce" } })], S);
    expect(byAncestor.conflicts).toEqual([]);
    expect(byAncestor.values["m365-baseline:stages"]).toEqual({ CA09: "enforce" });
    const byLeaf = mergeLayers([...layers, stack({ "m365-baseline:stages": { CA09: { off: "both, until May" } } })], S);
    expect(byLeaf.conflicts).toEqual([]);
    expect(byLeaf.values["m365-baseline:stages"]).toEqual({ CA09: { off: "both, until May" } });
  });
  it("a scalar against an object between groups is a conflict the stack can decide by writing the whole value", () => {
    const layers = [
      group(A, { "m365-baseline:stages": { CA09: "enforce" } }),
      group(B, { "m365-baseline:stages": { CA09: { off: "printers use device code" } } }),
    ];
    expect(mergeLayers(layers, S).conflicts.map((c) => c.path)).toEqual(["m365-baseline:stages.CA09"]);
    const decided = mergeLayers([...layers, stack({ "m365-baseline:stages": { CA09: { off: "until May" } } })], S);
    expect(decided.conflicts).toEqual([]);
  });
  it("attributeIssues moves an issue about a layered value to its file and leaves other files' issues alone", () => {
    const r = mergeLayers(
      [group(A, { "m365-baseline:exceptions": [{ control: "CA01" }] }), stack({ "m365-baseline:exceptions": [] })],
      S,
    );
    const issues = attributeIssues(
      [
        { file: S, path: "m365-baseline:exceptions[0].expires", message: "expired", fix: "extend" },
        { file: S, path: "m365-baseline:tenantId", message: "bad", fix: "fix" },
        { file: "baselines/x.ts", path: "m365-baseline:exceptions[0]", message: "m", fix: "f" },
      ],
      r.origins,
      S,
    );
    expect(issues.map((i) => `${i.file} ${i.path}`)).toEqual([
      `${A} m365-baseline:exceptions[0].expires`,
      `${S} m365-baseline:tenantId`,
      "baselines/x.ts m365-baseline:exceptions[0]",
    ]);
  });
});
