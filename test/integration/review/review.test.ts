import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { hasStackTrace, runCli } from "../../support/cli";
import { generatePem } from "../../support/graph-test-server";
import { REPO, exampleConfig } from "../../support/repo";

let root: string;
const git = (...args: string[]) =>
  execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const writeStack = (config: Record<string, unknown>) =>
  writeFileSync(join(root, "stacks", "Pulumi.fabrikam.yaml"), stringify({ config }));

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "m365b-review-repo-"));
  cpSync(join(REPO, "baselines"), join(root, "baselines"), { recursive: true });
  cpSync(join(REPO, "stacks"), join(root, "stacks"), { recursive: true });
  // The code is part of what a pull request changes: the base compiles with its own committed src/.
  cpSync(join(REPO, "src"), join(root, "src"), { recursive: true });
  for (const f of ["package.json", "tsconfig.json"]) cpSync(join(REPO, f), join(root, f));
  symlinkSync(join(REPO, "node_modules"), join(root, "node_modules"));
  writeFileSync(join(root, ".gitignore"), "node_modules\n");
  git("init", "-q", "-b", "main");
  git("-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".");
  git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "base");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("review --base main (a real git repository)", () => {
  it("no change: exit 0", () => {
    const r = runCli(["review", "--base", "main", "--dir", root, "--today", "2026-11-23"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
  it("an added exclusion covered by an unexpired exception passes (0) and is still listed as a weakening", () => {
    const c = exampleConfig("fabrikam");
    c["m365-baseline:overrides"] = { CA02: { excludeUsers: ["scanner@fabrikam.onmicrosoft.com"] } };
    c["m365-baseline:exceptions"] = [
      ...(c["m365-baseline:exceptions"] as unknown[]),
      { control: "CA02", reason: "scanner cannot do MFA until firmware 4.2", expires: "2027-01-31" },
    ];
    writeStack(c);
    const r = runCli(["review", "--base", "main", "--dir", root, "--today", "2026-11-23"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/weaken/i);
    expect(r.stdout).toContain("scanner@fabrikam.onmicrosoft.com");
  });
  it("a weakening whose exception has expired by the review date is refused with exit 3", () => {
    const r = runCli(["review", "--base", "main", "--dir", root, "--today", "2027-02-01"]);
    // The head no longer compiles on that date (expired exception is an error), so this is exit 1…
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("expired on 2027-01-31");
  });
  it("a stack pointed at a host other than Microsoft's is a weakening no exception excuses: exit 3", () => {
    const c = exampleConfig("fabrikam");
    c["m365-baseline:endpoints"] = {
      graph: "https://graph.attacker.example",
      authority: "https://login.microsoftonline.com",
      compliance: "https://ps.compliance.protection.outlook.com",
    };
    writeStack(c);
    const r = runCli(["review", "--base", "main", "--dir", root, "--today", "2026-11-23"]);
    expect(r.stdout).toMatch(
      /weakening \| endpoints \| endpoints `graph` \| — \| `https:\/\/graph\.attacker\.example` \| \*\*missing\*\*/,
    );
    expect(r.stdout).toMatch(/neutral \| endpoints \| endpoints `authority`/);
    expect(r.code).toBe(3);
  });
  it("a commit that turns MFA off for a tenant without an exception is flagged: exit 3, tenant and control named", () => {
    const c = exampleConfig("fabrikam");
    c["m365-baseline:stages"] = {
      ...(c["m365-baseline:stages"] as object),
      CA02: { off: "users complain about MFA prompts" },
    };
    writeStack(c);
    const r = runCli(["review", "--base", "main", "--dir", root, "--today", "2026-11-23"]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("fabrikam");
    expect(r.stdout).toMatch(/CA02/);
    expect(r.stdout).toMatch(/weaken/i);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
  it("a baseline edit that drops a control weakens every tenant: exit 3, Markdown names tenants and control", () => {
    writeStack(exampleConfig("fabrikam"));
    const file = join(root, "baselines", "msp-standard.ts");
    writeFileSync(file, readFileSync(file, "utf8").replace(/^\s*CA05: \{ stage: "reportOnly" \},\n/m, ""));
    const r = runCli([
      "review",
      "--base",
      "main",
      "--dir",
      root,
      "--today",
      "2026-11-23",
      "--markdown",
      join(root, "review.md"),
      "--comment",
      join(root, "comment.md"),
    ]);
    expect(r.code).toBe(3);
    expect(readFileSync(join(root, "review.md"), "utf8")).toBe(r.stdout);
    // Under GitHub's comment limit, the comment is the review itself.
    expect(readFileSync(join(root, "comment.md"), "utf8")).toBe(r.stdout);
    expect(r.stdout).toContain("contoso");
    expect(r.stdout).toContain("fabrikam");
    expect(r.stdout).toMatch(/CA05/);
    const json = runCli(["review", "--base", "main", "--dir", root, "--today", "2026-11-23", "--format", "json"]);
    expect(json.code).toBe(3);
    const result = JSON.parse(json.stdout) as {
      exitCode: number;
      tenants: { stack: string; unexcused: { controlId: string }[] }[];
    };
    expect(result.exitCode).toBe(3);
    expect(result.tenants.find((t) => t.stack === "fabrikam")!.unexcused.map((c) => c.controlId)).toContain("CA05");
  });
  it("a change that makes a tenant need a permission it did not names it under 'Consent before merge'", () => {
    // Base: fabrikam without retention (committed); head: retention back on.
    const without = exampleConfig("fabrikam");
    without["m365-baseline:stages"] = {
      ...(without["m365-baseline:stages"] as object),
      RET01: { off: "retention starts next quarter" },
      RET02: { off: "retention starts next quarter" },
    };
    writeStack(without);
    git("checkout", "-q", "--", "baselines");
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-am", "fabrikam without retention");
    writeStack(exampleConfig("fabrikam"));
    const r = runCli(["review", "--base", "main", "--dir", root, "--today", "2026-11-23"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("**Consent before merge:**");
    expect(r.stdout).toContain("- Exchange.ManageAsApp (Office 365 Exchange Online): fabrikam");
    expect(r.stdout).toContain("- Compliance Administrator (Entra ID role): fabrikam");
    // What both sides need is not repeated.
    expect(r.stdout).not.toContain("Policy.Read.All (Microsoft Graph)");
  });
  it("a change under src/ (enforced policies compiled as disabled) is compared with the base's own code: exit 3", () => {
    git("checkout", "-q", "--", ".");
    writeStack(exampleConfig("fabrikam"));
    const file = join(root, "src", "controls", "conditional-access", "common.ts");
    const original = readFileSync(file, "utf8");
    writeFileSync(
      file,
      original.replace('return stage === "enforce" ? "enabled"', 'return stage === "enforce" ? "disabled"'),
    );
    try {
      // The pull request's own code runs the review (as CI checks out the head), so its compile is the head side.
      const r = spawnSync(
        process.execPath,
        [
          join(root, "src", "cli", "bin.js"),
          "review",
          "--base",
          "main",
          "--dir",
          root,
          "--today",
          "2026-11-23",
          "--format",
          "json",
        ],
        { cwd: root, encoding: "utf8" },
      );
      expect(r.status, r.stderr).toBe(3);
      const result = JSON.parse(r.stdout) as {
        tenants: { stack: string; unexcused: { controlId: string; description: string }[] }[];
      };
      const contoso = result.tenants.find((t) => t.stack === "contoso")!;
      // contoso enforces CA01, CA02, CA03 and CA09: each now compiles as disabled.
      expect([...new Set(contoso.unexcused.map((c) => c.controlId))].sort()).toEqual(["CA01", "CA02", "CA03", "CA09"]);
    } finally {
      writeFileSync(file, original);
    }
  });
  it("the backup app's certificate replaced behind the same path is a weakening naming both thumbprints: exit 3", async () => {
    git("checkout", "-q", "--", ".");
    writeStack(exampleConfig("fabrikam"));
    const file = join(root, "baselines", "certs", "veeam-backup.pem");
    const original = readFileSync(file, "utf8");
    writeFileSync(file, (await generatePem("someone else's backup app")).cert);
    try {
      const r = runCli(["review", "--base", "main", "--dir", root, "--today", "2026-11-23", "--format", "json"]);
      expect(r.code, r.stderr).toBe(3);
      const result = JSON.parse(r.stdout) as {
        tenants: { stack: string; unexcused: { controlId: string; summary: string }[] }[];
      };
      for (const t of result.tenants)
        expect(t.unexcused.map((c) => c.summary)).toContainEqual(
          expect.stringMatching(
            /^certificateFile: certificate replaced .*thumbprint:[0-9A-F]{40} → thumbprint:[0-9A-F]{40}$/,
          ),
        );
    } finally {
      writeFileSync(file, original);
    }
  });
  it("an unknown base ref is one actionable line", () => {
    const r = runCli(["review", "--base", "origin/nope", "--dir", root]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/fetch/i);
  });
});
