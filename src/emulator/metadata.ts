/**
 * Azure's cloud metadata document (`GET /metadata/endpoints?api-version=2022-09-01`), which go-azure-sdk reads
 * when the azuread provider is given `metadata_host`: it takes the login endpoint and Microsoft Graph's resource
 * id (also its endpoint) from it, so pointing `metadata_host` at the emulator sends tokens and Graph calls here.
 */
import type { Json, Reply } from "./errors";

/**
 * The 2022-09-01 document with every endpoint the provider reads set to the emulator.
 *
 * Shape: Azure's own answer for AzureCloud as recorded in go-azure-sdk
 * (sdk/internal/metadata/client_test.go, `metadata20220901`; read by sdk/internal/metadata/client.go and
 * sdk/environments/from_endpoint.go, which require `name`, `resourceManager` and `microsoftGraphResourceId`).
 * `loginEndpoint` has no trailing slash there (the SDK appends `/{tenant}/oauth2/v2.0/token`); resource ids do.
 */
export function metadataEndpoints(base: string): Json {
  return {
    portal: base,
    authentication: { loginEndpoint: base, audiences: [`${base}/`], tenant: "common", identityProvider: "AAD" },
    media: base,
    graphAudience: `${base}/`,
    graph: `${base}/`,
    name: "AzureCloud",
    suffixes: {},
    batch: `${base}/`,
    resourceManager: `${base}/`,
    activeDirectoryDataLake: `${base}/`,
    sqlManagement: `${base}/`,
    microsoftGraphResourceId: `${base}/`,
  };
}

/**
 * Answers the metadata request; ARM answers an unsupported or missing `api-version` with 400
 * (learn.microsoft.com/rest/api/azure/#uri-parameters: api-version is required), 2022-09-01 being the one the SDK
 * sends (sdk/internal/metadata/client.go).
 */
export function metadataReply(base: string, url: URL): Reply {
  const version = url.searchParams.get("api-version");
  if (!version) {
    const message = "The api-version query parameter (?api-version=) is required for all requests.";
    return { status: 400, body: { error: { code: "MissingApiVersionParameter", message } } };
  }
  return { status: 200, body: metadataEndpoints(base) };
}
