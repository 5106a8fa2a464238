/**
 * Problems that do not stop a stack but that a reviewer should see: `validate` prints them and still exits 0.
 */
import type { Issue } from "../errors";
import type { LoadedStack } from "../stack/load";

/** The date one year after `today` (YYYY-MM-DD); 29 February rolls to 1 March. */
export function oneYearAfter(today: string): string {
  const [year, month, day] = today.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year + 1, month - 1, day)).toISOString().slice(0, 10);
}

/** Warnings for `stack` on `today`: exceptions that end more than a year ahead, which nobody will review in time. */
export function stackWarnings(stack: LoadedStack, today: string): Issue[] {
  const limit = oneYearAfter(today);
  return stack.config.exceptions.flatMap((e, i) =>
    e.expires > limit
      ? [
          {
            file: stack.file,
            path: `m365-baseline:exceptions[${i}].expires`,
            message: `exception for ${e.control} runs until ${e.expires}, more than a year from today (${today})`,
            fix: `set an expiry on or before ${limit} and extend it after the next review`,
          },
        ]
      : [],
  );
}
