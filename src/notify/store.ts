/**
 * The check history directory: one JSON file per run, named by the run's UTC time so that name order is time order
 * (`2026-12-04T20-15-00.123Z.json`). Written atomically (a temporary file in the same directory, then rename, which
 * POSIX makes atomic on one file system: https://pubs.opengroup.org/onlinepubs/9799919799/functions/rename.html), so
 * a reader never sees half a run; bounded by pruning the oldest files.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ValidationError } from "../errors";
import { HISTORY_SCHEMA, runFileStem, type HistoryRun } from "./history";

/** The default of `--history-keep`: about three months of nightly runs. */
export const DEFAULT_HISTORY_KEEP = 90;

/** A history file's name: the run's time with `-` for `:`, optional milliseconds, `Z`, `.json`. */
const RUN_FILE = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(\.\d{1,3})?Z\.json$/;

const difference = z.object({
  path: z.string(),
  desired: z.unknown().optional(),
  live: z.unknown().optional(),
  firstSeen: z.string(),
  unverified: z.literal(true).optional(),
});
const runSchema = z.object({
  schema: z.literal(HISTORY_SCHEMA),
  runAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not an ISO time"),
  baselineVersion: z.string(),
  tenants: z.array(
    z.object({
      stack: z.string(),
      tenantId: z.string(),
      displayName: z.string(),
      status: z.enum(["compliant", "drifted", "error"]),
      error: z.string().optional(),
      controls: z.array(
        z.object({
          controlId: z.string(),
          title: z.string(),
          status: z.enum(["compliant", "drifted", "missing", "notLicensed", "excepted", "error"]),
          differences: z.array(difference),
          message: z.string().optional(),
          exception: z
            .object({ reason: z.string(), expires: z.string(), properties: z.array(z.string()).optional() })
            .optional(),
        }),
      ),
    }),
  ),
});

/** The run files in `dir`, oldest first (other files are left alone). */
export function runFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return names.filter((n) => RUN_FILE.test(n)).sort();
}

/** The newest run in `dir`, or undefined when there is none; a file that is not a history run is a ValidationError. */
export function readLatestRun(dir: string): HistoryRun | undefined {
  const name = runFiles(dir).at(-1);
  return name === undefined ? undefined : readRun(join(dir, name));
}

/**
 * The newest `last` runs in `dir`, oldest first, each passed through `map` as soon as it is read (so a caller that
 * needs a little of each run never holds them all), for the dashboard's drift over time. A file that is not a history
 * run is skipped and named in `invalid` rather than thrown: the dashboard is still useful without it, and the next run
 * only reads the newest (which `readLatestRun` validated before any tenant was called).
 */
export function readRuns<T = HistoryRun>(
  dir: string,
  last = Infinity,
  map: (run: HistoryRun) => T = (run) => run as T,
): { runs: T[]; invalid: string[] } {
  const runs: T[] = [];
  const invalid: string[] = [];
  const files = runFiles(dir);
  for (const name of files.slice(Math.max(0, files.length - last)))
    try {
      runs.push(map(readRun(join(dir, name))));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      invalid.push(name);
    }
  return { runs, invalid };
}

/** The run in `file`; a file that is not a history run is a ValidationError. */
function readRun(file: string): HistoryRun {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw invalid(file, error instanceof Error ? error.message : String(error));
  }
  const result = runSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw invalid(file, `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`);
  }
  return result.data as HistoryRun;
}

/** Writes `run` into `dir` (created if needed) atomically and returns the file's path; never overwrites a run. */
export function writeRun(dir: string, run: HistoryRun): string {
  mkdirSync(dir, { recursive: true });
  const existing = new Set(runFiles(dir));
  // Two runs in the same millisecond (scripts, tests) get the next free millisecond rather than overwrite.
  let at = Date.parse(run.runAt);
  while (existing.has(`${runFileStem(new Date(at).toISOString())}.json`)) at += 1;
  const file = join(dir, `${runFileStem(new Date(at).toISOString())}.json`);
  // A dot file is never matched as a run, so an interrupted write leaves nothing a later run reads.
  const temp = join(dir, `.tmp-${process.pid}-${Date.now()}.json`);
  try {
    writeFileSync(temp, `${JSON.stringify(run, null, 1)}\n`, { flag: "wx" });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  return file;
}

/** Deletes all but the newest `keep` run files in `dir` and returns the names deleted. */
export function pruneRuns(dir: string, keep: number): string[] {
  const files = runFiles(dir);
  const old = files.slice(0, Math.max(0, files.length - keep));
  for (const name of old) rmSync(join(dir, name), { force: true });
  return old;
}

function invalid(file: string, message: string): ValidationError {
  return new ValidationError([
    {
      file,
      path: "",
      message: `is not a check history run: ${message}`,
      fix: "move the file out of the history directory (the next run then starts a new history) or restore it",
    },
  ]);
}
