/**
 * Hostile outputs and transports (issue 15): texts from pull requests, tenants and Microsoft reach the PR comment,
 * the Markdown reports and the terminal inertly; the comment fits GitHub's limit; a server that drips, throttles
 * with a huge Retry-After or answers with something that is not a Graph body ends the call (and the tenant) with a
 * GraphRequestError naming the tenant, the request and the fix, in bounded time.
 */
import { randomUUID } from "node:crypto";
import type * as http from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { runCheck, type CheckTarget } from "../../src/check";
import { renderPlanTable } from "../../src/cli/plan-table";
import { reportError } from "../../src/cli/main";
import type { CompiledTenant } from "../../src/core/desired";
import { GraphRequestError } from "../../src/errors";
import { renderFleetMarkdown, renderFleetText } from "../../src/fleet/report";
import type { FleetTenantResult } from "../../src/fleet/runner";
import { connect, type ClientOptions, type TenantConnection } from "../../src/graph";
import { renderJson, renderMarkdown, renderTerminal } from "../../src/report";
import { mdCode, mdInline } from "../../src/report/markdown-text";
import { safeText } from "../../src/report/safe-text";
import type { ReviewResult, TenantReview } from "../../src/review";
import { GITHUB_COMMENT_LIMIT, reviewComment } from "../../src/review/comment";
import { renderReviewMarkdown } from "../../src/review/markdown";
import { FAST, testAppPem } from "../support/graph-connect";
import { startTestServer, type TestServer } from "../support/graph-test-server";
import {
  ACTIVE_MARKDOWN,
  HOSTILE,
  RAW_CONTROL,
  hostileReport,
  hostileReview,
  outsideCode,
  tableShapes,
} from "../support/hostile";

describe("safeText: what reaches a terminal", () => {
  it.each([
    ["ANSI colour", "\u001b[31mred\u001b[0m", "\\u001b[31mred\\u001b[0m"],
    ["OSC window title", "\u001b]0;pwned\u0007", "\\u001b]0;pwned\\u0007"],
    ["terminal reset", "\u001bc", "\\u001bc"],
    ["carriage return overwrite", "ok\rFAILED", "ok\\u000dFAILED"],
    ["newline (forged row)", "a\nCA01  compliant", "a\\u000aCA01  compliant"],
    ["tab", "a\tb", "a\\u0009b"],
    ["backspace", "abc\u0008\u0008x", "abc\\u0008\\u0008x"],
    ["NUL", "a\u0000b", "a\\u0000b"],
    ["bell", "\u0007", "\\u0007"],
    ["DEL", "a\u007fb", "a\\u007fb"],
    ["C1 CSI", "\u009b31mred", "\\u009b31mred"],
    ["C1 NEL", "a\u0085b", "a\\u0085b"],
    ["right-to-left override", "\u202eevil.exe", "\\u202eevil.exe"],
    ["bidi embeddings and pop", "\u202a\u202b\u202c\u202d", "\\u202a\\u202b\\u202c\\u202d"],
    ["bidi isolates", "\u2066\u2067\u2068x\u2069", "\\u2066\\u2067\\u2068x\\u2069"],
    ["LRM, RLM, ALM", "\u200e\u200f\u061c", "\\u200e\\u200f\\u061c"],
    ["line and paragraph separators", "a\u2028b\u2029c", "a\\u2028b\\u2029c"],
    ["plain name unchanged", "Contoso Ltd — CA01 (report-only)", "Contoso Ltd — CA01 (report-only)"],
    ["accents and CJK unchanged", "Zürich 東京 ✓", "Zürich 東京 ✓"],
    ["emoji with ZWJ unchanged", "👨‍👩‍👧 team", "👨‍👩‍👧 team"],
  ])("%s", (_name, input, expected) => {
    expect(safeText(input)).toBe(expected);
  });
});

