/**
 * Reads ConnectionSettings from a stack's configuration (docs/architecture.md, namespace `m365-baseline:`)
 * with environment fallbacks, and reports every problem at once as a ValidationError naming the key and
 * the fix. Used by the dynamic providers' `configure()` and by `check`. Secrets never appear in messages.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ValidationError, type Issue } from "../errors";
import { endpointAllowed, refusedEndpoint } from "./endpoints";
import type { ConnectionSettings, CredentialSettings } from "./types";

const NS = "m365-baseline";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Where the configuration came from, for messages, and how to read referenced files. */
export interface SettingsSource {
  /** Shown in issues, e.g. `stacks/Pulumi.contoso.yaml`; default "the stack configuration". */
  readonly file?: string;
  /** Directory that relative `caCertificateFile` paths are resolved against; default the working directory. */
  readonly baseDir?: string;
}

function parseObject(
  raw: string | undefined,
  key: string,
  file: string,
  issues: Issue[],
): Record<string, unknown> | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  issues.push({
    file,
    path: `${NS}:${key}`,
    message: "is not an object",
    fix: `write ${key} as a YAML mapping (or a JSON object string)`,
  });
  return undefined;
}

function httpsUrl(
  value: unknown,
  key: string,
  file: string,
  issues: Issue[],
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string") {
    try {
      const url = new URL(value);
      if (url.protocol === "https:" && !endpointAllowed(value, env)) {
        issues.push(refusedEndpoint(value, file, `${NS}:endpoints.${key}`));
        return undefined;
      }
      if (url.protocol === "https:") return value.replace(/\/+$/, "");
    } catch {
      // reported below
    }
  }
  issues.push({
    file,
    path: `${NS}:endpoints.${key}`,
    message: `must be an https URL, got ${JSON.stringify(value)}`,
    fix: "the Graph SDK only sends tokens over https; use e.g. https://localhost:8443 for the emulator",
  });
  return undefined;
}

function credentialFrom(
  deployment: Record<string, unknown>,
  get: (key: string) => string | undefined,
  env: NodeJS.ProcessEnv,
  file: string,
  issues: Issue[],
): CredentialSettings | undefined {
  const auth = deployment["auth"] ?? "certificate";
  const clientId = deployment["clientId"];
  if (auth === "azureCli") return { kind: "azureCli" };
  if (auth !== "certificate" && auth !== "oidc") {
    issues.push({
      file,
      path: `${NS}:deployment.auth`,
      message: `unknown auth ${JSON.stringify(auth)}`,
      fix: "use certificate, oidc or azureCli",
    });
    return undefined;
  }
  if (typeof clientId !== "string" || !GUID.test(clientId)) {
    issues.push({
      file,
      path: `${NS}:deployment.clientId`,
      message: `must be the deploying app's client id (a GUID), got ${JSON.stringify(clientId)}`,
      fix: "copy the Application (client) ID from the app registration",
    });
  }
  if (auth === "certificate") {
    const pem = get(`${NS}:certificatePem`) ?? env["M365B_CERTIFICATE_PEM"];
    if (!pem) {
      issues.push({
        file,
        path: `${NS}:certificatePem`,
        message: "is missing for auth: certificate",
        fix: "run `pulumi config set --secret m365-baseline:certificatePem < app.pem` or set M365B_CERTIFICATE_PEM",
      });
    } else if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem) || !/-----BEGIN CERTIFICATE-----/.test(pem)) {
      issues.push({
        file,
        path: `${NS}:certificatePem`,
        message: "is not a PEM holding both a private key and a certificate",
        fix: "concatenate the PEM private key and certificate (PFX is not accepted: convert with openssl pkcs12 -nodes)",
      });
    } else if (typeof clientId === "string" && GUID.test(clientId)) {
      return { kind: "certificate", clientId, certificatePem: pem };
    }
    return undefined;
  }
  const tokenFile = env["M365B_OIDC_TOKEN_FILE"] ?? env["AZURE_FEDERATED_TOKEN_FILE"];
  if (!tokenFile) {
    issues.push({
      file,
      path: `${NS}:deployment.auth`,
      message: "is oidc but M365B_OIDC_TOKEN_FILE is not set",
      fix: "have the CI job write its federated token to a file and export M365B_OIDC_TOKEN_FILE=<path>",
    });
  } else if (!fs.existsSync(tokenFile)) {
    issues.push({
      file,
      path: `${NS}:deployment.auth`,
      message: `the federated token file ${tokenFile} (M365B_OIDC_TOKEN_FILE) does not exist`,
      fix: "write the CI's OIDC token to that file before running",
    });
  } else if (typeof clientId === "string" && GUID.test(clientId)) {
    return { kind: "workloadIdentity", clientId, tokenFilePath: tokenFile };
  }
  return undefined;
}

