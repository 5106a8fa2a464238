import { constants, createHash, verify, X509Certificate } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { assertionSource } from "../../../src/graph/assertion";
import { ValidationError } from "../../../src/errors";

const selfsigned = require("selfsigned") as {
  generate(a: unknown, o: unknown): Promise<{ private: string; cert: string }>;
};

const CLIENT = "11111111-2222-3333-4444-555555555555";
const ENDPOINT = "https://login.microsoftonline.com/tenant/oauth2/v2.0/token";

function decode(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = jwt.split(".") as [string, string];
  return {
    header: JSON.parse(Buffer.from(h, "base64url").toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>,
  };
}

describe("client assertions", () => {
  afterEach(() => vi.useRealTimers());

  it("is a PS256 JWT naming the certificate's SHA-256 thumbprint, verifiable with its public key", async () => {
    const pem = await selfsigned.generate([{ name: "commonName", value: "t" }], { days: 1, keySize: 2048 });
    const jwt = await assertionSource(`${pem.private}\n${pem.cert}`, CLIENT, ENDPOINT)();
    const { header, payload } = decode(jwt);
    const certificate = new X509Certificate(pem.cert);
    expect(header).toEqual({
      alg: "PS256",
      typ: "JWT",
      "x5t#S256": createHash("sha256").update(certificate.raw).digest("base64url"),
    });
    expect(payload).toMatchObject({ aud: ENDPOINT, iss: CLIENT, sub: CLIENT });
    expect(Number(payload["exp"]) - Number(payload["nbf"])).toBe(600);
    const [h, p, s] = jwt.split(".") as [string, string, string];
    const signed = Buffer.from(`${h}.${p}`);
    const options = { key: certificate.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    expect(verify("sha256", signed, options, Buffer.from(s, "base64url"))).toBe(true);
  });

  it("serves one assertion until it nears expiry, then signs a new one", async () => {
    const pem = await selfsigned.generate([{ name: "commonName", value: "t" }], { days: 1, keySize: 2048 });
    vi.useFakeTimers({ now: new Date("2026-12-01T00:00:00Z"), toFake: ["Date"] });
    const next = assertionSource(`${pem.private}\n${pem.cert}`, CLIENT, ENDPOINT);
    const first = await next();
    vi.setSystemTime(new Date("2026-12-01T00:07:59Z"));
    expect(await next()).toBe(first);
    vi.setSystemTime(new Date("2026-12-01T00:08:00Z"));
    const renewed = await next();
    expect(renewed).not.toBe(first);
    expect(decode(renewed).payload["jti"]).not.toBe(decode(first).payload["jti"]);
  });

  it("refuses an unreadable private key as a validation error naming the key, without the key's text", async () => {
    const pem = await selfsigned.generate([{ name: "commonName", value: "t" }], { days: 1, keySize: 2048 });
    const broken = `-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----\n${pem.cert}`;
    const error = await assertionSource(broken, CLIENT, ENDPOINT)().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]?.path).toBe("m365-baseline:certificatePem");
    expect((error as Error).message).not.toContain("not-a-key");
  });
});
