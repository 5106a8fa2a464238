import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ValidationError } from "../../../src/errors";
import { loadStack } from "../../../src/stack/load";
import { exampleConfig, tempRepo } from "../../support/repo";

const FLEET_APP = "11111111-2222-4333-8444-555555555555";
const fleetFile = (config: Record<string, unknown>) => stringify({ config });

function load(stack: Record<string, unknown>, fleet?: string) {
  const r = tempRepo({ contoso: stack }, fleet === undefined ? {} : { "stacks/fleet.yaml": fleet });
  try {
    return loadStack(r.root, "contoso");
  } finally {
    r.cleanup();
  }
}

const issuesOf = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map((i) => `${i.file}: ${i.path}: ${i.message}`);
    throw error;
  }
  return [];
};

describe("stacks/fleet.yaml", () => {
  const withoutDeployment = { ...exampleConfig("contoso") };
  delete withoutDeployment["m365-baseline:deployment"];
  const fleet = fleetFile({ "m365-baseline:deployment": { clientId: FLEET_APP } });

  it("gives a stack without deployment the fleet's app, with the schema's default auth", () => {
    expect(load(withoutDeployment, fleet).config.deployment).toEqual({ clientId: FLEET_APP, auth: "certificate" });
  });

  it("is overridden by a stack's own deployment", () => {
    expect(load(exampleConfig("contoso"), fleet).config.deployment.clientId).toBe(
      "0f1e2d3c-4b5a-4697-8887-766554433221",
    );
  });

  it("without either, the stack's error names the key", () => {
    expect(issuesOf(() => load(withoutDeployment))).toEqual([
      expect.stringMatching(/^stacks\/Pulumi\.contoso\.yaml: m365-baseline:deployment: /),
    ]);
  });

  it("a bad fleet file is an error naming it and the key", () => {
    const bad = fleetFile({ "m365-baseline:deployment": { clientId: "not-a-guid" }, "m365-baseline:tenantId": "x" });
    const issues = issuesOf(() => load(exampleConfig("contoso"), bad));
    expect(issues).toEqual([
      expect.stringMatching(/^stacks\/fleet\.yaml: m365-baseline:deployment\.clientId: /),
      "stacks/fleet.yaml: m365-baseline:tenantId: unknown key 'tenantId'",
    ]);
  });
});
