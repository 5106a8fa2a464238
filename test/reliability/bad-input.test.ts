import { writeFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { checkTargets, controlInfo } from "../../src/check/targets";
import { runCheck } from "../../src/check";
import { startEmulator } from "../../src/emulator";
import { ValidationError, formatIssue } from "../../src/errors";
import { stackKeys } from "../../src/stack/schema";
import { loadAllTenants, loadTenant } from "../../src/tenant";
import { hasStackTrace, runCli } from "../support/cli";
import { exampleConfig, tempRepo } from "../support/repo";

const TODAY = "2026-11-23";
const repo = tempRepo(
  {},
  {
    "assets-local/huge.png": Buffer.concat([
      Buffer.from("89504e470d0a1a0a0000000d49484452000007800000043808020000", "hex"),
      Buffer.alloc(400 * 1024),
    ]),
    "assets-local/notes.txt": "not an image",
    "assets-local/style.css": "body{}",
  },
);
afterAll(repo.cleanup);

/** Writes a stack and returns the ValidationError it must produce (or fails the test). */
function refusal(config: unknown, raw?: string): ValidationError {
  writeFileSync(`${repo.root}/stacks/Pulumi.x.yaml`, raw ?? stringify({ config }));
  try {
    loadTenant(repo.root, "x", TODAY);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw new Error(`not a ValidationError: ${String(error)}`);
  }
  throw new Error("the stack was accepted");
}

const expectNamed = (e: ValidationError) => {
  expect(e.issues.length).toBeGreaterThan(0);
  for (const issue of e.issues) {
    expect(issue.file).toBe("stacks/Pulumi.x.yaml");
    expect(issue.message.length).toBeGreaterThan(3);
    expect(issue.fix.length).toBeGreaterThan(3);
    expect(formatIssue(issue)).not.toContain("[object Object]");
  }
};

const KEYS = Object.keys(stackKeys).filter((k) => !["certificatePem", "certificatePfx"].includes(k));
const WRONG = [42, true, null, [], ["x"], { nested: 1 }, "", "text", -1, 1.5];

describe("property-based: every stack key given a wrong value is refused with that key named", () => {
  it("200 generated wrong-value cases", () => {
    let refused = 0;
    fc.assert(
      fc.property(fc.constantFrom(...KEYS), fc.constantFrom(...WRONG), (key, value) => {
        const config = exampleConfig("contoso");
        const before = config[`m365-baseline:${key}`];
        if (JSON.stringify(before) === JSON.stringify(value)) return;
        config[`m365-baseline:${key}`] = value;
        let error: ValidationError;
        try {
          error = refusal(config);
        } catch (e) {
          // A few values are valid for optional keys (e.g. an empty list); those must then compile cleanly.
          if (String(e).includes("accepted")) return;
          throw e;
        }
        expectNamed(error);
        expect(
          error.issues.some((i) => i.path.startsWith(`m365-baseline:${key}`) || i.path === "m365-baseline:baseline"),
          error.message,
        ).toBe(true);
        refused++;
      }),
      { numRuns: 200, seed: 20261123 },
    );
    expect(refused).toBeGreaterThan(150);
  });
  it("unknown keys anywhere are named", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-zA-Z]{2,12}$/), (key) => {
        if (key in stackKeys) return;
        const config = { ...exampleConfig("contoso"), [`m365-baseline:${key}`]: "x" };
        expect(refusal(config).issues.map((i) => i.path)).toContain(`m365-baseline:${key}`);
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});

describe("hand-written bad input", () => {
  const cases: [string, string | undefined, (c: Record<string, unknown>) => void, RegExp][] = [
    ["malformed YAML", "config:\n  m365-baseline:tenantId: [unclosed\n", () => undefined, /invalid YAML/],
    [
      "duplicate keys",
      "config:\n  m365-baseline:displayName: a\n  m365-baseline:displayName: b\n",
      () => undefined,
      /invalid YAML/,
    ],
    ["not a mapping", "- just\n- a list\n", () => undefined, /not a YAML mapping/],
    ["no config", "encryptionsalt: abc\n", () => undefined, /missing 'config:'/],
    [
      "asset path traversal",
      undefined,
      (c) => {
        c["m365-baseline:branding"] = { assets: { favicon: "../../etc/hostname" } };
      },
      /outside the repository/,
    ],
    [
      "absolute asset path",
      undefined,
      (c) => {
        c["m365-baseline:branding"] = { assets: { favicon: "/etc/hostname" } };
      },
      /outside the repository/,
    ],
    [
      "oversized image",
      undefined,
      (c) => {
        c["m365-baseline:branding"] = { assets: { backgroundImage: "assets-local/huge.png" } };
      },
      /bytes; backgroundImage allows at most/,
    ],
    [
      "non-image asset",
      undefined,
      (c) => {
        c["m365-baseline:branding"] = { assets: { favicon: "assets-local/notes.txt" } };
      },
      /not a PNG or JPEG/,
    ],
    [
      "CSS as a logo",
      undefined,
      (c) => {
        c["m365-baseline:branding"] = { assets: { squareLogo: "assets-local/style.css" } };
      },
      /not a PNG or JPEG/,
    ],
    [
      "expired exception",
      undefined,
      (c) => {
        c["m365-baseline:exceptions"] = [
          { control: "CA01", reason: "legacy printers until replaced", expires: "2025-12-31" },
        ];
      },
      /expired on 2025-12-31/,
    ],
    [
      "missing break-glass",
      undefined,
      (c) => {
        delete c["m365-baseline:breakGlass"];
      },
      /expected object/,
    ],
    [
      "empty break-glass",
      undefined,
      (c) => {
        c["m365-baseline:breakGlass"] = { users: [] };
      },
      /at least one break-glass/,
    ],
    [
      "private key as backup certificate",
      undefined,
      (c) => {
        c["m365-baseline:backupApp"] = { certificateFile: "assets-local/notes.txt" };
      },
      /not a PEM certificate/,
    ],
  ];
  it.each(cases)("%s", (_name, raw, mutate, message) => {
    const config = exampleConfig("contoso");
    mutate(config);
    const e = refusal(config, raw);
    expectNamed(e);
    expect(e.message).toMatch(message);
  });
});

describe("the CLI and Microsoft never see bad input", () => {
  it("validate exits 1 with one line per problem and no stack trace", () => {
    const config = exampleConfig("fabrikam");
    config["m365-baseline:tenantId"] = "nope";
    config["m365-baseline:branding"] = { assets: { favicon: "../secret" } };
    writeFileSync(`${repo.root}/stacks/Pulumi.x.yaml`, stringify({ config }));
    const r = runCli(["validate", "--dir", repo.root, "--stack", "x"]);
    expect(r.code).toBe(1);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(
      r.stderr
        .trim()
        .split("\n")
        .every((l) => l.startsWith("stacks/Pulumi.x.yaml: m365-baseline:")),
    ).toBe(true);
  });
  it("check refuses before any request reaches the emulator", async () => {
    const emu = await startEmulator({});
    try {
      const config = exampleConfig("contoso");
      config["m365-baseline:breakGlass"] = { users: [] };
      writeFileSync(`${repo.root}/stacks/Pulumi.x.yaml`, stringify({ config }));
      let error: unknown;
      try {
        const tenants = loadAllTenants(repo.root, TODAY, ["x"]);
        await runCheck(checkTargets(repo.root, tenants, {}, { adjust: (_s, s) => ({ ...s, graphBaseUrl: emu.url }) }), {
          concurrency: 1,
          controls: controlInfo(),
          baselineVersion: "t",
        });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect(emu.requestLog()).toEqual([]);
    } finally {
      await emu.close();
    }
  });
});
