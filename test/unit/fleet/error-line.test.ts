import { describe, expect, it } from "vitest";
import { firstLine } from "../../../src/fleet/runner";

describe("the error a fleet row shows", () => {
  it("keeps the file: key: message lines a refused stack configuration introduces (seen with the real CLI)", () => {
    const transcript = [
      "Previewing update (broken):",
      "    pulumi:pulumi:Stack m365-baseline-broken  error: m365-baseline: the stack configuration is invalid:",
      "error: m365-baseline: the stack configuration is invalid:",
      "stacks/Pulumi.broken.yaml: m365-baseline:baseline: baseline 'msp-nonexistent' not found (no baselines/msp-nonexistent.ts) (use one of: msp-standard, msp-strict)",
      "",
      "Resources:",
    ].join("\n");
    expect(firstLine(transcript)).toBe(
      "error: m365-baseline: the stack configuration is invalid: stacks/Pulumi.broken.yaml: m365-baseline:baseline: baseline 'msp-nonexistent' not found (no baselines/msp-nonexistent.ts) (use one of: msp-standard, msp-strict)",
    );
  });
  it("is the first error line otherwise, or the first line", () => {
    expect(firstLine("a\nerror: boom\nerror: later")).toBe("error: boom");
    expect(firstLine("just this\nand that")).toBe("just this");
  });
});
