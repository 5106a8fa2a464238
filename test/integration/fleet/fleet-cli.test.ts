import { describe, expect, it } from "vitest";
import { hasStackTrace, runCli } from "../../support/cli";

describe("fleet without the pulumi CLI", () => {
  it("prints one actionable line and exits 4", () => {
    const r = runCli(["fleet", "preview"], undefined, { PATH: "/nonexistent" });
    expect(r.code).toBe(4);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/pulumi CLI is not on PATH — install it/);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(r.stdout).toBe("");
  });
  it("rejects an unknown operation before looking for the CLI", () => {
    const r = runCli(["fleet", "destroy"], undefined, { PATH: "/nonexistent" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown operation 'destroy' \(use preview, up or drift\)/);
  });
});
