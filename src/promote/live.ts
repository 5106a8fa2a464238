/**
 * The live half of `promote`, read through the one Graph client: Conditional Access What If for each break-glass
 * user (beta), and the report-only results the sign-in logs recorded for each promoted policy.
 */
import { GraphRequestError } from "../errors";
import type { GraphClient } from "../graph";

/**
 * The application the What If subject signs in to: Windows Azure Service Management API, the example of
 * https://learn.microsoft.com/graph/api/conditionalaccessroot-evaluate?view=graph-rest-beta and the portals a
 * break-glass account exists to reach; policies for All resources include it.
 */
export const WHAT_IF_APPLICATION = "797f4846-ba00-4fd7-ba43-dac1f8f63013";

/** A policy What If says applies to a break-glass user. */
export interface WhatIfHit {
  readonly user: string;
  readonly policy: string;
  readonly state: string;
}

/** What If's verdict for the break-glass users, or why it could not be asked. */
export type WhatIfOutcome =
  | { readonly available: true; readonly users: readonly string[]; readonly hits: readonly WhatIfHit[] }
  | { readonly available: false; readonly note: string };

interface WhatIfResult {
  readonly displayName?: string;
  readonly state?: string;
  readonly policyApplies?: boolean;
}

/**
 * Asks What If, per break-glass user found in the tenant, which stored policies apply; a policy counts when it is
 * enabled, or when it is one being promoted (Graph evaluates the stored report-only state, which promotion turns to
 * enabled). A 400 or 404 from the beta action means the tenant or cloud does not offer it: a note, not an error.
 */
export async function whatIf(
  graph: GraphClient,
  graphBaseUrl: string,
  users: readonly string[],
  promoted: readonly string[],
): Promise<WhatIfOutcome> {
  const hits: WhatIfHit[] = [];
  const asked: string[] = [];
  for (const upn of users) {
    const user = await graph.tryGet<{ id: string }>(`/users/${encodeURIComponent(upn)}?$select=id,userPrincipalName`);
    if (!user) continue;
    asked.push(upn);
    let results: WhatIfResult[];
    try {
      const reply = await graph.post<{ value?: WhatIfResult[] }>(
        `${graphBaseUrl}/beta/identity/conditionalAccess/evaluate`,
        {
          conditionalAccessWhatIfSubject: { "@odata.type": "#microsoft.graph.userSubject", userId: user.id },
          conditionalAccessContext: {
            "@odata.type": "#microsoft.graph.applicationContext",
            includeApplications: [WHAT_IF_APPLICATION],
          },
          conditionalAccessWhatIfConditions: {},
          appliedPoliciesOnly: false,
        },
      );
      results = reply.value ?? [];
    } catch (error) {
      if (error instanceof GraphRequestError && (error.status === 400 || error.status === 404))
        return { available: false, note: `What-If not available (${error.status} ${error.code})` };
      throw error;
    }
    for (const r of results) {
      const name = r.displayName ?? "";
      if (r.policyApplies === true && (r.state === "enabled" || promoted.includes(name)))
        hits.push({ user: upn, policy: name, state: r.state ?? "" });
    }
  }
  if (asked.length === 0)
    return { available: false, note: "What-If not asked: no break-glass user exists in the tenant" };
  return { available: true, users: asked, hits };
}

/** Report-only results of one policy in the sign-in logs of the window. */
export interface Impact {
  readonly policy: string;
  /** Sign-ins in the window that evaluated the policy in report-only mode (any reportOnly* result). */
  readonly evaluated: number;
  readonly failedSignIns: number;
  readonly failedUsers: number;
  readonly interruptedSignIns: number;
  readonly interruptedUsers: number;
}

/** The sign-in log's verdict per promoted policy, or why it could not be read. */
export type ImpactOutcome =
  | { readonly available: true; readonly since: string; readonly signIns: number; readonly policies: readonly Impact[] }
  | { readonly available: false; readonly note: string };

interface SignIn {
  readonly userId?: string;
  readonly userPrincipalName?: string;
  readonly appliedConditionalAccessPolicies?: readonly { displayName?: string; result?: string }[];
}

/**
 * Counts, per policy display name, the sign-ins since `since` (and their distinct users) whose report-only result
 * was reportOnlyFailure or reportOnlyInterrupted
 * (https://learn.microsoft.com/graph/api/resources/appliedconditionalaccesspolicy).
 * The sign-in logs need Entra ID P1 and AuditLog.Read.All (https://learn.microsoft.com/graph/api/signin-list): a 403
 * says which is missing, as a note.
 */
export async function reportOnlyImpact(
  graph: GraphClient,
  policies: readonly string[],
  since: Date,
): Promise<ImpactOutcome> {
  const iso = since.toISOString();
  let signIns: SignIn[];
  try {
    signIns = await graph.list<SignIn>(
      `/auditLogs/signIns?$filter=${encodeURIComponent(`createdDateTime ge ${iso}`)}` +
        "&$select=id,createdDateTime,userId,userPrincipalName,appliedConditionalAccessPolicies",
    );
  } catch (error) {
    if (error instanceof GraphRequestError && error.status === 403)
      return {
        available: false,
        note:
          error.code === "Authentication_RequestFromNonPremiumTenantOrB2CTenant"
            ? "sign-in logs not available: the tenant has no Entra ID P1"
            : `sign-in logs not readable (${error.code}): grant the deploying app AuditLog.Read.All`,
      };
    throw error;
  }
  const impact = policies.map((policy): Impact => {
    const results = signIns.map((s) => ({
      user: s.userId ?? s.userPrincipalName ?? "",
      result: (s.appliedConditionalAccessPolicies ?? []).find((p) => p.displayName === policy)?.result ?? "",
    }));
    const only = (r: string) => results.filter((x) => x.result === r);
    const failed = only("reportOnlyFailure");
    const interrupted = only("reportOnlyInterrupted");
    return {
      policy,
      evaluated: results.filter((x) => x.result.startsWith("reportOnly")).length,
      failedSignIns: failed.length,
      failedUsers: new Set(failed.map((x) => x.user)).size,
      interruptedSignIns: interrupted.length,
      interruptedUsers: new Set(interrupted.map((x) => x.user)).size,
    };
  });
  return { available: true, since: iso, signIns: signIns.length, policies: impact };
}
