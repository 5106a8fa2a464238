/** Turns zod issues into the project's `Issue`s: file, dotted key path, message, and a fix. */
import type { z } from "zod";
import type { Issue } from "../errors";

/** Converts every zod issue under `prefix` (e.g. `m365-baseline:branding`) into an Issue for `file`. */
export function zodIssues(error: z.ZodError, file: string, prefix = ""): Issue[] {
  return issuesOf(error.issues, file, prefix);
}

function issuesOf(issues: readonly z.core.$ZodIssue[], file: string, prefix: string): Issue[] {
  return issues.flatMap((issue): Issue[] => {
    const path = joinPath(prefix, issue.path);
    // A union reports every form's issues; when the value has the shape of exactly one form (an object where the
    // other form is a word), that form's issues say what is wrong inside it, at their own key paths.
    const reached = issue.code === "invalid_union" ? issue.errors.filter((e) => !e.every(wrongForm)) : [];
    if (reached.length === 1) return issuesOf(reached[0]!, file, path);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        file,
        path: joinPath(path, [key]),
        message: `unknown key '${key}'`,
        fix: "remove it or correct the spelling (the stack file's JSON Schema is stacks/schema.json)",
      }));
    }
    if (issue.code === "invalid_key") {
      // zod reports the key's own problem (e.g. "must be a control id like CA01") one level down.
      const inner = issue.issues[0];
      return [
        { file, path, message: `invalid key: ${inner?.message ?? issue.message}`, fix: "correct the key's spelling" },
      ];
    }
    return [{ file, path, message: issue.message, fix: fixFor(issue) }];
  });
}

/** True when `issue` refuses the value as a whole for its type or literal (the value is in another form). */
function wrongForm(issue: z.core.$ZodIssue): boolean {
  return issue.path.length === 0 && (issue.code === "invalid_type" || issue.code === "invalid_value");
}

/** `a.b[0].c` from a prefix and a zod path. */
export function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const part of path)
    out = typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part);
  return out;
}

function fixFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? "add this required key" : `give a value of type ${issue.expected}`;
    case "invalid_value":
      return `use one of: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
      return `give at least ${String(issue.minimum)}${issue.origin === "array" ? " entries" : issue.origin === "string" ? " characters" : ""}`;
    case "too_big":
      return `give at most ${String(issue.maximum)}${issue.origin === "array" ? " entries" : issue.origin === "string" ? " characters" : ""}`;
    case "invalid_format":
      return `use the ${issue.format} format`;
    case "invalid_union":
      return "use one of the allowed forms (see stacks/schema.json)";
    case "custom":
      return typeof issue.params?.["fix"] === "string"
        ? issue.params["fix"]
        : "correct the value (see stacks/schema.json)";
    default:
      return "correct the value (see stacks/schema.json)";
  }
}
