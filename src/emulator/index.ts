/**
 * `startEmulator()`: a local Microsoft Graph + Entra token endpoint + Security & Compliance endpoint over
 * HTTPS with a certificate generated at start, hosting many tenants. The Graph client reaches it through
 * its production construction; only base URLs, trusted CA and credential differ. Never imports src/graph.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Faults } from "./faults";
import { TOKEN_EXCHANGE_AUDIENCE, type FederatedCredential } from "./federated";
import { consent } from "./permissions";
import { tenantFromSeed } from "./seed";
import { handler, type ServerState } from "./server";
import { Store, type TenantState } from "./store";
import type { EmulatorBehaviour, EmulatorOptions, FaultRule, RequestLogEntry, TenantSeed } from "./types";

export type * from "./types";
export type { TenantState } from "./store";
export type { FederatedCredential } from "./federated";
/** The contract's name for a tenant's state as `tenant()` returns it (plain, JSON-serializable, mutable). */
export type { TenantState as TenantStore } from "./store";

/** Production-like defaults: Microsoft's CA pacing on, no artificial latency or consistency delay. */
export const DEFAULT_BEHAVIOUR: EmulatorBehaviour = {
  latencyMs: 0,
  conditionalAccessIntervalMs: 1000,
  pageSize: 100,
  consistencyDelayMs: 0,
  consistencyDelays: {},
  resourceUnitsPerSecond: 0,
  resourceUnitsBurst: 0,
  microsoftManagedPolicies: true,
  compliancePageSize: 1000,
  complianceRedirect: false,
  retentionLabelsAppOnly: false,
};

/** A running emulator. */
export interface RunningEmulator {
  /** `https://localhost:<port>`; also the Graph root, the authority host and the S&C root. */
  readonly url: string;
  readonly graphBaseUrl: string;
  readonly authorityHost: string;
  readonly complianceBaseUrl: string;
  /** The self-signed certificate generated at start; clients trust it explicitly. */
  readonly caCertificatePem: string;
  requestLog(): readonly RequestLogEntry[];
  clearLog(): void;
  setFaults(rules: readonly FaultRule[], seed?: number): void;
  setOptions(partial: Partial<EmulatorBehaviour>): void;
  /** Direct access to a tenant's state: inspect it, or change it "by hand" to create drift. */
  tenant(tenantId: string): TenantState;
  addTenant(seed: TenantSeed): TenantState;
  /** The ids of every tenant, in the order they were added. */
  tenantIds(): string[];
  /**
   * Accepts `certificatePem` (public certificate) for client assertions of `clientId` in the tenant (created with
   * defaults if unknown).
   */
  registerClientCertificate(tenantId: string, clientId: string, certificatePem: string): void;
  /**
   * Admin consent for `clientId`: its service principal gets these app roles (by value, e.g. `Policy.Read.All`,
   * `Exchange.ManageAsApp`) and directory roles (template ids). From then on its new tokens carry exactly
   * the roles granted, and Graph and S&C refuse what they do not allow (see emulator/permissions.ts).
   */
  consent(tenantId: string, clientId: string, permissions: readonly string[], directoryRoles?: readonly string[]): void;
  /**
   * Accepts federated assertions for `clientId` (workload identity federation): tokens from `issuer` for
   * `subject`, with one of `audiences` (default api://AzureADTokenExchange), signed by `publicKeyPem`.
   */
  registerFederatedCredential(
    tenantId: string,
    clientId: string,
    credential: Omit<FederatedCredential, "audiences"> & { audiences?: readonly string[] },
  ): void;
  /** Persists the state now (it also does after every write when a data directory is set). */
  save(): void;
  close(): Promise<void>;
}

/** Reads every `*.json` TenantSeed in `dir`, sorted by file name. */
export function readSeeds(dir: string): TenantSeed[] {
  if (!existsSync(dir)) throw new Error(`seed directory not found: ${dir}`);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as TenantSeed);
}