describe("terminal renderers: a hostile text never reaches the terminal raw", () => {
  const lines = (text: string) => text.split("\n").length;
  const benign = "benign text";
  const plan = (text: string): CompiledTenant => ({
    stack: "contoso",
    tenantId: "6b0c3a52-7a3e-4d0b-9f0e-1c2d3e4f5a61",
    primaryDomain: "contoso.onmicrosoft.com",
    displayName: text,
    baseline: "msp-standard",
    resources: [],
    outcomes: [{ controlId: "CA05", status: "off", stage: "enforce", reason: text }],
  });
  const fleet = (text: string): FleetTenantResult[] => [
    {
      stack: "contoso",
      status: "changes",
      changes: [
        {
          op: "update",
          urn: "urn",
          type: "m365:Branding",
          name: text,
          properties: [{ path: text, kind: "update", before: text, after: 1 }],
        },
      ],
      summary: {},
      durationMs: 5,
    },
    { stack: "fabrikam", status: "error", changes: [], summary: {}, error: text, durationMs: 5 },
  ];
  const renderers: Record<string, (text: string) => string> = {
    "check (plain)": (t) => renderTerminal(hostileReport(t), { color: false }),
    "check (colour, our SGR codes removed)": (t) =>
      // eslint-disable-next-line no-control-regex
      renderTerminal(hostileReport(t), { color: true }).replace(/\u001b\[\d+m/g, ""),
    plan: (t) => renderPlanTable(plan(t)),
    fleet: (t) => renderFleetText("drift", fleet(t)),
  };
  const cases = Object.keys(renderers).flatMap((r) => HOSTILE.map((h) => [r, safeText(JSON.stringify(h)), h] as const));
  it.each(cases)("%s with %s", (renderer, _shown, hostile) => {
    const out = renderers[renderer]!(hostile);
    expect(out).not.toMatch(RAW_CONTROL);
    expect(out).toContain(safeText(hostile));
    // No line forged: the same number of lines as with a harmless text.
    expect(lines(out)).toBe(lines(renderers[renderer]!(benign)));
  });

  it.each(HOSTILE.map((h) => [safeText(JSON.stringify(h)), h] as const))(
    "an error message on stderr with %s",
    (_shown, hostile) => {
      const written: string[] = [];
      const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
        written.push(String(chunk));
        return true;
      });
      try {
        const error = new GraphRequestError({
          status: 400,
          code: "BadRequest",
          message: hostile,
          method: "GET",
          path: "/x",
        });
        expect(reportError(error)).toBe(1);
      } finally {
        spy.mockRestore();
      }
      expect(written.join("")).not.toMatch(RAW_CONTROL);
    },
  );

  it.each(HOSTILE.map((h) => [safeText(JSON.stringify(h)), h] as const))(
    "JSON keeps %s exactly, inert",
    (_shown, hostile) => {
      const report = hostileReport(hostile);
      const json = renderJson(report);
      expect(JSON.parse(json)).toEqual(report);
      expect(json.replace(/\n/g, "")).not.toMatch(RAW_CONTROL);
    },
  );
});

