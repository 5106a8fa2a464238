/**
 * The object Pulumi serializes into state for every m365 dynamic resource. It captures nothing but its
 * type name: its methods `require` today's provider logic from the project at run time, so state holds
 * ~2 KB, `refresh`/`destroy` run current code, and credentials come only from `configure()`.
 */
import type * as pulumi from "@pulumi/pulumi";

/**
 * Capture-free dynamic provider for one m365 resource type. Keep its calling convention stable: old state keeps old
 * shims.
 */
export class M365Provider implements pulumi.dynamic.ResourceProvider {
  readonly type: string;
  /** Filled by `configure()` in the provider process only; empty when serialized. */
  config: Record<string, string | undefined> = {};

  constructor(type: string) {
    this.type = type;
  }

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    for (const key of ["tenantId", "primaryDomain", "deployment", "certificatePem", "endpoints"]) {
      this.config[`m365-baseline:${key}`] = req.config.get(`m365-baseline:${key}`);
    }
  }

  impl(): Required<pulumi.dynamic.ResourceProvider> {
    const root = process.env["M365B_PROJECT_ROOT"] || process.cwd();
    const path = require("path") as typeof import("path");
    const runtime = require(path.join(root, "src", "providers", "runtime.js")) as {
      provider(
        type: string,
        config: Record<string, string | undefined>,
        root: string,
      ): Required<pulumi.dynamic.ResourceProvider>;
    };
    return runtime.provider(this.type, this.config, root);
  }

  async check(olds: unknown, news: unknown): Promise<pulumi.dynamic.CheckResult> {
    return this.impl().check(olds, news);
  }
  async diff(id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.DiffResult> {
    return this.impl().diff(id, olds, news);
  }
  async create(inputs: unknown): Promise<pulumi.dynamic.CreateResult> {
    return this.impl().create(inputs);
  }
  async read(id: string, props?: unknown): Promise<pulumi.dynamic.ReadResult> {
    return this.impl().read(id, props ?? {});
  }
  async update(id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.UpdateResult> {
    return this.impl().update(id, olds, news);
  }
  async delete(id: string, props: unknown): Promise<void> {
    return this.impl().delete(id, props);
  }
}
