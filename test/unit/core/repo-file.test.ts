import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadAsset } from "../../../src/core/assets";
import { repoFile } from "../../../src/core/repo-file";
import { checkPublicCertificate } from "../../../src/tenant/files";

const root = mkdtempSync(join(tmpdir(), "m365b-files-"));
const outside = mkdtempSync(join(tmpdir(), "m365b-outside-"));
mkdirSync(join(root, "baselines", "assets"), { recursive: true });
writeFileSync(join(root, "baselines", "assets", "site.css"), "body { color: #123; }");
writeFileSync(join(outside, "passwd"), "root:x:0:0:root:/root:/bin/bash\n");
symlinkSync(join(outside, "passwd"), join(root, "baselines", "assets", "evil.css"));
symlinkSync(outside, join(root, "baselines", "linked-dir"));
symlinkSync("site.css", join(root, "baselines", "assets", "alias.css"));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe("referenced files are regular files inside the repository", () => {
  it("refuses a symbolic link that leads outside, naming where it leads", () => {
    const r = loadAsset(root, "customCSS", "baselines/assets/evil.css");
    expect(r).toMatchObject({
      ok: false,
      message: expect.stringContaining("is a link to"),
      fix: expect.stringContaining("commit the file itself"),
    });
    expect(repoFile(root, "baselines/linked-dir/passwd").ok).toBe(false);
    expect(checkPublicCertificate(root, "baselines/linked-dir/passwd", "2026-12-03")?.message).toMatch(
      /outside the repository/,
    );
  });
  it("refuses .. and absolute paths and folders; accepts a file and a link that stays inside", () => {
    expect(repoFile(root, "../x").ok).toBe(false);
    expect(repoFile(root, "/etc/passwd").ok).toBe(false);
    expect(repoFile(root, "baselines/assets")).toMatchObject({
      ok: false,
      message: "baselines/assets is not a regular file",
    });
    expect(loadAsset(root, "customCSS", "baselines/assets/site.css").ok).toBe(true);
    expect(loadAsset(root, "customCSS", "baselines/assets/alias.css").ok).toBe(true);
  });
});
