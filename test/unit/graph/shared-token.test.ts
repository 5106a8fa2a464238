import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";
import { describe, expect, it } from "vitest";
import { SharedTokenCredential } from "../../../src/graph/credential";

/** A fake inner credential that records each call and answers when released. */
function recording(lifetimeMs = 3_600_000) {
  const calls: { scopes: string; options: GetTokenOptions | undefined; release: (ok: boolean) => void }[] = [];
  let issued = 0;
  const inner: TokenCredential = {
    getToken: (scopes, options) =>
      new Promise<AccessToken | null>((resolve, reject) => {
        calls.push({
          scopes: [scopes].flat().join(" "),
          options,
          release: (ok) =>
            ok
              ? resolve({ token: `t${++issued}`, expiresOnTimestamp: Date.now() + lifetimeMs })
              : reject(new Error("AADSTS700027: bad assertion")),
        });
      }),
  };
  return { inner, calls };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("SharedTokenCredential", () => {
  it("sends one token request per scope however many callers ask at once", async () => {
    const { inner, calls } = recording();
    const shared = new SharedTokenCredential(inner);
    const graph = Array.from({ length: 5 }, () => shared.getToken("https://graph.microsoft.com/.default"));
    await tick();
    expect(calls).toHaveLength(1);
    calls[0]!.release(true);
    const tokens = await Promise.all(graph);
    expect(new Set(tokens.map((t) => t?.token))).toEqual(new Set(["t1"]));
    // Cached afterwards: no new request.
    await shared.getToken("https://graph.microsoft.com/.default");
    expect(calls).toHaveLength(1);
  });

  it("starts a second scope only after the first request settled (the authority metadata is fetched once)", async () => {
    const { inner, calls } = recording();
    const shared = new SharedTokenCredential(inner);
    const graph = shared.getToken("https://graph.microsoft.com/.default");
    const compliance = shared.getToken("https://ps.compliance.protection.outlook.com/.default");
    await tick();
    expect(calls.map((c) => c.scopes)).toEqual(["https://graph.microsoft.com/.default"]);
    calls[0]!.release(true);
    await graph;
    await tick();
    expect(calls.map((c) => c.scopes)).toEqual([
      "https://graph.microsoft.com/.default",
      "https://ps.compliance.protection.outlook.com/.default",
    ]);
    calls[1]!.release(true);
    expect((await compliance)?.token).toBe("t2");
  });

  it("forgets a failed request so the next call tries again, and passes the error through", async () => {
    const { inner, calls } = recording();
    const shared = new SharedTokenCredential(inner);
    const first = shared.getToken("s");
    await tick();
    calls[0]!.release(false);
    await expect(first).rejects.toThrow(/AADSTS700027/);
    const second = shared.getToken("s");
    await tick();
    expect(calls).toHaveLength(2);
    calls[1]!.release(true);
    expect((await second)?.token).toBe("t1");
  });

  it("renews a token within five minutes of expiry and bypasses the cache for a claims challenge", async () => {
    const { inner, calls } = recording(4 * 60_000);
    const shared = new SharedTokenCredential(inner);
    const first = shared.getToken("s");
    await tick();
    calls[0]!.release(true);
    await first;
    const renewed = shared.getToken("s");
    await tick();
    expect(calls).toHaveLength(2);
    calls[1]!.release(true);
    await renewed;
    const challenged = shared.getToken("s", { claims: "eyJhY2Nlc3NfdG9rZW4iOnt9fQ" });
    await tick();
    expect(calls).toHaveLength(3);
    expect(calls[2]!.options?.claims).toBe("eyJhY2Nlc3NfdG9rZW4iOnt9fQ");
    calls[2]!.release(true);
    await challenged;
  });
});