describe("mdCode / mdInline: exact inert Markdown", () => {
  it.each([
    ["plain stack name", "contoso", {}, "contoso"],
    ["control id", "CA02", {}, "CA02"],
    ["object name", "ca02-require-mfa", {}, "ca02-require-mfa"],
    ["HTML", "<script>alert(1)</script>", {}, "`<script>alert(1)</script>`"],
    ["image tag", "<img src=x onerror=alert(1)>", {}, "`<img src=x onerror=alert(1)>`"],
    ["HTML comment", "<!-- x", {}, "`<!-- x`"],
    ["mention", "@octocat hi", {}, "`@octocat hi`"],
    ["team mention", "@org/team", {}, "`@org/team`"],
    ["link", "[x](https://evil.example)", {}, "`[x](https://evil.example)`"],
    ["image", "![x](https://evil.example/p.png)", {}, "`![x](https://evil.example/p.png)`"],
    ["autolink", "<https://evil.example>", {}, "`<https://evil.example>`"],
    ["bare URL", "https://evil.example", {}, "`https://evil.example`"],
    ["www autolink", "www.evil.example", {}, "`www.evil.example`"],
    ["emphasis", "**bold**", {}, "`**bold**`"],
    ["one backtick inside", "a`b", {}, "``a`b``"],
    ["double backticks at the ends", "``x``", {}, "``` ``x`` ```"],
    ["a lone backtick", "`", {}, "`` ` ``"],
    ["leading space kept", " x", {}, "`  x `"],
    ["pipe in a table", "x|y", { table: true }, "`x\\|y`"],
    ["pipe outside a table", "x|y", {}, "`x|y`"],
    ["table row lookalike", "| --- |", { table: true }, "`\\| --- \\|`"],
    ["LF", "a\nb", {}, "`a b`"],
    ["CRLF", "a\r\nb", {}, "`a b`"],
    ["lone CR", "a\rb", {}, "`a b`"],
    ["ANSI", "\u001b[31mx", {}, "`\\u001b[31mx`"],
    ["RLO", "\u202eexe.txt", {}, "`\\u202eexe.txt`"],
    ["entity", "&#64;octocat", {}, "`&#64;octocat`"],
    ["empty", "", {}, "*(empty)*"],
    ["too long", "x".repeat(400), {}, `\`${"x".repeat(299)}…\``],
  ])("%s", (_name, input, options, expected) => {
    const out = /^(plain|control|object)/.test(_name) ? mdInline(input, options) : mdCode(input, options);
    expect(out).toBe(expected);
  });
});

describe("Markdown outputs: a hostile text stays inside code spans", () => {
  const fleet = (text: string): FleetTenantResult[] => [
    {
      stack: text,
      status: "changes",
      changes: [
        {
          op: "update",
          urn: "u",
          type: text,
          name: text,
          properties: [{ path: text, kind: "update", before: text, after: text }],
        },
      ],
      summary: {},
      durationMs: 5,
    },
    { stack: "fabrikam", status: "error", changes: [], summary: {}, error: text, durationMs: 5 },
  ];
  const renderers: Record<string, (text: string) => string> = {
    "review comment": (t) => renderReviewMarkdown(hostileReview(t)),
    "check --markdown": (t) => renderMarkdown(hostileReport(t)),
    "fleet --markdown": (t) => renderFleetMarkdown("drift", fleet(t)),
  };
  const cases = Object.keys(renderers).flatMap((r) => HOSTILE.map((h) => [r, safeText(JSON.stringify(h)), h] as const));
  it.each(cases)("%s with %s", (renderer, _shown, hostile) => {
    const md = renderers[renderer]!(hostile);
    const plain = outsideCode(md);
    for (const [what, pattern] of Object.entries(ACTIVE_MARKDOWN)) expect(plain, what).not.toMatch(pattern);
    for (const shape of tableShapes(md)) expect(shape.row, shape.line).toBe(shape.header);
    expect(md.split("\n").length).toBe(renderers[renderer]!("benign").split("\n").length);
  });
});

