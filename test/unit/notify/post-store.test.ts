import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/errors";
import { HISTORY_SCHEMA, type HistoryRun } from "../../../src/notify/history";
import { parseNotifyTarget, type NotifyTarget } from "../../../src/notify/payload";
import { MAX_RETRY_AFTER_MS, postWebhook, retryAfterMs } from "../../../src/notify/post";
import { pruneRuns, readLatestRun, readRuns, runFiles, writeRun } from "../../../src/notify/store";

const target = parseNotifyTarget("https://hooks.slack.com/services/T000/B000/SECRET") as NotifyTarget;

/** A fetch that answers each call with the next of `responses` and records what it was given. */
function fakeFetch(...responses: (Response | Error)[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const f = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = responses.shift()!;
    if (next instanceof Error) throw next;
    return next;
  }) as unknown as typeof fetch;
  return { f, calls };
}

describe("postWebhook", () => {
  it("POSTs the body as JSON, refusing redirects, with a timeout", async () => {
    const { f, calls } = fakeFetch(new Response("ok", { status: 200 }));
    expect(await postWebhook(target, { text: "hi" }, { fetch: f })).toEqual({ ok: true, status: 200 });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe("https://hooks.slack.com/services/T000/B000/SECRET");
    expect(calls[0]!.init).toMatchObject({
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: '{"text":"hi"}',
      redirect: "error",
    });
    expect(calls[0]!.init.signal).toBeInstanceOf(AbortSignal);
  });

  it("retries once on 429 after Retry-After, and once on 5xx", async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    const a = fakeFetch(
      new Response("", { status: 429, headers: { "retry-after": "2" } }),
      new Response(null, { status: 202 }),
    );
    expect(await postWebhook(target, {}, { fetch: a.f, sleep })).toEqual({ ok: true, status: 202 });
    const b = fakeFetch(new Response("", { status: 503 }), new Response("", { status: 502 }));
    expect(await postWebhook(target, {}, { fetch: b.f, sleep })).toEqual({ ok: false, error: "HTTP 502" });
    expect([a.calls.length, b.calls.length]).toEqual([2, 2]);
    expect(waits).toEqual([2000, 1000]);
  });

  it("does not retry a 4xx, and never puts the URL in an error", async () => {
    const a = fakeFetch(new Response("no such hook", { status: 404 }));
    expect(await postWebhook(target, {}, { fetch: a.f })).toEqual({ ok: false, error: "HTTP 404" });
    expect(a.calls).toHaveLength(1);
    const refused = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
    const b = fakeFetch(refused);
    expect(await postWebhook(target, {}, { fetch: b.f })).toEqual({
      ok: false,
      error: "request failed (ECONNREFUSED)",
    });
    const c = fakeFetch(new TypeError(`bad ${target.url}`));
    const result = await postWebhook(target, {}, { fetch: c.f });
    expect(JSON.stringify(result)).not.toContain("SECRET");
  });

  it("gives up after the timeout", async () => {
    const hang = (async (_url: string, init: RequestInit) =>
      new Promise((_, reject) =>
        init.signal!.addEventListener("abort", () => reject(init.signal!.reason as Error)),
      )) as unknown as typeof fetch;
    expect(await postWebhook(target, {}, { fetch: hang, timeoutMs: 50 })).toEqual({ ok: false, error: "timed out" });
  });

  it("reads Retry-After as seconds or an HTTP date, capped", () => {
    const now = Date.parse("2026-12-04T20:00:00Z");
    expect(retryAfterMs("3", now)).toBe(3000);
    expect(retryAfterMs("3600", now)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryAfterMs("Fri, 04 Dec 2026 20:00:02 GMT", now)).toBe(2000);
    expect(retryAfterMs("Fri, 04 Dec 2026 19:00:00 GMT", now)).toBe(0);
    expect(retryAfterMs(null, now)).toBe(1000);
    expect(retryAfterMs("soon", now)).toBe(1000);
  });
});

