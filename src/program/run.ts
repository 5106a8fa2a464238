/**
 * From Pulumi's stack configuration to registered resources: parse and validate the config (secrets
 * decrypted by the engine), compile the stack's baseline, check its files, build the tenant. Bad input
 * becomes one readable `RunError` (no stack trace), before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../errors";
import { parseStackConfig, withGroups } from "../stack/load";
import { fleetDefaults, loadFleet } from "../stack/fleet";
import { compileStack, today } from "../tenant";
import { endpointAllowed, isMicrosoftEndpoint, refusedEndpoint } from "../graph/endpoints";
import { privatePfxFile } from "./credentials";
import { buildTenant, type BuildOptions, type TenantOutputs } from "./index";

/** Runs the program for `stack`; `config` is Pulumi's config map (`m365-baseline:<key>` → string). */
export function runProgram(
  stack: string,
  config: Readonly<Record<string, string>>,
  root: string,
  env: NodeJS.ProcessEnv,
  options: Pick<BuildOptions, "dynamic"> = {},
): TenantOutputs {
  const file = `stacks/Pulumi.${stack}.yaml`;
  try {
    const defaults = fleetDefaults(loadFleet(root));
    const parsed = parseStackConfig(config, { file, decrypted: true, defaults });
    const tenant = compileStack(root, withGroups(root, { name: stack, ...parsed }), today());
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
    return buildTenant(tenant.compiled, {
      root,
      dynamic: options.dynamic,
      imports: parsed.config.imports,
      provider: {
        clientId: deployment.clientId,
        auth: deployment.auth,
        clientCertificatePath: pfxFile,
        clientCertificatePassword: pfxPassword,
        metadataHost: metadataHost(parsed.config.endpoints?.graph, { file, env }),
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
