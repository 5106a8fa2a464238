/**
 * `compile(baseline, stack)`: the pure, deterministic heart of the tool. It merges each control's
 * baseline parameters with the tenant's overrides, applies rollout stages, licences and exceptions,
 * compiles desired resources in Graph's vocabulary, and refuses anything a guardrail forbids.
 */
import type { CompiledTenant, ControlOutcome, DesiredResource, RefToken, Stage } from "../core/desired";
import { ValidationError, type Issue } from "../errors";
import type { Baseline } from "../baseline/define";
import { findControl, type ControlId } from "../controls";
import type { CompileContext, ResourceDraft } from "../controls/types";
import { exceptionCovers } from "../core/exceptions";
import { OFFLINE_AUTO_LICENCES, type Licences } from "../core/licences";
import { resourceChanges } from "../resources/classify";
import type { StackConfig } from "../stack/schema";
import { zodIssues } from "../stack/issues";
import { stackParameters } from "../stack/parameters";
import { checkGuardrails } from "./guardrails";

export interface CompileOptions {
  /** The stack file, for messages (`stacks/Pulumi.contoso.yaml`). */
  readonly file: string;
  /** Stack name (`contoso`). */
  readonly stack: string;
  /** Today as YYYY-MM-DD: exceptions that ended before it are errors. */
  readonly today: string;
  /**
   * `review` compiles weakenings that have no exception instead of refusing them, so it can classify
   * them and fail the pull request with exit 3; apply paths (plan, program, check) never set this.
   */
  readonly allowUnexcusedWeakenings?: boolean | undefined;
  /**
   * For a stack with `licences: auto`: what the tenant's subscribedSkus give (check and the program read them first);
   * without it such a stack compiles with `OFFLINE_AUTO_LICENCES`. A stack that claims its licences ignores it.
   */
  readonly licences?: Licences | undefined;
}

/**
 * The pseudo-control that owns what conditional access needs in every tenant: the break-glass group and named
 * locations.
 */
export const SUPPORTING_CONTROL = {
  id: "CA00",
  title: "Break-glass group and named locations",
  severity: "critical",
} as const;

