import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../../src/stack/load";
import { exampleConfig } from "../../support/repo";

describe("a stack's configuration as the real Pulumi engine hands it to the program", () => {
  it.each(["2027-03-31 00:00:00 +0000 UTC", "2027-03-31T00:00:00Z"])(
    "an unquoted YAML date arrives as the timestamp %s and means that day (pulumi v3.248.0)",
    (expires) => {
      const config = Object.fromEntries(
        Object.entries(exampleConfig("fabrikam")).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
      );
      config["m365-baseline:exceptions"] = JSON.stringify([
        { control: "CA09", reason: "Conference-room devices sign in with device code", expires },
      ]);
      const parsed = parseStackConfig(config, { file: "stacks/Pulumi.fabrikam.yaml", decrypted: true });
      expect(parsed.config.exceptions[0]!.expires).toBe("2027-03-31");
    },
  );
  it("a timestamp that is not a whole day is still refused", () => {
    const config = Object.fromEntries(
      Object.entries(exampleConfig("fabrikam")).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
    config["m365-baseline:exceptions"] = JSON.stringify([
      { control: "CA09", reason: "Conference-room devices sign in with device code", expires: "2027-03-31T12:00:00Z" },
    ]);
    expect(() => parseStackConfig(config, { file: "stacks/Pulumi.fabrikam.yaml", decrypted: true })).toThrow(
      /expires: must be a date like 2027-01-31/,
    );
  });
});
