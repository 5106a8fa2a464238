/**
 * The readable plan: one row per desired object (control, object, stage, key settings) and one per control that
 * produces none.
 */
import type { CompiledTenant, DesiredResource } from "../core/desired";
import { safeText } from "../report/safe-text";
import { table } from "../report/table";
import { resourceDefinition } from "../resources";

/** Key settings of an object in a few words, in Graph's vocabulary (each resource type says how). */
export function keySettings(r: DesiredResource): string {
  return resourceDefinition(r.type).summary(r);
}

/** The plan as text; stack values (names, reasons) pass `safeText`, so none writes a control character raw. */
export function renderPlanTable(compiled: CompiledTenant): string {
  const rows: string[][] = [];
  for (const o of compiled.outcomes) {
    const own = compiled.resources.filter((r) => r.controlId === o.controlId);
    const note =
      o.status === "applied"
        ? ""
        : `${o.status}${o.reason ? `: ${o.reason}` : ""}${o.expires ? ` (until ${o.expires})` : ""}`;
    if (own.length === 0) rows.push([o.controlId, "—", o.stage, note || "nothing to apply in this tenant"]);
    for (const r of own)
      rows.push([
        o.controlId,
        `${r.type} "${r.naturalKey}"`,
        r.stage,
        [keySettings(r), note].filter(Boolean).join("; "),
      ]);
  }
  for (const r of compiled.resources.filter((x) => !compiled.outcomes.some((o) => o.controlId === x.controlId)))
    rows.push([r.controlId, `${r.type} "${r.naturalKey}"`, r.stage, keySettings(r)]);
  const heading = safeText(
    `${compiled.displayName} (${compiled.stack}, ${compiled.tenantId}) — baseline ${compiled.baseline}, ${compiled.resources.length} objects`,
  );
  const cells = rows.map((row) => row.map(safeText));
  return `${heading}\n\n${table(["Control", "Object", "Stage", "Key settings"], cells)}\n\nFull desired state in Graph's vocabulary: --json\n`;
}
