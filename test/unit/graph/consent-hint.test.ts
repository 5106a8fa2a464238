import { describe, expect, it } from "vitest";
import { GraphRequestError } from "../../../src/errors";
import { combineRefusals, complianceRefusal, graphRefusal, PermissionRefusals } from "../../../src/graph/consent-hint";
import { errorFromResponse } from "../../../src/graph/failure";

const denied = (code: string, message = "Insufficient privileges to complete the operation.") =>
  JSON.stringify({ error: { code, message } });

describe("permission hints on Microsoft's refusals", () => {
  it("names the read permission of the path a GET was refused on, query and host stripped", () => {
    expect(
      graphRefusal(
        "GET",
        "/groups?$filter=displayName%20in%20('x')",
        403,
        "Authorization_RequestDenied",
        "Insufficient privileges",
      )?.fix,
    ).toContain("Group.Read.All");
    expect(
      graphRefusal(
        "GET",
        "https://graph.microsoft.com/v1.0/users?$skiptoken=abc",
        403,
        "Authorization_RequestDenied",
        "x",
      )?.fix,
    ).toContain("User.Read.All");
    expect(graphRefusal("GET", "/organization/6b0c/branding", 403, "AccessDenied", "x")?.fix).toContain(
      "OrganizationalBranding.Read.All",
    );
    expect(
      graphRefusal(
        "GET",
        "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')/appRoleAssignedTo",
        403,
        "Authorization_RequestDenied",
        "x",
      )?.fix,
    ).toContain("Application.Read.All");
    expect(graphRefusal("GET", "/security/secureScores?$top=1", 403, "AccessDenied", "x")?.fix).toContain(
      "SecurityEvents.Read.All",
    );
  });

  it("names the write permission for other methods", () => {
    expect(graphRefusal("POST", "/identity/conditionalAccess/policies", 403, "AccessDenied", "x")?.fix).toContain(
      "Policy.ReadWrite.ConditionalAccess",
    );
    expect(
      graphRefusal("POST", "/servicePrincipals/abc/appRoleAssignedTo", 403, "Authorization_RequestDenied", "x")?.fix,
    ).toContain("AppRoleAssignment.ReadWrite.All");
    expect(graphRefusal("PATCH", "/policies/authorizationPolicy", 403, "AccessDenied", "x")?.fix).toContain(
      "Policy.ReadWrite.Authorization",
    );
  });

  it("leaves other refusals alone: licences, other codes, other statuses", () => {
    expect(
      graphRefusal("GET", "/security/secureScores", 403, "AccessDenied", "The tenant needs a licence for this feature"),
    ).toBeUndefined();
    expect(graphRefusal("GET", "/groups", 403, "Forbidden", "x")).toBeUndefined();
    expect(graphRefusal("GET", "/groups", 404, "Authorization_RequestDenied", "x")).toBeUndefined();
  });

  it("says a permission is missing even for a path it has no entry for", () => {
    expect(graphRefusal("GET", "/devices", 403, "Authorization_RequestDenied", "x")?.fix).toMatch(
      /lacks an application permission.*admin consent/,
    );
  });

  it("is part of the error's one-line message, after Microsoft's own words", () => {
    const error = errorFromResponse(
      "GET",
      "/identity/conditionalAccess/policies",
      403,
      new Headers({ "request-id": "r1" }),
      denied("AccessDenied", "You cannot perform the requested operation, required scopes are missing in the token."),
    );
    expect(error.status).toBe(403);
    expect(error.code).toBe("AccessDenied");
    expect(error.message).toBe(
      'GET /identity/conditionalAccess/policies failed: 403 AccessDenied: You cannot perform the requested operation, required scopes are missing in the token. (the deploying app lacks the application permission Policy.Read.All (Microsoft Graph): grant it with admin consent in this tenant (README, "Permissions the deploying app needs")), request-id r1',
    );
  });

  it("explains S&C refusals by status: 401 app role, 403 directory role", () => {
    expect(complianceRefusal(401)?.fix).toContain("Exchange.ManageAsApp");
    expect(complianceRefusal(403)?.fix).toContain("Compliance Administrator");
    expect(complianceRefusal(500)).toBeUndefined();
  });

  it("combines a tenant's refusals: each permission once, with the calls that needed it; one permission stays the error itself", () => {
    const refused = (method: string, path: string, missingPermission: string) =>
      new GraphRequestError({ status: 403, code: "AccessDenied", message: "denied", method, path, missingPermission });
    const policies = refused("GET", "/identity/conditionalAccess/policies", "Policy.Read.All");
    expect(combineRefusals([policies])).toBe(policies);
    const twice = combineRefusals([
      policies,
      refused("GET", "/identity/conditionalAccess/namedLocations", "Policy.Read.All"),
    ]);
    expect(twice.message).toContain(
      "the deploying app lacks a permission in this tenant: Policy.Read.All for GET /identity/conditionalAccess/policies, GET /identity/conditionalAccess/namedLocations. Grant it (",
    );
    const combined = combineRefusals([
      policies,
      new PermissionRefusals([
        refused("GET", "/security/secureScores?$top=1", "SecurityEvents.Read.All"),
        refused("GET", "/security/secureScoreControlProfiles", "SecurityEvents.Read.All"),
      ]),
      refused("POST", "/adminapi/beta/t/InvokeCommand", "Exchange.ManageAsApp"),
    ]);
    expect(combined).toBeInstanceOf(PermissionRefusals);
    expect(combined.message).toBe(
      'Microsoft refused 4 calls: the deploying app lacks 3 permissions in this tenant: Policy.Read.All for GET /identity/conditionalAccess/policies; SecurityEvents.Read.All for GET /security/secureScores, GET /security/secureScoreControlProfiles; Exchange.ManageAsApp for POST /adminapi/beta/t/InvokeCommand. Grant them (admin consent for application permissions, an assignment for directory roles; README, "Permissions the deploying app needs")',
    );
    expect(combined.missingPermission).toBe("Policy.Read.All, SecurityEvents.Read.All, Exchange.ManageAsApp");
  });

  it("errors built from responses carry the missing permission", () => {
    const error = errorFromResponse(
      "GET",
      "/users?$filter=x",
      403,
      new Headers(),
      denied("Authorization_RequestDenied"),
    );
    expect(error.missingPermission).toBe("User.Read.All (Microsoft Graph)");
    expect(
      errorFromResponse("GET", "/users", 404, new Headers(), denied("Request_ResourceNotFound")).missingPermission,
    ).toBeUndefined();
  });
});
