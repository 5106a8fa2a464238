/**
 * Progress of a long fleet run on stderr. On a terminal: one line rewritten in place (carriage return and ECMA-48
 * "erase in line", CSI 2 K). Elsewhere (CI logs, where a rewritten line would pile up as noise): a plain line every
 * `everyN` tenants or every `intervalMs`, whichever comes first. The formatter is pure; the writer only decides
 * when to write.
 */

/** How far a run has got. */
export interface ProgressState {
  readonly label: string;
  readonly done: number;
  readonly total: number;
  readonly errors: number;
  readonly elapsedMs: number;
}

/** `m:ss` (or `h:mm:ss` from an hour on). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/**
 * One line: `check: 12/40 tenants, 1 error, 0:30 elapsed, ETA 1:10`. The ETA assumes the remaining tenants take
 * as long on average as those done; it is left out until one is done.
 */
export function formatProgress(state: ProgressState): string {
  const errors = `${state.errors} error${state.errors === 1 ? "" : "s"}`;
  const eta =
    state.done === 0
      ? "ETA —"
      : state.done >= state.total
        ? "done"
        : `ETA ${formatDuration((state.elapsedMs / state.done) * (state.total - state.done))}`;
  const elapsed = formatDuration(state.elapsedMs);
  return `${state.label}: ${state.done}/${state.total} tenants, ${errors}, ${elapsed} elapsed, ${eta}`;
}

/** The part of a stream the writer uses (process.stderr, or a fake in tests). */
export interface ProgressStream {
  readonly isTTY?: boolean | undefined;
  write(text: string): unknown;
}

/** Options for `progressWriter`. */
export interface ProgressOptions {
  readonly label: string;
  readonly total: number;
  /** Without a terminal: a line every this many tenants (default 10)… */
  readonly everyN?: number | undefined;
  /** …or when this long has passed since the last line (default 10 s). */
  readonly intervalMs?: number | undefined;
  /** Injected clock in milliseconds (tests); defaults to `performance.now`. */
  readonly now?: (() => number) | undefined;
  /**
   * Calls `tick` periodically so the line moves while a slow tenant runs (default: an unref'd `setInterval`, 1 s on
   * a terminal and `intervalMs` in a log); tests pass a fake and call `tick` by hand. Returns a stop function.
   */
  readonly every?: ((ms: number, tick: () => void) => () => void) | undefined;
}

/** Counts tenants as they finish and writes progress to `stream`; call `finish` once at the end. */
export interface ProgressWriter {
  tenantDone(failed: boolean): void;
  /** Redraws the terminal line (elapsed time), or writes a log line if `intervalMs` passed without one. */
  tick(): void;
  finish(): void;
}

// An unref'd timer never keeps the process alive after the run (nodejs.org/api/timers.html#timeoutunref).
const realEvery = (ms: number, tick: () => void): (() => void) => {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
};

/** A writer for `stream`: an updating line on a TTY, periodic plain lines otherwise. */
export function progressWriter(stream: ProgressStream, options: ProgressOptions): ProgressWriter {
  const now = options.now ?? (() => performance.now());
  const everyN = Math.max(1, options.everyN ?? 10);
  const intervalMs = options.intervalMs ?? 10_000;
  const tty = stream.isTTY === true;
  const started = now();
  let lastLine = started;
  let done = 0;
  let errors = 0;
  let drawn = false;
  let finished = false;
  const line = () =>
    formatProgress({ label: options.label, done, total: options.total, errors, elapsedMs: now() - started });
  const draw = () => {
    stream.write(`\r\u001b[2K${line()}`);
    drawn = true;
  };
  const logLine = () => {
    stream.write(`${line()}\n`);
    lastLine = now();
  };
  const writer: ProgressWriter = {
    tenantDone(failed) {
      done++;
      if (failed) errors++;
      if (tty) draw();
      else if (done % everyN === 0 || now() - lastLine >= intervalMs) logLine();
    },
    tick() {
      if (finished) return;
      if (tty) draw();
      else if (now() - lastLine >= intervalMs) logLine();
    },
    finish() {
      if (finished) return;
      finished = true;
      stop();
      // On a terminal, end the updated line so the report starts on a fresh one; in a log the report says the end.
      if (tty && drawn) stream.write("\n");
    },
  };
  const stop = (options.every ?? realEvery)(tty ? 1_000 : intervalMs, () => writer.tick());
  return writer;
}