/** Builds ConnectionSettings from stack configuration; throws ValidationError listing every problem. */
export function settingsFromConfig(
  get: (key: string) => string | undefined,
  env: NodeJS.ProcessEnv,
  source: SettingsSource = {},
): ConnectionSettings {
  const file = source.file ?? "the stack configuration";
  const issues: Issue[] = [];
  const tenantId = get(`${NS}:tenantId`);
  if (!tenantId || !GUID.test(tenantId)) {
    issues.push({
      file,
      path: `${NS}:tenantId`,
      message: tenantId ? `must be a GUID, got ${JSON.stringify(tenantId)}` : "is missing",
      fix: "set it to the customer's Entra tenant id (Entra admin center → Overview)",
    });
  }
  const primaryDomain = get(`${NS}:primaryDomain`);
  if (!primaryDomain || !DOMAIN.test(primaryDomain)) {
    issues.push({
      file,
      path: `${NS}:primaryDomain`,
      message: primaryDomain ? `is not a domain name: ${JSON.stringify(primaryDomain)}` : "is missing",
      fix: "set it to the tenant's initial domain, <name>.onmicrosoft.com",
    });
  }
  const deployment = parseObject(get(`${NS}:deployment`), "deployment", file, issues);
  if (!deployment && !issues.some((i) => i.path === `${NS}:deployment`)) {
    issues.push({
      file,
      path: `${NS}:deployment`,
      message: "is missing",
      fix: "set deployment: { clientId: <app id>, auth: certificate | oidc | azureCli }",
    });
  }
  const credential = deployment ? credentialFrom(deployment, get, env, file, issues) : undefined;
  const endpoints = parseObject(get(`${NS}:endpoints`), "endpoints", file, issues) ?? {};
  const graphBaseUrl = httpsUrl(endpoints["graph"], "graph", file, issues, env);
  const authorityHost = httpsUrl(endpoints["authority"], "authority", file, issues, env);
  const complianceBaseUrl = httpsUrl(endpoints["compliance"], "compliance", file, issues, env);
  let caCertificatePem: string | undefined;
  const caFile = endpoints["caCertificateFile"];
  if (caFile !== undefined) {
    const resolved = typeof caFile === "string" ? path.resolve(source.baseDir ?? process.cwd(), caFile) : undefined;
    const pem = resolved && fs.existsSync(resolved) ? fs.readFileSync(resolved, "utf8") : undefined;
    if (!pem || !pem.includes("-----BEGIN CERTIFICATE-----")) {
      issues.push({
        file,
        path: `${NS}:endpoints.caCertificateFile`,
        message: `${JSON.stringify(caFile)} is not a readable PEM certificate file`,
        fix: "point it at the CA certificate the emulator printed/wrote at start (relative to the repository root)",
      });
    } else {
      caCertificatePem = pem;
    }
  }
  if (issues.length > 0 || !tenantId || !primaryDomain || !credential) throw new ValidationError(issues);
  return { tenantId, primaryDomain, credential, graphBaseUrl, authorityHost, complianceBaseUrl, caCertificatePem };
}
