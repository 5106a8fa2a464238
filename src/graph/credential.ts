/**
 * Builds the @azure/identity TokenCredential for a connection. `@azure/identity` is required inside the
 * function, not at module scope, so a Pulumi dynamic provider that loads this module at run time never
 * captures an identity class in its serialized closure (Pulumi dynamic providers serialize their closure: pulumi/pulumi
 * sdk/nodejs/runtime/closure).
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";
import type { CredentialSettings } from "./types";
import { assertionSource } from "./assertion";
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
  return new SharedTokenCredential(identityCredential(identity, tenantId, credential, common));
}

function identityCredential(
  identity: typeof import("@azure/identity"),
  tenantId: string,
  credential: CredentialSettings,
  common: { authorityHost: string; disableInstanceDiscovery: boolean },
): TokenCredential {
  switch (credential.kind) {
    case "certificate":
      // The token endpoint Entra names in the tenant's metadata, which an assertion must name as its audience
      // (https://learn.microsoft.com/entra/identity-platform/certificate-credentials#header).
      return new identity.ClientAssertionCredential(
        tenantId,
        credential.clientId,
        assertionSource(
          credential.certificatePem,
          credential.clientId,
          `${common.authorityHost}/${tenantId}/oauth2/v2.0/token`,
        ),
        common,
      );
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

/** Tokens are reused until this close to expiry (Graph's tokens live 60–90 minutes). */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * One token request per scope however many calls ask at once. @azure/identity caches tokens but not
 * requests in flight, so a tenant's parallel reads would each fetch the authority's metadata and sign
 * their own assertion. The first request of a connection also resolves that metadata: later scopes wait
 * for it, so it is fetched once. A call carrying claims (a CAE challenge) always goes to the inner credential.
 */
export class SharedTokenCredential implements TokenCredential {
  private readonly entries = new Map<
    string,
    { readonly token?: AccessToken; readonly pending?: Promise<AccessToken | null> }
  >();
  private first: Promise<unknown> | undefined;

  constructor(private readonly inner: TokenCredential) {}

  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    if (options?.claims) return this.inner.getToken(scopes, options);
    const key = `${options?.tenantId ?? ""}|${[scopes].flat().join(" ")}`;
    const entry = this.entries.get(key);
    if (entry?.token && entry.token.expiresOnTimestamp - Date.now() > REFRESH_MARGIN_MS)
      return Promise.resolve(entry.token);
    if (entry?.pending) return entry.pending;
    const before = this.first;
    const pending = (async () => {
      if (before) await before.catch(() => undefined);
      return this.inner.getToken(scopes, options);
    })().then(
      (token) => {
        this.entries.set(key, token ? { token } : {});
        return token;
      },
      (error: unknown) => {
        // Forgotten, so the next call tries again.
        this.entries.delete(key);
        throw error;
      },
    );
    this.entries.set(key, { pending });
    this.first ??= pending;
    return pending;
  }
}
