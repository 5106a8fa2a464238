import { describe, expect, it } from "vitest";
import { formatDuration, formatProgress, progressWriter } from "../../../src/cli/progress";

/** A stream that records writes, as a terminal (isTTY) or a CI log would receive them. */
function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (text: string) => writes.push(text) };
}

/** A timer the test fires by hand: records the period asked for and whether it was stopped. */
function fakeTimer() {
  const state = { ms: 0, stopped: false, tick: () => {} };
  const every = (ms: number, tick: () => void) => {
    state.ms = ms;
    state.tick = tick;
    return () => (state.stopped = true);
  };
  return { state, every };
}

/** A clock the test moves by hand. */
function clock() {
  let t = 1_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("formatProgress", () => {
  it("shows done/total, errors, elapsed and an ETA from the average so far", () => {
    expect(formatProgress({ label: "check", done: 10, total: 40, errors: 1, elapsedMs: 30_000 })).toBe(
      "check: 10/40 tenants, 1 error, 0:30 elapsed, ETA 1:30",
    );
    expect(formatProgress({ label: "check", done: 0, total: 40, errors: 0, elapsedMs: 2_000 })).toBe(
      "check: 0/40 tenants, 0 errors, 0:02 elapsed, ETA —",
    );
    expect(formatProgress({ label: "fleet up", done: 5, total: 5, errors: 2, elapsedMs: 61_000 })).toBe(
      "fleet up: 5/5 tenants, 2 errors, 1:01 elapsed, done",
    );
  });
  it("formats hours", () => {
    expect(formatDuration(3_723_000)).toBe("1:02:03");
    expect(formatDuration(-5)).toBe("0:00");
  });
});

describe("progressWriter", () => {
  it("on a TTY rewrites one line in place and ends it at finish", () => {
    const stream = fakeStream(true);
    const c = clock();
    const p = progressWriter(stream, { label: "check", total: 3, now: c.now, every: fakeTimer().every });
    c.advance(1_000);
    p.tenantDone(false);
    c.advance(1_000);
    p.tenantDone(true);
    p.finish();
    expect(stream.writes).toEqual([
      "\r\u001b[2Kcheck: 1/3 tenants, 0 errors, 0:01 elapsed, ETA 0:02",
      "\r\u001b[2Kcheck: 2/3 tenants, 1 error, 0:02 elapsed, ETA 0:01",
      "\n",
    ]);
  });
  it("without a TTY writes plain lines every N tenants or after the interval, never control characters", () => {
    const stream = fakeStream(false);
    const c = clock();
    const p = progressWriter(stream, {
      label: "check",
      total: 10,
      everyN: 3,
      intervalMs: 10_000,
      now: c.now,
      every: fakeTimer().every,
    });
    for (let i = 0; i < 4; i++) {
      c.advance(100);
      p.tenantDone(i === 1);
    }
    expect(stream.writes).toEqual(["check: 3/10 tenants, 1 error, 0:00 elapsed, ETA 0:01\n"]);
    c.advance(10_000);
    p.tenantDone(false);
    expect(stream.writes).toHaveLength(2);
    expect(stream.writes[1]).toBe("check: 5/10 tenants, 1 error, 0:10 elapsed, ETA 0:10\n");
    p.finish();
    expect(stream.writes).toHaveLength(2);
    for (const w of stream.writes) expect(w.includes("\r") || w.includes("\u001b")).toBe(false);
  });
  it("writes nothing for a short run in a log, so small CI runs stay quiet", () => {
    const stream = fakeStream(false);
    const p = progressWriter(stream, { label: "check", total: 2, every: fakeTimer().every });
    p.tenantDone(false);
    p.tenantDone(false);
    p.finish();
    expect(stream.writes).toEqual([]);
  });

  it("the timer redraws a terminal line every second, so elapsed moves while a slow tenant runs", () => {
    const stream = fakeStream(true);
    const c = clock();
    const timer = fakeTimer();
    const p = progressWriter(stream, { label: "check", total: 2, now: c.now, every: timer.every });
    expect(timer.state.ms).toBe(1_000);
    c.advance(3_000);
    timer.state.tick();
    expect(stream.writes).toEqual(["\r\u001b[2Kcheck: 0/2 tenants, 0 errors, 0:03 elapsed, ETA —"]);
    p.finish();
    expect(timer.state.stopped).toBe(true);
    timer.state.tick();
    expect(stream.writes).toEqual(["\r\u001b[2Kcheck: 0/2 tenants, 0 errors, 0:03 elapsed, ETA —", "\n"]);
  });
  it("in a log the timer writes a line only once the interval passed without one", () => {
    const stream = fakeStream(false);
    const c = clock();
    const timer = fakeTimer();
    const p = progressWriter(stream, {
      label: "fleet up",
      total: 4,
      intervalMs: 10_000,
      now: c.now,
      every: timer.every,
    });
    expect(timer.state.ms).toBe(10_000);
    c.advance(5_000);
    timer.state.tick();
    expect(stream.writes).toEqual([]);
    c.advance(5_000);
    timer.state.tick();
    expect(stream.writes).toEqual(["fleet up: 0/4 tenants, 0 errors, 0:10 elapsed, ETA —\n"]);
    c.advance(1_000);
    timer.state.tick();
    expect(stream.writes).toHaveLength(1);
    p.finish();
    expect(timer.state.stopped).toBe(true);
  });
});
