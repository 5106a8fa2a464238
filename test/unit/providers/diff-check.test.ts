import { describe, expect, it } from "vitest";
import { canonical, changedKeys, project } from "../../../src/providers/canonical";
import { dynamicCalls } from "../../../src/providers/engine";
import { LOGIC } from "../../../src/providers/logic";
import { UNKNOWN, type LogicContext } from "../../../src/providers/types";
import { REPO } from "../../support/repo";

const noContext = (): LogicContext => {
  throw new Error("no call expected");
};
const calls = (type: string) => dynamicCalls(LOGIC[type]!, noContext, REPO);

describe("canonicalization", () => {
  it("sorts sets, drops empties and nulls, keeps numbers", () => {
    expect(canonical({ b: ["y", "x"], a: [], c: null, d: "", e: 0, f: { g: undefined } })).toEqual({
      b: ["x", "y"],
      e: 0,
    });
  });
  it("orders id-keyed object lists by id", () =>
    expect(canonical([{ id: "Sms" }, { id: "Email" }])).toEqual([{ id: "Email" }, { id: "Sms" }]));
  it("projects live objects onto the managed shape, ignoring unmanaged settings and unmanaged list items", () => {
    const live = {
      id: "authorizationPolicy",
      allowInvitesFrom: "everyone",
      defaultUserRolePermissions: { allowedToCreateApps: true, allowedToReadOtherUsers: true },
    };
    expect(project(live, { defaultUserRolePermissions: { allowedToCreateApps: false } })).toEqual({
      defaultUserRolePermissions: { allowedToCreateApps: true },
    });
    const configs = [
      { id: "Sms", state: "enabled", "@odata.type": "#x" },
      { id: "Fido2", state: "enabled" },
    ];
    expect(project(configs, [{ id: "sms", state: "disabled" }])).toEqual([{ id: "Sms", state: "enabled" }]);
  });
  it("changedKeys ignores bookkeeping and __provider", () => {
    expect(
      changedKeys({ a: 1, assetPaths: { x: "1" } }, { a: 1, assetPaths: { x: "2" }, __provider: "p" }, ["assetPaths"]),
    ).toEqual([]);
  });
});

describe("diff decisions", () => {
  it("no change when live equals desired up to set order", async () => {
    const d = await calls("AuthorizationPolicy").diff(
      "authorizationPolicy",
      {
        defaultUserRolePermissions: { permissionGrantPoliciesAssigned: ["b", "a"] },
        previous: { x: 1 },
        adopted: true,
      },
      { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: ["a", "b"] }, __provider: "x" },
    );
    expect(d).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });
  it("a changed mutable property updates in place", async () => {
    const d = await calls("RetentionLabel").diff(
      "L",
      { displayName: "L", retentionDurationDays: 365, retentionTrigger: "dateCreated" },
      { displayName: "L", retentionDurationDays: 730, retentionTrigger: "dateCreated" },
    );
    expect(d).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });
  it("a changed immutable label property replaces the label", async () => {
    const d = await calls("RetentionLabel").diff(
      "L",
      { displayName: "L", retentionTrigger: "dateCreated" },
      { displayName: "L", retentionTrigger: "dateModified" },
    );
    expect(d.replaces).toEqual(["retentionTrigger"]);
  });
  it("an unknown value during preview is a change but never a replacement", async () => {
    const d = await calls("RetentionRule").diff(
      "R",
      { Name: "R", Policy: "P", RetentionDuration: 1 },
      { Name: "R", Policy: UNKNOWN, RetentionDuration: 1 },
    );
    expect(d).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });
  it("a logo with a different hash is a change; a moved file with the same content is not", async () => {
    const olds = { signInPageText: "x", assets: { bannerLogo: "aaa" }, assetPaths: { bannerLogo: "a.png" } };
    expect(
      (await calls("OrganizationalBranding").diff("0", olds, { ...olds, assets: { bannerLogo: "bbb" } })).changes,
    ).toBe(true);
    expect(
      (await calls("OrganizationalBranding").diff("0", olds, { ...olds, assetPaths: { bannerLogo: "b.png" } })).changes,
    ).toBe(false);
  });
});

describe("check: every problem at once, before any call", () => {
  it("retention policy: no location, Teams mixed, lock unacknowledged", async () => {
    const r = await calls("RetentionPolicy").check({}, { Name: "P", RestrictiveRetention: true });
    expect(r.failures.map((f) => f.property)).toEqual(["ExchangeLocation", "RestrictiveRetention"]);
    const mixed = await calls("RetentionPolicy").check(
      {},
      { Name: "P", ExchangeLocation: ["All"], TeamsChatLocation: ["All"] },
    );
    expect(mixed.failures).toEqual([{ property: "TeamsChatLocation", reason: expect.stringMatching(/own policy/) }]);
  });
  it("branding: a missing file is named; an unknown path during preview is skipped", async () => {
    const r = await calls("OrganizationalBranding").check(
      {},
      {
        assets: { bannerLogo: "h", squareLogo: "h" },
        assetPaths: { bannerLogo: "baselines/assets/none.png", squareLogo: UNKNOWN },
      },
    );
    expect(r.failures).toEqual([
      {
        property: "assetPaths.bannerLogo",
        reason: expect.stringMatching(/file not found: baselines\/assets\/none\.png/),
      },
    ]);
  });
  it("authentication methods: state must be enabled or disabled", async () => {
    const r = await calls("AuthenticationMethodsPolicy").check(
      {},
      { authenticationMethodConfigurations: [{ id: "Sms", state: "off" }] },
    );
    expect(r.failures).toEqual([
      { property: "authenticationMethodConfigurations[0].state", reason: "must be enabled or disabled" },
    ]);
  });
});
