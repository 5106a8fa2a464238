/**
 * The contract of the one module that talks HTTP to Microsoft (`src/graph/`). Everything else —
 * providers, `check`, the demo — depends on these interfaces only, never on fetch or the SDK.
 */

/** How the client authenticates; the same three kinds in production and against the emulator. */
export type CredentialSettings =
  /** App-only with a PEM holding both the private key and the certificate (`@azure/identity` accepts PEM only). */
  | { readonly kind: "certificate"; readonly clientId: string; readonly certificatePem: string }
  /** Workload identity federation (OIDC) for CI: a file holding the federated token (GitHub/Azure DevOps). */
  | { readonly kind: "workloadIdentity"; readonly clientId: string; readonly tokenFilePath: string }
  /** A person at a desk: the Azure CLI's signed-in account. */
  | { readonly kind: "azureCli" };

/**
 * Where and as whom to connect to one tenant. Pointing at the emulator changes only endpoints, trust and credential.
 */
export interface ConnectionSettings {
  readonly tenantId: string;
  /** The tenant's initial domain (`contoso.onmicrosoft.com`), used for the S&C `X-AnchorMailbox` and organisation. */
  readonly primaryDomain: string;
  readonly credential: CredentialSettings;
  /** Graph root without version; default `https://graph.microsoft.com`. */
  readonly graphBaseUrl?: string | undefined;
  /** Entra authority host; default `https://login.microsoftonline.com`. */
  readonly authorityHost?: string | undefined;
  /** Security & Compliance REST root; default `https://ps.compliance.protection.outlook.com`. */
  readonly complianceBaseUrl?: string | undefined;
  /** Extra CA certificate (PEM) to trust, e.g. the emulator's self-signed certificate. */
  readonly caCertificatePem?: string | undefined;
}

/** Options for one Graph request. */
export interface RequestOptions {
  /** Extra headers, e.g. `Accept-Language: 0` for branding or `ConsistencyLevel: eventual`. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/** How to find an object by its natural key, used for create-safety and adoption. */
export interface NaturalKeyLookup {
  /** Collection path, e.g. `/identity/conditionalAccess/policies`. */
  readonly collectionPath: string;
  /** OData filter that matches exactly the object being created, e.g. `displayName eq 'CA01 …'`. */
  readonly filter: string;
}

/** One read inside a `$batch`. */
export interface BatchRead {
  readonly id: string;
  /** Path relative to the version root, e.g. `/groups?$filter=…`. */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/** Result of one read inside a `$batch`: the body on 2xx, a GraphRequestError otherwise. */
export type BatchResult =
  | { readonly ok: true; readonly status: number; readonly body: unknown }
  | { readonly ok: false; readonly error: import("../errors").GraphRequestError };

/**
 * A Graph v1.0 client for one tenant. Paths are relative to `/v1.0`. Throttling (429/503/504 with
 * Retry-After, CA pacing at 1 request/s per tenant), eventual-consistency retries, paging and
 * create-safety are inside; failures surface as GraphRequestError.
 */
export interface GraphClient {
  readonly tenantId: string;
  /** GET one object; 404 throws GraphRequestError (use `tryGet` for "may be absent"). */
  get<T>(path: string, options?: RequestOptions): Promise<T>;
  /** GET one object, `undefined` on 404. */
  tryGet<T>(path: string, options?: RequestOptions): Promise<T | undefined>;
  /** GET a collection, following every `@odata.nextLink`. */
  list<T>(path: string, options?: RequestOptions): Promise<T[]>;
  /**
   * POST a new object. With `naturalKey`, after a timeout/5xx/connection reset the client looks the
   * object up before retrying, so nothing is created twice; the existing object is returned if found.
   */
  create<T>(
    path: string,
    body: unknown,
    options?: RequestOptions & { readonly naturalKey?: NaturalKeyLookup },
  ): Promise<T>;
  /** POST an action or non-create call (e.g. `/servicePrincipals/{id}/appRoleAssignedTo`). */
  post<T>(path: string, body: unknown, options?: RequestOptions): Promise<T>;
  /** PATCH; Graph answers 204. */
  patch(path: string, body: unknown, options?: RequestOptions): Promise<void>;
  /** PUT raw bytes (branding streams) with the given content type. */
  putStream(path: string, data: Uint8Array | string, contentType: string, options?: RequestOptions): Promise<void>;
  /** GET raw bytes (branding streams), `undefined` on 404 or empty. */
  getStream(path: string, options?: RequestOptions): Promise<Uint8Array | undefined>;
  /** DELETE; 404 counts as already deleted and resolves. */
  delete(path: string, options?: RequestOptions): Promise<void>;
  /**
   * Up to any number of reads, sent as `$batch` requests of at most 20; results keyed by id; a collection's further
   * pages are followed unless the read asked for `$top`.
   */
  batch(reads: readonly BatchRead[]): Promise<Map<string, BatchResult>>;
}

/**
 * The Security & Compliance REST endpoint (`/adminapi/beta/{tenant}/InvokeCommand`), for retention
 * policies, rules and compliance tags (labels). Unwraps the real message of failed cmdlets.
 */
export interface ComplianceClient {
  /** Runs one cmdlet (e.g. `Get-RetentionCompliancePolicy`) and returns its output objects. */
  invoke<T = Record<string, unknown>>(cmdlet: string, parameters?: Readonly<Record<string, unknown>>): Promise<T[]>;
}

/** Both clients for one tenant. */
export interface TenantConnection {
  readonly tenantId: string;
  readonly graph: GraphClient;
  readonly compliance: ComplianceClient;
  /**
   * Graph root without version (no trailing slash), for the few beta reads made with an absolute URL; set by
   * `connect()`, optional so test fakes need not provide it (then the public cloud's root is meant).
   */
  readonly graphBaseUrl?: string | undefined;
  /**
   * HTTP requests this connection sent to Graph and S&C so far, every retry counted (token requests
   * excluded). Implemented by `connect()`; optional so test fakes need not provide it.
   */
  requestCount?(): number;
  /** Closes pooled connections; optional, the process may also just exit. */
  close?(): Promise<void>;
}
