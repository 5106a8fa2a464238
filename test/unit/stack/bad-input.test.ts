import { afterAll, describe, expect, it } from "vitest";
import { loadTenant } from "../../../src/tenant";
import { ValidationError, formatIssue } from "../../../src/errors";
import { exampleConfig, tempRepo } from "../../support/repo";
import { fakeKeyAndCertificate, fakePemBlock, PRIVATE_KEY_LABEL } from "../../fixtures/test-only-pem";

const TODAY = "2026-11-23";
const K = (key: string) => `m365-baseline:${key}`;
type Mutate = (c: Record<string, unknown>) => void;
const set =
  (key: string, value: unknown): Mutate =>
  (c) => {
    c[K(key)] = value;
  };
const del =
  (key: string): Mutate =>
  (c) => {
    delete c[K(key)];
  };
const obj = (c: Record<string, unknown>, key: string) => c[K(key)] as Record<string, unknown>;

// [case, mutation, expected file, expected key path, words the message must contain]
const cases: [string, Mutate, string, string, RegExp][] = [
  ["tenant id not a GUID", set("tenantId", "contoso"), "stacks/Pulumi.t.yaml", K("tenantId"), /GUID/],
  ["tenant id missing", del("tenantId"), "stacks/Pulumi.t.yaml", K("tenantId"), /expected string/],
  [
    "primary domain not onmicrosoft",
    set("primaryDomain", "contoso.com"),
    "stacks/Pulumi.t.yaml",
    K("primaryDomain"),
    /initial domain/,
  ],
  ["display name empty", set("displayName", ""), "stacks/Pulumi.t.yaml", K("displayName"), /at least 1|>=1/],
  ["baseline name with .ts", set("baseline", "msp-standard.ts"), "stacks/Pulumi.t.yaml", K("baseline"), /without \.ts/],
  ["baseline that does not exist", set("baseline", "msp-gold"), "stacks/Pulumi.t.yaml", K("baseline"), /not found/],
  [
    "licences missing P2 flag",
    set("licences", { entraIdP1: true }),
    "stacks/Pulumi.t.yaml",
    K("licences.entraIdP2"),
    /expected boolean/,
  ],
  [
    "licence flag as string",
    set("licences", { entraIdP1: "yes", entraIdP2: true }),
    "stacks/Pulumi.t.yaml",
    K("licences.entraIdP1"),
    /expected boolean/,
  ],
  [
    "licences as another word than auto",
    set("licences", "Auto"),
    "stacks/Pulumi.t.yaml",
    K("licences"),
    /must be auto, or \{ entraIdP1/,
  ],
  ["licences missing", del("licences"), "stacks/Pulumi.t.yaml", K("licences"), /is missing: set auto, or/],
  ["break-glass missing", del("breakGlass"), "stacks/Pulumi.t.yaml", K("breakGlass"), /expected object/],
  [
    "break-glass with no users",
    set("breakGlass", { users: [] }),
    "stacks/Pulumi.t.yaml",
    K("breakGlass.users"),
    /at least one break-glass/,
  ],
  [
    "break-glass user not a UPN",
    set("breakGlass", { users: ["admin"] }),
    "stacks/Pulumi.t.yaml",
    K("breakGlass.users[0]"),
    /email/i,
  ],
  [
    "break-glass user twice",
    set("breakGlass", { users: ["a@contoso.onmicrosoft.com", "A@contoso.onmicrosoft.com"] }),
    "stacks/Pulumi.t.yaml",
    K("breakGlass.users[1]"),
    /listed twice/,
  ],
  [
    "unknown break-glass key",
    set("breakGlass", { users: ["a@contoso.onmicrosoft.com"], user: "x" }),
    "stacks/Pulumi.t.yaml",
    K("breakGlass.user"),
    /unknown key 'user'/,
  ],
  [
    "stage value misspelt",
    set("stages", { CA01: "enforced" }),
    "stacks/Pulumi.t.yaml",
    K("stages.CA01"),
    /Invalid input/i,
  ],
  [
    "stage off without reason",
    set("stages", { CA02: { off: "no" } }),
    "stacks/Pulumi.t.yaml",
    K("stages.CA02.off"),
    /reason of at least 10/,
  ],
  [
    "stage for a control not in the baseline",
    set("stages", { CA11: "enforce" }),
    "stacks/Pulumi.t.yaml",
    K("stages.CA11"),
    /not in baseline/,
  ],
  [
    "stage for a malformed control id",
    set("stages", { ca01: "enforce" }),
    "stacks/Pulumi.t.yaml",
    K("stages.ca01"),
    /control id/,
  ],
  [
    "turning CA02 off without exception",
    set("stages", { CA02: { off: "pilot users complain about prompts" } }),
    "stacks/Pulumi.t.yaml",
    K("stages.CA02"),
    /weakening/,
  ],
  [
    "enforced back to report-only without exception (strict)",
    (c) => {
      c[K("baseline")] = "msp-strict";
      c[K("stages")] = { CA01: "reportOnly" };
      delete c[K("branding")];
    },
    "stacks/Pulumi.t.yaml",
    K("stages.CA01"),
    /enforce back to report-only/,
  ],
  [
    "exception expired",
    set("exceptions", [{ control: "CA01", reason: "scanner still uses SMTP basic auth", expires: "2026-01-31" }]),
    "stacks/Pulumi.t.yaml",
    K("exceptions[0].expires"),
    /expired on 2026-01-31/,
  ],
  [
    "exception reason too short",
    set("exceptions", [{ control: "CA01", reason: "legacy", expires: "2027-01-31" }]),
    "stacks/Pulumi.t.yaml",
    K("exceptions[0].reason"),
    /at least 10/,
  ],
  [
    "exception date malformed",
    set("exceptions", [{ control: "CA01", reason: "scanner still uses SMTP basic auth", expires: "31/01/2027" }]),
    "stacks/Pulumi.t.yaml",
    K("exceptions[0].expires"),
    /date like/,
  ],
  [
    "exception for a control not in the baseline",
    set("exceptions", [{ control: "CA10", reason: "guests are partners on our own MFA", expires: "2027-01-31" }]),
    "stacks/Pulumi.t.yaml",
    K("exceptions[0].control"),
    /not in baseline/,
  ],
  [
    "override with an unknown parameter",
    set("overrides", { CA02: { methd: "mfa" } }),
    "stacks/Pulumi.t.yaml",
    K("overrides.CA02.methd"),
    /unknown key 'methd'/,
  ],
  [
    "override with a bad enum",
    set("overrides", { CA02: { method: "sms" } }),
    "stacks/Pulumi.t.yaml",
    K("overrides.CA02.method"),
    /Invalid option|expected one of/i,
  ],
  [
    "override adding an exclusion without exception",
    set("overrides", { CA02: { excludeUsers: ["ceo@contoso.onmicrosoft.com"] } }),
    "stacks/Pulumi.t.yaml",
    K("overrides.CA02"),
    /weakening/,
  ],
  [
    "named location with both ranges and countries",
    set("namedLocations", [{ name: "HQ", ipRanges: ["203.0.113.0/24"], countries: ["NL"] }]),
    "stacks/Pulumi.t.yaml",
    K("namedLocations[0]"),
    /exactly one/,
  ],
  [
    "named location CIDR malformed",
    set("namedLocations", [{ name: "HQ", ipRanges: ["203.0.113.0"] }]),
    "stacks/Pulumi.t.yaml",
    K("namedLocations[0].ipRanges[0]"),
    /CIDR/,
  ],
  [
    "named location listed twice",
    set("namedLocations", [
      { name: "HQ", countries: ["NL"] },
      { name: "hq", countries: ["BE"] },
    ]),
    "stacks/Pulumi.t.yaml",
    K("namedLocations[1].name"),
    /listed twice/,
  ],
  [
    "branding colour malformed",
    set("branding", { backgroundColor: "blue" }),
    "stacks/Pulumi.t.yaml",
    K("branding.backgroundColor"),
    /colour like/,
  ],
  [
    "branding logo file missing",
    set("branding", { assets: { bannerLogo: "baselines/assets/missing.png" } }),
    "stacks/Pulumi.t.yaml",
    K("branding.assets.bannerLogo"),
    /file not found/,
  ],
  [
    "branding logo outside the repository",
    set("branding", { assets: { bannerLogo: "../etc/passwd" } }),
    "stacks/Pulumi.t.yaml",
    K("branding.assets.bannerLogo"),
    /outside the repository/,
  ],
  [
    "branding logo too large in pixels",
    set("branding", { assets: { bannerLogo: "baselines/assets/square-logo.png" } }),
    "stacks/Pulumi.t.yaml",
    K("branding.assets.bannerLogo"),
    /240×240 px; bannerLogo allows at most 245×36/,
  ],
  [
    "branding logo not an image",
    set("branding", { assets: { squareLogo: "baselines/certs/veeam-backup.pem" } }),
    "stacks/Pulumi.t.yaml",
    K("branding.assets.squareLogo"),
    /not a PNG or JPEG/,
  ],
  [
    "branding locale malformed",
    set("branding", { localizations: [{ locale: "french" }] }),
    "stacks/Pulumi.t.yaml",
    K("branding.localizations[0].locale"),
    /locale like/,
  ],
  [
    "backup app certificate missing",
    set("backupApp", { certificateFile: "certs/none.pem" }),
    "stacks/Pulumi.t.yaml",
    K("backupApp.certificateFile"),
    /file not found/,
  ],
  [
    "backup app certificate with a private key",
    set("backupApp", { certificateFile: "certs/with-key.pem" }),
    "stacks/Pulumi.t.yaml",
    K("backupApp.certificateFile"),
    /contains a private key/,
  ],
  [
    "backup app client secret",
    set("backupApp", { clientSecret: "abc" }),
    "stacks/Pulumi.t.yaml",
    K("backupApp.clientSecret"),
    /unknown key/,
  ],
  [
    "retention label duration negative",
    set("retention", { labels: [{ displayName: "X", retentionDurationDays: -1 }] }),
    "stacks/Pulumi.t.yaml",
    K("retention.labels[0].retentionDurationDays"),
    /Invalid input|too small|>=1/i,
  ],
  [
    "preservation lock not acknowledged",
    set("retention", {
      policies: [{ name: "Lock", workloads: ["exchange"], retentionDays: 365, preservationLock: true }],
    }),
    "stacks/Pulumi.t.yaml",
    K("retention.policies[0].preservationLockAcknowledged"),
    /irreversible/,
  ],
  [
    "deployment client id not a GUID",
    set("deployment", { clientId: "app" }),
    "stacks/Pulumi.t.yaml",
    K("deployment.clientId"),
    /client id/,
  ],
  [
    "secret in plain text",
    set("certificatePem", fakePemBlock(PRIVATE_KEY_LABEL, "MIIB")),
    "stacks/Pulumi.t.yaml",
    K("certificatePem"),
    /secret in plain text/,
  ],
  [
    "unknown key",
    set("tenantID", "6b0c3a52-7a3e-4d0b-9f0e-1c2d3e4f5a61"),
    "stacks/Pulumi.t.yaml",
    K("tenantID"),
    /unknown key 'tenantID'/,
  ],
  [
    "unknown namespace",
    (c) => {
      c["aws:region"] = "eu-west-1";
    },
    "stacks/Pulumi.t.yaml",
    "aws:region",
    /unknown configuration namespace 'aws'/,
  ],
];

const { root, cleanup } = tempRepo(
  {},
  {
    "certs/with-key.pem": fakeKeyAndCertificate("MIIB"),
  },
);
afterAll(cleanup);

function issuesFor(mutate: Mutate): { file: string; path: string; message: string; fix: string }[] {
  const config = exampleConfig("contoso");
  mutate(config);
  const { writeFileSync } = require("node:fs") as typeof import("node:fs");
  const { stringify } = require("yaml") as typeof import("yaml");
  writeFileSync(`${root}/stacks/Pulumi.t.yaml`, stringify({ config }));
  try {
    loadTenant(root, "t", TODAY);
  } catch (error) {
    if (error instanceof ValidationError) return [...error.issues];
    throw error;
  }
  return [];
}

describe("bad stack input is refused offline with file, key path and fix", () => {
  it("has at least 30 distinct cases", () => expect(cases.length).toBeGreaterThanOrEqual(30));
  it.each(cases)("%s", (_name, mutate, file, path, message) => {
    const issues = issuesFor(mutate);
    const hit = issues.find((i) => i.file === file && i.path === path);
    expect(hit, issues.map(formatIssue).join("\n") || "(no issue)").toBeDefined();
    expect(hit!.message).toMatch(message);
    expect(hit!.fix.length).toBeGreaterThan(5);
  });
  it("reports every problem of a file at once", () => {
    const issues = issuesFor((c) => {
      c[K("tenantId")] = "x";
      c[K("primaryDomain")] = "y";
      obj(c, "licences")["entraIdP1"] = "no";
    });
    expect(issues.map((i) => i.path).sort()).toEqual([K("licences.entraIdP1"), K("primaryDomain"), K("tenantId")]);
  });
  it("accepts the unchanged example stack", () => expect(issuesFor(() => undefined)).toEqual([]));
});
