/**
 * `check --history --notify` through the real CLI against the embedded emulator (issue 19), with a local webhook
 * receiver: the first run of a history posts a baseline summary, an identical run posts nothing, a change made by hand
 * in a tenant posts exactly that drift, and undoing it posts it resolved.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSeeds, startEmulator, type RunningEmulator } from "../../../src/emulator";
import type { HistoryRun } from "../../../src/notify/history";
import type { CheckReport } from "../../../src/report/types";
import { hasStackTrace, runCli, runCliAsync, type CliResult } from "../../support/cli";
import { CONTOSO, FABRIKAM } from "../../support/emulator";
import { testAppPem } from "../../support/graph-connect";
import { exampleConfig, REPO, tempRepo } from "../../support/repo";

interface Post {
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: Record<string, unknown>;
}

let emu: RunningEmulator;
let receiver: Server;
let base: string;
const posts: Post[] = [];
let repo: { root: string; cleanup: () => void };
let pem: string;
const K = (key: string) => `m365-baseline:${key}`;

beforeAll(async () => {
  emu = await startEmulator({ tenants: readSeeds(join(REPO, "test/fixtures/tenants")), behaviour: { latencyMs: 0 } });
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      posts.push({
        path: req.url ?? "",
        contentType: req.headers["content-type"],
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>,
      });
      // Teams workflows answer 202 Accepted; a generic receiver 200; /down is a receiver that is down.
      if (req.url === "/down") res.writeHead(503, { "retry-after": "0" }).end();
      else res.writeHead(req.url === "/teams" ? 202 : 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const at = { graph: emu.url, authority: emu.url, compliance: emu.url, caCertificateFile: "emulator-ca.pem" };
  const contoso = exampleConfig("contoso");
  const fabrikam = exampleConfig("fabrikam");
  repo = tempRepo(
    { contoso: { ...contoso, [K("endpoints")]: at }, fabrikam: { ...fabrikam, [K("endpoints")]: at } },
    { "emulator-ca.pem": emu.caCertificatePem },
  );
  pem = await testAppPem();
  const clientId = (config: Record<string, unknown>) => (config[K("deployment")] as { clientId: string }).clientId;
  emu.registerClientCertificate(CONTOSO, clientId(contoso), pem);
  emu.registerClientCertificate(FABRIKAM, clientId(fabrikam), pem);
});
afterAll(async () => {
  repo.cleanup();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await emu.close();
});

const history = () => join(repo.root, "history");
const cli = (args: string[]): Promise<CliResult> =>
  runCliAsync(["check", "--json", "--dir", repo.root, ...args], repo.root, {
    M365B_CERTIFICATE_PEM: pem,
    M365B_ALLOW_ENDPOINTS: emu.url,
  });
const check = (...extra: string[]): Promise<CliResult> =>
  cli(["--all", "--history", history(), "--notify", `${base}/json`, "--notify", `teams+${base}/teams`, ...extra]);
const runFiles = () =>
  readdirSync(history())
    .filter((n) => n.endsWith(".json"))
    .sort();
const latestRun = () => JSON.parse(readFileSync(join(history(), runFiles().at(-1)!), "utf8")) as HistoryRun;
const jsonPosts = () => posts.filter((p) => p.path === "/json").map((p) => p.body);
const teamsPosts = () => posts.filter((p) => p.path === "/teams").map((p) => p.body);

describe("check --history --notify (sequential runs against one history)", () => {
  let first: CliResult;
  let firstReport: CheckReport;
  beforeAll(async () => {
    first = await check();
    firstReport = JSON.parse(first.stdout) as CheckReport;
  });

  it("the first run writes a run file and posts the baseline summary: every finding, to each webhook", () => {
    expect(hasStackTrace(first.stderr)).toBe(false);
    expect(first.code, first.stderr).toBe(2);
    expect(runFiles()).toHaveLength(1);
    expect(posts).toHaveLength(2);
    expect(posts.every((p) => p.contentType === "application/json; charset=utf-8")).toBe(true);
    const [body] = jsonPosts() as [{ firstRun: boolean; changes: { kind: string; stack: string; path: string }[] }];
    expect(body.firstRun).toBe(true);
    // fabrikam's drift, one change per difference (a missing control as one), as the report lists it.
    const fabrikam = firstReport.tenants.find((t) => t.stack === "fabrikam")!;
    const expected = fabrikam.controls.flatMap((c) => [
      ...(c.status === "missing" ? ["(missing)"] : []),
      ...c.differences.map((d) => d.path),
    ]);
    expect(body.changes.map((c) => c.path)).toEqual(expected);
    expect(new Set(body.changes.map((c) => `${c.kind} ${c.stack}`))).toEqual(new Set(["newDrift fabrikam"]));
    expect(teamsPosts()[0]).toMatchObject({
      type: "message",
      attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: { version: "1.4" } }],
    });
    expect(first.stderr).toContain(
      `notify: json http://127.0.0.1:${new URL(base).port}/…: sent ${expected.length} change(s)`,
    );
    // stdout is still exactly the report.
    expect(firstReport.summary).toMatchObject({ tenants: 2, compliant: 1, drifted: 1, errors: 0 });
  });

  it("an identical second run posts nothing", async () => {
    const r = await check();
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(": 0 change(s) since the previous run");
    expect(runFiles()).toHaveLength(2);
    expect(posts).toHaveLength(2);
  });

  it("a change by hand posts exactly that drift; firstSeen of older drift is carried forward", async () => {
    const policies = emu.tenant(CONTOSO).collections.conditionalAccessPolicies;
    const ca02 = policies.find((p) => String(p["displayName"]).startsWith("CA02"))!;
    const state = ca02["state"];
    ca02["state"] = "disabled";
    try {
      const html = join(repo.root, "fleet.html");
      const r = await check("--html", html);
      expect(r.code, r.stderr).toBe(2);
      expect(posts).toHaveLength(4);
      const run = latestRun();
      const body = jsonPosts()[1]!;
      expect(body).toEqual({
        schema: "m365-baseline.notify/v1",
        runAt: run.runAt,
        baselineVersion: run.baselineVersion,
        firstRun: false,
        summary: { newDrift: 1, resolvedDrift: 0, newErrors: 0, expiringExceptions: 0 },
        changes: [
          {
            kind: "newDrift",
            stack: "contoso",
            tenant: "Contoso Ltd",
            controlId: "CA02",
            title: expect.any(String),
            path: "state",
            desired: state,
            live: "disabled",
            firstSeen: run.runAt,
          },
        ],
      });
      const card = JSON.stringify(teamsPosts()[1]);
      expect(card).toContain(`Contoso Ltd (contoso) CA02 `);
      expect(card).toContain(
        `state: desired ${JSON.stringify(JSON.stringify(state)).slice(1, -1)}, live \\"disabled\\"`,
      );
      // fabrikam's drift has been there since the first run.
      const fabrikam = run.tenants.find((t) => t.stack === "fabrikam")!;
      const seen = new Set(fabrikam.controls.flatMap((c) => c.differences.map((d) => d.firstSeen)));
      expect([...seen]).toEqual([firstReport.generatedAt]);
      // The dashboard written by this run shows the three runs (this one included) and when each drift began.
      const page = readFileSync(html, "utf8");
      const open = '<script id="dashboard-data" type="application/json">';
      const data = JSON.parse(
        page.slice(page.indexOf(open) + open.length, page.indexOf("</script>", page.indexOf(open))),
      ).history as Record<string, { runs: { drifted: number }[]; firstSeen: [string, string, string][] }>;
      expect(data["contoso"]!.runs.map((x) => x.drifted)).toEqual([0, 0, 1]);
      expect(data["contoso"]!.firstSeen).toEqual([["CA02", "state", run.runAt]]);
      expect(new Set(data["fabrikam"]!.firstSeen.map((f) => f[2]))).toEqual(new Set([firstReport.generatedAt]));
    } finally {
      ca02["state"] = state;
    }
  });

  it("undoing it posts the drift resolved, and --history-keep prunes the oldest runs", async () => {
    const previous = latestRun();
    const r = await check("--history-keep", "2");
    expect(r.code, r.stderr).toBe(2);
    expect(posts).toHaveLength(6);
    expect((jsonPosts()[2] as { changes: unknown[] }).changes).toEqual([
      {
        kind: "resolvedDrift",
        stack: "contoso",
        tenant: "Contoso Ltd",
        controlId: "CA02",
        title: expect.any(String),
        path: "state",
        firstSeen: previous.runAt,
      },
    ]);
    expect(runFiles()).toHaveLength(2);
    // The history holds no credential: neither the certificate nor the webhook URLs.
    const text = readdirSync(history())
      .map((n) => readFileSync(join(history(), n), "utf8"))
      .join("\n");
    expect(text).not.toContain("PRIVATE KEY");
    expect(text).not.toContain(base);
  });
});

describe("a webhook that fails", () => {
  it("is retried once, reported on stderr, and fails a run that was otherwise compliant (exit 1)", async () => {
    const dir = join(repo.root, "history-down");
    const policies = emu.tenant(CONTOSO).collections.conditionalAccessPolicies;
    const ca02 = policies.find((p) => String(p["displayName"]).startsWith("CA02"))!;
    const state = ca02["state"];
    ca02["state"] = "disabled";
    try {
      const drifted = await cli(["--stack", "contoso", "--history", dir]);
      expect(drifted.code, drifted.stderr).toBe(2);
    } finally {
      ca02["state"] = state;
    }
    const before = posts.length;
    // Compliant again: the change (drift resolved) cannot be delivered.
    const r = await cli(["--stack", "contoso", "--history", dir, "--notify", `${base}/down`]);
    expect(posts.length - before).toBe(2);
    expect(r.stderr).toContain(`notify: json http://127.0.0.1:${new URL(base).port}/…: not sent: HTTP 503`);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as CheckReport).summary.compliant).toBe(1);
  });
});

describe("check --notify validation (before any tenant is called)", () => {
  it("--notify without --history is refused with the fix", () => {
    const r = runCli(["check", "--stack", "contoso", "--notify", "https://hooks.slack.com/services/T/B/SECRET"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--notify: needs --history");
    expect(r.stderr).toContain("add --history <dir>");
    expect(r.stderr).not.toContain("SECRET");
  });
  it("a plain-http webhook other than the loopback host and a bad --history-keep are refused", () => {
    const r = runCli([
      "check",
      "--stack",
      "contoso",
      "--history",
      "h",
      "--history-keep",
      "0",
      "--notify",
      "http://psa.example.com/hook/SECRET",
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--notify: http://psa.example.com/… is not an https URL");
    expect(r.stderr).toContain("--history-keep: '0' is not a positive integer");
    expect(r.stderr).not.toContain("SECRET");
  });
});
