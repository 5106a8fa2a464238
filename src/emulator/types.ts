/** The emulator's public types: options, behaviour knobs, faults, request log and seed format. */

/** Behaviour that tests and benchmarks tune; every default is the production-like one. */
export interface EmulatorBehaviour {
  /** Added to every response, to model Graph's round-trip time. */
  latencyMs: number;
  /** Conditional access and named locations: minimum spacing per tenant, else 429 without Retry-After (0 = off). */
  conditionalAccessIntervalMs: number;
  /** Page size of collections (Graph's CA default is 100). */
  pageSize: number;
  /** After a create, GET by id answers 404 and a new appId cannot back a service principal for this long. */
  consistencyDelayMs: number;
  /**
   * Per-kind overrides of `consistencyDelayMs` in ms: a collection name (`applications`, `servicePrincipals`,
   * `groups`, `users`, `conditionalAccessPolicies`, `namedLocations`, `appRoleAssignments`, `roleAssignments`)
   * for 404 after create, or `appIdBacking` for how long a new application cannot back a service principal.
   */
  consistencyDelays: Readonly<Record<string, number>>;
  /** Identity resource-unit bucket: requests per second per tenant, with this burst; 0 = off. */
  resourceUnitsPerSecond: number;
  resourceUnitsBurst: number;
  /** When security defaults are turned off, add Microsoft-managed CA policies (as Entra does). */
  microsoftManagedPolicies: boolean;
  /** S&C: the most objects one InvokeCommand page holds, whatever `Prefer: odata.maxpagesize` asks (default 1000). */
  compliancePageSize: number;
  /** S&C: the first InvokeCommand per tenant is redirected to a "regional" path prefix. */
  complianceRedirect: boolean;
  /** Serve `/security/labels/retentionLabels` to app-only tokens (Graph documents it as delegated-only: 403). */
  retentionLabelsAppOnly: boolean;
}

/** A fault for matching requests: a status, a latency, or a dropped connection, with a probability. */
export interface FaultRule {
  /** HTTP method to match (default any). */
  readonly method?: string | undefined;
  /** Regular expression (source) matched against the path and query, e.g. `^/v1.0/identity/conditionalAccess`. */
  readonly path: string;
  readonly tenantId?: string | undefined;
  readonly status?: number | undefined;
  readonly code?: string | undefined;
  readonly retryAfterSeconds?: number | undefined;
  /** Destroy the socket without answering. */
  readonly reset?: boolean | undefined;
  readonly latencyMs?: number | undefined;
  /** Apply the fault after the request took effect (the response is lost, the change is not). */
  readonly afterEffect?: boolean | undefined;
  /** 0..1, decided by the emulator's seeded generator (default 1). */
  readonly probability?: number | undefined;
  /** Times the rule may fire (default unlimited). */
  count?: number | undefined;
}

/** One served request, for pacing and "no write happened" assertions. */
export interface RequestLogEntry {
  readonly time: number;
  readonly tenantId: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** A stable route name, e.g. `conditionalAccess.policies`, `batch`, `compliance`, `token`. */
  readonly route: string;
}

/** What a tenant starts with; everything omitted gets Entra's defaults (see docs/emulator.md). */
export interface TenantSeed {
  readonly tenantId: string;
  readonly primaryDomain: string;
  readonly displayName: string;
  /** skuPartNumbers, e.g. ["SPB", "AAD_PREMIUM_P2"]; AAD_PREMIUM / AAD_PREMIUM_P2 plans decide licences. */
  readonly skus?: readonly string[];
  readonly users?: readonly { id?: string; userPrincipalName: string; displayName?: string }[];
  /** Members by UPN (or object id). */
  readonly groups?: readonly { id?: string; displayName: string; members?: readonly string[] }[];
  /** Branding streams: `<locale>/<stream>` → base64 bytes and content type. */
  readonly streams?: Readonly<Record<string, { contentType: string; data: string }>>;
  readonly securityDefaultsEnabled?: boolean;
  /** Objects to add as-is, by collection (`conditionalAccessPolicies`, `namedLocations`, `applications`, …). */
  readonly collections?: Readonly<Record<string, readonly Record<string, unknown>[]>>;
  /** Singletons to merge over the defaults (`authorizationPolicy`, `authenticationMethodsPolicy`, …). */
  readonly singletons?: Readonly<Record<string, Record<string, unknown>>>;
  /** Branding per locale ("0" = default). */
  readonly branding?: Readonly<Record<string, Record<string, unknown>>>;
  /** Security & Compliance objects per cmdlet noun. */
  readonly compliance?: Readonly<
    Partial<
      Record<
        "ComplianceTag" | "RetentionCompliancePolicy" | "RetentionComplianceRule",
        readonly Record<string, unknown>[]
      >
    >
  >;
  /** The latest Secure Score; `controlScores` by improvement action (default: half of each action's maxScore). */
  readonly secureScore?: {
    readonly currentScore: number;
    readonly maxScore: number;
    readonly controlScores?: Readonly<Record<string, number>>;
  };
}

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Tenants to start with. */
  readonly tenants?: readonly TenantSeed[];
  /** A directory of `*.json` TenantSeed files (e.g. test/fixtures/tenants). */
  readonly seedDir?: string;
  /** Persist state here (atomically, after every write) and load it at start. */
  readonly dataDir?: string;
  /** Seed of the fault generator, so fault schedules replay exactly. */
  readonly seed?: number;
  /** Allow `POST /_emulator/token` (a Graph token without a certificate) for curl. Never in production paths. */
  readonly devTokens?: boolean;
  readonly behaviour?: Partial<EmulatorBehaviour>;
}
