/** The fault generator replays under a seed; S&C parameters bind like PowerShell's. */
import { describe, expect, it } from "vitest";
import { bindParameters } from "../../../src/emulator/cmdlet-parameters";
import { Faults, seededRandom } from "../../../src/emulator/faults";

describe("faults", () => {
  it("the generator is deterministic per seed and spreads over [0, 1)", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.filter((x) => x < 0.5).length).toBeGreaterThan(400);
    expect(seededRandom(7)()).not.toBe(seededRandom(42)());
  });

  it("rules match by method, tenant and path, fire with their probability and stop after count", () => {
    const pick = (faults: Faults) =>
      Array.from({ length: 20 }, () => faults.pick("GET", "/v1.0/users", "t1")?.status ?? 200);
    const one = new Faults(3);
    one.set([{ path: "^/v1\\.0/users", status: 503, probability: 0.5 }]);
    const two = new Faults(3);
    two.set([{ path: "^/v1\\.0/users", status: 503, probability: 0.5 }]);
    expect(pick(one)).toEqual(pick(two));
    const counted = new Faults(1);
    counted.set([{ method: "GET", tenantId: "t1", path: "^/v1\\.0/users", status: 429, count: 2 }]);
    expect(counted.pick("POST", "/v1.0/users", "t1")).toBeUndefined();
    expect(counted.pick("GET", "/v1.0/users", "t2")).toBeUndefined();
    expect([
      counted.pick("GET", "/v1.0/users", "t1")?.status,
      counted.pick("GET", "/v1.0/users", "t1")?.status,
      counted.pick("GET", "/v1.0/users", "t1"),
    ]).toEqual([429, 429, undefined]);
    expect(() => counted.set([{ path: "(" }])).toThrow();
  });
});

describe("S&C parameter binding", () => {
  it("canonical names regardless of case; unknown names fail", () => {
    expect(bindParameters("New-RetentionComplianceRule", { name: "R", policy: "P", retentionduration: 30 })).toEqual({
      bound: { Name: "R", Policy: "P", RetentionDuration: 30 },
    });
    expect(
      bindParameters("Set-RetentionCompliancePolicy", { Identity: "P", AddExchangeLocation: ["All"], Confirm: false }),
    ).toEqual({ bound: { Identity: "P", AddExchangeLocation: ["All"], Confirm: false } });
    expect(bindParameters("Remove-RetentionComplianceRule", { Identity: "R", Force: true })).toEqual({
      error: "A parameter cannot be found that matches parameter name 'Force'.",
    });
  });
  it("enum values: exact (any case) first, then a unique prefix; ambiguous or unknown fail", () => {
    expect(bindParameters("New-ComplianceTag", { RetentionAction: "keep" })).toEqual({
      bound: { RetentionAction: "Keep" },
    });
    expect(bindParameters("New-ComplianceTag", { RetentionAction: "KeepAnd" })).toEqual({
      bound: { RetentionAction: "KeepAndDelete" },
    });
    expect("error" in bindParameters("New-ComplianceTag", { RetentionAction: "K" })).toBe(true);
    expect("error" in bindParameters("New-RetentionComplianceRule", { ExpirationDateOption: "TaggedAgeInDays" })).toBe(
      true,
    );
  });
});
