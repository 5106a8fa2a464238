/**
 * The demo tenants in `test/fixtures/tenants/`: contoso with its baseline fully applied (compliant),
 * fabrikam applied and then changed by hand (drifted), both generated from the committed stacks so
 * they cannot fall out of step (a test regenerates and compares). `npm run fixtures` rewrites them.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadTenant } from "../tenant";
import { seedFromCompiled, type DemoSeed } from "./from-desired";
import { RESOURCE_PRINCIPALS, stableId } from "./seed";

/** The date the fixtures are compiled as of (exceptions in the example stacks are valid then). */
export const FIXTURE_DATE = "2026-11-23";

/** Both demo seeds, as the JSON files hold them. */
export function demoSeeds(root: string): Record<string, DemoSeed> {
  const contoso = loadTenant(root, "contoso", FIXTURE_DATE).compiled;
  const fabrikam = loadTenant(root, "fabrikam", FIXTURE_DATE).compiled;
  const c = seedFromCompiled(contoso, root, {
    skus: ["SPE_E5"],
    users: ["bg-admin1@contoso.onmicrosoft.com", "bg-admin2@contoso.onmicrosoft.com", "alex@contoso.onmicrosoft.com"],
    // Contoso applies the whole baseline, and Microsoft scores the actions it addresses as met.
    secureScore: {
      currentScore: 61,
      maxScore: 100,
      controlScores: {
        BlockLegacyAuthentication: 8,
        MFARegistrationV2: 9,
        AdminMFAV2: 10,
        SigninRiskPolicy: 7,
        UserRiskPolicy: 7,
        IntegratedApps: 4,
      },
    },
  });
  const f = seedFromCompiled(fabrikam, root, {
    skus: ["SPB"],
    users: ["breakglass@fabrikam.onmicrosoft.com", "helpdesk@fabrikam.onmicrosoft.com"],
    groups: ["Fabrikam Emergency Access"],
    secureScore: { currentScore: 38, maxScore: 100 },
  });
  driftFabrikam(f);
  return { contoso: c, fabrikam: f };
}

/** What "someone changed it by hand" looks like: the differences the demo report must show exactly. */
function driftFabrikam(f: DemoSeed): void {
  const t = f.tenantId;
  const ca = (name: string) =>
    f.collections["conditionalAccessPolicies"]!.find((p) => String(p["displayName"]).startsWith(name))!;
  ca("CA02")["state"] = "disabled";
  // Added to the break-glass group "temporarily": now excluded from every conditional-access policy.
  f.groups
    .find((g) => g.displayName === "Break-glass accounts (m365-baseline)")!
    .members!.push("helpdesk@fabrikam.onmicrosoft.com");
  (ca("CA03")["conditions"]["users"]["excludeUsers"] as string[]).push(
    stableId(t, "user", "helpdesk@fabrikam.onmicrosoft.com"),
  );
  f.collections["conditionalAccessPolicies"] = f.collections["conditionalAccessPolicies"]!.filter(
    (p) => !String(p["displayName"]).startsWith("CA05"),
  );
  f.collections["conditionalAccessPolicies"]!.push({
    id: stableId(t, "ca", "legacy"),
    displayName: "Legacy - MFA for admins (manual)",
    state: "enabled",
    conditions: {
      users: { includeRoles: ["62e90394-69f5-4237-9190-012177145e10"] },
      applications: { includeApplications: ["All"] },
      clientAppTypes: ["all"],
    },
    grantControls: { operator: "OR", builtInControls: ["mfa"] },
  });
  f.branding["0"]!["signInPageText"] = "Welcome to Fabrikam! Call Bob for your password.";
  f.compliance.RetentionComplianceRule.find((r) => r["Name"] === "Mailboxes - keep 7 years rule")![
    "RetentionDuration"
  ] = 365;
  f.compliance.RetentionCompliancePolicy.push({
    Guid: stableId(t, "policy", "teams"),
    Name: "Teams chats - 30 days",
    Comment: "",
    Enabled: true,
    RestrictiveRetention: false,
    DistributionStatus: "Success",
    Mode: "Enforce",
    TeamsChatLocation: [{ Name: "All", DisplayName: "All", Type: "Unknown" }],
  });
  const methods = f.singletons["authenticationMethodsPolicy"]!["authenticationMethodConfigurations"] as {
    id: string;
    state: string;
  }[];
  methods.find((m) => m.id === "Sms")!.state = "enabled";
  // An old tool with tenant-wide write access that nobody owns any more.
  const appId = stableId(t, "appId", "old-tool");
  const spId = stableId(t, "servicePrincipal", "old-tool");
  f.collections["applications"]!.push({
    id: stableId(t, "application", "old-tool"),
    appId,
    displayName: "Old Backup Tool",
    signInAudience: "AzureADMyOrg",
    keyCredentials: [],
    passwordCredentials: [
      { keyId: stableId(t, "secret"), displayName: "created by vendor", endDateTime: "2028-01-01T00:00:00Z" },
    ],
    requiredResourceAccess: [],
  });
  f.collections["servicePrincipals"]!.push({
    id: spId,
    appId,
    displayName: "Old Backup Tool",
    servicePrincipalType: "Application",
    appRoles: [],
  });
  const graph = RESOURCE_PRINCIPALS[0]!;
  f.collections["appRoleAssignments"]!.push({
    id: stableId(t, "assignment", "old-tool"),
    appRoleId: graph.appRoles.find((r) => r.value === "Directory.ReadWrite.All")!.id,
    principalId: spId,
    principalType: "ServicePrincipal",
    principalDisplayName: "Old Backup Tool",
    resourceId: stableId(t, graph.appId),
    resourceDisplayName: graph.displayName,
  });
}

/** Writes the fixtures under `root/test/fixtures/tenants`. */
export function writeDemoFixtures(root: string): string[] {
  const dir = join(root, "test", "fixtures", "tenants");
  mkdirSync(dir, { recursive: true });
  return Object.entries(demoSeeds(root)).map(([name, seed]) => {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, `${JSON.stringify(seed, null, 2)}\n`);
    return file;
  });
}

if (require.main === module) {
  for (const file of writeDemoFixtures(resolve(__dirname, "..", ".."))) process.stdout.write(`wrote ${file}\n`);
}
