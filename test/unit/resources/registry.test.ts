import { describe, expect, it } from "vitest";
import { controls } from "../../../src/controls";
import type { ControlDefinition, Permission } from "../../../src/controls/types";
import { matchRoute } from "../../../src/emulator/graph";
import { complianceDenial, graphDenial } from "../../../src/emulator/permissions";
import { COMPLIANCE_NOUNS } from "../../../src/emulator/store";
import { RESOURCES, resourceDefinitions } from "../../../src/resources";

const COMPLIANCE_ADMINISTRATOR = "17315797-102d-40b4-93e0-432062caca18";
const graphValues = (list: readonly Permission[]) =>
  list.filter((p) => p.resource === "Microsoft Graph").map((p) => p.value);
const concrete = (path: string) => `/v1.0${path.replace(/\{[^}]+\}/g, "00000000-0000-0000-0000-000000000001")}`;

describe("the resource registry: one complete definition per resource type", () => {
  it.each(Object.entries(RESOURCES))("%s is registered under its own type", (key, definition) => {
    expect(definition.type).toBe(key);
  });

  it("dynamic Pulumi type names are unique (state records them)", () => {
    const names = resourceDefinitions.flatMap((d) =>
      d.management.kind === "dynamic" ? [d.management.pulumiType] : [],
    );
    expect(new Set(names).size).toBe(names.length);
  });

  describe.each(resourceDefinitions.filter((d) => d.endpoint.api === "graph").map((d) => [d.type, d] as const))(
    "%s: the emulator serves its Graph path and enforces a permission rule",
    (_type, d) => {
      const endpoint = d.endpoint as { path: string; singleton: boolean };
      const writeMethod = endpoint.singleton ? "PATCH" : "POST";
      it("has a route for reading and writing", () => {
        expect(matchRoute("GET", concrete(endpoint.path))).toBeDefined();
        expect(matchRoute(writeMethod, concrete(endpoint.path))).toBeDefined();
      });
      it("refuses a token without permissions and accepts the definition's own", () => {
        const read = matchRoute("GET", concrete(endpoint.path))!.route.name;
        const write = matchRoute(writeMethod, concrete(endpoint.path))!.route.name;
        expect(graphDenial([], read, "GET")?.status).toBe(403);
        expect(graphDenial([], write, writeMethod)?.status).toBe(403);
        expect(graphDenial(graphValues(d.permissions.read), read, "GET")).toBeUndefined();
        expect(graphDenial(graphValues(d.permissions.write), write, writeMethod)).toBeUndefined();
      });
    },
  );

  it.each(resourceDefinitions.filter((d) => d.endpoint.api === "compliance").map((d) => [d.type, d] as const))(
    "%s: the emulator models its S&C noun and the grants its cmdlets need",
    (_type, d) => {
      expect(COMPLIANCE_NOUNS).toContain((d.endpoint as { noun: string }).noun);
      const roles = d.permissions.write.filter((p) => p.resource === "Office 365 Exchange Online").map((p) => p.value);
      const noun = (d.endpoint as { noun: string }).noun;
      expect(complianceDenial({ roles: [], wids: [] }, `Get-${noun}`)?.status).toBe(401);
      expect(complianceDenial({ roles, wids: [COMPLIANCE_ADMINISTRATOR] }, `New-${noun}`)).toBeUndefined();
    },
  );

  it.each(Object.values(controls).map((c) => [c.id, c as ControlDefinition<unknown>] as const))(
    "%s asks for every permission its resource types need",
    (_id, control) => {
      const key = (p: Permission) => `${p.resource}|${p.value}`;
      const read = new Set(control.permissions.read.map(key));
      const apply = new Set([...control.permissions.read, ...control.permissions.write].map(key));
      for (const type of control.resourceTypes) {
        for (const p of RESOURCES[type].permissions.read)
          expect(read, `${type} reads with ${p.value}`).toContain(key(p));
        for (const p of RESOURCES[type].permissions.write)
          expect(apply, `${type} writes with ${p.value}`).toContain(key(p));
      }
    },
  );
});
