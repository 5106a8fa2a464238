/**
 * `m365-baseline consent --stack NAME [--json]`: the admin-consent URL for the stack's deploying app, and which of the
 * permissions and directory roles the stack needs its service principal holds in the tenant now. Read-only.
 * Exit 0 when everything is granted, 2 when something is missing, 1 on an error (the URL is printed first).
 */
import type { Command } from "commander";
import type { CommandModule } from "../main";
import { repoRoot } from "../root";

export const command: CommandModule = {
  register(program: Command, setExitCode) {
    program
      .command("consent")
      .description("Print the deploying app's admin-consent URL for a tenant and which required grants it lacks.")
      .requiredOption("--stack <name>", "stack name (stacks/Pulumi.<name>.yaml)")
      .option("--json", "print the result as JSON")
      .option("--dir <path>", "repository root (default: current directory)")
      .action(async (options: { stack: string; json?: boolean; dir?: string }) => {
        const root = repoRoot(options.dir);
        const { loadTenant, today } = require("../../tenant") as typeof import("../../tenant");
        const { checkTargets, stackSettings } = require("../../check/targets") as typeof import("../../check/targets");
        const perms = require("../../controls/permissions") as typeof import("../../controls/permissions");
        const consent = require("../../consent") as typeof import("../../consent");
        const { readDeployingAppGrants } = require("../../consent/read") as typeof import("../../consent/read");
        const { DEFAULT_AUTHORITY_HOST } = require("../../graph/credential") as typeof import("../../graph/credential");
        const tenant = loadTenant(root, options.stack, today());
        const { tenantId } = tenant.compiled;
        const clientId = tenant.stack.config.deployment.clientId;
        const required = perms.tenantPermissionList(tenant.compiled.resources.map((r) => r.controlId));
        const authority = stackSettings(root, tenant, process.env).authorityHost ?? DEFAULT_AUTHORITY_HOST;
        const url = consent.adminConsentUrl(authority, tenantId, clientId);
        if (!options.json) process.stdout.write(`Admin consent URL: ${url}\n`);
        const resources = [
          ...new Set(
            required.flatMap((p) => (p.resource === "Entra ID role" ? [] : [perms.RESOURCE_APP_IDS[p.resource]])),
          ),
        ];
        const [target] = checkTargets(root, [tenant], process.env);
        const connection = target!.connect({ deadlineMs: 2 * 60_000 });
        const withRoles = required.some((p) => p.resource === "Entra ID role");
        const grants = await readDeployingAppGrants(connection.graph, clientId, resources, withRoles).finally(() =>
          connection.close?.(),
        );
        const rows = consent.consentRows(required, grants);
        const optional = consent.consentRows(perms.COMMAND_PERMISSIONS, grants).map((r, i) => ({
          ...r,
          for: `${perms.COMMAND_PERMISSIONS[i]!.command}: ${perms.COMMAND_PERMISSIONS[i]!.why}`,
        }));
        const { safeJson, safeLines } = require("../../report/safe-text") as typeof import("../../report/safe-text");
        process.stdout.write(
          options.json
            ? `${safeJson({ stack: options.stack, tenantId, clientId, adminConsentUrl: url, permissions: rows, optional })}\n`
            : safeLines(consent.renderConsent(options.stack, tenantId, clientId, rows, optional)),
        );
        setExitCode(rows.every((r) => r.granted) ? 0 : 2);
      });
  },
};
