/**
 * `stacks/fleet.yaml`: what every stack shares. An MSP deploys with one multi-tenant app registration (in its own
 * tenant, consented in each customer's), so its client id and auth are set once here and a stack that sets
 * `deployment` itself overrides them; `partner` is the MSP's own tenant, where `m365-baseline tenants` lists the
 * customers from its delegated admin relationships.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { ValidationError } from "../errors";
import { readStackFile } from "./files";
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

/** The fleet file under `root`, validated; `{}` when there is none. Throws ValidationError naming key and fix. */
export function loadFleet(root: string): FleetConfig {
  if (!existsSync(join(root, FLEET_FILE))) return {};
  const read = readStackFile(root, FLEET_FILE);
  if (!read.ok) throw new ValidationError([read.issue]);
  let raw: unknown;
  try {
    raw = parse(read.text, { uniqueKeys: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new ValidationError([
      { file: FLEET_FILE, path: "", message: `invalid YAML: ${message}`, fix: "fix the YAML syntax" },
    ]);
  }
  const config = (raw as { config?: unknown } | null)?.config;
  if (!config || typeof config !== "object" || Object.keys(raw as object).some((k) => k !== "config"))
    throw new ValidationError([
      {
        file: FLEET_FILE,
        path: "",
        message: "the fleet file holds one 'config:' mapping",
        fix: `write config: with ${NS}:deployment and ${NS}:partner entries (README, "One deploying app")`,
      },
    ]);
  const ours: Record<string, unknown> = {};
  const issues = [];
  for (const [key, value] of Object.entries(config)) {
    if (key.startsWith(`${NS}:`)) ours[key.slice(NS.length + 1)] = value;
    else issues.push({ file: FLEET_FILE, path: key, message: `unknown key '${key}'`, fix: `use ${NS}:<key>` });
  }
  const parsed = fleetConfigSchema.safeParse(ours);
  if (!parsed.success)
    issues.push(...zodIssues(parsed.error, FLEET_FILE).map((i) => ({ ...i, path: `${NS}:${i.path}` })));
  if (issues.length > 0 || !parsed.success) throw new ValidationError(issues);
  return parsed.data;
}

/** Stack keys the fleet file may supply: a stack file need not set them (the JSON schema does not require them). */
export const FLEET_SUPPLIED = ["deployment"] as const;

/** The stack keys the fleet file supplies to a stack that does not set them itself. */
export function fleetDefaults(fleet: FleetConfig): Record<string, unknown> {
  return Object.fromEntries(FLEET_SUPPLIED.flatMap((k) => (fleet[k] === undefined ? [] : [[k, fleet[k]]])));
}
