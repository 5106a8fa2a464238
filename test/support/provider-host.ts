/**
 * Pulumi's real dynamic-provider host (shipped in @pulumi/pulumi) as a child process, driven over gRPC
 * the way the engine drives it: Configure with the stack config, then Check/Diff/Create/Read/Update/Delete.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { REPO } from "./repo";

const grpc = require(join(REPO, "node_modules/@grpc/grpc-js")) as typeof import("@grpc/grpc-js");
const provrpc = require(
  join(REPO, "node_modules/@pulumi/pulumi/proto/provider_grpc_pb"),
) as typeof import("@pulumi/pulumi/proto/provider_grpc_pb");
const provproto = require(
  join(REPO, "node_modules/@pulumi/pulumi/proto/provider_pb"),
) as typeof import("@pulumi/pulumi/proto/provider_pb");
const structproto = require(
  join(REPO, "node_modules/google-protobuf/google/protobuf/struct_pb"),
) as typeof import("google-protobuf/google/protobuf/struct_pb");

type Obj = Record<string, unknown>;
/** A unary RPC of the generated client, looked up by name. */
type Rpc<T> = (req: unknown, cb: (err: Error | null, res: T) => void) => void;

/** A running host and typed wrappers around its RPCs. */
export interface ProviderHost {
  configure(config: Record<string, string>): Promise<void>;
  check(urn: string, olds: Obj, news: Obj): Promise<{ inputs: Obj; failures: { property: string; reason: string }[] }>;
  diff(urn: string, id: string, olds: Obj, news: Obj): Promise<{ changes: number; replaces: string[] }>;
  create(urn: string, properties: Obj): Promise<{ id: string; properties: Obj }>;
  read(urn: string, id: string, properties: Obj, inputs: Obj): Promise<{ id: string; properties: Obj; inputs: Obj }>;
  update(urn: string, id: string, olds: Obj, news: Obj): Promise<{ properties: Obj }>;
  delete(urn: string, id: string, properties: Obj): Promise<void>;
  stderr(): string;
  close(): void;
}

/** Starts the host with the project as working directory (as the engine does). */
export async function startProviderHost(env: NodeJS.ProcessEnv = {}): Promise<ProviderHost> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(REPO, "node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js"), "127.0.0.1:1"],
    {
      cwd: REPO,
      env: { ...process.env, PULUMI_NODEJS_PROJECT: "m365-baseline", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /^(\d+)\s*$/m.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once("exit", (code) => reject(new Error(`provider host exited ${code}: ${stderr}`)));
  });
  const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const call = <T>(method: string, req: unknown): Promise<T> =>
    new Promise((resolve, reject) =>
      (client as unknown as Record<string, Rpc<T>>)[method]!(req, (err: Error | null, res: T) =>
        err ? reject(err) : resolve(res),
      ),
    );
  const struct = (o: Obj) =>
    structproto.Struct.fromJavaScript(o as Parameters<typeof structproto.Struct.fromJavaScript>[0]);
  return {
    async configure(config) {
      const req = new provproto.ConfigureRequest();
      req.setArgs(struct(config));
      await call("configure", req);
    },
    async check(urn, olds, news) {
      const req = new provproto.CheckRequest();
      req.setUrn(urn);
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const res = await call<InstanceType<typeof provproto.CheckResponse>>("check", req);
      return {
        inputs: res.getInputs()!.toJavaScript(),
        failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
    },
    async diff(urn, id, olds, news) {
      const req = new provproto.DiffRequest();
      req.setUrn(urn);
      req.setId(id);
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const res = await call<InstanceType<typeof provproto.DiffResponse>>("diff", req);
      return { changes: res.getChanges(), replaces: res.getReplacesList() };
    },
    async create(urn, properties) {
      const req = new provproto.CreateRequest();
      req.setUrn(urn);
      req.setProperties(struct(properties));
      const res = await call<InstanceType<typeof provproto.CreateResponse>>("create", req);
      return { id: res.getId(), properties: res.getProperties()!.toJavaScript() };
    },
    async read(urn, id, properties, inputs) {
      const req = new provproto.ReadRequest();
      req.setUrn(urn);
      req.setId(id);
      req.setProperties(struct(properties));
      req.setInputs(struct(inputs));
      const res = await call<InstanceType<typeof provproto.ReadResponse>>("read", req);
      return {
        id: res.getId(),
        properties: res.getProperties()?.toJavaScript() ?? {},
        inputs: res.getInputs()?.toJavaScript() ?? {},
      };
    },
    async update(urn, id, olds, news) {
      const req = new provproto.UpdateRequest();
      req.setUrn(urn);
      req.setId(id);
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const res = await call<InstanceType<typeof provproto.UpdateResponse>>("update", req);
      return { properties: res.getProperties()!.toJavaScript() };
    },
    async delete(urn, id, properties) {
      const req = new provproto.DeleteRequest();
      req.setUrn(urn);
      req.setId(id);
      req.setProperties(struct(properties));
      await call("delete", req);
    },
    stderr: () => stderr,
    close: () => {
      client.close();
      child.kill();
    },
  };
}
