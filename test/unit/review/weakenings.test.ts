import { describe, expect, it } from "vitest";
import type { CompiledTenant, DesiredResource, ResourceType } from "../../../src/core/desired";
import { classifyTenant, type ReviewSide } from "../../../src/review/classify";

const resource = (
  type: ResourceType,
  name: string,
  controlId: string,
  properties: Record<string, unknown>,
): DesiredResource => ({ name, controlId, type, naturalKey: name, stage: "enforce", properties, dependsOn: [] });
const side = (resources: DesiredResource[], files?: Record<string, string>): ReviewSide => {
  const compiled: CompiledTenant = {
    stack: "contoso",
    tenantId: "t",
    primaryDomain: "contoso.onmicrosoft.com",
    displayName: "Contoso",
    baseline: "msp-standard",
    resources,
    outcomes: [],
  };
  return { compiled, exceptions: [], files };
};
const kinds = (before: DesiredResource[], after: DesiredResource[]) =>
  classifyTenant(side(before), side(after)).map((c) => `${c.kind} ${c.path}`);
const hq = (ranges: string[], isTrusted = true) =>
  resource("namedLocation", "named-location-hq", "CA00", {
    displayName: "HQ",
    isTrusted,
    ipRanges: ranges.map((cidrAddress) => ({ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress })),
  });

describe("weakenings the PR gate must not class as neutral or strengthening", () => {
  it("a trusted named location widened to 0.0.0.0/0, or added, or made trusted", () => {
    expect(kinds([hq(["203.0.113.0/24"])], [hq(["0.0.0.0/0"])])).toEqual(["weakening ipRanges"]);
    expect(kinds([hq(["203.0.113.0/24"])], [hq(["203.0.113.0/24", "198.51.100.0/24"])])).toEqual([
      "weakening ipRanges",
    ]);
    expect(kinds([hq(["203.0.113.0/24", "198.51.100.0/24"])], [hq(["203.0.113.0/24"])])).toEqual([
      "strengthening ipRanges",
    ]);
    expect(kinds([], [hq(["203.0.113.0/24"])])).toEqual(["weakening "]);
    expect(kinds([hq(["203.0.113.0/24"], false)], [hq(["203.0.113.0/24"], true)])).toEqual(["weakening isTrusted"]);
    // An untrusted location (say, countries to block) added is not a way around a policy.
    expect(kinds([], [hq(["203.0.113.0/24"], false)])).toEqual(["strengthening "]);
  });
  it("retention Keep → Delete and a label retain → doNotRetain + delete", () => {
    const rule = (action: string) =>
      resource("retentionComplianceRule", "ret02-rule", "RET02", {
        Name: "r",
        RetentionComplianceAction: action,
        RetentionDuration: 2555,
      });
    expect(kinds([rule("Keep")], [rule("Delete")])).toEqual(["weakening RetentionComplianceAction"]);
    expect(kinds([rule("Delete")], [rule("KeepAndDelete")])).toEqual(["strengthening RetentionComplianceAction"]);
    const label = (behavior: string, after: string) =>
      resource("retentionLabel", "ret01-label", "RET01", {
        displayName: "Keep 7 years",
        behaviorDuringRetentionPeriod: behavior,
        actionAfterRetentionPeriod: after,
        retentionDurationDays: 2555,
      });
    expect(kinds([label("retain", "none")], [label("doNotRetain", "delete")]).sort()).toEqual([
      "weakening actionAfterRetentionPeriod",
      "weakening behaviorDuringRetentionPeriod",
    ]);
  });
  it("removing every retention policy (retention.policies: []) weakens", () => {
    const policy = resource("retentionCompliancePolicy", "ret02-mailboxes", "RET02", {
      Name: "Mailboxes",
      Enabled: true,
      ExchangeLocation: ["All"],
    });
    expect(kinds([policy], [])).toEqual(["weakening "]);
  });
  it("a broader break-glass group (a member added) weakens every policy that excludes it", () => {
    const group = (members: string[]) =>
      resource("group", "break-glass-group", "CA00", { displayName: "Break-glass", members });
    expect(
      kinds(
        [group(["ref:user/bg1@contoso.onmicrosoft.com"])],
        [group(["ref:user/bg1@contoso.onmicrosoft.com", "ref:user/helpdesk@contoso.onmicrosoft.com"])],
      ),
    ).toEqual(["weakening members"]);
  });
  it("the backup app's certificate replaced behind the same path is a weakening; a new logo is shown as neutral", () => {
    const app = resource("application", "app01-backup", "APP01", {
      displayName: "Veeam",
      certificateFile: "baselines/certs/veeam-backup.pem",
    });
    const brand = resource("organizationalBranding", "brand01-default", "BRAND01", {
      assets: { bannerLogo: "baselines/assets/banner-logo.png" },
    });
    const before = side([app, brand], {
      "app01-backup:certificateFile": "thumbprint:AAAA",
      "brand01-default:assets.bannerLogo": "sha256:1111",
    });
    const after = side([app, brand], {
      "app01-backup:certificateFile": "thumbprint:BBBB",
      "brand01-default:assets.bannerLogo": "sha256:2222",
    });
    const changes = classifyTenant(before, after);
    expect(changes.map((c) => [c.kind, c.controlId, c.path])).toEqual([
      ["weakening", "APP01", "certificateFile (content)"],
      ["neutral", "BRAND01", "assets.bannerLogo (content)"],
    ]);
    expect(changes[0]!.summary).toBe(
      "certificateFile: certificate replaced (a new credential for the app): thumbprint:AAAA → thumbprint:BBBB",
    );
  });
});
