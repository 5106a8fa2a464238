/**
 * `m365-baseline tenants [--new NAME --tenant ID --domain D --break-glass UPN…] [--json]`: lists the partner's
 * customer tenants from its delegated admin relationships (read in the partner tenant `stacks/fleet.yaml` names,
 * with the fleet's deploying app) and which have no stack yet; `--new` writes the first stack file for one of them.
 */
import type { Command } from "commander";
import type { CommandModule } from "../main";
import { repoRoot } from "../root";

interface TenantsOptions {
  new?: string;
  tenant?: string;
  domain?: string;
  breakGlass?: string[];
  baseline: string;
  licences?: string[];
  json?: boolean;
  dir?: string;
}

export const command: CommandModule = {
  register(program: Command, setExitCode) {
    program
      .command("tenants")
      .description("List the partner's customer tenants (GDAP) and which have no stack; --new writes one.")
      .option("--new <name>", "write stacks/Pulumi.<name>.yaml for the customer --tenant")
      .option("--tenant <id>", "the customer's tenant id (with --new)")
      .option("--domain <name.onmicrosoft.com>", "the customer's initial domain (with --new)")
      .option("--break-glass <upn...>", "the customer's break-glass accounts (with --new)")
      .option("--baseline <name>", "baseline for the new stack", "msp-standard")
      .option("--licences <plan...>", "the customer's Entra ID plans for the new stack: entraIdP1, entraIdP2")
      .option("--json", "print the customers as JSON")
      .option("--dir <path>", "repository root (default: current directory)")
      .action(async (options: TenantsOptions) => {
        const root = repoRoot(options.dir);
        const { loadFleet, FLEET_FILE } = require("../../stack/fleet") as typeof import("../../stack/fleet");
        const { ValidationError } = require("../../errors") as typeof import("../../errors");
        const fleet = loadFleet(root);
        const newStack = options.new ? newStackIssues(options) : [];
        if (newStack.length > 0) throw new ValidationError(newStack);
        if (!fleet.partner || !fleet.deployment)
          throw new ValidationError([
            {
              file: FLEET_FILE,
              path: fleet.partner ? "m365-baseline:deployment" : "m365-baseline:partner",
              message: "is missing: tenants reads the partner tenant with the fleet's deploying app",
              fix: "set m365-baseline:partner { tenantId, primaryDomain } and m365-baseline:deployment { clientId }",
            },
          ]);
        const { partner, deployment } = fleet;
        const values: Record<string, unknown> = {
          "m365-baseline:tenantId": partner.tenantId,
          "m365-baseline:primaryDomain": partner.primaryDomain,
          "m365-baseline:deployment": deployment,
          "m365-baseline:endpoints": partner.endpoints,
        };
        const get = (key: string) => {
          const v = values[key];
          return v === undefined ? undefined : typeof v === "string" ? v : JSON.stringify(v);
        };
        const { connect, settingsFromConfig } = require("../../graph") as typeof import("../../graph");
        const settings = settingsFromConfig(get, process.env, { file: FLEET_FILE, baseDir: root });
        const connection = connect(settings, { connectionDeadlineMs: 2 * 60_000 });
        const relationships = await connection.graph
          .list<import("@microsoft/microsoft-graph-types").DelegatedAdminRelationship>(
            "/tenantRelationships/delegatedAdminRelationships?$top=300",
          )
          .finally(() => connection.close?.());
        const { listStacks } = require("../../stack/files") as typeof import("../../stack/files");
        const { rawTenantId } = require("../../tenant/duplicates") as typeof import("../../tenant/duplicates");
        const stacks = listStacks(`${root}/stacks`).flatMap((name) => {
          const tenantId = rawTenantId(root, name);
          return tenantId ? [{ name, tenantId }] : [];
        });
        const tenants = require("../../tenants") as typeof import("../../tenants");
        const rows = tenants.customerRows(relationships, stacks);
        const { safeJson, safeLines } = require("../../report/safe-text") as typeof import("../../report/safe-text");
        if (!options.new) {
          process.stdout.write(options.json ? `${safeJson(rows)}\n` : safeLines(tenants.renderCustomers(rows)));
          return setExitCode(0);
        }
        writeNewStack(root, options, rows);
        setExitCode(0);
      });
  },
};

/** What `--new` needs besides the name, each missing option as an issue. */
function newStackIssues(options: TenantsOptions): import("../../errors").Issue[] {
  const { stackNameIssue } = require("../../stack/files") as typeof import("../../stack/files");
  const issues = [stackNameIssue(options.new!, "--new")].flatMap((i) => (i ? [i] : []));
  const need: [keyof TenantsOptions, string][] = [
    ["tenant", "--tenant <customer tenant id> (from the list tenants prints)"],
    ["domain", "--domain <name>.onmicrosoft.com (the customer's initial domain)"],
    ["breakGlass", "--break-glass <upn> [<upn>…] (the customer's emergency-access accounts)"],
  ];
  const unknown = (options.licences ?? []).filter((l) => l !== "entraIdP1" && l !== "entraIdP2");
  if (unknown.length > 0)
    issues.push({
      file: "command line",
      path: "--licences",
      message: `unknown plan ${unknown.join(", ")}`,
      fix: "name entraIdP1 and/or entraIdP2",
    });
  for (const [key, fix] of need)
    if (options[key] === undefined)
      issues.push({
        file: "command line",
        path: `--${key === "breakGlass" ? "break-glass" : key}`,
        message: "is required with --new",
        fix: `add ${fix}`,
      });
  return issues;
}

/** Writes the new stack for `--tenant` (a customer of the partner without a stack), then validates it. */
function writeNewStack(root: string, options: TenantsOptions, rows: import("../../tenants").CustomerRow[]): void {
  const { ValidationError } = require("../../errors") as typeof import("../../errors");
  const { existsSync, writeFileSync, rmSync } = require("node:fs") as typeof import("node:fs");
  const file = `stacks/Pulumi.${options.new!}.yaml`;
  const customer = rows.find((r) => r.tenantId === options.tenant!.toLowerCase());
  const refuse = (message: string, fix: string) =>
    new ValidationError([{ file: "command line", path: "--tenant", message, fix }]);
  if (!customer) throw refuse(`${options.tenant} is not a customer of the partner`, "pick a tenant id tenants lists");
  if (customer.stack) throw refuse(`already managed by stacks/Pulumi.${customer.stack}.yaml`, "edit that stack");
  if (existsSync(`${root}/${file}`)) throw refuse(`${file} already exists`, "choose another --new name");
  const tenants = require("../../tenants") as typeof import("../../tenants");
  const text = tenants.newStackText({
    tenantId: customer.tenantId,
    displayName: customer.displayName,
    primaryDomain: options.domain!,
    breakGlass: options.breakGlass!,
    baseline: options.baseline,
    licences: {
      entraIdP1: options.licences?.includes("entraIdP1") === true,
      entraIdP2: options.licences?.includes("entraIdP2") === true,
    },
  });
  writeFileSync(`${root}/${file}`, text, { flag: "wx" });
  const { loadTenant, today } = require("../../tenant") as typeof import("../../tenant");
  try {
    loadTenant(root, options.new!, today());
  } catch (error) {
    // Nothing half-written stays behind: the file validates or is removed.
    rmSync(`${root}/${file}`);
    throw error;
  }
  process.stdout.write(`Wrote ${file} for ${customer.displayName} (${customer.tenantId}); it validates.\n`);
  process.stdout.write(
    `Next: m365-baseline consent --stack ${options.new!}, then m365-baseline adopt --stack ${options.new!}.\n`,
  );
}
