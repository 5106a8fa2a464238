import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("loading src/graph", () => {
  it("has no side effects and does not load @azure/identity until a connection is made (dynamic providers require it at run time)", () => {
    const script = `
      require("tsx/cjs");
      const before = Object.keys(require.cache).length;
      // Stdio pipes, tsx's IPC and tsx's on-disk transform cache (FSReq*, written asynchronously on a cold
      // cache such as a fresh clone) come and go with the environment; sockets and timers would be ours.
      const ignored = ["PipeWrap", "ConnectWrap", "TTYWrap", "FSReqPromise", "FSReqCallback"];
      const ours = () => process.getActiveResourcesInfo().filter((r) => !ignored.includes(r));
      const handlesBefore = ours().length;
      const graph = require("./src/graph/index.ts");
      const identityLoaded = () => Object.keys(require.cache).some((k) => k.includes("@azure/identity"));
      const out = { connect: typeof graph.connect, identityAtLoad: identityLoaded(), newHandles: ours().length - handlesBefore, list: ours() };
      graph.connect({ tenantId: "6b0c3a52-7a3e-4d0b-9f0e-1c2d3e4f5a61", primaryDomain: "contoso.onmicrosoft.com", credential: { kind: "azureCli" } });
      out.identityAfterConnect = identityLoaded();
      out.loadedSomething = Object.keys(require.cache).length > before;
      process.stdout.write(JSON.stringify(out));
    `;
    const out = JSON.parse(
      execFileSync(process.execPath, ["-e", script], { cwd: process.cwd(), encoding: "utf8" }),
    ) as Record<string, unknown>;
    expect(out).toMatchObject({
      connect: "function",
      identityAtLoad: false,
      identityAfterConnect: true,
      loadedSomething: true,
    });
    expect(out["newHandles"], JSON.stringify(out["list"])).toBe(0);
  });
});
