/**
 * Reading a configuration file (a stack or a tenant group): YAML with positions, aliases that expand too far
 * refused, and the `config:` mapping returned with every problem found around it.
 */
import { LineCounter, parseDocument } from "yaml";
import { ValidationError, type Issue } from "../errors";
import { readStackFile } from "./files";

/** Reads `file` (repository-relative) and returns its `config:` map; throws ValidationError on any problem. */
export function readConfigMap(
  root: string,
  file: string,
  topLevel: ReadonlySet<string>,
  what: string,
): { config: Record<string, unknown>; issues: Issue[] } {
  const read = readStackFile(root, file);
  if (!read.ok) throw new ValidationError([read.issue]);
  const lines = new LineCounter();
  const document = parseDocument(read.text, { prettyErrors: false, uniqueKeys: true, lineCounter: lines });
  if (document.errors.length > 0) {
    throw new ValidationError(
      document.errors.map((e) => ({
        file,
        path: "",
        line: lines.linePos(e.pos[0]).line,
        column: lines.linePos(e.pos[0]).col,
        message: `invalid YAML: ${e.message.split("\n")[0]}`,
        fix: "fix the YAML syntax (indentation, quotes, duplicate keys)",
      })),
    );
  }
  let raw: unknown;
  try {
    raw = document.toJS();
  } catch (error) {
    // The yaml library refuses alias chains that expand past its limit (a "billion laughs" file) while converting.
    throw new ValidationError([
      {
        file,
        path: "",
        message: `invalid YAML: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
        fix: "write the values out instead of through YAML aliases (*name)",
      },
    ]);
  }
  const issues: Issue[] = [];
  if (!isObject(raw))
    throw new ValidationError([
      {
        file,
        path: "",
        message: "the file is not a YAML mapping",
        fix: "start with 'config:' followed by m365-baseline:<key> entries",
      },
    ]);
  for (const key of Object.keys(raw))
    if (!topLevel.has(key))
      issues.push({
        file,
        path: key,
        message: `unknown top-level key '${key}'`,
        fix: `${what} hold ${topLevel.size > 1 ? "'config:' (and Pulumi's encryption keys)" : "'config:'"} only`,
      });
  const config = raw["config"];
  if (!isObject(config)) {
    issues.push({
      file,
      path: "config",
      message: "missing 'config:' mapping",
      fix: "add 'config:' with the m365-baseline:<key> entries",
    });
    throw new ValidationError(issues);
  }
  return { config, issues };
}

/** A plain mapping (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
