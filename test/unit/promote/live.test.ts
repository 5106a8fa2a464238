/**
 * The live reads of `promote` with a fake Graph client: What If's policies counted (enabled, or being promoted),
 * a 400/404 from the beta action as "What-If not available", and the sign-in logs' 403s as notes.
 */
import { describe, expect, it } from "vitest";
import { GraphRequestError } from "../../../src/errors";
import type { GraphClient } from "../../../src/graph";
import { reportOnlyImpact, whatIf } from "../../../src/promote/live";

const failure = (status: number, code: string) =>
  new GraphRequestError({ status, code, message: code, method: "POST", path: "/x" });

/** A client whose GET/POST answer from `answers` by path prefix (a GraphRequestError is thrown). */
function fake(answers: Record<string, unknown>): GraphClient & { posts: unknown[] } {
  const posts: unknown[] = [];
  const answer = (path: string) => {
    const key = Object.keys(answers).find((k) => path.includes(k));
    const value = key === undefined ? undefined : answers[key];
    if (value instanceof GraphRequestError) throw value;
    return value;
  };
  return {
    posts,
    tenantId: "t",
    get: async (path: string) => answer(path),
    tryGet: async (path: string) => answer(path),
    list: async (path: string) => answer(path),
    post: async (path: string, body: unknown) => (posts.push({ path, body }), answer(path)),
  } as unknown as GraphClient & { posts: unknown[] };
}

describe("whatIf", () => {
  it("counts applying policies that are enabled or being promoted, not other report-only ones", async () => {
    const graph = fake({
      "/users/bg%40c.com": { id: "u1" },
      "/evaluate": {
        value: [
          { displayName: "CA01", state: "enabled", policyApplies: false },
          { displayName: "CA02", state: "enabledForReportingButNotEnforced", policyApplies: true },
          { displayName: "CA05", state: "enabledForReportingButNotEnforced", policyApplies: true },
          { displayName: "CA09", state: "enabled", policyApplies: true },
        ],
      },
    });
    const out = await whatIf(graph, "https://graph.example", ["bg@c.com", "gone@c.com"], ["CA02"]);
    expect(out).toEqual({
      available: true,
      users: ["bg@c.com"],
      hits: [
        { user: "bg@c.com", policy: "CA02", state: "enabledForReportingButNotEnforced" },
        { user: "bg@c.com", policy: "CA09", state: "enabled" },
      ],
    });
    expect(graph.posts).toEqual([
      {
        path: "https://graph.example/beta/identity/conditionalAccess/evaluate",
        body: expect.objectContaining({
          conditionalAccessWhatIfSubject: { "@odata.type": "#microsoft.graph.userSubject", userId: "u1" },
        }),
      },
    ]);
  });

  it("a 404 or 400 from the action is a note; a 403 is an error", async () => {
    for (const status of [400, 404]) {
      const graph = fake({ "/users/": { id: "u1" }, "/evaluate": failure(status, "BadRequest") });
      expect(await whatIf(graph, "https://g", ["bg@c.com"], [])).toEqual({
        available: false,
        note: `What-If not available (${status} BadRequest)`,
      });
    }
    const denied = fake({ "/users/": { id: "u1" }, "/evaluate": failure(403, "AccessDenied") });
    await expect(whatIf(denied, "https://g", ["bg@c.com"], [])).rejects.toThrow("AccessDenied");
  });
});

describe("reportOnlyImpact", () => {
  it("counts failed and interrupted sign-ins and distinct users per policy", async () => {
    const s = (userId: string, result: string) => ({
      userId,
      appliedConditionalAccessPolicies: [{ displayName: "P", result }],
    });
    const graph = fake({
      "/auditLogs/signIns": [
        s("a", "reportOnlyFailure"),
        s("a", "reportOnlyFailure"),
        s("b", "reportOnlyInterrupted"),
        s("c", "reportOnlySuccess"),
        s("c", "success"),
      ],
    });
    const out = await reportOnlyImpact(graph, ["P", "Q"], new Date("2026-11-20T00:00:00Z"));
    expect(out).toEqual({
      available: true,
      since: "2026-11-20T00:00:00.000Z",
      signIns: 5,
      policies: [
        { policy: "P", evaluated: 4, failedSignIns: 2, failedUsers: 1, interruptedSignIns: 1, interruptedUsers: 1 },
        { policy: "Q", evaluated: 0, failedSignIns: 0, failedUsers: 0, interruptedSignIns: 0, interruptedUsers: 0 },
      ],
    });
  });

  it("without P1 or without AuditLog.Read.All: a note that says which", async () => {
    const noP1 = fake({ "/auditLogs/": failure(403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant") });
    expect(await reportOnlyImpact(noP1, ["P"], new Date())).toEqual({
      available: false,
      note: "sign-in logs not available: the tenant has no Entra ID P1",
    });
    const noGrant = fake({ "/auditLogs/": failure(403, "AccessDenied") });
    expect(await reportOnlyImpact(noGrant, ["P"], new Date())).toMatchObject({
      note: "sign-in logs not readable (AccessDenied): grant the deploying app AuditLog.Read.All",
    });
  });
});
