/**
 * Missed drift, for every resource type: live state equal to stack contoso's desired state (the compliant seed, read
 * through the production snapshot reader from the emulator) is compliant; then each value the baseline sets is
 * changed by hand, one at a time, in the object check finds for it, and each change must be reported. The
 * conditional-access mutation on Graph's documented shapes is in test/unit/check/documented-shapes.test.ts.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateTenant } from "../../../src/check/evaluate";
import { readSnapshot, type LiveSnapshot } from "../../../src/check/snapshot";
import { controlInfo } from "../../../src/check/targets";
import type { DesiredResource } from "../../../src/core/desired";
import { readSeeds, startEmulator, type RunningEmulator } from "../../../src/emulator";
import { resourceDefinition } from "../../../src/resources";
import { loadTenant, type LoadedTenant } from "../../../src/tenant";
import { CONTOSO, emulatorTargets } from "../../support/emulator";
import { testAppPem } from "../../support/graph-connect";
import { REPO } from "../../support/repo";

type Json = Record<string, unknown>;
const TODAY = "2026-11-23";

let emu: RunningEmulator;
let tenant: LoadedTenant;
let live: LiveSnapshot;
let files: ReadonlyMap<string, string>;
beforeAll(async () => {
  const seed = readSeeds(join(REPO, "test/fixtures/tenants")).find((s) => s.tenantId === CONTOSO)!;
  emu = await startEmulator({ tenants: [seed], behaviour: { latencyMs: 0, conditionalAccessIntervalMs: 0 } });
  tenant = loadTenant(REPO, "contoso", TODAY);
  const pem = await testAppPem();
  emu.registerClientCertificate(CONTOSO, tenant.stack.config.deployment.clientId, pem);
  const [target] = emulatorTargets(emu, [tenant], pem);
  files = target!.files ?? new Map();
  const connection = target!.connect({ deadlineMs: 60_000 });
  live = await readSnapshot(connection, tenant.compiled).finally(() => connection.close?.());
});
afterAll(() => emu.close());

const statusOf = (snapshot: LiveSnapshot, controlId: string) =>
  evaluateTenant(tenant.compiled, snapshot, controlInfo(), [], TODAY, files).controls.find(
    (c) => c.controlId === controlId,
  )!.status;

const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);
const keyed = (v: unknown): v is Json[] => Array.isArray(v) && v.length > 0 && v.every((x) => isObject(x) && "id" in x);

/**
 * Every leaf path of a plain value. A list of objects with ids (authentication method configurations) is walked
 * per element (`list[id=Sms].state`); any other list is one leaf: a set changed by hand is one change.
 */
function leaves(value: unknown, prefix = ""): string[] {
  const join = (k: string) => (prefix ? `${prefix}.${k}` : k);
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => leaves(v, join(k)));
  if (keyed(value))
    return value.flatMap((x) => leaves(x, `${prefix}[id=${String(x["id"])}]`).filter((p) => !p.endsWith(".id")));
  return prefix ? [prefix] : [];
}

/** One step of a path into `o`: a key, or a list element by its id. */
function step(o: unknown, key: string): unknown {
  const byId = /^(.*)\[id=(.+)\]$/.exec(key);
  if (!byId) return isObject(o) ? o[key] : undefined;
  const list = isObject(o) ? o[byId[1]!] : undefined;
  return Array.isArray(list)
    ? list.find((x) => isObject(x) && String(x["id"]).toLowerCase() === byId[2]!.toLowerCase())
    : undefined;
}

/** The value changed as a person in the portal might: another string, the other boolean, one more item. */
function changed(v: unknown): unknown {
  if (typeof v === "string") return `${v}-changed`;
  if (typeof v === "number") return v + 1;
  if (typeof v === "boolean") return !v;
  if (Array.isArray(v)) return v.length > 0 ? v.slice(1) : ["changedByHand"];
  return { changedByHand: true };
}

/** `live` with `path` changed in the raw object check finds for `resource`; undefined when the raw object lacks it. */
function mutated(resource: DesiredResource, path: string): LiveSnapshot | undefined {
  const copy = structuredClone(live);
  const found = resourceDefinition(resource.type).check.find(resource, copy) as Json | undefined;
  const keys = path.split(".");
  const last = keys.pop()!;
  const holder = keys.reduce<unknown>((o, k) => step(o, k), found);
  if (!isObject(holder) || !(last in holder)) return undefined;
  holder[last] = changed(holder[last]);
  return copy;
}

