/** Where Graph is for a connection: the calls our typed client has no path for (beta) are built from it. */
import type { TenantConnection } from "./types";

/** Microsoft Graph's public-cloud root. */
export const DEFAULT_GRAPH_BASE_URL = "https://graph.microsoft.com";

/** The connection's Graph root without a trailing slash (the public cloud's for a connection that names none). */
export function graphRoot(connection: Pick<TenantConnection, "graphBaseUrl">): string {
  return (connection.graphBaseUrl ?? DEFAULT_GRAPH_BASE_URL).replace(/\/+$/, "");
}