describe("history store", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const run = (runAt: string): HistoryRun => ({ schema: HISTORY_SCHEMA, runAt, baselineVersion: "abc", tenants: [] });

  it("writes one file per run named by its UTC time, atomically, and reads back the newest", () => {
    dir = join(mkdtempSync(join(tmpdir(), "m365b-history-")), "nested");
    expect(readLatestRun(dir)).toBeUndefined();
    const first = writeRun(dir, run("2026-12-04T20:15:00.000Z"));
    writeRun(dir, run("2026-12-03T20:15:00.000Z"));
    // The same millisecond again: the next free one, never an overwrite.
    const again = writeRun(dir, run("2026-12-04T20:15:00.000Z"));
    expect(first).toBe(join(dir, "2026-12-04T20-15-00.000Z.json"));
    expect(again).toBe(join(dir, "2026-12-04T20-15-00.001Z.json"));
    writeFileSync(join(dir, "notes.txt"), "operator's file");
    // No temporary file is left.
    expect(readdirSync(dir).sort()).toEqual([
      "2026-12-03T20-15-00.000Z.json",
      "2026-12-04T20-15-00.000Z.json",
      "2026-12-04T20-15-00.001Z.json",
      "notes.txt",
    ]);
    expect(readLatestRun(dir)).toEqual(run("2026-12-04T20:15:00.000Z"));
    expect(JSON.parse(readFileSync(first, "utf8"))).toEqual(run("2026-12-04T20:15:00.000Z"));
  });

  it("prunes all but the newest N runs and leaves other files alone", () => {
    dir = mkdtempSync(join(tmpdir(), "m365b-history-"));
    for (let d = 1; d <= 5; d++) writeRun(dir, run(`2026-12-0${d}T02:00:00.000Z`));
    writeFileSync(join(dir, "README"), "x");
    expect(pruneRuns(dir, 2)).toEqual([
      "2026-12-01T02-00-00.000Z.json",
      "2026-12-02T02-00-00.000Z.json",
      "2026-12-03T02-00-00.000Z.json",
    ]);
    expect(runFiles(dir)).toEqual(["2026-12-04T02-00-00.000Z.json", "2026-12-05T02-00-00.000Z.json"]);
    expect(readdirSync(dir)).toContain("README");
    expect(pruneRuns(dir, 90)).toEqual([]);
  });

  it("a newest file that is not a run is a ValidationError naming the file and the fix", () => {
    dir = mkdtempSync(join(tmpdir(), "m365b-history-"));
    writeFileSync(join(dir, "2026-12-04T02-00-00.000Z.json"), "{ truncated");
    expect(() => readLatestRun(dir)).toThrow(ValidationError);
    writeFileSync(join(dir, "2026-12-05T02-00-00.000Z.json"), JSON.stringify({ schema: "other" }));
    expect(() => readLatestRun(dir)).toThrow(
      /2026-12-05T02-00-00\.000Z\.json: is not a check history run: schema: .*move the file out/,
    );
  });

  it("reads every run for the dashboard, oldest first, naming the files that are not runs instead of failing", () => {
    dir = mkdtempSync(join(tmpdir(), "m365b-history-"));
    expect(readRuns(join(dir, "absent"))).toEqual({ runs: [], invalid: [] });
    writeRun(dir, run("2026-12-05T02:00:00.000Z"));
    writeRun(dir, run("2026-12-03T02:00:00.000Z"));
    writeFileSync(join(dir, "2026-12-04T02-00-00.000Z.json"), "{ truncated");
    expect(readRuns(dir)).toEqual({
      runs: [run("2026-12-03T02:00:00.000Z"), run("2026-12-05T02:00:00.000Z")],
      invalid: ["2026-12-04T02-00-00.000Z.json"],
    });
    // Only the newest `last`, each mapped as it is read.
    expect(readRuns(dir, 1, (r) => r.runAt)).toEqual({ runs: ["2026-12-05T02:00:00.000Z"], invalid: [] });
  });
});
