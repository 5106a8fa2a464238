/** Secure Score in a check report: Microsoft's own scoring of the improvement actions the baseline addresses. */
import type { LiveSnapshot } from "./snapshot";
import type { ControlResult, SecureScoreSummary } from "../report/types";
import type { ControlInfo } from "./evaluate";

/**
 * The tenant's Secure Score as Microsoft computes it: an improvement action is met when its control score reaches the
 * profile's maxScore (secureScore.controlScores, secureScoreControlProfiles), not when our control is compliant; the
 * points the baseline's unmet actions would add, and the actions no baseline control addresses.
 */
export function secureScore(
  live: LiveSnapshot,
  results: readonly ControlResult[],
  controls: ReadonlyMap<string, ControlInfo>,
): SecureScoreSummary | undefined {
  if (!live.secureScore) return undefined;
  const addressedBy = new Map<string, string[]>();
  for (const info of controls.values())
    for (const name of info.secureScore) addressedBy.set(name, [...(addressedBy.get(name) ?? []), info.id]);
  const status = new Map(results.map((r) => [r.controlId, r.status]));
  const scores = new Map(
    (live.secureScore.controlScores ?? []).map((c) => [String(c.controlName), Number(c.score ?? 0)]),
  );
  const profiles = new Map(live.secureScoreControlProfiles.map((p) => [String(p.id), p]));
  const points = (controlName: string) => {
    const maxScore = profiles.get(controlName)?.maxScore;
    return { score: scores.get(controlName), maxScore: typeof maxScore === "number" ? maxScore : undefined };
  };
  const actions = [...addressedBy.keys()]
    .sort()
    .map((controlName) => {
      const ids = addressedBy
        .get(controlName)!
        .filter((id) => status.has(id))
        .sort();
      const { score, maxScore } = points(controlName);
      return {
        controlName,
        addressedBy: ids,
        met: score !== undefined && maxScore !== undefined && score >= maxScore,
        score,
        maxScore,
        baselineCompliant: ids.length > 0 && ids.every((id) => status.get(id) === "compliant"),
      };
    })
    .filter((a) => a.addressedBy.length > 0);
  const gain = (a: { score?: number | undefined; maxScore?: number | undefined }) =>
    Math.max(0, (a.maxScore ?? 0) - (a.score ?? 0));
  const notAddressed = [...profiles.values()]
    .filter((p) => p.deprecated !== true && !addressedBy.has(String(p.id)))
    .map((p) => ({ controlName: String(p.id), ...points(String(p.id)) }))
    .filter((a) => gain(a) > 0)
    .sort((a, b) => gain(b) - gain(a) || a.controlName.localeCompare(b.controlName));
  return {
    currentScore: Number(live.secureScore.currentScore ?? 0),
    maxScore: Number(live.secureScore.maxScore ?? 0),
    actions,
    gainByBaseline: actions.filter((a) => !a.met).reduce((sum, a) => sum + gain(a), 0),
    notAddressed,
  };
}