describe("the PR comment fits GitHub's 65,536-character limit", () => {
  const RUN = "https://github.com/o/r/actions/runs/1";
  const tenant = (stack: string, changes: number, value: string, unexcused = true): TenantReview => {
    const list = Array.from({ length: changes }, (_, i) => ({
      kind: "weakening" as const,
      controlId: "CA02",
      object: `policy-${i}`,
      path: "grantControls.builtInControls",
      summary: "",
      before: value,
      after: [],
    }));
    return {
      stack,
      changes: list,
      weakenings: changes,
      strengthenings: 0,
      unexcused: unexcused ? list : [],
      newPermissions: [],
    };
  };
  const result = (tenants: TenantReview[]): ReviewResult => ({ base: "origin/main", exitCode: 3, tenants });
  const comment = (r: ReviewResult) => reviewComment(r, renderReviewMarkdown(r), RUN);
  const bytes = (s: string) => Buffer.byteLength(s, "utf8");

  it("a review that fits is the comment, unchanged", () => {
    const r = result([tenant("contoso", 3, "mfa")]);
    expect(comment(r)).toBe(renderReviewMarkdown(r));
  });
  it.each([
    ["one tenant, 400 long values", [tenant("contoso", 400, "v".repeat(300))]],
    ["multi-byte values", [tenant("contoso", 400, "🔻é".repeat(150))]],
    [
      "5,000 tenants",
      Array.from({ length: 5000 }, (_, i) => tenant(`tenant-${String(i).padStart(4, "0")}`, 1, "x", i % 7 === 0)),
    ],
  ])("%s: a summary under the limit that says where the full review is", (_name, tenants) => {
    const r = result(tenants);
    const full = renderReviewMarkdown(r);
    expect(bytes(full)).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    const text = comment(r);
    expect(bytes(text)).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(text.startsWith("## m365-baseline security review (against `origin/main`)\n\n**")).toBe(true);
    expect(text).toContain(`it is in [the workflow run's artifacts](${RUN})`);
    expect(text).toContain("| Tenant | Weakening | Strengthening | Neutral | Unexcused |");
  });
  it("with many tenants, those with unexcused weakenings come first and the rest are counted", () => {
    const tenants = Array.from({ length: 5000 }, (_, i) => tenant(`t${i}`, 1, "x", i === 4999));
    const text = comment(result(tenants));
    expect(text.split("\n").find((l) => /^\| t\d/.test(l))).toBe("| t4999 | 1 | 0 | 0 | 1 |");
    expect(text).toMatch(/\n\d+ more tenant\(s\) with changes: see the full review\.\n$/);
  });
  it("a place that is not an https URL is shown as inert text", () => {
    const r = result([tenant("contoso", 400, "v".repeat(300))]);
    const text = reviewComment(r, renderReviewMarkdown(r), "[x](javascript:alert(1)) @octocat");
    expect(text).toContain("it is in `[x](javascript:alert(1)) @octocat`.");
  });
});

