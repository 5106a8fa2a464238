/**
 * Builds the @azure/identity TokenCredential for a connection. `@azure/identity` is required inside the
 * function, not at module scope, so a Pulumi dynamic provider that loads this module at run time never
 * captures an identity class in its serialized closure (pulumi-facts §0.4).
 */
import type { TokenCredential } from "@azure/identity";
import type { CredentialSettings } from "./types";
import { identityAgent } from "./transport";

/** Microsoft's public-cloud authority host. */
export const DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com";

/** Creates the credential for the given settings; the certificate PEM never leaves this object. */
export function createCredential(
  tenantId: string,
  credential: CredentialSettings,
  authorityHost: string | undefined,
  caCertificatePem: string | undefined,
): TokenCredential {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const identity = require("@azure/identity") as typeof import("@azure/identity");
  const host = (authorityHost ?? DEFAULT_AUTHORITY_HOST).replace(/\/+$/, "");
  const agent = identityAgent(caCertificatePem);
  const common = {
    authorityHost: host,
    // Instance discovery asks login.microsoftonline.com which authorities exist; a non-Microsoft
    // authority (the emulator) is not in that list and the lookup would fail offline.
    disableInstanceDiscovery: host !== DEFAULT_AUTHORITY_HOST,
    ...(agent ? { agent } : {}),
  };
  switch (credential.kind) {
    case "certificate":
      return new identity.ClientCertificateCredential(tenantId, credential.clientId, { certificate: credential.certificatePem }, common);
    case "workloadIdentity":
      return new identity.WorkloadIdentityCredential({
        ...common,
        tenantId,
        clientId: credential.clientId,
        tokenFilePath: credential.tokenFilePath,
      });
    case "azureCli":
      return new identity.AzureCliCredential({ tenantId });
  }
}
