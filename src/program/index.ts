/**
 * The Pulumi program body: one explicit azuread provider for the tenant, azuread resources for what
 * the provider covers, our dynamic resources for the rest, registered from the compiled desired state.
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import type { CompiledTenant, DesiredResource } from "../core/desired";
import { dynamicInputs } from "../providers/desired";
import { resourceDefinition } from "../resources";
import type { RegisterContext } from "../resources/types";
import { RefResolver } from "./refs";

/** How the azuread provider authenticates; secrets arrive as Pulumi secrets. */
export interface ProviderSettings {
  readonly clientId: string;
  readonly auth: "certificate" | "oidc" | "azureCli";
  /** Path of the PKCS#12 file for `auth: certificate` (see ./credentials: the provider takes no inline certificate). */
  readonly clientCertificatePath?: string | undefined;
  /** Password of that PKCS#12, when it has one. */
  readonly clientCertificatePassword?: pulumi.Input<string> | undefined;
  /** Host serving the cloud's metadata document; only set when the stack points at the emulator. */
  readonly metadataHost?: string | undefined;
  readonly oidcTokenFilePath?: string | undefined;
}

/** Registers a dynamic (our provider) resource; injectable so component tests can observe it. */
export type DynamicRegistrar = (
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  opts: pulumi.CustomResourceOptions,
) => pulumi.Resource;

export interface BuildOptions {
  /** Repository root: certificate and branding files are read relative to it. */
  readonly root: string;
  readonly provider: ProviderSettings;
  /** Defaults to `M365Resource` (the m365 dynamic provider). */
  readonly dynamic?: DynamicRegistrar | undefined;
  /**
   * `m365-baseline:imports`: Pulumi resource name → the existing object's import id, passed as the `import` option so
   * the first `up` adopts the hand-made object instead of creating a second one (validated by compileStack).
   */
  readonly imports?: Readonly<Record<string, string>> | undefined;
}

/** Non-secret stack outputs: what was registered and how each control came out. */
export interface TenantOutputs {
  readonly tenantId: string;
  readonly baseline: string;
  readonly resources: Record<string, string>;
  readonly controls: Record<string, string>;
  /** Client and object ids of the applications the baseline registers (the backup product needs the client id). */
  readonly applications: Record<string, { clientId: pulumi.Output<string>; objectId: pulumi.Output<string> }>;
}

/**
 * Registers one desired resource: its type's azuread registrar, or one of our dynamic resources (default
 * pulumi-nodejs provider, configured from stack config) for what `@pulumi/azuread` lacks.
 */
function register(r: DesiredResource, ctx: RegisterContext): pulumi.Resource {
  const management = resourceDefinition(r.type).management;
  if (management.kind === "azuread") return management.register(r, ctx);
  const { type, inputs } = dynamicInputs(r, ctx.root);
  return ctx.dynamic(type, r.name, inputs, r.options?.retainOnDelete ? { retainOnDelete: true } : {});
}

/** Registers everything `compiled` wants in the tenant; returns the non-secret outputs. */
export function buildTenant(compiled: CompiledTenant, options: BuildOptions): TenantOutputs {
  const s = options.provider;
  const provider = new azuread.Provider("tenant", {
    tenantId: compiled.tenantId,
    clientId: s.clientId,
    clientCertificatePath: s.auth === "certificate" ? s.clientCertificatePath : undefined,
    clientCertificatePassword:
      s.auth === "certificate" && s.clientCertificatePassword ? pulumi.secret(s.clientCertificatePassword) : undefined,
    metadataHost: s.metadataHost,
    useOidc: s.auth === "oidc" ? true : undefined,
    oidcTokenFilePath: s.auth === "oidc" ? s.oidcTokenFilePath : undefined,
    // Never fall back to whatever identity the machine happens to have.
    useCli: s.auth === "azureCli",
    useMsi: false,
    disableTerraformPartnerId: true,
  });
  const refs = new RefResolver(provider);
  const imports = options.imports ?? {};
  const dynamic = options.dynamic ?? defaultDynamic;
  const registered = new Map<string, pulumi.Resource>();
  const applications: TenantOutputs["applications"] = {};
  // Order: supporting objects first so refs resolve to managed resources; compile already sorted by name.
  const ordered = [...compiled.resources].sort(
    (a, b) => resourceDefinition(a.type).order - resourceDefinition(b.type).order,
  );
  for (const r of ordered) {
    const dependsOn = [...r.dependsOn, ...implicitDependencies(r, compiled)]
      .map((n) => registered.get(n))
      .filter((x): x is pulumi.Resource => x !== undefined);
    const opts: pulumi.CustomResourceOptions = { provider, dependsOn };
    const resource = register(r, {
      opts,
      optsFor: (name) => (imports[name] ? { ...opts, import: imports[name] } : opts),
      refs,
      root: options.root,
      dynamic: (t, n, i, o) => dynamic(t, n, i, { ...o, dependsOn }),
    });
    registered.set(r.name, resource);
    if (resource instanceof azuread.Application)
      applications[r.name] = { clientId: resource.clientId, objectId: resource.objectId };
  }
  return {
    tenantId: compiled.tenantId,
    baseline: compiled.baseline,
    resources: Object.fromEntries(compiled.resources.map((r) => [r.name, r.type])),
    controls: Object.fromEntries(
      compiled.outcomes.map((o) => [o.controlId, o.status === "applied" ? o.stage : o.status]),
    ),
    applications,
  };
}

const defaultDynamic: DynamicRegistrar = (type, name, inputs, opts) => {
  const { M365Resource } = require("../providers/resources") as typeof import("../providers/resources");
  return new M365Resource(type, name, inputs, opts);
};

/** Dependencies compile cannot know (enabled CA waits for security defaults off; label publishing for its labels). */
export function implicitDependencies(r: DesiredResource, compiled: CompiledTenant): string[] {
  return resourceDefinition(r.type).implicitDependencies(r, compiled);
}
