/**
 * Which hosts may receive the deploying app's tokens and client assertions. Only Microsoft's own cloud endpoints,
 * unless the operator opts in through the environment (M365B_ALLOW_ENDPOINTS), which a stack file — editable in a
 * pull request — cannot set: a stack pointing `endpoints.graph` at another host would otherwise harvest tokens.
 */

import type { Issue } from "../errors";

/** The environment variable that allows non-Microsoft endpoints (the emulator): comma-separated https origins. */
export const ALLOW_ENDPOINTS_ENV = "M365B_ALLOW_ENDPOINTS";

// Microsoft Graph and Entra sign-in per national cloud (https://learn.microsoft.com/graph/deployments) and the
// Security & Compliance PowerShell hosts (https://learn.microsoft.com/powershell/exchange/connect-to-scc-powershell),
// including the regional `<region>.ps.compliance.protection.outlook.com` hosts the service redirects to.
const MICROSOFT_HOSTS: readonly RegExp[] = [
  /^graph\.microsoft\.com$/,
  /^(dod-)?graph\.microsoft\.us$/,
  /^microsoftgraph\.chinacloudapi\.cn$/,
  /^login\.microsoftonline\.(com|us)$/,
  /^login\.chinacloudapi\.cn$/,
  /^([a-z0-9-]+\.)?ps\.compliance\.protection\.(outlook\.com|office365\.us|partner\.outlook\.cn)$/,
];

/** True for an https URL on one of Microsoft's cloud hosts (default port). */
export function isMicrosoftEndpoint(url: string): boolean {
  const u = new URL(url);
  return u.protocol === "https:" && u.port === "" && MICROSOFT_HOSTS.some((h) => h.test(u.hostname.toLowerCase()));
}

/** The origins the environment allows besides Microsoft's. */
export function allowedOrigins(env: NodeJS.ProcessEnv): string[] {
  return (env[ALLOW_ENDPOINTS_ENV] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => new URL(s).origin);
}

/** Whether tokens may be sent to `url`: Microsoft's cloud, or an origin listed in M365B_ALLOW_ENDPOINTS. */
export function endpointAllowed(url: string, env: NodeJS.ProcessEnv): boolean {
  return isMicrosoftEndpoint(url) || allowedOrigins(env).includes(new URL(url).origin);
}

/** The issue for a refused endpoint at `path` of `file` (what, where, and the opt-in that fixes it). */
export function refusedEndpoint(url: string, file: string, path: string): Issue {
  const origin = new URL(url).origin;
  return {
    file,
    path,
    message: `${origin} is not a Microsoft cloud endpoint`,
    fix: `tokens go only to Microsoft's cloud; to use the emulator, export ${ALLOW_ENDPOINTS_ENV}=${origin} (the environment, never a stack file, allows other hosts)`,
  };
}