/** Desired values check derives from other reads than the object itself (named-location kind: see adopt's tests). */
const DERIVED = [
  "assets.backgroundImage",
  "assets.bannerLogo",
  "assets.favicon",
  "assets.squareLogo",
  "members",
  "consent",
  "directoryRoles",
  "credentials.certificates",
  "credentials.clientSecrets",
  "@odata.type",
];

const TYPES = [
  "identitySecurityDefaultsEnforcementPolicy",
  "authorizationPolicy",
  "authenticationMethodsPolicy",
  "organizationalBranding",
  "group",
  "application",
  "namedLocation",
] as const;

describe("mutation: each value the baseline sets, changed by hand in the live object, is reported", () => {
  it("the seeded tenant is compliant to begin with", () => {
    const drifted = evaluateTenant(tenant.compiled, live, controlInfo(), [], TODAY, files)
      .controls.filter((c) => c.status !== "compliant" && c.status !== "notLicensed")
      .map((c) => c.controlId);
    expect(drifted).toEqual([]);
  });

  for (const type of TYPES)
    it(`${type}: every desired leaf present in the live object`, () => {
      const resources = tenant.compiled.resources.filter((r) => r.type === type);
      expect(resources.length, `stack contoso has a ${type}`).toBeGreaterThan(0);
      let covered = 0;
      const missed: string[] = [];
      const skipped: string[] = [];
      for (const r of resources) {
        const desired = resourceDefinition(type).check.desired(r, files);
        for (const path of leaves(desired)) {
          const snapshot = mutated(r, path);
          if (!snapshot) {
            skipped.push(`${r.name}: ${path}`);
            continue;
          }
          covered++;
          if (statusOf(snapshot, r.controlId) === "compliant") missed.push(`${r.name}: ${path}`);
        }
      }
      expect(missed).toEqual([]);
      // What the raw object does not hold is derived from other reads: each is changed by hand below.
      expect(skipped.filter((p) => !DERIVED.some((d) => p.endsWith(`: ${d}`)))).toEqual([]);
      expect(covered, `${type}: leaves changed`).toBeGreaterThan(0);
    });
});

describe("mutation: the values check derives from other reads, changed by hand, are reported", () => {
  const app = () => tenant.compiled.resources.find((r) => r.type === "application")!;
  const appObject = (copy: LiveSnapshot) => resourceDefinition("application").check.find(app(), copy) as Json;
  const grants = (copy: LiveSnapshot) =>
    copy.applicationGrants.get(String(appObject(copy)["appId"])) as unknown as {
      consent: Json[];
      directoryRoles: string[];
    };
  const cases: [string, string, (copy: LiveSnapshot) => void][] = [
    [
      "a banner logo replaced behind the same URL",
      "BRAND01",
      (c) => {
        (c.brandingStreams as Map<string, string>).set("bannerLogo", "0".repeat(64));
      },
    ],
    [
      "someone added to the break-glass group",
      "CA00",
      (c) => {
        const [id, members] = [...c.groupMembers][0]!;
        (c.groupMembers as Map<string, unknown[]>).set(id, [
          ...members,
          { id: "d0d0d0d0-0000-4000-8000-000000000001", userPrincipalName: "helpdesk@contoso.onmicrosoft.com" },
        ]);
      },
    ],
    ["one consented permission revoked", "APP01", (c) => void grants(c).consent.pop()],
    [
      "a directory role added to the backup app",
      "APP01",
      (c) => void grants(c).directoryRoles.push("62e90394-69f5-4237-9190-012177145e10"),
    ],
    [
      "a client secret added to the backup app",
      "APP01",
      (c) => {
        appObject(c)["passwordCredentials"] = [
          { keyId: "a1a1a1a1-0000-4000-8000-000000000001", displayName: "by hand" },
        ];
      },
    ],
    [
      "a second certificate added to the backup app",
      "APP01",
      (c) => {
        const keys = appObject(c)["keyCredentials"] as Json[];
        keys.push({ ...keys[0]!, keyId: "b2b2b2b2-0000-4000-8000-000000000002", customKeyIdentifier: "AAAA" });
      },
    ],
  ];
  it.each(cases)("%s", (_what, controlId, mutate) => {
    const copy = structuredClone(live);
    mutate(copy);
    expect(statusOf(copy, controlId)).not.toBe("compliant");
    expect(statusOf(live, controlId)).toBe("compliant");
  });
});