/** Adds a tenant with nothing but Entra's defaults (named after its id). */
function addDefaultTenant(store: Store, tenantId: string): TenantState {
  const short = tenantId.toLowerCase().slice(0, 8);
  const t = tenantFromSeed({
    tenantId,
    primaryDomain: `tenant-${short}.onmicrosoft.com`,
    displayName: `Tenant ${short}`,
  });
  store.tenants.set(t.tenantId, t);
  return t;
}

/** Starts the emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const selfsigned = require("selfsigned") as {
    generate(attrs: unknown, opts: unknown): Promise<{ private: string; cert: string }>;
  };
  // An EC (P-256) key: a full TLS handshake costs the server a signature, about 1 ms with RSA-2048 and a
  // tenth of that with P-256; a fleet's first wave opens hundreds of connections at once, and the
  // emulator's CPU, unlike Microsoft's, is shared with the client under test on the same machine.
  const pem = await selfsigned.generate([{ name: "commonName", value: "localhost" }], {
    days: 30,
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
  const store = new Store(options.dataDir);
  const loaded = store.load();
  if (!loaded) {
    const seeds = [...(options.seedDir ? readSeeds(options.seedDir) : []), ...(options.tenants ?? [])];
    for (const seed of seeds) store.tenants.set(seed.tenantId.toLowerCase(), tenantFromSeed(seed));
    store.save();
  }
  const state: ServerState = {
    base: "",
    store,
    behaviour: { ...DEFAULT_BEHAVIOUR, ...options.behaviour },
    faults: new Faults(options.seed ?? 1),
    log: [],
    devTokens: options.devTokens === true,
    lastConditionalAccess: new Map(),
    buckets: new Map(),
    redirected: new Set(),
  };
  const server = https.createServer({ key: pem.private, cert: pem.cert, keepAliveTimeout: 30_000 }, handler(state));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "localhost", () => resolve());
  });
  const url = `https://localhost:${(server.address() as AddressInfo).port}`;
  state.base = url;
  const tenant = (id: string): TenantState => {
    const t = store.get(id);
    if (!t) throw new Error(`emulator: unknown tenant ${id} (known: ${[...store.tenants.keys()].join(", ")})`);
    return t;
  };
  return {
    url,
    graphBaseUrl: url,
    authorityHost: url,
    complianceBaseUrl: url,
    caCertificatePem: pem.cert,
    requestLog: () => state.log,
    clearLog: () => {
      state.log.length = 0;
    },
    setFaults: (rules, seed) => state.faults.set(rules, seed),
    setOptions: (partial) => Object.assign(state.behaviour, partial),
    tenant,
    addTenant: (seed) => {
      const t = tenantFromSeed(seed);
      store.tenants.set(t.tenantId, t);
      store.save();
      return t;
    },
    tenantIds: () => [...store.tenants.keys()],
    registerClientCertificate: (tenantId, clientId, certificatePem) => {
      // An unknown tenant is created with Entra's defaults, so a benchmark or a quick script needs no seed.
      const t = store.get(tenantId) ?? addDefaultTenant(store, tenantId);
      // Only the public part is kept: a PEM that also holds the key is reduced to its certificate.
      const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(certificatePem)?.[0];
      if (!cert) throw new Error("registerClientCertificate: no PEM certificate found");
      (t.clientCertificates[clientId] ??= []).push(`${cert}\n`);
      store.save();
    },
    consent: (tenantId, clientId, permissions, directoryRoles) => {
      consent(tenant(tenantId), clientId, permissions, directoryRoles);
      store.save();
    },
    registerFederatedCredential: (tenantId, clientId, credential) => {
      const t = tenant(tenantId);
      ((t.federatedCredentials ??= {})[clientId] ??= []).push({
        ...credential,
        audiences: credential.audiences ?? [TOKEN_EXCHANGE_AUDIENCE],
      });
      store.save();
    },
    save: () => store.save(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
