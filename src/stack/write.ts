/**
 * Changes one `m365-baseline:` key of a stack file in place, keeping its comments and layout (the yaml package's
 * Document API), and replaces the file atomically so an interrupted write never leaves half a stack.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { InternalError } from "../errors";

/**
 * Sets `config["m365-baseline:<key>"]` of the stack file at `root/file` to `value`, or removes it for `undefined`;
 * `within` reaches into the key's map (`["CA02"]` under `stages`), so the map's other entries and comments stay.
 */
export function setStackKey(root: string, file: string, key: string, value: unknown, within: string[] = []): void {
  const path = join(root, file);
  const document = parseDocument(readFileSync(path, "utf8"));
  if (document.errors.length > 0) throw new InternalError(`${file} no longer parses; it was valid when read`);
  const at = ["config", `m365-baseline:${key}`, ...within];
  if (value === undefined) document.deleteIn(at);
  else document.setIn(at, document.createNode(value));
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, String(document));
  renameSync(temporary, path);
}
