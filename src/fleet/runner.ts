/**
 * `fleet preview|up|drift`: one Pulumi stack per tenant through the Automation API on this project.
 * Stacks are selected one at a time (the CLI's workspace file is shared), operations run in parallel
 * with a per-tenant environment, and drift is collected from engine events.
 */
import type { PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { mapPool } from "../core/pool";
import { DriftCollector, type ResourceChange } from "./events";

export type FleetOperation = "preview" | "up" | "drift";

/** Outcome for one tenant stack. */
export interface FleetTenantResult {
  readonly stack: string;
  readonly status: "unchanged" | "changes" | "error";
  readonly changes: readonly ResourceChange[];
  readonly summary: Readonly<Record<string, number>>;
  readonly error?: string | undefined;
  readonly durationMs: number;
}

/** The `pulumi` CLI, or the one line that tells the user how to get it. */
export async function findPulumiCli(): Promise<{ ok: true; command: PulumiCommand } | { ok: false; message: string }> {
  const { PulumiCommand: Cli } = require("@pulumi/pulumi/automation") as typeof import("@pulumi/pulumi/automation");
  try {
    return { ok: true, command: await Cli.get({ skipVersionCheck: true }) };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    if (/ENOENT/.test(text))
      return {
        ok: false,
        message:
          "m365-baseline fleet: the pulumi CLI is not on PATH — install it (curl -fsSL https://get.pulumi.com | sh, or see https://www.pulumi.com/docs/install/) and run again",
      };
    return {
      ok: false,
      message: `m365-baseline fleet: the pulumi CLI did not run (${text.split("\n")[0]}) — check 'pulumi version' works in this shell`,
    };
  }
}

/** Environment for one tenant's Pulumi processes: its own passphrase when `M365B_PASSPHRASE_<STACK>` is set. */
export function tenantEnv(stack: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const vars: Record<string, string> = { PULUMI_SKIP_UPDATE_CHECK: "true" };
  const own = env[`M365B_PASSPHRASE_${stack.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`];
  if (own !== undefined) vars["PULUMI_CONFIG_PASSPHRASE"] = own;
  return vars;
}

/** Runs `operation` on `stacks` of the project at `workDir`, `concurrency` at a time; never throws per tenant. */
export async function runFleet(
  command: PulumiCommand,
  workDir: string,
  stacks: readonly string[],
  operation: FleetOperation,
  options: {
    readonly concurrency: number;
    readonly onProgress?: (stack: string, state: "started" | FleetTenantResult["status"]) => void;
  },
): Promise<FleetTenantResult[]> {
  const { LocalWorkspace } = require("@pulumi/pulumi/automation") as typeof import("@pulumi/pulumi/automation");
  // Selecting/creating writes the CLI's shared workspace file: strictly one at a time (pulumi/pulumi#8186).
  // Each stack, or the message of why it could not be selected.
  const selected = new Map<string, Stack | string>();
  for (const name of stacks) {
    try {
      selected.set(
        name,
        await LocalWorkspace.createOrSelectStack(
          { stackName: name, workDir },
          { pulumiCommand: command, envVars: tenantEnv(name) },
        ),
      );
    } catch (error) {
      selected.set(name, error instanceof Error ? error.message : String(error));
    }
  }
  const settled = await mapPool([...stacks], options.concurrency, async (name) => {
    const started = Date.now();
    const stack = selected.get(name) ?? "the stack was not selected";
    options.onProgress?.(name, "started");
    const finish = (r: Omit<FleetTenantResult, "stack" | "durationMs">): FleetTenantResult => {
      const result = { stack: name, durationMs: Date.now() - started, ...r };
      options.onProgress?.(name, result.status);
      return result;
    };
    if (typeof stack === "string")
      return finish({ status: "error", changes: [], summary: {}, error: firstLine(stack) });
    const collector = new DriftCollector();
    try {
      const onEvent = (e: Parameters<DriftCollector["add"]>[0]) => collector.add(e);
      const result =
        operation === "up"
          ? await stack.up({ onEvent })
          : await stack.preview({ refresh: operation === "drift", onEvent });
      const summary = ("changeSummary" in result ? result.changeSummary : result.summary.resourceChanges) ?? {};
      const changed = Object.entries(summary).some(
        ([op, n]) => !["same", "read", "refresh"].includes(op) && (n ?? 0) > 0,
      );
      return finish({
        status: changed || collector.changes.length > 0 ? "changes" : "unchanged",
        changes: collector.changes,
        summary: summary as Record<string, number>,
      });
    } catch (error) {
      return finish({
        status: "error",
        changes: collector.changes,
        summary: {},
        error: firstLine(error instanceof Error ? error.message : String(error)),
      });
    }
  });
  return settled.map((s, i) =>
    s.ok
      ? s.value
      : { stack: stacks[i]!, status: "error", changes: [], summary: {}, error: String(s.error), durationMs: 0 },
  );
}

/** The line of a Pulumi CLI transcript that says what failed (with the stack-configuration issues it introduces). */
export function firstLine(text: string): string {
  // CommandError messages carry the whole CLI transcript; the first error line is what the user needs, with the
  // `file: key: message (fix)` lines of a refused stack configuration, which follow an error line ending in ":".
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const at = lines.findIndex((l) => /^error:/i.test(l));
  if (at < 0) return lines[0] ?? "unknown error";
  const issues: string[] = [];
  for (let i = at + 1; lines[at]!.endsWith(":") && i < lines.length && /^[\w./-]+\.(ya?ml|ts): /.test(lines[i]!); i++)
    issues.push(lines[i]!);
  return [lines[at]!, ...issues].join(" ");
}
