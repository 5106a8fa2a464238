/** A stack file's config as the Pulumi engine hands it to the program (strings; secrets as dummies). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/** `m365-baseline:<key>` → string, objects as JSON, `secure:` values replaced by a placeholder. */
export function programConfigFromFile(root: string, stack: string): Record<string, string> {
  const config = (
    parse(readFileSync(join(root, "stacks", `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> }
  ).config;
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => [
      k,
      v && typeof v === "object" && "secure" in v ? "bench-placeholder" : typeof v === "string" ? v : JSON.stringify(v),
    ]),
  );
}
