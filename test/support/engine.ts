/**
 * The real Pulumi engine for the tests: where `npm run engine:install` put it, whether the suites run, and the
 * workspace helpers (src/engine/workspace.ts) bound to this repository.
 */
import { locateEngine } from "../../src/engine/locate";
import * as workspace from "../../src/engine/workspace";
import { REPO } from "./repo";

export { initStack, pfxOf, previewSteps, type EngineWorkspace } from "../../src/engine/workspace";

export const ENGINE = locateEngine(REPO);
/** Set by `npm run test:engine`: a missing engine fails instead of skipping. */
export const ENGINE_REQUIRED = process.env["M365B_ENGINE_REQUIRED"] === "1";
export const ENGINE_SKIP_REASON =
  ENGINE.missing.length === 0
    ? ""
    : `skipped: the real Pulumi engine is not installed (missing ${ENGINE.missing.join(", ")} in ${ENGINE.bin}; run npm run engine:install)`;
/** Whether the real-engine suites run: the engine is there, or `test:engine` demands it (and then fails loudly). */
export const ENGINE_RUNS = ENGINE.missing.length === 0 || ENGINE_REQUIRED;

/** Fails the suite (not skips) when `test:engine` runs without the engine. */
export function requireEngine(): void {
  if (ENGINE.missing.length > 0)
    throw new Error(`npm run test:engine needs the real engine: ${ENGINE_SKIP_REASON.replace(/^skipped: /, "")}`);
}

/** A workspace copy of this repository on the located engine. */
export function engineWorkspace(options: {
  caCertificatePem: string;
  emulatorUrl: string;
  stacks?: Record<string, string>;
}): Promise<workspace.EngineWorkspace> {
  return workspace.engineWorkspace({ root: REPO, bin: ENGINE.bin, ...options });
}