/** Compiles `stack` against `baseline`; throws one ValidationError listing every problem. */
export function compile(baseline: Baseline, stack: StackConfig, options: CompileOptions): CompiledTenant {
  const issues: Issue[] = [];
  const ns = "m365-baseline";
  const auto = stack.licences === "auto";
  const licences = stack.licences === "auto" ? (options.licences ?? OFFLINE_AUTO_LICENCES) : stack.licences;
  // Said in the outcome's reason, so a report shows where a derived "no" came from.
  const derived = auto && options.licences ? ", which the tenant's subscribedSkus do not include (licences: auto)" : "";
  const activeExceptions = stack.exceptions.filter((e) => e.expires >= options.today);
  stack.exceptions.forEach((e, i) => {
    if (e.expires < options.today)
      issues.push({
        file: options.file,
        path: `${ns}:exceptions[${i}].expires`,
        message: `exception for ${e.control} expired on ${e.expires}`,
        fix: "remove the exception, or extend it with a new reason and date after review",
      });
    if (!baseline.controls.has(e.control as ControlId))
      issues.push({
        file: options.file,
        path: `${ns}:exceptions[${i}].control`,
        message: `control '${e.control}' is not in baseline '${baseline.name}'`,
        fix: `use a control the baseline enables: ${[...baseline.controls.keys()].join(", ")}`,
      });
  });
  for (const [key, field] of [
    ["stages", stack.stages],
    ["overrides", stack.overrides],
  ] as const) {
    for (const id of Object.keys(field)) {
      if (!baseline.controls.has(id as ControlId))
        issues.push({
          file: options.file,
          path: `${ns}:${key}.${id}`,
          message: `control '${id}' is not in baseline '${baseline.name}'`,
          fix: `use a control the baseline enables: ${[...baseline.controls.keys()].join(", ")}`,
        });
    }
  }
  // A control's exception: any (for an outcome), or one that covers every given path (for weakenings).
  const excepted = (id: string, paths?: readonly string[]) =>
    activeExceptions.find((e) => e.control === id && (paths ?? []).every((p) => exceptionCovers(e, p)));
  const wholeControl = (id: string) => activeExceptions.find((e) => e.control === id && !e.properties);

  const stageOf = (id: ControlId, baselineStage: Exclude<Stage, "off">): { stage: Stage; reason?: string } => {
    const s = stack.stages[id];
    if (s === undefined) return { stage: baselineStage };
    return typeof s === "string" ? { stage: s } : { stage: "off", reason: s.off };
  };
  const conditionalAccessEnforced = [...baseline.controls].some(
    ([id, entry]) => findControl(id)?.conditionalAccess && stageOf(id, entry.stage).stage === "enforce",
  );
  const userRefs = [...stack.breakGlass.users].sort().map((u) => `ref:user/${u}` as RefToken);
  const groupRef = `ref:group/${stack.breakGlass.groupName}` as RefToken;
  const context = (stage: Stage): CompileContext => ({
    stackFile: options.file,
    tenantId: stack.tenantId,
    primaryDomain: stack.primaryDomain,
    stage,
    breakGlass: {
      groupRef,
      groupRefs: [groupRef, ...stack.breakGlass.groups.map((g) => `ref:group/${g}` as RefToken)].sort(),
      userRefs,
    },
    namedLocations: new Set(stack.namedLocations.map((l) => l.name)),
    conditionalAccessEnforced,
  });

  const resources: DesiredResource[] = [];
  const outcomes: ControlOutcome[] = [];
  let anyConditionalAccess = false;
  for (const [id, entry] of baseline.controls) {
    const control = findControl(id)!;
    const { stage, reason } = stageOf(id, entry.stage);
    const parameters = stackParameters(stack, id, control.stackSection);
    const overrideSource = `${ns}:${parameters.key}`;
    const merged = { ...entry.params, ...parameters.value };
    const effective = control.schema.safeParse(merged);
    if (!effective.success) {
      issues.push(...zodIssues(effective.error, options.file, overrideSource));
      continue;
    }
    const baselineParams = control.schema.safeParse(entry.params);
    // Only a stack that sets parameters can weaken them: otherwise the control is compiled once.
    const setsParameters = parameters.value !== undefined && Object.keys(parameters.value).length > 0;
    const weakening =
      setsParameters && baselineParams.success
        ? weakeningOf(
            control.compile(baselineParams.data, context(stage)),
            control.compile(effective.data, context(stage)),
            id,
          )
        : undefined;
    const stageWeakening =
      stage === "off"
        ? `turns ${id} off (${reason})`
        : entry.stage === "enforce" && stage === "reportOnly"
          ? `moves ${id} from enforce back to report-only`
          : undefined;
    // A stage change is the whole control's; a parameter weakening may be excused property by property.
    for (const [what, path, excuse] of [
      [weakening?.summary, overrideSource, excepted(id, weakening?.paths)],
      [stageWeakening, `${ns}:stages.${id}`, wholeControl(id)],
    ] as const) {
      if (what && !excuse && !options.allowUnexcusedWeakenings) {
        const scoped = activeExceptions.some((e) => e.control === id && e.properties);
        issues.push({
          file: options.file,
          path,
          message: `${what}: a weakening of baseline '${baseline.name}'`,
          fix: scoped
            ? `${id}'s exception names other properties: add ${(weakening?.paths ?? ["the whole control"]).join(", ")} to its properties (or drop properties for a stage change) after review, or remove the change`
            : `add an exception { control: ${id}, reason, expires } to ${ns}:exceptions after review, or remove the change`,
        });
      }
    }
    if (control.licence && !licences[control.licence === "P2" ? "entraIdP2" : "entraIdP1"]) {
      const reason = `requires Entra ID ${control.licence}${derived}`;
      outcomes.push({ controlId: id, status: "notLicensed", stage, reason });
      continue;
    }
    if (stage === "off") {
      const exception = wholeControl(id);
      outcomes.push({
        controlId: id,
        status: exception ? "excepted" : "off",
        stage,
        reason: exception?.reason ?? reason,
        expires: exception?.expires,
      });
      continue;
    }
    anyConditionalAccess ||= control.conditionalAccess;
    for (const draft of control.compile(effective.data, context(stage))) {
      resources.push({ ...draft, controlId: id, stage, dependsOn: [...(draft.dependsOn ?? [])] });
    }
    // An exception scoped to properties leaves the control applied: check excuses only those properties.
    const exception = wholeControl(id);
    outcomes.push(
      exception && (weakening || stageWeakening)
        ? { controlId: id, status: "excepted", stage, reason: exception.reason, expires: exception.expires }
        : { controlId: id, status: "applied", stage },
    );
  }

  if (anyConditionalAccess) {
    resources.unshift(...supportingResources(stack, context("enforce")));
    // The break-glass group and named locations are checked like a control (a member added by hand is drift).
    outcomes.unshift({ controlId: SUPPORTING_CONTROL.id, status: "applied", stage: "enforce" });
  }
  issues.push(...checkGuardrails(resources, stack, options.file));
  if (issues.length > 0) throw new ValidationError(issues);
  return {
    stack: options.stack,
    tenantId: stack.tenantId,
    primaryDomain: stack.primaryDomain,
    displayName: stack.displayName,
    baseline: baseline.name,
    resources: resources.sort(byName),
    outcomes,
  };
}

