/**
 * Promotion evidence in a pull request: a conditional-access control moved from reportOnly to enforce should come
 * with the file `m365-baseline promote --write` writes (docs/promotions/<stack>-<CONTROLS>-<date>.md), added or
 * changed in the same change. The review lists each such stage change with its evidence, or the command to run.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ReviewChange } from "./classify";

/** The folder `promote --write` writes its evidence into. */
export const PROMOTIONS_DIR = "docs/promotions";

/** Evidence files under `root/docs/promotions` → SHA-256 of their content, so a file the change left alone is known. */
export function promotionFiles(root: string): ReadonlyMap<string, string> {
  const dir = join(root, PROMOTIONS_DIR);
  if (!existsSync(dir)) return new Map();
  return new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith(".md"))
      .sort()
      .map((f) => [
        `${PROMOTIONS_DIR}/${f}`,
        createHash("sha256")
          .update(readFileSync(join(dir, f)))
          .digest("hex"),
      ]),
  );
}

/** One reportOnly → enforce stage change, with the evidence file this change adds for it (if any). */
export interface Promotion {
  readonly controlId: string;
  readonly evidence?: string | undefined;
}

/**
 * The promotions among `changes` of `stack`, each with an evidence file new or changed at the head whose name is
 * `<stack>-…<CONTROL>…-<YYYY-MM-DD>.md`; an evidence file already in the base is an earlier promotion's.
 */
export function promotionsOf(
  stack: string,
  changes: readonly ReviewChange[],
  head: ReadonlyMap<string, string>,
  base: ReadonlyMap<string, string>,
): Promotion[] {
  return changes
    .filter((c) => c.object === "outcome" && c.path === "stage" && c.before === "reportOnly" && c.after === "enforce")
    .map((c) => {
      const evidence = [...head].find(([file, digest]) => {
        if (base.get(file) === digest) return false;
        const name = file.slice(PROMOTIONS_DIR.length + 1);
        const m = /^(.+?)-((?:[A-Z]+\d{2}-)+)(\d{4}-\d{2}-\d{2})\.md$/.exec(name);
        return m !== null && m[1] === stack && m[2]!.split("-").includes(c.controlId);
      });
      return { controlId: c.controlId, evidence: evidence?.[0] };
    });
}
