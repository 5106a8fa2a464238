/** Compile benchmark: N generated tenants through parse + compile; per-tenant time must stay flat as N grows. */
import { performance } from "node:perf_hooks";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { loadBaseline } from "../baseline/load";
import { compile } from "../compile";
import { parseStackConfig } from "../stack/load";

/** One row of the compile table. */
export interface CompileRow {
  readonly tenants: number;
  readonly totalMs: number;
  readonly perTenantUs: number;
  readonly resources: number;
}

const examples = new Map<string, Record<string, unknown>>();

/** The contoso example's config, read and parsed once per repository root. */
function exampleConfig(root: string): Record<string, unknown> {
  let config = examples.get(root);
  if (!config) {
    config = (
      parse(readFileSync(join(root, "stacks", "Pulumi.contoso.yaml"), "utf8")) as { config: Record<string, unknown> }
    ).config;
    examples.set(root, config);
  }
  return config;
}

/** A distinct, valid stack config per index, derived from the contoso example. */
export function generatedConfig(root: string, i: number): Record<string, unknown> {
  const base = exampleConfig(root);
  const hex = i.toString(16).padStart(12, "0");
  const domain = `tenant${i}.onmicrosoft.com`;
  return {
    ...base,
    "m365-baseline:tenantId": `6b0c3a52-7a3e-4d0b-9f0e-${hex}`,
    "m365-baseline:primaryDomain": domain,
    "m365-baseline:displayName": `Tenant ${i}`,
    "m365-baseline:breakGlass": { users: [`bg1@${domain}`, `bg2@${domain}`] },
    "m365-baseline:licences": { entraIdP1: true, entraIdP2: i % 3 !== 0 },
    "m365-baseline:stages": i % 2 === 0 ? { CA01: "enforce", CA02: "enforce" } : {},
  };
}

/** Compiles `n` generated tenants and times it. */
export function benchCompile(root: string, n: number): CompileRow {
  const baseline = loadBaseline(root, "msp-standard", "bench");
  const configs = Array.from({ length: n }, (_, i) => generatedConfig(root, i));
  const started = performance.now();
  let resources = 0;
  for (let i = 0; i < n; i++) {
    const file = `stacks/Pulumi.t${i}.yaml`;
    const { config } = parseStackConfig(configs[i]!, { file, decrypted: false });
    resources += compile(baseline, config, { file, stack: `t${i}`, today: "2026-11-23" }).resources.length;
  }
  const totalMs = performance.now() - started;
  return { tenants: n, totalMs, perTenantUs: (totalMs * 1000) / n, resources };
}
