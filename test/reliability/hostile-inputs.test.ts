/**
 * Hostile stack and repository inputs (issue 15): each is refused offline with the exact file and key path, a
 * message and a fix, and no connection is opened while validating it.
 */
import * as net from "node:net";
import { mkdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { readCapped } from "../../src/core/repo-file";
import { readSeeds, startEmulator, type RunningEmulator } from "../../src/emulator";
import { ValidationError, formatIssue, type Issue } from "../../src/errors";
import type { CheckReport } from "../../src/report/types";
import { loadEachTenant, loadTenant } from "../../src/tenant";
import { runCli, runCliAsync, type CliResult } from "../support/cli";
import { CLIENT_ID, CONTOSO, FABRIKAM } from "../support/emulator";
import { testAppPem } from "../support/graph-connect";
import { REPO, exampleConfig, tempRepo } from "../support/repo";

const TODAY = "2026-11-23";
const FILE = "stacks/Pulumi.h.yaml";
const K = (key: string) => `m365-baseline:${key}`;
type Config = Record<string, unknown>;
type Mutate = (c: Config) => void;

const repo = tempRepo({});
afterAll(repo.cleanup);

// Any TCP connection (Graph, the token endpoint) while validating would be a call towards Microsoft; local IPC
// (tsx's pipe, which loads the baselines) is not.
let connects: { mock: { calls: unknown[][] }; mockRestore: () => void };
// net.connect hands Socket#connect its normalized arguments as one array: [options, callback].
const tcp = () =>
  connects.mock.calls
    .map(([first]) => (Array.isArray(first) ? (first as unknown[])[0] : first))
    .filter((t) => typeof t === "number" || (typeof t === "object" && t !== null && "port" in t));
beforeEach(() => {
  connects = vi.spyOn(net.Socket.prototype, "connect");
});
afterEach(() => {
  expect(tcp()).toEqual([]);
  connects.mockRestore();
});

/** The issues `loadTenant` raises for the contoso example changed by `mutate` (empty when it is accepted). */
function issuesFor(mutate: Mutate, raw?: string): Issue[] {
  const config = exampleConfig("contoso");
  mutate(config);
  writeFileSync(`${repo.root}/${FILE}`, raw ?? stringify({ config }));
  try {
    loadTenant(repo.root, "h", TODAY);
  } catch (error) {
    if (error instanceof ValidationError) return [...error.issues];
    throw error;
  }
  return [];
}

/** Asserts that `issues` hold one at exactly `path` of `file` whose message matches. */
function expectIssue(issues: readonly Issue[], path: string, message: RegExp, file = FILE): Issue {
  const hit = issues.find((i) => i.file === file && i.path === path);
  expect(hit, issues.map(formatIssue).join("\n") || "(accepted)").toBeDefined();
  expect(hit!.message).toMatch(message);
  expect(hit!.fix.length).toBeGreaterThan(10);
  return hit!;
}

const ipLocation =
  (...ipRanges: string[]): Mutate =>
  (c) => {
    c[K("namedLocations")] = [{ name: "Office", ipRanges }];
  };
const countryLocation =
  (...countries: string[]): Mutate =>
  (c) => {
    c[K("namedLocations")] = [{ name: "Blocked", countries }];
  };
const exception =
  (expires: string): Mutate =>
  (c) => {
    c[K("exceptions")] = [{ control: "CA01", reason: "scanner still uses SMTP basic auth", expires }];
  };
const breakGlass =
  (users: string[], domains?: unknown): Mutate =>
  (c) => {
    c[K("breakGlass")] = { users };
    if (domains !== undefined) c[K("domains")] = domains;
  };
const endpoints =
  (overrides: Record<string, string>): Mutate =>
  (c) => {
    c[K("endpoints")] = {
      graph: "https://localhost:8443/graph",
      authority: "https://localhost:8443",
      compliance: "https://localhost:8443/compliance",
      ...overrides,
    };
  };

describe("malformed CIDR ranges are refused at their key path", () => {
  const ranges = K("namedLocations[0].ipRanges");
  it.each<[string, string, RegExp]>([
    ["256.0.0.0/8", `${ranges}[0]`, /'256\.0\.0\.0' is not an IPv4 address/],
    ["203.0.113.300/24", `${ranges}[0]`, /is not an IPv4 address/],
    ["203.0.113.0/33", `${ranges}[0]`, /'\/33' is not a prefix length from 0 to 32/],
    ["203.0.113.0/99", `${ranges}[0]`, /from 0 to 32/],
    ["203.0.113.0/024", `${ranges}[0]`, /'\/024' is not a prefix length/],
    ["1.2.3/24", `${ranges}[0]`, /'1\.2\.3' is not an IPv4 address/],
    ["1.2.3.4.5/24", `${ranges}[0]`, /is not an IPv4 address/],
    ["010.0.0.0/8", `${ranges}[0]`, /'010\.0\.0\.0' is not an IPv4 address/],
    ["2001:db8::/129", `${ranges}[0]`, /'\/129' is not a prefix length from 0 to 128/],
    ["2001:db8::/200", `${ranges}[0]`, /from 0 to 128/],
    ["2001:db8:::1/64", `${ranges}[0]`, /is not an IPv6 address/],
    ["ffff::ffff::1/64", `${ranges}[0]`, /is not an IPv6 address/],
    ["2001:db8::1.2.3.256/128", `${ranges}[0]`, /is not an IPv6 address/],
    ["12345::/16", `${ranges}[0]`, /is not an IPv6 address/],
    ["203.0.113.0", `${ranges}[0]`, /must be CIDR/],
    ["203.0.113.0/", `${ranges}[0]`, /must be CIDR/],
    ["garbage", `${ranges}[0]`, /must be CIDR/],
    ["203.0.113.0/24/8", `${ranges}[0]`, /must be CIDR/],
    [" 203.0.113.0/24", `${ranges}[0]`, /must be CIDR/],
    ["fe80::1%eth0/64", `${ranges}[0]`, /must be CIDR/],
  ])("%s", (range, path, message) => {
    expectIssue(issuesFor(ipLocation(range)), path, message);
  });
  it("names the bad entry among good ones", () => {
    const issues = issuesFor(ipLocation("203.0.113.0/24", "2001:db8::/48", "198.51.100.7/40"));
    expectIssue(issues, `${ranges}[2]`, /'\/40'/);
    expect(issues.map((i) => i.path)).toEqual([`${ranges}[2]`]);
  });
  it.each(["203.0.113.0/24", "198.51.100.7/32", "2001:db8::/48", "::ffff:203.0.113.1/128"])("accepts %s", (range) => {
    expect(issuesFor(ipLocation(range))).toEqual([]);
  });
});

describe("countries must be ISO 3166-1 alpha-2 codes", () => {
  it.each(["ZZ", "AA", "QM", "XK", "EU", "UK", "XX", "OO"])("%s is not a country", (code) => {
    const issues = issuesFor(countryLocation("NL", code));
    expectIssue(issues, K("namedLocations[0].countries[1]"), new RegExp(`'${code}' is not an ISO 3166-1 alpha-2`));
    expect(issues).toHaveLength(1);
  });
  it.each(["nl", "NLD", "N", ""])("%j is not a two-letter code", (code) => {
    expectIssue(issuesFor(countryLocation(code)), K("namedLocations[0].countries[0]"), /ISO 3166 alpha-2 like NL/);
  });
  it.each(["NL", "GB", "AX", "SS", "BQ", "CW", "KP"])("accepts %s", (code) => {
    expect(issuesFor(countryLocation(code))).toEqual([]);
  });
});

describe("exception dates must be days of the calendar", () => {
  const path = K("exceptions[0].expires");
  it.each([
    "2027-02-30",
    "2027-02-29",
    "2027-04-31",
    "2027-13-01",
    "2027-00-10",
    "2027-01-00",
    "2027-01-32",
    "9999-99-99",
  ])("%s", (date) => {
    expectIssue(issuesFor(exception(date)), path, new RegExp(`${date} is not a day of the calendar`));
  });
  it.each(["2027-1-1", "31/01/2027", "2027-02-28T00:00:00Z", "tomorrow"])("%s is not YYYY-MM-DD", (date) => {
    expectIssue(issuesFor(exception(date)), path, /must be a date like/);
  });
  it.each(["2027-06-30", "2028-02-29"])("accepts %s", (date) => {
    expect(issuesFor(exception(date))).toEqual([]);
  });
});

describe("break-glass UPNs must be on the tenant's domains", () => {
  it.each<[string, string[], unknown, string, RegExp]>([
    ["custom domain not declared", ["bg@contoso.com"], undefined, "breakGlass.users[0]", /not in the tenant's domains/],
    ["another tenant", ["bg@fabrikam.onmicrosoft.com"], undefined, "breakGlass.users[0]", /'bg@fabrikam/],
    ["look-alike suffix", ["bg@contoso.onmicrosoft.com.evil.example"], undefined, "breakGlass.users[0]", /not in/],
    ["subdomain", ["bg@eu.contoso.onmicrosoft.com"], undefined, "breakGlass.users[0]", /not in the tenant's domains/],
    ["second user", ["bg@contoso.onmicrosoft.com", "bg2@gmail.com"], undefined, "breakGlass.users[1]", /gmail\.com/],
    ["declared domain differs", ["bg@contoso.com"], ["contoso.co"], "breakGlass.users[0]", /contoso\.co\)/],
    ["domain without a dot", ["bg@contoso.onmicrosoft.com"], ["contoso"], "domains[0]", /domain name like/],
    ["domains not a list", ["bg@contoso.onmicrosoft.com"], "contoso.com", "domains", /expected array/],
  ])("%s", (_name, users, domains, path, message) => {
    const hit = expectIssue(issuesFor(breakGlass(users, domains)), K(path), message);
    if (path.startsWith("breakGlass")) expect(hit.fix).toContain("m365-baseline:domains");
  });
  it.each<[string, string[], unknown]>([
    ["the initial domain in capitals", ["BG@CONTOSO.ONMICROSOFT.COM"], undefined],
    ["a declared custom domain", ["bg@contoso.com"], ["contoso.com"]],
    ["a declared domain in another case", ["bg@Contoso.COM"], ["contoso.com"]],
  ])("accepts %s", (_name, users, domains) => {
    expect(issuesFor(breakGlass(users, domains))).toEqual([]);
  });
});

describe("endpoints must be https", () => {
  it.each<[string, Record<string, string>, RegExp]>([
    ["graph", { graph: "http://localhost:8443/graph" }, /must be an https URL, got 'http:'/],
    ["authority", { authority: "http://login.microsoftonline.com" }, /got 'http:'/],
    ["compliance", { compliance: "http://ps.compliance.protection.outlook.com" }, /got 'http:'/],
    ["graph", { graph: "HTTP://graph.microsoft.com" }, /got 'HTTP:'/],
    ["graph", { graph: "ftp://graph.microsoft.com" }, /got 'ftp:'/],
    ["graph", { graph: "javascript:alert(1)" }, /got 'javascript:'/],
    ["authority", { authority: "ws://localhost:8443" }, /got 'ws:'/],
    ["graph", { graph: "not a url" }, /URL/i],
  ])("endpoints.%s = %j", (key, value, message) => {
    const hit = expectIssue(issuesFor(endpoints(value)), K(`endpoints.${key}`), message);
    if (/got/.test(message.source)) expect(hit.fix).toMatch(/https:\/\//);
  });
  it("accepts https endpoints", () => {
    expect(issuesFor(endpoints({}))).toEqual([]);
  });
});

/** The issues `loadTenant` raises for the stack file text `raw` written as `stacks/Pulumi.h.yaml`. */
function issuesForText(raw: string): Issue[] {
  return issuesFor(() => undefined, raw);
}

describe("YAML errors carry a line and a column", () => {
  it.each<[string, string, number, number, RegExp]>([
    ["an unclosed flow sequence", "config:\n  m365-baseline:tenantId: [unclosed\n", 3, 1, /Flow sequence/],
    ["a duplicate key", "config:\n  m365-baseline:displayName: a\n  m365-baseline:displayName: b\n", 3, 3, /unique/],
    ["a tab as indentation", "config:\n\tm365-baseline:displayName: a\n", 2, 1, /Tabs/],
    ["an unterminated quote", 'config:\n  m365-baseline:displayName: "Contoso\n', 3, 1, /Missing closing "quote/],
    ["a nested mapping on one line", "config:\n  a: b: c\n", 2, 6, /Nested mappings/],
    ["an unclosed flow map", "config: {\n", 2, 1, /Flow map/],
  ])("%s", (_name, raw, line, column, message) => {
    const issues = issuesForText(raw);
    const hit = expectIssue(issues, "", message);
    expect([hit.line, hit.column]).toEqual([line, column]);
    expect(formatIssue(hit)).toMatch(new RegExp(`^stacks/Pulumi\\.h\\.yaml:${line}:${column}: invalid YAML: `));
  });
  it("an alias bomb is refused as YAML, not as a crash", () => {
    let raw = "a: &a [x, x, x, x, x, x, x, x, x]\n";
    for (let i = 0; i < 9; i++)
      raw += `b${i}: &b${i} [${Array(9)
        .fill(i ? `*b${i - 1}` : "*a")
        .join(", ")}]\n`;
    const started = Date.now();
    expectIssue(issuesForText(`${raw}config:\n  m365-baseline:displayName: *b8\n`), "", /Excessive alias count/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe("a stack name is never a path", () => {
  // A valid stack outside stacks/: before, `loadTenant(root, "x/../../evil/y")` loaded it.
  const outside = tempRepo({}, { "evil/y.yaml": stringify({ config: exampleConfig("contoso") }) });
  afterAll(outside.cleanup);
  it.each([
    "x/../../evil/y",
    "../evil/y",
    "../../../../etc/passwd",
    "/etc/passwd",
    "a/b",
    "a\\b",
    "..",
    ".",
    "x..y",
    "",
    "my tenant",
    "x\0y",
    "contoso\n",
  ])("%j", (name) => {
    let error: unknown;
    try {
      loadTenant(outside.root, name, TODAY);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const issues = (error as ValidationError).issues;
    expect(issues).toHaveLength(1);
    expectIssue(issues, "--stack", /is not a stack name/, "command line");
  });
  it("validate --stack with a path exits 1 with one line and reads nothing outside stacks/", () => {
    const r = runCli(["validate", "--dir", outside.root, "--stack", "x/../../evil/y"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      "command line: --stack: 'x/../../evil/y' is not a stack name (letters, digits, '-', '_' and '.' only; no path) (give the name of a stacks/Pulumi.<name>.yaml file, e.g. --stack contoso)",
    );
    expect(r.stdout).not.toContain("ok");
  });
});

describe("every command refuses a stack name that is a path", () => {
  const outside = tempRepo({}, { "evil/y.yaml": stringify({ config: exampleConfig("contoso") }) });
  afterAll(outside.cleanup);
  it.each<[string, string[], string]>([
    ["validate", ["validate", "--stack"], "--stack"],
    ["plan", ["plan", "--stack"], "--stack"],
    ["check", ["check", "--json", "--stack"], "--stack"],
    ["fleet", ["fleet", "preview", "--stacks"], "--stacks"],
  ])("%s", (_name, args, option) => {
    const r = runCli([...args, "x/../../evil/y", "--dir", outside.root]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`command line: ${option}: 'x/../../evil/y' is not a stack name`);
    expect(r.stdout).not.toMatch(/ok {2}|Contoso/);
  });
});

describe("files under stacks/ that are not read as stacks are reported", () => {
  const good = stringify({ config: exampleConfig("contoso") });
  const strays: [string, RegExp][] = [
    ["Pulumi.x.yml", /end in '\.yaml'/],
    ["Pulumi.x.YAML", /end in '\.yaml'/],
    ["pulumi.y.yaml", /start with 'Pulumi\.' \(capital P\)/],
    ["PULUMI.z.yaml", /capital P/],
    ["Pulumi.my tenant.yaml", /'my tenant' is not a stack name Pulumi accepts/],
    ["Pulumi.a$b.yaml", /'a\$b' is not a stack name/],
    ["Pulumi.ünicode.yaml", /'ünicode' is not a stack name/],
    ["Pulumi.yaml", /project file belongs in the repository root/],
    ["Pulumi...yaml", /'\.' is not a stack name/],
    ["Pulumi.x.yaml.orig", /end in '\.yaml'/],
    ["northwind.yaml", /start with 'Pulumi\.'/],
  ];
  const ignored = ["README.md", ".gitkeep", "schema.json", "notes.txt"];
  const stacks = tempRepo(
    { contoso: good },
    Object.fromEntries([...strays.map(([f]) => [`stacks/${f}`, good]), ...ignored.map((f) => [`stacks/${f}`, "x"])]),
  );
  afterAll(stacks.cleanup);
  const failed = () => loadEachTenant(stacks.root, TODAY).failed;
  it.each(strays)("%s", (file, message) => {
    const row = failed().find((f) => f.file === `stacks/${file}`);
    expect(row, JSON.stringify(failed().map((f) => f.file))).toBeDefined();
    const hit = expectIssue(row!.issues, "", message, `stacks/${file}`);
    expect(hit.fix).toMatch(/^rename it to stacks\/Pulumi\.([A-Za-z0-9_-][A-Za-z0-9_.-]*|<tenant>)\.yaml, /);
  });
  it("reports nothing else and still loads the good stack", () => {
    const { tenants, failed: rows } = loadEachTenant(stacks.root, TODAY);
    expect(tenants.map((t) => t.stack.name)).toEqual(["contoso"]);
    expect(rows.map((f) => f.file).sort()).toEqual(strays.map(([f]) => `stacks/${f}`).sort());
  });
  it("validate lists each of them and exits 1; --stack contoso alone passes", () => {
    const all = runCli(["validate", "--dir", stacks.root]);
    expect(all.code).toBe(1);
    for (const [file] of strays) expect(all.stderr).toContain(`stacks/${file}: not read as a stack`);
    expect(runCli(["validate", "--dir", stacks.root, "--stack", "contoso"]).code).toBe(0);
  });
});

describe("one tenant, one stack", () => {
  const contoso = exampleConfig("contoso");
  const same = (id: string) => ({ ...exampleConfig("contoso"), [K("tenantId")]: id });
  const ID = contoso[K("tenantId")] as string;
  it.each<[string, Record<string, unknown>]>([
    ["the same tenantId", same(ID)],
    ["the tenantId in capitals", same(ID.toUpperCase())],
    ["mixed case", same(ID.replace(/[a-f]/g, (c, i: number) => (i % 2 ? c.toUpperCase() : c)))],
    ["a copy that is invalid otherwise", { ...same(ID), [K("baseline")]: "msp-gold" }],
  ])("%s is refused in both files", (_name, copy) => {
    const r = tempRepo({ contoso, "contoso-2": copy });
    try {
      const { tenants, failed } = loadEachTenant(r.root, TODAY);
      expect(tenants).toEqual([]);
      const a = expectIssue(
        failed[0]!.issues,
        K("tenantId"),
        /is also the tenant of stacks\/Pulumi\.contoso-2\.yaml/,
        "stacks/Pulumi.contoso.yaml",
      );
      const b = expectIssue(
        failed[1]!.issues,
        K("tenantId"),
        /is also the tenant of stacks\/Pulumi\.contoso\.yaml/,
        "stacks/Pulumi.contoso-2.yaml",
      );
      for (const hit of [a, b])
        expect(hit.fix).toMatch(/stacks\/Pulumi\.contoso(-2)?\.yaml and stacks\/Pulumi\.contoso(-2)?\.yaml/);
    } finally {
      r.cleanup();
    }
  });
  it("validate --stack of one of them still names the other file", () => {
    const r = tempRepo({ contoso, "contoso-2": same(ID.toUpperCase()) });
    try {
      const out = runCli(["validate", "--dir", r.root, "--stack", "contoso-2"]);
      expect(out.code).toBe(1);
      expect(out.stderr).toContain(
        `stacks/Pulumi.contoso-2.yaml: m365-baseline:tenantId: tenant ${ID} is also the tenant of stacks/Pulumi.contoso.yaml`,
      );
    } finally {
      r.cleanup();
    }
  });
  it("three stacks on one tenant each name the other two", () => {
    const r = tempRepo({ a: contoso, b: same(ID), c: same(ID.toUpperCase()) });
    try {
      const { failed } = loadEachTenant(r.root, TODAY);
      expect(failed.map((f) => f.issues[0]!.message)).toEqual([
        `tenant ${ID} is also the tenant of stacks/Pulumi.b.yaml, stacks/Pulumi.c.yaml`,
        `tenant ${ID} is also the tenant of stacks/Pulumi.a.yaml, stacks/Pulumi.c.yaml`,
        `tenant ${ID} is also the tenant of stacks/Pulumi.a.yaml, stacks/Pulumi.b.yaml`,
      ]);
    } finally {
      r.cleanup();
    }
  });
});

describe("a baseline that fails to load is named, not reported as a bug", () => {
  const header = 'import { defineBaseline } from "../src/baseline/define";\n';
  const baselines = tempRepo(
    {},
    {
      "baselines/syntax.ts": `${header}export default defineBaseline({ name: "syntax", description: "x", controls: {} ;\n`,
      "baselines/throws.ts": 'throw new Error("boom at load");\n',
      "baselines/throws-string.ts": 'throw "not an error";\n',
      "baselines/bad-import.ts": 'export { nothing as default } from "../src/nowhere";\n',
      "baselines/bad-call.ts": `${header}const spec = undefined as unknown as { controls: object };\nexport default defineBaseline({ name: "bad-call", description: "x", controls: spec.controls } as never);\n`,
    },
  );
  afterAll(baselines.cleanup);
  it.each<[string, RegExp, number | undefined]>([
    ["syntax", /failed to load: syntax error: Expected "}" but found ";"/, 2],
    ["throws", /failed to load: Error: boom at load/, undefined],
    ["throws-string", /failed to load: not an error/, undefined],
    ["bad-import", /failed to load: Error: Cannot find module '\.\.\/src\/nowhere'/, undefined],
    ["bad-call", /failed to load: TypeError: Cannot read properties of undefined/, undefined],
  ])("baselines/%s.ts", (name, message, line) => {
    const config = { ...exampleConfig("contoso"), [K("baseline")]: name };
    writeFileSync(`${baselines.root}/stacks/Pulumi.b.yaml`, stringify({ config }));
    let error: unknown;
    try {
      loadTenant(baselines.root, "b", TODAY);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const hit = expectIssue((error as ValidationError).issues, "", message, `baselines/${name}.ts`);
    expect(hit.line).toBe(line);
    expect(hit.message).not.toContain("bug in m365-baseline");
  });
  it("the failed stack is its stack file, the issue the baseline's", () => {
    const config = { ...exampleConfig("contoso"), [K("baseline")]: "throws" };
    writeFileSync(`${baselines.root}/stacks/Pulumi.b.yaml`, stringify({ config }));
    const [failed] = loadEachTenant(baselines.root, TODAY, ["b"]).failed;
    expect(failed).toMatchObject({ stack: "b", file: "stacks/Pulumi.b.yaml", tenantId: config[K("tenantId")] });
    expect(failed!.issues.map((i) => i.file)).toEqual(["baselines/throws.ts"]);
  });
  it("validate prints the baseline file and exits 1", () => {
    const config = { ...exampleConfig("contoso"), [K("baseline")]: "throws" };
    writeFileSync(`${baselines.root}/stacks/Pulumi.b.yaml`, stringify({ config }));
    const r = runCli(["validate", "--dir", baselines.root, "--stack", "b"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^baselines\/throws\.ts: the baseline failed to load: Error: boom at load \(correct /);
    expect(r.stderr).not.toContain("bug in m365-baseline");
  });
});

describe("referenced files are size-capped before they are read", () => {
  // Sparse files: gigabytes by their size, no disk and no time to create; reading one whole would be the bug.
  const huge = 3 * 1024 * 1024 * 1024;
  const files = tempRepo({}, { "big/logo.png": "", "big/style.css": "", "big/cert.pem": "", "big/ca.pem": "" });
  for (const f of ["big/logo.png", "big/style.css", "big/cert.pem", "big/ca.pem"])
    truncateSync(`${files.root}/${f}`, huge);
  writeFileSync(
    `${files.root}/big/padded.pem`,
    `${readFileSync(`${REPO}/baselines/certs/veeam-backup.pem`, "utf8")}\n${"#".repeat(70_000)}\n`,
  );
  mkdirSync(`${files.root}/stacks/Pulumi.dir.yaml`);
  symlinkSync("/dev/zero", `${files.root}/big/zero.pem`);
  afterAll(files.cleanup);
  const load = (mutate: Mutate): Issue[] => {
    const config = exampleConfig("contoso");
    mutate(config);
    writeFileSync(`${files.root}/stacks/Pulumi.f.yaml`, stringify({ config }));
    try {
      loadTenant(files.root, "f", TODAY);
    } catch (error) {
      if (error instanceof ValidationError) return [...error.issues];
      throw error;
    }
    return [];
  };
  const stackFile = "stacks/Pulumi.f.yaml";
  it.each<[string, Mutate, string, RegExp]>([
    [
      "a 3 GB favicon",
      (c) => void (c[K("branding")] = { assets: { favicon: "big/logo.png" } }),
      "branding.assets.favicon",
      /big\/logo\.png is 3221225472 bytes; favicon allows at most 5120/,
    ],
    [
      "a 3 GB custom CSS",
      (c) => void (c[K("branding")] = { assets: { customCSS: "big/style.css" } }),
      "branding.assets.customCSS",
      /is 3221225472 bytes; customCSS allows at most 25600/,
    ],
    [
      "a 3 GB backup certificate",
      (c) => void (c[K("backupApp")] = { certificateFile: "big/cert.pem" }),
      "backupApp.certificateFile",
      /big\/cert\.pem is 3221225472 bytes; a certificate file may have at most 65536/,
    ],
    [
      "a certificate padded past the cap",
      (c) => void (c[K("backupApp")] = { certificateFile: "big/padded.pem" }),
      "backupApp.certificateFile",
      /big\/padded\.pem is \d+ bytes; a certificate file may have at most 65536/,
    ],
    [
      "a certificate linked to /dev/zero",
      (c) => void (c[K("backupApp")] = { certificateFile: "big/zero.pem" }),
      "backupApp.certificateFile",
      /is a link to \/dev\/zero, outside the repository/,
    ],
    [
      "a 3 GB emulator CA certificate",
      endpoints({ caCertificateFile: "big/ca.pem" }),
      "endpoints.caCertificateFile",
      /big\/ca\.pem is 3221225472 bytes; a certificate file may have at most 65536/,
    ],
    [
      "an emulator CA certificate that is /dev/zero",
      endpoints({ caCertificateFile: "/dev/zero" }),
      "endpoints.caCertificateFile",
      /\/dev\/zero is not a regular file/,
    ],
    [
      "an emulator CA certificate that is not PEM",
      endpoints({ caCertificateFile: "stacks/Pulumi.f.yaml" }),
      "endpoints.caCertificateFile",
      /is not a PEM certificate/,
    ],
  ])("%s", (_name, mutate, path, message) => {
    const started = Date.now();
    expectIssue(load(mutate), K(path), message, stackFile);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
  it.each<[string, () => void, RegExp]>([
    [
      "a 3 GB stack file",
      () => truncateSync(`${files.root}/stacks/Pulumi.f.yaml`, huge),
      /is 3221225472 bytes; a stack file may have at most 1048576/,
    ],
    [
      "a stack file linked to /dev/zero",
      () => {
        rmSync(`${files.root}/stacks/Pulumi.f.yaml`, { force: true });
        symlinkSync("/dev/zero", `${files.root}/stacks/Pulumi.f.yaml`);
      },
      /is a link to \/dev\/zero, outside the repository/,
    ],
  ])("%s", (_name, prepare, message) => {
    writeFileSync(`${files.root}/stacks/Pulumi.f.yaml`, "");
    prepare();
    let error: unknown;
    try {
      loadTenant(files.root, "f", TODAY);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expectIssue((error as ValidationError).issues, "", message, stackFile);
    rmSync(`${files.root}/stacks/Pulumi.f.yaml`, { force: true });
  });
  it("a folder named like a stack file", () => {
    let error: unknown;
    try {
      loadTenant(files.root, "dir", TODAY);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expectIssue((error as ValidationError).issues, "", /is not a regular file/, "stacks/Pulumi.dir.yaml");
  });
});

describe("readCapped never reads more than the cap and one byte", () => {
  const cap = 1000;
  const dir = tempRepo({}, { "empty.bin": "", "at-cap.bin": "x".repeat(cap), "over.bin": "x".repeat(cap + 1) });
  afterAll(dir.cleanup);
  it.each<[string, boolean, number]>([
    ["empty.bin", true, 0],
    ["at-cap.bin", true, cap],
    ["over.bin", false, cap + 1],
  ])("%s", (file, ok, size) => {
    const read = readCapped(`${dir.root}/${file}`, cap);
    expect(read.ok).toBe(ok);
    expect(read.ok ? read.bytes.length : read.size).toBe(size);
  });
  it("an endless device (stat size 0) stops at the cap", () => {
    expect(readCapped("/dev/zero", cap)).toEqual({ ok: false, size: cap + 1 });
  });
});

describe("exceptions ending more than a year ahead are warnings, not errors", () => {
  const warningsFor = (...expires: string[]) => {
    const config = exampleConfig("contoso");
    config[K("exceptions")] = expires.map((e) => ({
      control: "CA01",
      reason: "scanner still uses SMTP basic auth",
      expires: e,
    }));
    writeFileSync(`${repo.root}/${FILE}`, stringify({ config }));
    return loadTenant(repo.root, "h", TODAY).warnings;
  };
  it.each<[string[], number, string]>([
    [["2027-11-24"], 0, "2027-11-24"],
    [["2028-01-01"], 0, "2028-01-01"],
    [["9999-12-31"], 0, "9999-12-31"],
    [["2027-06-30", "2030-06-30"], 1, "2030-06-30"],
  ])("%j warns at exceptions[%i]", (expires, index, date) => {
    const warnings = warningsFor(...expires);
    expect(warnings).toHaveLength(1);
    const hit = expectIssue(
      warnings,
      K(`exceptions[${index}].expires`),
      new RegExp(`runs until ${date}, more than a year from today \\(${TODAY}\\)`),
    );
    expect(hit.fix).toContain("on or before 2027-11-23");
  });
  it.each(["2027-11-23", "2027-06-30", TODAY])("%s (within a year) does not warn", (date) => {
    expect(warningsFor(date)).toEqual([]);
  });
  it("validate prints the warning and exits 0", () => {
    const config = exampleConfig("contoso");
    config[K("exceptions")] = [
      { control: "CA01", reason: "scanner still uses SMTP basic auth", expires: "2099-01-31" },
    ];
    const r = tempRepo({ contoso: config });
    try {
      const out = runCli(["validate", "--dir", r.root]);
      expect(out.code).toBe(0);
      expect(out.stdout).toContain("ok  stacks/Pulumi.contoso.yaml");
      expect(out.stderr).toMatch(
        /^warning: stacks\/Pulumi\.contoso\.yaml: m365-baseline:exceptions\[0\]\.expires: exception for CA01 runs until 2099-01-31, more than a year from today/,
      );
    } finally {
      r.cleanup();
    }
  });
});

describe("check --all when no stack is valid", () => {
  const broken = { ...exampleConfig("contoso"), [K("tenantId")]: "contoso" };
  const r = tempRepo({ a: broken, b: { ...broken, [K("displayName")]: "" } }, { "stacks/Pulumi.c.yml": "x" });
  afterAll(r.cleanup);
  const rows = (shard?: string) => {
    const out = runCli(["check", "--all", "--json", "--dir", r.root, ...(shard ? ["--shard", shard] : [])]);
    expect(out.code, out.stderr).toBe(1);
    return (JSON.parse(out.stdout) as CheckReport).tenants.map((t) => [t.stack, t.status, t.error?.split(": ")[1]]);
  };
  it("reports every stack and the stray file as error rows", () => {
    expect(rows()).toEqual([
      ["a", "error", "stacks/Pulumi.a.yaml"],
      ["b", "error", "stacks/Pulumi.b.yaml"],
      ["Pulumi.c.yml", "error", "stacks/Pulumi.c.yml"],
    ]);
  });
  it("a stray file is reported by the first shard only", () => {
    expect(rows("1/2")).toEqual([
      ["a", "error", "stacks/Pulumi.a.yaml"],
      ["Pulumi.c.yml", "error", "stacks/Pulumi.c.yml"],
    ]);
    expect(rows("2/2")).toEqual([["b", "error", "stacks/Pulumi.b.yaml"]]);
  });
});

describe("check --all with one invalid stack checks the others and reports it as an error row", () => {
  let emu: RunningEmulator;
  let r: { root: string; cleanup: () => void };
  let out: CliResult;
  beforeAll(async () => {
    emu = await startEmulator({ tenants: readSeeds(`${REPO}/test/fixtures/tenants`), behaviour: { latencyMs: 0 } });
    const at = { graph: emu.url, authority: emu.url, compliance: emu.url, caCertificateFile: "emulator-ca.pem" };
    const contoso = { ...exampleConfig("contoso"), [K("endpoints")]: at };
    // fabrikam's own tenant, with a break-glass account on a domain the stack does not declare.
    const fabrikam = {
      ...exampleConfig("fabrikam"),
      [K("endpoints")]: at,
      [K("breakGlass")]: { users: ["bg@gmail.com"] },
    };
    r = tempRepo(
      { contoso, fabrikam },
      { "emulator-ca.pem": emu.caCertificatePem, "stacks/Pulumi.northwind.yml": stringify({ config: contoso }) },
    );
    const pem = await testAppPem();
    emu.registerClientCertificate(CONTOSO, CLIENT_ID, pem);
    out = await runCliAsync(["check", "--all", "--json", "--dir", r.root], r.root, {
      M365B_CERTIFICATE_PEM: pem,
      M365B_ALLOW_ENDPOINTS: emu.url,
    });
  });
  afterAll(async () => {
    r.cleanup();
    await emu.close();
  });
  const rows = () => (JSON.parse(out.stdout) as CheckReport).tenants;
  it("exits 1 and prints every invalid file's issues on stderr", () => {
    expect(out.code, out.stderr).toBe(1);
    expect(out.stderr).toContain(
      "stacks/Pulumi.fabrikam.yaml: m365-baseline:breakGlass.users[0]: break-glass user 'bg@gmail.com' is not in the tenant's domains",
    );
    expect(out.stderr).toContain("stacks/Pulumi.northwind.yml: not read as a stack: stack files end in '.yaml'");
  });
  it("the valid stack is checked against its tenant", () => {
    const contoso = rows().find((t) => t.stack === "contoso")!;
    expect(contoso.status).not.toBe("error");
    expect(contoso.requests).toBeGreaterThan(0);
  });
  it.each<[string, string, RegExp]>([
    [
      "fabrikam",
      FABRIKAM,
      /stacks\/Pulumi\.fabrikam\.yaml: m365-baseline:breakGlass\.users\[0\]: .*\(use an account on fabrikam\.onmicrosoft\.com/,
    ],
    [
      "Pulumi.northwind.yml",
      "00000000-0000-0000-0000-000000000000",
      /stacks\/Pulumi\.northwind\.yml: not read as a stack/,
    ],
  ])("%s is an error row naming file, key and fix", (stack, tenantId, message) => {
    const row = rows().find((t) => t.stack === stack)!;
    expect(row).toMatchObject({ status: "error", tenantId, requests: 0, controls: [] });
    expect(row.error).toMatch(message);
  });
  it("nothing is sent for the invalid tenant", () => {
    const tenants = new Set(emu.requestLog().map((l) => l.tenantId));
    expect(tenants.has(CONTOSO)).toBe(true);
    expect(tenants.has(FABRIKAM)).toBe(false);
  });
  it("the connection guard of these tests does see a connection", async () => {
    const socket = net.connect(Number(new URL(emu.url).port), "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.destroy();
    expect(tcp().length).toBeGreaterThan(0);
    connects.mock.calls.length = 0;
  });
});
