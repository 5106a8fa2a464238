import { describe, expect, it } from "vitest";
import { compliancePermissionHint, graphPermissionHint } from "../../../src/graph/consent-hint";
import { errorFromResponse } from "../../../src/graph/failure";

const denied = (code: string, message = "Insufficient privileges to complete the operation.") => JSON.stringify({ error: { code, message } });

describe("permission hints on Microsoft's refusals", () => {
  it("names the read permission of the path a GET was refused on, query and host stripped", () => {
    expect(graphPermissionHint("GET", "/groups?$filter=displayName%20in%20('x')", 403, "Authorization_RequestDenied", "Insufficient privileges")).toContain("Group.Read.All");
    expect(graphPermissionHint("GET", "https://graph.microsoft.com/v1.0/users?$skiptoken=abc", 403, "Authorization_RequestDenied", "x")).toContain("User.Read.All");
    expect(graphPermissionHint("GET", "/organization/6b0c/branding", 403, "AccessDenied", "x")).toContain("OrganizationalBranding.Read.All");
    expect(graphPermissionHint("GET", "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')/appRoleAssignedTo", 403, "Authorization_RequestDenied", "x")).toContain("Application.Read.All");
    expect(graphPermissionHint("GET", "/security/secureScores?$top=1", 403, "AccessDenied", "x")).toContain("SecurityEvents.Read.All");
  });

  it("names the write permission for other methods", () => {
    expect(graphPermissionHint("POST", "/identity/conditionalAccess/policies", 403, "AccessDenied", "x")).toContain("Policy.ReadWrite.ConditionalAccess");
    expect(graphPermissionHint("POST", "/servicePrincipals/abc/appRoleAssignedTo", 403, "Authorization_RequestDenied", "x")).toContain("AppRoleAssignment.ReadWrite.All");
    expect(graphPermissionHint("PATCH", "/policies/authorizationPolicy", 403, "AccessDenied", "x")).toContain("Policy.ReadWrite.Authorization");
  });

  it("leaves other refusals alone: licences, other codes, other statuses", () => {
    expect(graphPermissionHint("GET", "/security/secureScores", 403, "AccessDenied", "The tenant needs a licence for this feature")).toBeUndefined();
    expect(graphPermissionHint("GET", "/groups", 403, "Forbidden", "x")).toBeUndefined();
    expect(graphPermissionHint("GET", "/groups", 404, "Authorization_RequestDenied", "x")).toBeUndefined();
  });

  it("says a permission is missing even for a path it has no entry for", () => {
    expect(graphPermissionHint("GET", "/devices", 403, "Authorization_RequestDenied", "x")).toMatch(/lacks an application permission.*admin consent/);
  });

  it("is part of the error's one-line message, after Microsoft's own words", () => {
    const error = errorFromResponse("GET", "/identity/conditionalAccess/policies", 403, new Headers({ "request-id": "r1" }), denied("AccessDenied", "You cannot perform the requested operation, required scopes are missing in the token."));
    expect(error.status).toBe(403);
    expect(error.code).toBe("AccessDenied");
    expect(error.message).toBe(
      'GET /identity/conditionalAccess/policies failed: 403 AccessDenied: You cannot perform the requested operation, required scopes are missing in the token. (the deploying app lacks the application permission Policy.Read.All (Microsoft Graph): grant it with admin consent in this tenant (README, "Permissions the deploying app needs")), request-id r1',
    );
  });

  it("explains S&C refusals by status: 401 app role, 403 directory role", () => {
    expect(compliancePermissionHint(401)).toContain("Exchange.ManageAsApp");
    expect(compliancePermissionHint(403)).toContain("Compliance Administrator");
    expect(compliancePermissionHint(500)).toBeUndefined();
  });
});
