/** Stable Pulumi logical names from natural keys. */

/** Lower-case slug of `text`: letters, digits and single dashes. */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "x"
  );
}
