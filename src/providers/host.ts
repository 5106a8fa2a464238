/**
 * What the shim loads at run time inside Pulumi's dynamic-provider process: the logic for a type, bound
 * to a Graph/S&C connection built from the stack configuration the engine passed to `configure()`.
 */
import { ValidationError } from "../errors";
import { connect, settingsFromConfig, type TenantConnection } from "../graph";
import { dynamicCalls, type DynamicCalls } from "./engine";
import { LOGIC } from "./logic";

const connections = new Map<string, TenantConnection>();

/** Provider calls for `type` with `config` (namespaced stack keys, secrets decrypted) and the project root. */
export function provider(
  type: string,
  config: Readonly<Record<string, string | undefined>>,
  root: string,
): DynamicCalls {
  const logic = LOGIC[type];
  if (!logic)
    throw new ValidationError([
      {
        file: "the stack's Pulumi state",
        path: "",
        message: `unknown m365 resource type '${type}' (known: ${Object.keys(LOGIC).join(", ")})`,
        fix: "the state was written by a newer m365-baseline — update the project",
      },
    ]);
  return dynamicCalls(logic, () => ({ connection: connection(config, root), root }), root);
}

function connection(config: Readonly<Record<string, string | undefined>>, root: string): TenantConnection {
  // One connection per tenant configuration for the provider process (shares token cache and CA pacing).
  const key = JSON.stringify(config);
  let existing = connections.get(key);
  if (!existing) {
    existing = connect(settingsFromConfig((k) => config[k], process.env, { baseDir: root }));
    connections.set(key, existing);
  }
  return existing;
}
