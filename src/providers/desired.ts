/**
 * From a compiled desired resource to the type and inputs of our dynamic resource: the Graph/S&C properties as
 * compiled, unless the resource type shapes them (branding files become SHA-256 hashes plus their paths).
 */
import type { DesiredResource } from "../core/desired";
import { InternalError } from "../errors";
import { resourceDefinition } from "../resources";

/** The dynamic type and inputs for `resource`; asset files are hashed from `root`. */
export function dynamicInputs(
  resource: DesiredResource,
  root: string,
): { type: string; inputs: Record<string, unknown> } {
  const management = resourceDefinition(resource.type).management;
  if (management.kind !== "dynamic")
    throw new InternalError(`${resource.type} is managed by @pulumi/azuread, not by the m365 dynamic provider`);
  return {
    type: management.pulumiType,
    inputs: management.inputs ? management.inputs(resource, root) : { ...resource.properties },
  };
}