/** The break-glass group (created when missing, the documented practice) and the stack's named locations. */
function supportingResources(stack: StackConfig, context: CompileContext): DesiredResource[] {
  const group: DesiredResource = {
    name: "break-glass-group",
    controlId: "CA00",
    type: "group",
    naturalKey: stack.breakGlass.groupName,
    stage: "enforce",
    properties: {
      displayName: stack.breakGlass.groupName,
      description:
        "Emergency-access accounts excluded from every conditional-access policy (managed by m365-baseline).",
      mailEnabled: false,
      securityEnabled: true,
      mailNickname: "break-glass-m365-baseline",
      members: context.breakGlass.userRefs,
    },
    dependsOn: [],
  };
  const locations = stack.namedLocations.map((l): DesiredResource => ({
    name: `named-location-${l.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")}`,
    controlId: "CA00",
    type: "namedLocation",
    naturalKey: l.name,
    stage: "enforce",
    properties: l.ipRanges
      ? {
          "@odata.type": "#microsoft.graph.ipNamedLocation",
          displayName: l.name,
          isTrusted: l.trusted,
          ipRanges: [...l.ipRanges].sort().map((cidr) => ({
            "@odata.type": cidr.includes(":") ? "#microsoft.graph.iPv6CidrRange" : "#microsoft.graph.iPv4CidrRange",
            cidrAddress: cidr,
          })),
        }
      : {
          "@odata.type": "#microsoft.graph.countryNamedLocation",
          displayName: l.name,
          countriesAndRegions: [...(l.countries ?? [])].sort(),
          includeUnknownCountriesAndRegions: false,
        },
    dependsOn: [],
  }));
  return [group, ...locations];
}

/**
 * How the stack's parameters weaken the baseline's, by the resource types' own rules (the ones review applies):
 * both parameter sets compiled for this tenant, compared object by object; undefined when nothing weakens.
 */
function weakeningOf(
  baseline: readonly ResourceDraft[],
  effective: readonly ResourceDraft[],
  controlId: string,
): { summary: string; paths: string[] } | undefined {
  const resource = (d: ResourceDraft | undefined): DesiredResource | undefined =>
    d && { ...d, controlId, stage: "enforce", dependsOn: [] };
  const names = [...new Set([...baseline, ...effective].map((d) => d.name))].sort();
  const weaker = names.flatMap((name) =>
    resourceChanges(resource(baseline.find((d) => d.name === name)), resource(effective.find((d) => d.name === name)))
      .filter((c) => c.kind === "weakening")
      .map((c) => ({ summary: c.path ? c.summary : `${c.summary} (${name})`, path: c.path || name })),
  );
  if (weaker.length === 0) return undefined;
  return { summary: weaker.map((w) => w.summary).join("; "), paths: weaker.map((w) => w.path) };
}

function byName(a: DesiredResource, b: DesiredResource): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
