/**
 * `review`: compiles every stack at a base git ref (with the base's own code) and in the working tree, classifies
 * each change per tenant, and decides whether the pull request weakens a tenant without an unexpired exception.
 */
import { tenantPermissions } from "../controls/permissions";
import { classifyTenant, isExcused, type ReviewChange, type ReviewSide } from "./classify";
import { compileWithOwnCode } from "./base-compile";
import { fileDigests } from "./files";
import { materializeRef } from "./git";
import { promotionFiles, promotionsOf, type Promotion } from "./promotions";

/** Compiles every stack found under a repository root; a stack that fails to compile maps to its error text. */
export type CompileAll = (root: string) => Promise<ReadonlyMap<string, ReviewSide | { readonly error: string }>>;

export interface TenantReview {
  readonly stack: string;
  readonly changes: readonly ReviewChange[];
  readonly weakenings: number;
  readonly strengthenings: number;
  /** Weakenings with no unexpired exception for their control in the head stack file. */
  readonly unexcused: readonly ReviewChange[];
  /** Permissions the head needs in this tenant that the base did not ("value (resource)"): consent before merging. */
  readonly newPermissions: readonly string[];
  /** reportOnly → enforce stage changes, each with the promotion evidence file this change adds, if any. */
  readonly promotions?: readonly Promotion[] | undefined;
  /** Compile error at the head (a broken stack blocks the review) or the base (reported only). */
  readonly error?: { readonly side: "base" | "head"; readonly message: string } | undefined;
}

export interface ReviewResult {
  readonly base: string;
  readonly tenants: readonly TenantReview[];
  /** 3 when a weakening has no matching unexpired exception, 1 when the head does not compile, else 0. */
  readonly exitCode: 0 | 1 | 3;
}

/**
 * Reviews the working tree at `repoRoot` against `baseRef` (`today` is YYYY-MM-DD): the head compiles with
 * `compileAll`, the base with `compileBase`, which defaults to the base tree's own code.
 */
export async function review(
  repoRoot: string,
  baseRef: string,
  compileAll: CompileAll,
  today: string,
  compileBase: CompileAll = compileWithOwnCode(today),
): Promise<ReviewResult> {
  const baseTree = materializeRef(repoRoot, baseRef);
  let baseSides: ReadonlyMap<string, ReviewSide | { readonly error: string }>;
  let basePromotions: ReadonlyMap<string, string>;
  try {
    baseSides = withFiles(await compileBase(baseTree.root), baseTree.root);
    basePromotions = promotionFiles(baseTree.root);
  } finally {
    baseTree.dispose();
  }
  const headSides = withFiles(await compileAll(repoRoot), repoRoot);
  const stacks = [...new Set([...baseSides.keys(), ...headSides.keys()])].sort();
  const headPromotions = promotionFiles(repoRoot);
  const tenants = stacks.map((stack) => {
    const t = reviewTenant(stack, baseSides.get(stack), headSides.get(stack), today);
    return { ...t, promotions: promotionsOf(stack, t.changes, headPromotions, basePromotions) };
  });
  const headBroken = tenants.some((t) => t.error?.side === "head");
  const unexcused = tenants.some((t) => t.unexcused.length > 0);
  return { base: baseRef, tenants, exitCode: headBroken ? 1 : unexcused ? 3 : 0 };
}

/** Adds the digests of the files each side refers to, read from that side's tree. */
function withFiles(
  sides: ReadonlyMap<string, ReviewSide | { readonly error: string }>,
  root: string,
): ReadonlyMap<string, ReviewSide | { readonly error: string }> {
  return new Map(
    [...sides].map(([name, side]) => [
      name,
      "error" in side ? side : { ...side, files: fileDigests(root, side.compiled) },
    ]),
  );
}

function reviewTenant(
  stack: string,
  base: ReviewSide | { readonly error: string } | undefined,
  head: ReviewSide | { readonly error: string } | undefined,
  today: string,
): TenantReview {
  if (head && "error" in head) {
    return {
      stack,
      changes: [],
      weakenings: 0,
      strengthenings: 0,
      unexcused: [],
      newPermissions: [],
      error: { side: "head", message: head.error },
    };
  }
  const baseError = base && "error" in base ? base.error : undefined;
  const changes = classifyTenant(base && !("error" in base) ? base : undefined, head);
  const exceptions = head?.exceptions ?? [];
  const unexcused = changes.filter((c) => c.kind === "weakening" && !isExcused(exceptions, c, today));
  const needs = (side: ReviewSide | undefined) =>
    side ? tenantPermissions(side.compiled.resources.map((r) => r.controlId)) : [];
  const before = new Set(needs(base && !("error" in base) ? base : undefined));
  // A tenant new in this change needs everything; one whose base did not compile is not compared.
  return {
    stack,
    changes,
    weakenings: changes.filter((c) => c.kind === "weakening").length,
    strengthenings: changes.filter((c) => c.kind === "strengthening").length,
    unexcused,
    newPermissions: baseError === undefined ? needs(head).filter((p) => !before.has(p)) : [],
    error: baseError === undefined ? undefined : { side: "base", message: baseError },
  };
}
