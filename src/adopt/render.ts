/** The terminal view of an adoption plan: one line per Pulumi resource, then what to do next. */
import type { AdoptionRow } from "./index";
import { safeText } from "../report/safe-text";

const MAX_PATHS = 4;

/**
 * One line per row (action, type, Pulumi name, live id, the differences `up` will apply or the conflict's fix), each
 * line sanitised on its own so a live name cannot start a forged row.
 */
export function renderAdoption(stack: string, rows: readonly AdoptionRow[]): string {
  const count = (action: AdoptionRow["action"]) => rows.filter((r) => r.action === action).length;
  const counts = `${count("adopt")} adopt, ${count("create")} create, ${count("conflict")} conflict`;
  const head = `adopt ${stack}: ${rows.length} resources — ${counts}`;
  const width = Math.max(...rows.map((r) => r.name.length), 4);
  const typeWidth = Math.max(...rows.map((r) => r.type.length), 4);
  const lines = rows.map((r) => {
    const left = `  ${r.action.padEnd(8)} ${r.type.padEnd(typeWidth)} ${r.name.padEnd(width)}`;
    if (r.action === "create") return left;
    if (r.action === "conflict") return `${left}  ${r.reason} — fix: ${r.fix}`;
    const by = r.via === "provider" ? " (found by name by the provider)" : "";
    return `${left}  ${r.id}${by}${differences(r)}`;
  });
  return [head, ...lines].map((line) => safeText(line)).join("\n") + "\n";
}

function differences(r: AdoptionRow): string {
  const d = r.differences ?? [];
  if (d.length === 0) return r.differences ? "; up changes nothing in it" : "";
  const paths = [...new Set(d.map((x) => x.path))];
  const shown = paths.slice(0, MAX_PATHS).join(", ");
  const more = paths.length > MAX_PATHS ? ` and ${paths.length - MAX_PATHS} more` : "";
  return `; up will change ${shown}${more}`;
}

/** What to do after the plan: write it, run up, or remove the imports once up has adopted the objects. */
export function nextSteps(stack: string, file: string, imports: number, written: boolean): string {
  if (imports === 0) return "Nothing to import: pulumi up creates what is missing and our provider adopts the rest.\n";
  if (!written) return `Run again with --write to record ${imports} imports in ${file} (m365-baseline:imports).\n`;
  return (
    [
      `Wrote ${imports} imports to ${file} (m365-baseline:imports).`,
      `Next: pulumi up --stack ${stack} adopts these objects instead of creating copies.`,
      `After that up they are no longer needed: m365-baseline adopt --stack ${stack} --clear removes them.`,
    ].join("\n") + "\n"
  );
}
