/**
 * The engine side of a `pulumi preview`, for the program-contract test: a gRPC ResourceMonitor and Engine
 * that record registrations and answer azuread invokes, while the SDK's own program runner
 * (`@pulumi/pulumi/cmd/run`) loads and runs our TypeScript program, started as the Node language host starts it
 * (pulumi-language-nodejs constructArguments): cwd and `--pwd` the project root, entry point `.` (no `main:`).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- gRPC handlers of the SDK's generated protobuf services */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { REPO } from "./repo";

const grpc = require(join(REPO, "node_modules/@grpc/grpc-js")) as typeof import("@grpc/grpc-js");
// The SDK's own copies (protobuf messages are checked by class), typed by their declarations.
const P = (f: string) => require(join(REPO, "node_modules/@pulumi/pulumi/proto", f)) as unknown;
const resrpc = P("resource_grpc_pb") as typeof import("@pulumi/pulumi/proto/resource_grpc_pb");
const resproto = P("resource_pb") as typeof import("@pulumi/pulumi/proto/resource_pb");
const engrpc = P("engine_grpc_pb") as typeof import("@pulumi/pulumi/proto/engine_grpc_pb");
const engproto = P("engine_pb") as typeof import("@pulumi/pulumi/proto/engine_pb");
const provproto = P("provider_pb") as typeof import("@pulumi/pulumi/proto/provider_pb");
const PB = (f: string) => require(join(REPO, "node_modules/google-protobuf/google/protobuf", f)) as unknown;
const structproto = PB("struct_pb") as typeof import("google-protobuf/google/protobuf/struct_pb");
const emptyproto = PB("empty_pb") as typeof import("google-protobuf/google/protobuf/empty_pb");

export interface Registration {
  type: string;
  name: string;
  custom: boolean;
  provider: string;
  inputs: Record<string, unknown>;
}
export interface RunResult {
  code: number;
  registrations: Registration[];
  logs: string[];
  stderr: string;
}

/** Runs `program` under the SDK's runner against a recording engine; `invoke` answers function calls. */
export async function runProgramUnderEngine(options: {
  stack: string;
  config: Record<string, string>;
  secretKeys: string[];
  invoke: (token: string, args: Record<string, unknown>) => Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
}): Promise<RunResult> {
  const registrations: Registration[] = [];
  const logs: string[] = [];
  let root = "";
  const server = new grpc.Server();
  const ok = (cb: (e: unknown, r?: unknown) => void, r: unknown) => cb(null, r);
  server.addService(resrpc.ResourceMonitorService, {
    supportsFeature: (call: any, cb: any) =>
      ok(
        cb,
        new resproto.SupportsFeatureResponse().setHassupport(
          !["outputValues", "transforms", "resourceHooks", "errorHooks", "invokeTransforms"].includes(
            call.request.getId(),
          ),
        ),
      ),
    registerPackage: (_c: any, cb: any) => ok(cb, new resproto.RegisterPackageResponse().setRef("pkg-ref")),
    registerResource: (call: any, cb: any) => {
      const r = call.request;
      const inputs = r.getObject()?.toJavaScript() ?? {};
      registrations.push({
        type: r.getType(),
        name: r.getName(),
        custom: r.getCustom(),
        provider: r.getProvider(),
        inputs,
      });
      const urn = `urn:pulumi:${options.stack}::m365-baseline::${r.getType()}::${r.getName()}`;
      const res = new resproto.RegisterResourceResponse();
      res.setUrn(urn);
      // A preview: custom resources have no id yet, and outputs beyond the inputs are unknown.
      res.setId(r.getCustom() ? "" : "");
      res.setObject(structproto.Struct.fromJavaScript(inputs));
      ok(cb, res);
    },
    registerResourceOutputs: (_c: any, cb: any) => ok(cb, new emptyproto.Empty()),
    invoke: (call: any, cb: any) => {
      const res = new provproto.InvokeResponse();
      const result = options.invoke(call.request.getTok(), call.request.getArgs()?.toJavaScript() ?? {});
      res.setReturn(
        structproto.Struct.fromJavaScript(result as Parameters<typeof structproto.Struct.fromJavaScript>[0]),
      );
      ok(cb, res);
    },
    readResource: (_c: any, cb: any) => cb(new Error("readResource not expected")),
    call: (_c: any, cb: any) => cb(new Error("call not expected")),
    signalAndWaitForShutdown: (_c: any, cb: any) => ok(cb, new emptyproto.Empty()),
    getDeploymentInfo: (_c: any, cb: any) => cb(new Error("not implemented")),
  });
  server.addService(engrpc.EngineService, {
    log: (call: any, cb: any) => {
      logs.push(call.request.getMessage());
      ok(cb, new emptyproto.Empty());
    },
    getRootResource: (_c: any, cb: any) => ok(cb, new engproto.GetRootResourceResponse().setUrn(root)),
    setRootResource: (call: any, cb: any) => {
      root = call.request.getUrn();
      ok(cb, new engproto.SetRootResourceResponse());
    },
    requirePulumiVersion: (_c: any, cb: any) => ok(cb, new engproto.RequirePulumiVersionResponse()),
    startDebugging: (_c: any, cb: any) => ok(cb, new emptyproto.Empty()),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  const address = `127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [
      join(REPO, "node_modules/@pulumi/pulumi/cmd/run/index.js"),
      "--monitor",
      address,
      "--engine",
      address,
      "--project",
      "m365-baseline",
      "--root-directory",
      REPO,
      "--stack",
      options.stack,
      "--pwd",
      REPO,
      "--dry-run",
      "--parallel",
      "16",
      ".",
    ],
    {
      cwd: REPO,
      env: {
        ...process.env,
        ...options.env,
        PULUMI_NODEJS_TYPESCRIPT: "true",
        PULUMI_CONFIG: JSON.stringify(options.config),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(options.secretKeys),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdout!.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? -1)));
  server.forceShutdown();
  return { code, registrations, logs, stderr };
}
