/**
 * `m365-baseline emulator` as a user runs it: it prints the URL, the CA certificate it wrote and curl
 * lines, answers over HTTPS with that certificate, keeps its state in --data, and stops on Ctrl-C.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import * as https from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { JsonProbe } from "../../support/json";
import { REPO } from "../../support/repo";

function get(
  url: string,
  ca: string,
  options: { method?: string; body?: string; token?: string } = {},
): Promise<{ status: number; json: JsonProbe }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: options.method ?? "GET",
        ca,
        headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
      },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString("utf8")));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on("error", reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

describe("emulator command", () => {
  it("serves the seeded tenants over HTTPS with the CA it printed, persists to --data and exits 0 on SIGINT", async () => {
    const data = mkdtempSync(join(tmpdir(), "m365b-emulator-cli-"));
    const child = spawn(
      process.execPath,
      [join(REPO, "src/cli/bin.js"), "emulator", "--port", "0", "--data", data, "--dev-tokens"],
      { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start line in time: ${stdout}${stderr}`)), 30_000);
      child.stdout.on("data", (c: Buffer) => {
        stdout += c.toString("utf8");
        if (stdout.includes("Ctrl-C")) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    try {
      const url = /listening on (https:\/\/localhost:\d+)/.exec(stdout)![1]!;
      const caFile = /CA certificate: (\S+)/.exec(stdout)![1]!;
      expect(caFile).toBe(join(data, "emulator-ca.pem"));
      expect(stdout).toMatch(
        /curl -s --cacert \S+ -X POST -d '\{"tenantId":"6b0c3a52-7a3e-4d0b-9f0e-1c2d3e4f5a61"\}' https:\/\/localhost:\d+\/_emulator\/token/,
      );
      const ca = readFileSync(caFile, "utf8");
      const health = await get(`${url}/_emulator/health`, ca);
      expect(health.json.tenants.map((t: { displayName: string }) => t.displayName)).toEqual([
        "Contoso Ltd",
        "Fabrikam Inc",
      ]);
      const token = (
        await get(`${url}/_emulator/token`, ca, {
          method: "POST",
          body: JSON.stringify({ tenantId: "9d8e7f60-1b2c-4d3e-8f4a-5b6c7d8e9f02" }),
        })
      ).json.access_token as string;
      expect((await get(`${url}/v1.0/organization`, ca, { token })).json.value[0].displayName).toBe("Fabrikam Inc");
      expect(existsSync(join(data, "state.json"))).toBe(true);
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe("");
  });
});
