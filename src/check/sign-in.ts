/**
 * The managed applications' last sign-in, from Graph's beta report `GET /beta/reports/servicePrincipalSignInActivities`
 * (https://learn.microsoft.com/graph/api/reportroot-list-serviceprincipalsigninactivities?view=graph-rest-beta):
 * one request per app, filtered on its appId. The read is optional: it needs AuditLog.Read.All and Entra ID P1 or P2,
 * and beta may be missing in a cloud, so a refusal or 400/404 is recorded as why it was not read, never a tenant error.
 */
import type { CompiledTenant } from "../core/desired";
import { GraphRequestError } from "../errors";
import { graphRoot } from "../graph/roots";
import type { TenantConnection } from "../graph/types";
import type { BackupSignIn } from "../report/types";

/** The backup app's control (src/controls/app01-backup-app): its sign-in goes into the report. */
export const BACKUP_CONTROL_ID = "APP01";

/** One application's sign-in activity, or why it was not read. */
export type SignInActivityRead =
  | { readonly read: true; readonly lastSignInDateTime?: string | undefined }
  | { readonly read: false; readonly notRead: string };

/** servicePrincipalSignInActivity, as far as it is used (…/resources/serviceprincipalsigninactivity?view=…beta). */
interface ServicePrincipalSignInActivity {
  readonly appId?: string;
  readonly lastSignInActivity?: { readonly lastSignInDateTime?: string | null } | null;
}

/** Reads each app's activity (in parallel); a GraphRequestError becomes the reason it was not read. */
export async function readSignInActivities(
  connection: TenantConnection,
  appIds: readonly string[],
): Promise<ReadonlyMap<string, SignInActivityRead>> {
  const base = graphRoot(connection);
  const entries = await Promise.all(
    appIds.map(async (appId): Promise<readonly [string, SignInActivityRead]> => {
      const filter = encodeURIComponent(`appId eq '${appId.replace(/'/g, "''")}'`);
      try {
        const found = await connection.graph.list<ServicePrincipalSignInActivity>(
          `${base}/beta/reports/servicePrincipalSignInActivities?$filter=${filter}`,
        );
        const own = found.find((a) => String(a.appId).toLowerCase() === appId.toLowerCase());
        const last = own?.lastSignInActivity?.lastSignInDateTime ?? undefined;
        return [appId, { read: true, ...(last ? { lastSignInDateTime: last } : {}) }];
      } catch (error) {
        if (error instanceof GraphRequestError) return [appId, { read: false, notRead: notReadReason(error) }];
        throw error;
      }
    }),
  );
  return new Map(entries);
}

/** Why the report could not be read, with what would fix it. */
export function notReadReason(error: GraphRequestError): string {
  if (error.status === 403 && (/nonpremium/i.test(error.code) || /premium|licen[cs]e/i.test(error.message)))
    return "needs Entra ID P1 or P2 (the tenant has neither)";
  if (error.status === 403) return `needs AuditLog.Read.All: grant it to the deploying app (403 ${error.code})`;
  if (error.status === 400 || error.status === 404)
    return `the beta sign-in activity report is not available here (${error.status} ${error.code})`;
  return `the sign-in activity report failed (${error.status} ${error.code})`;
}

/** The backup app's entry for the report: its appId found by display name, and what the read returned. */
export function backupSignIn(
  compiled: CompiledTenant,
  applications: readonly { readonly appId?: string | null; readonly displayName?: string | null }[],
  reads: ReadonlyMap<string, SignInActivityRead>,
): BackupSignIn | undefined {
  const desired = compiled.resources.find((r) => r.type === "application" && r.controlId === BACKUP_CONTROL_ID);
  if (!desired) return undefined;
  const name = String(desired.properties["displayName"]).toLowerCase();
  const appId = applications.find((a) => String(a.displayName).toLowerCase() === name)?.appId;
  const read = appId ? reads.get(appId) : undefined;
  if (!appId || !read) return undefined;
  return read.read
    ? { appId, ...(read.lastSignInDateTime ? { lastSignInDateTime: read.lastSignInDateTime } : {}) }
    : { appId, notRead: read.notRead };
}
