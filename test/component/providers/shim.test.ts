import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { fakePemBlock, PRIVATE_KEY_LABEL } from "../../fixtures/test-only-pem";
import type { M365Provider } from "../../../src/providers/shim";

const SECRET_PEM = fakePemBlock(PRIVATE_KEY_LABEL, "TOP-SECRET-KEY-MATERIAL");
const registered: { type: string; name: string; inputs: Record<string, unknown> }[] = [];

pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: () => ({}),
  },
  "m365-baseline",
  "contoso",
  false,
);
pulumi.runtime.setAllConfig(
  { "m365-baseline:tenantId": "6b0c3a52-7a3e-4d0b-9f0e-1c2d3e4f5a61", "m365-baseline:certificatePem": SECRET_PEM },
  ["m365-baseline:certificatePem"],
);

describe("the serialized provider shim", () => {
  it("is small, typed per resource, carries no secret, and deserializes to a working provider", async () => {
    // Imported after setMocks so registration goes to the mock monitor.
    const { M365Resource } = await import("../../../src/providers/resources");
    const r = new M365Resource("SecurityDefaults", "pol01-security-defaults", { isEnabled: false });
    await new Promise<void>((resolve) => r.urn.apply(() => resolve()));
    const hit = registered.find((x) => x.name === "pol01-security-defaults");
    expect(hit?.type).toBe("pulumi-nodejs:dynamic/m365:SecurityDefaults");
    const text = String(hit?.inputs["__provider"]);
    expect(text.length).toBeGreaterThan(100);
    expect(text.length).toBeLessThan(4096);
    expect(text).not.toContain("TOP-SECRET");
    expect(text).not.toContain(`BEGIN ${PRIVATE_KEY_LABEL}`);

    const provider = (require("require-from-string") as (s: string) => { handler: () => M365Provider })(text).handler();
    const config = { "m365-baseline:certificatePem": SECRET_PEM, "m365-baseline:tenantId": "t" } as Record<
      string,
      string
    >;
    await provider["configure"]({ config: { get: (k: string) => config[k], require: (k: string) => config[k] } });
    expect(provider["type"]).toBe("SecurityDefaults");
    expect(provider["config"]["m365-baseline:certificatePem"]).toBe(SECRET_PEM);
    // The check path loads today's logic from the project at run time (no network needed for check).
    process.env["M365B_PROJECT_ROOT"] = process.cwd();
    const checked = await provider["check"]({}, { isEnabled: false });
    expect(checked).toEqual({ inputs: { isEnabled: false }, failures: [] });
  });
});
