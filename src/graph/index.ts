/**
 * `connect()`: the Graph and S&C clients for one tenant, on the Graph SDK's production middleware chain.
 * Pointing at the emulator changes only the base URLs, the authority host, the trusted CA and the
 * credential. Loading this module has no side effects (it is required at run time by dynamic providers).
 */
import { DEFAULT_GRAPH_BASE_URL } from "./roots";
import type { AuthenticationProvider } from "@microsoft/microsoft-graph-client";
import type { TokenCredential } from "@azure/identity";
import { TenantGraphClient } from "./client";
import { complianceScope, DEFAULT_COMPLIANCE_BASE_URL, TenantComplianceClient } from "./compliance";
import { createCredential } from "./credential";
import { createSdkClient, SdkSession } from "./http";
import { resolveOptions, type ClientOptions } from "./options";
import { Transport } from "./transport";
import type { ConnectionSettings, TenantConnection } from "./types";

export type { ClientOptions, BackoffOptions } from "./options";
export { settingsFromConfig } from "./settings";
export * from "./types";

export { DEFAULT_GRAPH_BASE_URL, graphRoot } from "./roots";

/** Creates both clients for one tenant; no request is sent until the first call. */
export function connect(settings: ConnectionSettings, clientOptions: ClientOptions = {}): TenantConnection {
  const options = resolveOptions(clientOptions);
  const transport = new Transport({
    caCertificatePem: settings.caCertificatePem,
    requestTimeoutMs: options.requestTimeoutMs,
  });
  const credential = createCredential(
    settings.tenantId,
    settings.credential,
    settings.authorityHost,
    settings.caCertificatePem,
  );
  const graphBase = (settings.graphBaseUrl ?? DEFAULT_GRAPH_BASE_URL).replace(/\/+$/, "");
  const complianceBase = (settings.complianceBaseUrl ?? DEFAULT_COMPLIANCE_BASE_URL).replace(/\/+$/, "");
  const retry = { delaySeconds: options.sdkRetryDelaySeconds, maxRetries: options.sdkMaxRetries };

  const graphSession = new SdkSession(
    createSdkClient({
      authProvider: bearer(credential, "https://graph.microsoft.com/.default"),
      baseUrl: graphBase,
      defaultVersion: "v1.0",
      // The SDK attaches tokens only to Graph hosts and these; hostname only, the port is stripped before matching.
      customHosts: new Set([new URL(graphBase).hostname]),
      transport,
    }),
    transport,
    retry,
  );

  const complianceAuth = bearer(credential, complianceScope());
  const complianceSessions = new Map<string, SdkSession>();
  const complianceSession = (origin: string): SdkSession => {
    let session = complianceSessions.get(origin);
    if (!session) {
      session = new SdkSession(
        createSdkClient({
          authProvider: complianceAuth,
          baseUrl: origin,
          defaultVersion: "adminapi",
          customHosts: new Set([new URL(origin).hostname]),
          transport,
        }),
        transport,
        retry,
      );
      complianceSessions.set(origin, session);
    }
    return session;
  };

  return {
    tenantId: settings.tenantId,
    graphBaseUrl: graphBase,
    graph: new TenantGraphClient(settings.tenantId, graphSession, options),
    compliance: new TenantComplianceClient(
      settings.tenantId,
      settings.primaryDomain,
      complianceBase,
      complianceSession,
      options,
    ),
    requestCount: () => transport.requestCount(),
    close: () => transport.close(),
  };
}

/**
 * The SDK's AuthenticationHandler asks this for a token on every request. The SDK ships an equivalent
 * (TokenCredentialAuthenticationProvider), but it builds an Error with a stack trace on every call,
 * which is measurable CPU at fleet concurrency; the credential's errors pass through unchanged.
 */
function bearer(credential: TokenCredential, scope: string): AuthenticationProvider {
  return {
    getAccessToken: async () => {
      const token = await credential.getToken(scope);
      if (!token) {
        // The SDK wraps what is thrown here keeping only its name, which failure.ts maps to a 401 GraphRequestError;
        // required here, not at module scope, for the reason credential.ts gives.
        const identity = require("@azure/identity") as typeof import("@azure/identity");
        throw new identity.CredentialUnavailableError(`The credential returned no access token for ${scope}.`);
      }
      return token.token;
    },
  };
}
