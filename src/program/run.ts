/**
 * From Pulumi's stack configuration to registered resources: parse and validate the config (secrets
 * decrypted by the engine), compile the stack's baseline (for `licences: auto`, for what the tenant's subscribedSkus
 * give), check its files, build the tenant. Bad input becomes one readable `RunError` (no stack trace), before any
 * resource is registered.
 */
import type * as Graph from "@microsoft/microsoft-graph-types";
import * as pulumi from "@pulumi/pulumi";
import { stackSettings } from "../check/targets";
import { licencesFromSkus, SUBSCRIBED_SKUS_PATH, type Licences } from "../core/licences";
import { GraphRequestError, ValidationError } from "../errors";
import { connect, type ConnectionSettings } from "../graph";
import { parseStackConfig, withGroups } from "../stack/load";
import { fleetDefaults, loadFleet } from "../stack/fleet";
import { compileStack, today, type LoadedTenant } from "../tenant";
import { endpointAllowed, isMicrosoftEndpoint, refusedEndpoint } from "../graph/endpoints";
import { privatePfxFile } from "./credentials";
import { buildTenant, type BuildOptions, type TenantOutputs } from "./index";

/** How the program reaches Graph for its one read; tests point it at the emulator (only endpoints and trust differ). */
export interface ProgramOptions extends Pick<BuildOptions, "dynamic"> {
  /** Adjusts the connection settings built from the stack (like `check`'s `adjust`); default: as the stack says. */
  readonly graph?: ((settings: ConnectionSettings) => ConnectionSettings) | undefined;
}

/**
 * Runs the program for `stack`; `config` is Pulumi's config map (`m365-baseline:<key>` → string). A stack with
 * `licences: auto` is compiled for the licences its tenant's subscribedSkus give, read before any registration.
 */
export async function runProgram(
  stack: string,
  config: Readonly<Record<string, string>>,
  root: string,
  env: NodeJS.ProcessEnv,
  options: ProgramOptions = {},
): Promise<TenantOutputs> {
  const file = `stacks/Pulumi.${stack}.yaml`;
  try {
    const defaults = fleetDefaults(loadFleet(root));
    const parsed = parseStackConfig(config, { file, decrypted: true, defaults });
    // Everything offline is checked first (the offline compile of an auto stack too), so a broken stack file fails
    // without a call to Microsoft.
    const offline = compileStack(root, withGroups(root, { name: stack, ...parsed }), today());
    const deployment = parsed.config.deployment;
    const pfx = parsed.secrets.certificatePfx || env["M365B_CERTIFICATE_PFX"];
    const pfxPassword = parsed.secrets.certificatePfxPassword || env["M365B_CERTIFICATE_PFX_PASSWORD"];
    // Without a credential the azuread provider fails later with "failed to load Azure credentials",
    // which names neither the stack nor the key; ARM_CLIENT_CERTIFICATE_PATH is the provider's own fallback.
    if (deployment.auth === "certificate" && !pfx && !env["ARM_CLIENT_CERTIFICATE_PATH"]) {
      throw new ValidationError([
        {
          file,
          path: "m365-baseline:certificatePfx",
          message: "deployment.auth is certificate but no PFX is set",
          fix: "pulumi config set --secret certificatePfx <base64 PKCS#12>, or export M365B_CERTIFICATE_PFX, or use deployment.auth: oidc",
        },
      ]);
    }
    const pfxFile =
      deployment.auth === "certificate" && pfx
        ? privatePfxFile(pfx, { file, key: "m365-baseline:certificatePfx" }, env)
        : undefined;
    const metadata = metadataHost(parsed.config.endpoints?.graph, { file, env });
    const tenant = offline.withLicences
      ? offline.withLicences(await tenantLicences(offline, root, env, options.graph))
      : offline;
    return buildTenant(tenant.compiled, {
      root,
      dynamic: options.dynamic,
      imports: parsed.config.imports,
      provider: {
        clientId: deployment.clientId,
        auth: deployment.auth,
        clientCertificatePath: pfxFile,
        clientCertificatePassword: pfxPassword,
        metadataHost: metadata,
        oidcTokenFilePath: env["M365B_OIDC_TOKEN_FILE"] ?? env["AZURE_FEDERATED_TOKEN_FILE"],
      },
    });
  } catch (error) {
    if (error instanceof ValidationError)
      throw new pulumi.RunError(`m365-baseline: the stack configuration is invalid:\n${error.message}`);
    throw error;
  }
}

/**
 * The licences the tenant's subscribedSkus give, through the project's Graph client with the settings `check` builds
 * from a stack (tenant, deployment and endpoints from the file, the PEM from the stack's secret or the environment).
 * Registration waits for this read: Pulumi awaits a program that exports an async function before it takes the stack's
 * outputs (www.pulumi.com/docs/iac/languages-sdks/javascript/#entrypoint), and resources registered inside an
 * Output's apply would not show in `pulumi preview`.
 */
async function tenantLicences(
  tenant: LoadedTenant,
  root: string,
  env: NodeJS.ProcessEnv,
  adjust: ProgramOptions["graph"],
): Promise<Licences> {
  const settings = stackSettings(root, tenant, env);
  const connection = connect(adjust ? adjust(settings) : settings);
  try {
    return licencesFromSkus(await connection.graph.list<Graph.SubscribedSku>(SUBSCRIBED_SKUS_PATH));
  } catch (error) {
    if (!(error instanceof GraphRequestError)) throw error;
    // Said as the stack's problem, naming the key that made the read necessary and the ways out.
    throw new ValidationError([
      {
        file: tenant.stack.file,
        path: "m365-baseline:licences",
        message: `is auto, but the tenant's subscribedSkus could not be read: ${error.message}`,
        fix: "make the read possible (a refusal needs Organization.Read.All or LicenseAssignment.Read.All, learn.microsoft.com/graph/api/subscribedsku-list), or claim the licences: { entraIdP1: true|false, entraIdP2: true|false }",
      },
    ]);
  } finally {
    await connection.close?.();
  }
}

/**
 * The azuread provider's `metadataHost` for a stack pointed at other endpoints (the emulator): the provider reads
 * `https://<host>/metadata/endpoints` and takes the login and Graph endpoints from it (go-azure-sdk
 * sdk/environments/from_endpoint.go), so one host moves both; Microsoft's public cloud needs none.
 */
export function metadataHost(
  graph: string | undefined,
  where: { file: string; env: NodeJS.ProcessEnv },
): string | undefined {
  if (graph === undefined) return undefined;
  // The provider sends its client assertion to whatever login endpoint that host's metadata names.
  if (!endpointAllowed(graph, where.env)) {
    throw new ValidationError([refusedEndpoint(graph, where.file, "m365-baseline:endpoints.graph")]);
  }
  return isMicrosoftEndpoint(graph) ? undefined : new URL(graph).host;
}
