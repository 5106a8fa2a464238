/**
 * Sign-in log entries for the emulator, each a copy of Microsoft's example signIn
 * (https://learn.microsoft.com/graph/api/signin-list, "Example 1: List all sign-ins", response; fixture
 * test/fixtures/graph/sign-in.json) with its own id, time, user and applied conditional-access results.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "./repo";

const EXAMPLE = JSON.parse(readFileSync(join(REPO, "test/fixtures/graph/sign-in.json"), "utf8")) as Record<
  string,
  unknown
>;

/** One sign-in `daysAgo` days before `now` by `user`, with `results` as policy display name → result. */
export function signIn(
  user: string,
  daysAgo: number,
  results: Record<string, string>,
  now = Date.now(),
): Record<string, unknown> {
  return {
    ...EXAMPLE,
    id: randomUUID(),
    correlationId: randomUUID(),
    createdDateTime: new Date(now - daysAgo * 86_400_000).toISOString(),
    userPrincipalName: user,
    userDisplayName: user.split("@")[0],
    userId: `${user}-id`,
    appliedConditionalAccessPolicies: Object.entries(results).map(([displayName, result]) => ({
      id: randomUUID(),
      displayName,
      enforcedGrantControls: [],
      enforcedSessionControls: [],
      result,
    })),
  };
}
