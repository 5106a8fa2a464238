/**
 * `stacks/fleet.yaml`: what every stack shares. An MSP deploys with one multi-tenant app registration (in its own
 * tenant, consented in each customer's), so its client id and auth are set once here and a stack that sets
 * `deployment` itself overrides them; `partner` is the MSP's own tenant, where `m365-baseline tenants` lists the
 * customers from its delegated admin relationships.
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ValidationError } from "../errors";
import { readConfigMap } from "./config-file";
import { zodIssues } from "./issues";
import { NS, stackKeys } from "./schema";

/** The fleet file's path, repository-relative. */
export const FLEET_FILE = "stacks/fleet.yaml";

const fleetKeys = {
  deployment: stackKeys.deployment.optional().describe("The deploying app every stack uses unless it sets its own."),
  partner: z
    .object({
      tenantId: stackKeys.tenantId.describe("The MSP's own tenant (where the delegated admin relationships are)."),
      primaryDomain: stackKeys.primaryDomain,
      endpoints: stackKeys.endpoints,
    })
    .strict()
    .optional()
    .describe("The partner tenant `m365-baseline tenants` reads."),
};

export const fleetConfigSchema = z.object(fleetKeys).strict();
export type FleetConfig = z.output<typeof fleetConfigSchema>;

/** Parsed fleet files by path, with the file's mtime and size: a fleet's loads read it once, not once a stack. */
const cache = new Map<string, { stamp: string; config: FleetConfig }>();

/** The fleet file under `root`, validated; `{}` when there is none. Throws ValidationError naming key and fix. */
export function loadFleet(root: string): FleetConfig {
  const path = join(root, FLEET_FILE);
  if (!existsSync(path)) return {};
  const { mtimeMs, size } = statSync(path);
  const stamp = `${mtimeMs}:${size}`;
  const hit = cache.get(path);
  if (hit?.stamp === stamp) return hit.config;
  const { config, issues } = readConfigMap(root, FLEET_FILE, new Set(["config"]), "fleet files");
  const ours: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key.startsWith(`${NS}:`)) ours[key.slice(NS.length + 1)] = value;
    else issues.push({ file: FLEET_FILE, path: key, message: `unknown key '${key}'`, fix: `use ${NS}:<key>` });
  }
  const parsed = fleetConfigSchema.safeParse(ours);
  if (!parsed.success)
    issues.push(...zodIssues(parsed.error, FLEET_FILE).map((i) => ({ ...i, path: `${NS}:${i.path}` })));
  if (issues.length > 0 || !parsed.success) throw new ValidationError(issues);
  cache.set(path, { stamp, config: parsed.data });
  return parsed.data;
}

/** Stack keys the fleet file may supply: a stack file need not set them (the JSON schema does not require them). */
export const FLEET_SUPPLIED = ["deployment"] as const;

/** The stack keys the fleet file supplies to a stack that does not set them itself. */
export function fleetDefaults(fleet: FleetConfig): Record<string, unknown> {
  return Object.fromEntries(FLEET_SUPPLIED.flatMap((k) => (fleet[k] === undefined ? [] : [[k, fleet[k]]])));
}