describe("hostile Graph servers end the call with a clear error in bounded time", () => {
  let server: TestServer;
  let pem: string;
  const QUICK: ClientOptions = {
    ...FAST,
    sdkMaxRetries: 10,
    requestTimeoutMs: 400,
    requestDeadlineMs: 2500,
    maxRetryAfterSeconds: 5,
    conditionalAccessThrottle: { retries: 6, initialDelayMs: 300, maxDelayMs: 600 },
  };
  const connectNow = (tenantId: string, options: ClientOptions = QUICK): TenantConnection =>
    connect(
      {
        tenantId,
        primaryDomain: "contoso.onmicrosoft.com",
        credential: { kind: "certificate", clientId: "11111111-2222-3333-4444-555555555555", certificatePem: pem },
        graphBaseUrl: server.url,
        authorityHost: server.url,
        complianceBaseUrl: server.url,
        caCertificatePem: server.caCertificatePem,
      },
      options,
    );
  /** Answers requests whose path contains `path` with `answer`, other requests normally. */
  const hostile = (path: string, answer: (res: http.ServerResponse) => void) => {
    server.intercept = (req, res) => {
      if (!req.path.includes(path)) return false;
      answer(res);
      return true;
    };
  };
  const json =
    (status: number, body: string, headers: Record<string, string> = {}) =>
    (res: http.ServerResponse) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(body);
    };
  const throttled = (retryAfter: string) =>
    json(429, JSON.stringify({ error: { code: "TooManyRequests", message: "slow down" } }), {
      "retry-after": retryAfter,
    });
  const drip = (res: http.ServerResponse) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"value":[');
    const timer = setInterval(() => res.write(" "), 50);
    res.on("close", () => clearInterval(timer));
  };
  /** The error `call` rejects with, and how long it took. */
  const failure = async (call: Promise<unknown>): Promise<{ error: GraphRequestError; ms: number }> => {
    const started = Date.now();
    const error = await call.then(
      () => {
        throw new Error("the call succeeded");
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GraphRequestError);
    return { error: error as GraphRequestError, ms: Date.now() - started };
  };

  beforeAll(async () => {
    server = await startTestServer();
    pem = await testAppPem();
  });
  afterEach(() => {
    server.intercept = undefined;
  });
  afterAll(() => server.close());

  it.each([
    ["GET a collection", "/v1.0/groups", (c: TenantConnection) => c.graph.list("/groups")],
    [
      "GET paced conditional access",
      "/conditionalAccess/policies",
      (c: TenantConnection) => c.graph.list("/identity/conditionalAccess/policies"),
    ],
    ["an S&C cmdlet", "/InvokeCommand", (c: TenantConnection) => c.compliance.invoke("Get-ComplianceTag")],
  ])(
    "a body dripped a byte at a time (%s) ends at the deadline, naming tenant and request",
    async (_name, path, call) => {
      const tenant = randomUUID();
      hostile(path, drip);
      const { error, ms } = await failure(call(connectNow(tenant)));
      expect(error.code).toBe("RequestDeadlineExceeded");
      expect(error.message).toContain(`tenant ${tenant}: no complete response within the 2.5 s one request may take`);
      expect(error.message).toContain(path.replace("/v1.0", ""));
      expect(error.message).toMatch(/run again later/);
      expect(ms).toBeLessThan(15_000);
    },
  );

  it("headers that never come end at the deadline too", async () => {
    const tenant = randomUUID();
    hostile("/v1.0/groups", () => undefined);
    const { error, ms } = await failure(connectNow(tenant).graph.get("/groups/g1"));
    expect(error.code).toBe("RequestDeadlineExceeded");
    expect(error.message).toContain(`GET /groups/g1 failed: 0 RequestDeadlineExceeded: tenant ${tenant}`);
    expect(ms).toBeLessThan(15_000);
  });

  it.each([
    ["in seconds, an SDK-retried GET", "/v1.0/groups", "100000", (c: TenantConnection) => c.graph.list("/groups")],
    [
      "an HTTP date in 2099",
      "/v1.0/groups",
      "Wed, 21 Oct 2099 07:28:00 GMT",
      (c: TenantConnection) => c.graph.get("/groups/g1"),
    ],
    [
      "paced conditional access",
      "/conditionalAccess/policies",
      "100000",
      (c: TenantConnection) => c.graph.list("/identity/conditionalAccess/policies"),
    ],
    [
      "a create (POST, throttle-only retries)",
      "/v1.0/groups",
      "100000",
      (c: TenantConnection) => c.graph.create("/groups", { displayName: "g" }),
    ],
    [
      "an S&C cmdlet",
      "/InvokeCommand",
      "100000",
      (c: TenantConnection) => c.compliance.invoke("Get-RetentionCompliancePolicy"),
    ],
  ])("a Retry-After over the cap (%s) is not waited for", async (_name, path, retryAfter, call) => {
    const tenant = randomUUID();
    hostile(path, throttled(retryAfter));
    const { error, ms } = await failure(call(connectNow(tenant)));
    expect(error.status).toBe(429);
    expect(error.message).toMatch(
      new RegExp(
        `tenant ${tenant}: Graph asked to wait \\d+ s before a retry \\(Retry-After\\), more than the 5 s this client waits`,
      ),
    );
    expect(error.message).toMatch(/run again later/);
    expect(ms).toBeLessThan(5_000);
  });

  it("a $batch item with a huge Retry-After gets its error, not a day's sleep", async () => {
    const tenant = randomUUID();
    server.faults.push({
      method: "BATCHITEM",
      pathIncludes: "/groups/g-huge",
      status: 429,
      retryAfter: "100000",
      count: 99,
    });
    const started = Date.now();
    const results = await connectNow(tenant).graph.batch([{ id: "g", url: "/groups/g-huge" }]);
    server.faults.length = 0;
    const result = results.get("g")!;
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toContain(
      `tenant ${tenant}: Graph asked to wait 100000 s before a retry`,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it.each([
    ["429 with a short Retry-After", "/v1.0/groups", throttled("1"), (c: TenantConnection) => c.graph.list("/groups")],
    [
      "503 on conditional access",
      "/conditionalAccess/policies",
      json(503, "{}"),
      (c: TenantConnection) => c.graph.list("/identity/conditionalAccess/policies"),
    ],
    [
      "503 from S&C",
      "/InvokeCommand",
      json(503, "{}"),
      (c: TenantConnection) => c.compliance.invoke("Get-ComplianceTag"),
    ],
  ])(
    "a server that keeps answering %s ends at the deadline with its last answer",
    async (_name, path, answer, call) => {
      const tenant = randomUUID();
      hostile(path, answer);
      const { error, ms } = await failure(call(connectNow(tenant)));
      expect(error.code).toBe("RequestDeadlineExceeded");
      expect(error.message).toMatch(
        new RegExp(`tenant ${tenant}: no complete response within .*; the last answer was (429|503) `),
      );
      expect(ms).toBeLessThan(15_000);
    },
  );

  it.each([
    ["value a string", { value: "abc" }, "the response's `value` is a string, not a list"],
    ["value an object", { value: {} }, "the response's `value` is an object, not a list"],
    ["value null", { value: null }, "the response's `value` is null, not a list"],
    ["value a number", { value: 5 }, "the response's `value` is a number, not a list"],
    ["no value", { "@odata.context": "x" }, "the collection response has no `value` list"],
    ["a list body", [{ id: "g1" }], "the response body is a list, not a JSON object"],
    ["a string body", "groups", "the response body is a string, not a JSON object"],
    ["a number body", 42, "the response body is a number, not a JSON object"],
    ["a null body", null, "the response body is null, not a JSON object"],
    ["a boolean body", true, "the response body is a boolean, not a JSON object"],
  ])("a 200 collection answer (%s) is an InvalidResponseBody error, not an empty list", async (_name, body, text) => {
    hostile("/v1.0/groups", json(200, JSON.stringify(body)));
    const { error } = await failure(connectNow(randomUUID()).graph.list("/groups"));
    expect(error.code).toBe("InvalidResponseBody");
    expect(error.message).toContain(
      `GET /groups failed: 200 InvalidResponseBody: ${text} (Microsoft Graph does not answer this way`,
    );
  });

  it.each([
    ["HTML from a proxy", "<html><body>502 Bad Gateway</body></html>", "the response is not JSON: <html>"],
    ["truncated JSON", '{"value":[{"id":"g1"', "the response is not JSON: "],
    ["empty", "", "the response body is empty, not a JSON object"],
    ["ANSI garbage", "\u001b[2J\u001b[31mhi", "the response is not JSON: "],
  ])("a 200 answer (%s) is an InvalidResponseBody error", async (_name, body, text) => {
    hostile("/v1.0/organization", json(200, body));
    const { error } = await failure(connectNow(randomUUID()).graph.get("/organization/o1"));
    expect(error.code).toBe("InvalidResponseBody");
    expect(error.message).toContain(text);
  });

  it.each([
    ["responses not a list", { responses: "x" }],
    ["no responses", {}],
  ])("a $batch answer (%s) fails the batch", async (_name, body) => {
    hostile("/v1.0/$batch", json(200, JSON.stringify(body)));
    const { error } = await failure(connectNow(randomUUID()).graph.batch([{ id: "a", url: "/groups/g1" }]));
    expect(error.code).toBe("InvalidResponseBody");
    expect(error.message).toContain(
      "POST /$batch failed: 200 InvalidResponseBody: the $batch response has no `responses` list",
    );
  });

  it.each([
    ["a string", "groups"],
    ["a list", [1]],
    ["null", null],
  ])("a $batch item whose 200 body is %s is that read's error", async (_name, body) => {
    hostile("/v1.0/$batch", json(200, JSON.stringify({ responses: [{ id: "1", status: 200, body }] })));
    const result = (await connectNow(randomUUID()).graph.batch([{ id: "a", url: "/groups/g1" }])).get("a")!;
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe("InvalidResponseBody");
  });

  it.each([
    ["a number", 42],
    ["a string", "none"],
    ["null", null],
    ["a value that is not a list", { value: "x" }],
  ])("an S&C page that is %s is an error, not no objects", async (_name, body) => {
    hostile("/InvokeCommand", json(200, JSON.stringify(body)));
    const { error } = await failure(connectNow(randomUUID()).compliance.invoke("Get-ComplianceTag"));
    expect(error.code).toBe("InvalidResponseBody");
    expect(error.message).toContain("POST /InvokeCommand (Get-ComplianceTag) failed: 200 InvalidResponseBody");
  });

  describe("check", () => {
    const compiled = (tenantId: string, stack: string): CompiledTenant => ({
      stack,
      tenantId,
      primaryDomain: `${stack}.onmicrosoft.com`,
      displayName: stack,
      baseline: "msp-standard",
      resources: [],
      outcomes: [],
    });
    const target = (tenantId: string, stack: string, options: ClientOptions = QUICK): CheckTarget => {
      for (const path of ["/identity/conditionalAccess/policies", "/identity/conditionalAccess/namedLocations"])
        server.store.set(`${tenantId}|${path}`, []);
      return {
        stack,
        compiled: compiled(tenantId, stack),
        exceptions: [],
        connect: (limits) => connectNow(tenantId, { ...options, connectionDeadlineMs: limits.deadlineMs }),
      };
    };
    const check = (targets: CheckTarget[], tenantDeadlineMs?: number) =>
      runCheck(targets, { concurrency: 4, controls: new Map(), baselineVersion: "t", tenantDeadlineMs });

    it("a tenant whose server drips is an error row naming it and the request; the other tenant is checked", async () => {
      const slow = randomUUID();
      const fine = randomUUID();
      server.intercept = (req, res) => {
        if (req.tenantId !== slow || !req.path.includes("/conditionalAccess/policies")) return false;
        drip(res);
        return true;
      };
      const started = Date.now();
      const report = await check([target(slow, "slow"), target(fine, "fine")]);
      expect(Date.now() - started).toBeLessThan(20_000);
      const [a, b] = report.tenants;
      expect(a!.status).toBe("error");
      expect(a!.error).toContain(
        `GET /identity/conditionalAccess/policies failed: 0 RequestDeadlineExceeded: tenant ${slow}`,
      );
      expect(b!.status).toBe("compliant");
      expect(b!.error).toBeUndefined();
    });

    it("the tenant's own deadline bounds every call, whatever the request deadline", async () => {
      const slow = randomUUID();
      hostile("/conditionalAccess/policies", drip);
      const report = await check([target(slow, "slow", { ...QUICK, requestDeadlineMs: 60_000 })], 1200);
      expect(report.tenants[0]!.error).toContain(
        `tenant ${slow}: no complete response within the 1.2 s this tenant's connection may take`,
      );
    });

    it("a collection read whose value is not a list fails the tenant instead of reading as nothing", async () => {
      const t = randomUUID();
      hostile("/conditionalAccess/policies", json(200, JSON.stringify({ value: { id: "p1" } })));
      const report = await check([target(t, "odd")]);
      expect(report.tenants[0]!.status).toBe("error");
      expect(report.tenants[0]!.error).toContain(
        "InvalidResponseBody: the response's `value` is an object, not a list",
      );
    });

    it("a tenant whose reads never settle (e.g. a hung sign-in) is ended by the backstop", async () => {
      const never = new Promise<never>(() => undefined);
      const stuck: CheckTarget = {
        stack: "stuck",
        compiled: compiled(randomUUID(), "stuck"),
        exceptions: [],
        connect: () =>
          ({
            tenantId: "x",
            graph: { list: () => never, batch: () => never },
            compliance: { invoke: () => never },
          }) as unknown as TenantConnection,
      };
      const report = await check([stuck], 200);
      expect(report.tenants[0]!.error).toContain("(stack stuck): the check did not finish within 0.2 s");
    });
  });
});
