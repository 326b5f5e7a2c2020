// Drives the dynamic-provider host that ships inside @pulumi/pulumi over its gRPC protocol, the way the Pulumi
// engine does. Everything here is the real wire: protobuf Structs, grpc status details, the engine Log service.
import { ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import type * as GrpcJs from "@grpc/grpc-js";
import type * as StructPbModule from "google-protobuf/google/protobuf/struct_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as engrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engproto from "@pulumi/pulumi/proto/engine_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";

// The stubs above were generated against the @grpc/grpc-js and google-protobuf copies that @pulumi/pulumi resolves;
// mixing in another copy breaks message identity, so load exactly those.
const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi"));
const grpc = pulumiRequire("@grpc/grpc-js") as typeof GrpcJs;
const { Struct } = pulumiRequire("google-protobuf/google/protobuf/struct_pb") as typeof StructPbModule;
const { Empty } = pulumiRequire("google-protobuf/google/protobuf/empty_pb") as typeof import("google-protobuf/google/protobuf/empty_pb");

export type PropertyMap = Record<string, unknown>;

/** The string the engine sends for a value that is not known yet (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type DiffChanges = "DIFF_SOME" | "DIFF_NONE" | "DIFF_UNKNOWN";

export interface CheckFailure {
  property: string;
  reason: string;
}
export interface CheckResult {
  inputs: PropertyMap;
  failures: CheckFailure[];
}
export interface DiffResult {
  changes: DiffChanges;
  replaces: string[];
  stables: string[];
  deleteBeforeReplace: boolean;
}
export interface CreateResult {
  id: string;
  properties: PropertyMap;
}
export interface ReadResult {
  /** Empty string means the resource is gone. */
  id: string;
  properties: PropertyMap;
  inputs?: PropertyMap;
}
export interface UpdateResult {
  properties: PropertyMap;
}

export type LogSeverity = "debug" | "info" | "warning" | "error";
export interface LogEntry {
  severity: LogSeverity;
  message: string;
  urn: string;
  streamId: number;
  ephemeral: boolean;
  /** ms since epoch when the engine side received it */
  at: number;
}

/** Any failure reported by the host that is not a partial create/update. */
export class ProviderError extends Error {
  override readonly name: string = "ProviderError";
  constructor(
    message: string,
    readonly grpcCode: number,
    readonly method: string,
  ) {
    super(message);
  }
}

/**
 * A create/update that the provider reports as half-applied: the object exists (it has an id) but did not fully
 * initialise. The engine records it in state with these properties and continues it with an update next time.
 */
export class InitFailedError extends ProviderError {
  override readonly name = "InitFailedError";
  constructor(
    message: string,
    grpcCode: number,
    method: string,
    readonly id: string,
    readonly properties: PropertyMap,
    readonly reasons: string[],
    readonly inputs?: PropertyMap,
  ) {
    super(message, grpcCode, method);
  }
}

export interface ProviderHostOptions {
  /** Working directory of the host: the directory its require() calls resolve against (the user's project). */
  cwd: string;
  /** Extra environment for the host; merged over this process' environment unless inheritEnv is false. */
  env?: Record<string, string | undefined>;
  inheritEnv?: boolean;
  /** NODE_PATH for the host (more places for require() in the serialized provider). */
  nodePath?: string;
  /** Path of the host script; defaults to the one resolvable from cwd, else the one this package depends on. */
  hostScript?: string;
  /** How long to wait for the port line. */
  startTimeoutMs?: number;
  /** Per-RPC deadline; unset means none, as the engine. */
  callTimeoutMs?: number;
  /** Bytes of host stderr/stdout kept for diagnostics. */
  outputLimit?: number;
}

/** Bounded text sink: keeps the last `limit` characters. */
class Tail {
  private text = "";
  constructor(private readonly limit: number) {}
  push(chunk: string): void {
    this.text += chunk;
    if (this.text.length > this.limit) this.text = this.text.slice(this.text.length - this.limit);
  }
  toString(): string {
    return this.text;
  }
}

const severityNames: Record<number, LogSeverity> = {
  [engproto.LogSeverity.DEBUG]: "debug",
  [engproto.LogSeverity.INFO]: "info",
  [engproto.LogSeverity.WARNING]: "warning",
  [engproto.LogSeverity.ERROR]: "error",
};

/**
 * The engine side of `pulumirpc.Engine`: only Log matters to a dynamic provider (pulumi.log.* inside the host dials
 * the address in PULUMI_NODEJS_ENGINE). The other methods are left to grpc-js' UNIMPLEMENTED default.
 */
class EngineLogServer {
  readonly logs: LogEntry[] = [];
  private listeners = new Set<(e: LogEntry) => void>();
  private constructor(
    private readonly server: GrpcJs.Server,
    readonly address: string,
  ) {}

  static async start(): Promise<EngineLogServer> {
    const server = new grpc.Server();
    let self: EngineLogServer | undefined;
    const impl: GrpcJs.UntypedServiceImplementation = {
      log: (
        call: GrpcJs.ServerUnaryCall<engproto.LogRequest, unknown>,
        cb: GrpcJs.sendUnaryData<unknown>,
      ) => {
        const r = call.request;
        const entry: LogEntry = {
          severity: severityNames[r.getSeverity()] ?? "info",
          message: r.getMessage(),
          urn: r.getUrn(),
          streamId: r.getStreamid(),
          ephemeral: r.getEphemeral(),
          at: Date.now(),
        };
        self?.logs.push(entry);
        self?.listeners.forEach((l) => l(entry));
        cb(null, new Empty());
      },
    };
    server.addService(engrpc.EngineService as unknown as GrpcJs.ServiceDefinition, impl);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    self = new EngineLogServer(server, `127.0.0.1:${port}`);
    return self;
  }

  onLog(listener: (e: LogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
  }
}

function resolveHostScript(cwd: string): string {
  try {
    return require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [cwd] });
  } catch {
    return require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
  }
}

/** protobuf Struct cannot carry undefined ("Unexpected struct type."); the engine never sends it either. */
function toWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : toWire(v)));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) out[k] = toWire(v);
    }
    return out;
  }
  return value;
}

function struct(props: PropertyMap | undefined): StructPbModule.Struct {
  return Struct.fromJavaScript(toWire(props ?? {}) as Record<string, StructPbModule.JavaScriptValue>);
}

function fromStruct(s: StructPbModule.Struct | undefined): PropertyMap {
  return s ? (s.toJavaScript() as PropertyMap) : {};
}

const diffNames: Record<number, DiffChanges> = {
  [provproto.DiffResponse.DiffChanges.DIFF_SOME]: "DIFF_SOME",
  [provproto.DiffResponse.DiffChanges.DIFF_NONE]: "DIFF_NONE",
  [provproto.DiffResponse.DiffChanges.DIFF_UNKNOWN]: "DIFF_UNKNOWN",
};

/** Turns a grpc error into ProviderError, or InitFailedError when the status details carry ErrorResourceInitFailed. */
function toProviderError(err: GrpcJs.ServiceError, method: string): ProviderError {
  const message = err.details || err.message;
  const raw = err.metadata?.get("grpc-status-details-bin") ?? [];
  for (const bin of raw) {
    if (typeof bin === "string") continue;
    const status = statusproto.Status.deserializeBinary(new Uint8Array(bin));
    for (const any of status.getDetailsList()) {
      if (any.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
      const detail = provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
      return new InitFailedError(
        status.getMessage() || message,
        err.code,
        method,
        detail.getId(),
        fromStruct(detail.getProperties()),
        detail.getReasonsList(),
        detail.hasInputs() ? fromStruct(detail.getInputs()) : undefined,
      );
    }
  }
  return new ProviderError(message, err.code, method);
}

export class ProviderHost {
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exited: Promise<void>;
  private stopping = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly client: provrpc.ResourceProviderClient,
    private readonly engine: EngineLogServer,
    private readonly stderrTail: Tail,
    private readonly stdoutTail: Tail,
    readonly port: number,
    private readonly callTimeoutMs: number | undefined,
  ) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        this.exitInfo = { code: child.exitCode, signal: child.signalCode };
        resolve();
        return;
      }
      child.once("exit", (code, signal) => {
        this.exitInfo = { code, signal };
        resolve();
      });
    });
  }

  static async start(opts: ProviderHostOptions): Promise<ProviderHost> {
    const limit = opts.outputLimit ?? 64 * 1024;
    const engine = await EngineLogServer.start();
    const script = opts.hostScript ?? resolveHostScript(opts.cwd);
    const env: Record<string, string> = {};
    const merged = { ...(opts.inheritEnv === false ? {} : process.env), ...(opts.env ?? {}) };
    for (const [k, v] of Object.entries(merged)) if (v !== undefined) env[k] = v;
    if (opts.nodePath !== undefined) env.NODE_PATH = opts.nodePath;
    // This is what makes pulumi.log.* inside the host talk to our Log service (runtime/state.js reads it).
    env.PULUMI_NODEJS_ENGINE = engine.address;

    const child = spawn(process.execPath, [script, engine.address], {
      cwd: opts.cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stderrTail = new Tail(limit);
    const stdoutTail = new Tail(limit);
    child.stderr!.setEncoding("utf8").on("data", (d: string) => stderrTail.push(d));

    let port: number;
    try {
      port = await new Promise<number>((resolve, reject) => {
        let buf = "";
        let done = false;
        const timer = setTimeout(() => finish(new Error("timed out waiting for the host's port")), opts.startTimeoutMs ?? 20000);
        const finish = (err?: Error, p?: number) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          child.off("exit", onExit);
          if (err) reject(err);
          else resolve(p!);
        };
        const onExit = (code: number | null, signal: string | null) =>
          finish(new Error(`host exited before reporting its port (code ${code}, signal ${signal}): ${stderrTail}`));
        child.once("exit", onExit);
        child.once("error", (e) => finish(e));
        child.stdout!.setEncoding("utf8").on("data", (d: string) => {
          if (done) {
            stdoutTail.push(d);
            return;
          }
          buf += d;
          const nl = buf.indexOf("\n");
          if (nl < 0) return;
          const line = buf.slice(0, nl).trim();
          stdoutTail.push(buf.slice(nl + 1));
          const p = Number(line);
          if (!Number.isInteger(p) || p <= 0) finish(new Error(`host printed ${JSON.stringify(line)} instead of a port`));
          else finish(undefined, p);
        });
      });
    } catch (e) {
      child.kill("SIGKILL");
      await engine.stop();
      throw e;
    }

    // The host's gRPC server keeps it alive forever: never leave one behind when this process exits.
    const reap = () => child.kill("SIGKILL");
    process.once("exit", reap);
    child.once("exit", () => process.off("exit", reap));

    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": 400 * 1024 * 1024,
      "grpc.max_send_message_length": 400 * 1024 * 1024,
      // The answers of thousands of concurrent calls (each Check answer carries the ~3 KB `__provider` back)
      // would otherwise cross HTTP/2's default 64 KiB receive window a few at a time, one event-loop turn of
      // this process each; the CLI's Go gRPC client grows its windows to megabytes (BDP estimation) on its own.
      "grpc-node.flow_control_window": 16 * 1024 * 1024,
    });
    return new ProviderHost(child, client, engine, stderrTail, stdoutTail, port, opts.callTimeoutMs);
  }

  /** Provider log messages received by the engine Log service, in arrival order. */
  get logs(): readonly LogEntry[] {
    return this.engine.logs;
  }
  onLog(listener: (e: LogEntry) => void): () => void {
    return this.engine.onLog(listener);
  }
  /** The engine address handed to the host. */
  get engineAddress(): string {
    return this.engine.address;
  }
  get stderr(): string {
    return this.stderrTail.toString();
  }
  get stdout(): string {
    return this.stdoutTail.toString();
  }
  get pid(): number | undefined {
    return this.child.pid;
  }
  get alive(): boolean {
    return this.exitInfo === undefined;
  }
  get exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    return this.exitInfo;
  }

  /**
   * pulumi.log.* calls are fire-and-forget inside the host, so a message can land a little after the RPC that
   * caused it returned. Waits until no message arrived for `quietMs` (at most `maxMs`).
   */
  async settleLogs(quietMs = 30, maxMs = 1000): Promise<void> {
    const deadline = Date.now() + maxMs;
    let last = Date.now();
    const off = this.engine.onLog(() => (last = Date.now()));
    try {
      while (Date.now() < deadline && Date.now() - last < quietMs) {
        await new Promise((r) => setTimeout(r, Math.min(quietMs, 10)));
      }
    } finally {
      off();
    }
  }

  /** Calls sent and not answered yet (diagnostics: what a stuck operation is waiting for). */
  readonly inFlight = new Set<{ method: string; urn: string; startedAt: number }>();

  private unary<Req, Res>(
    method: string,
    fn: (req: Req, md: GrpcJs.Metadata, opts: Partial<GrpcJs.CallOptions>, cb: (err: GrpcJs.ServiceError | null, res: Res) => void) => unknown,
    req: Req,
  ): Promise<Res> {
    const opts: Partial<GrpcJs.CallOptions> = {};
    if (this.callTimeoutMs !== undefined) opts.deadline = Date.now() + this.callTimeoutMs;
    const urn = (req as { getUrn?: () => string }).getUrn?.() ?? "";
    const call = { method, urn, startedAt: Date.now() };
    this.inFlight.add(call);
    return new Promise<Res>((resolve, reject) => {
      fn.call(this.client, req, new grpc.Metadata(), opts, (err, res) => {
        this.inFlight.delete(call);
        if (err) reject(toProviderError(err, method));
        else resolve(res);
      });
    });
  }

  /** Configure with the stack config, keys fully qualified ("quickbi:endpoint"), values as plain strings. */
  async configure(config: Record<string, string>): Promise<{ acceptSecrets: boolean }> {
    const req = new provproto.ConfigureRequest();
    const vars = req.getVariablesMap();
    for (const [k, v] of Object.entries(config)) vars.set(k, v);
    req.setArgs(struct(config));
    req.setAcceptsecrets(false);
    req.setAcceptresources(false);
    const res = await this.unary<provproto.ConfigureRequest, provproto.ConfigureResponse>("Configure", this.client.configure, req);
    return { acceptSecrets: res.getAcceptsecrets() };
  }

  async check(urn: string, olds: PropertyMap, news: PropertyMap): Promise<CheckResult> {
    const req = new provproto.CheckRequest();
    req.setUrn(urn);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    setNameType(req, urn);
    const res = await this.unary<provproto.CheckRequest, provproto.CheckResponse>("Check", this.client.check, req);
    return {
      inputs: fromStruct(res.getInputs()),
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(urn: string, id: string, olds: PropertyMap, news: PropertyMap, oldInputs?: PropertyMap): Promise<DiffResult> {
    const req = new provproto.DiffRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    if (oldInputs) req.setOldInputs(struct(oldInputs));
    setNameType(req, urn);
    const res = await this.unary<provproto.DiffRequest, provproto.DiffResponse>("Diff", this.client.diff, req);
    return {
      changes: diffNames[res.getChanges()] ?? "DIFF_UNKNOWN",
      replaces: res.getReplacesList(),
      stables: res.getStablesList(),
      deleteBeforeReplace: res.getDeletebeforereplace(),
    };
  }

  async create(urn: string, props: PropertyMap): Promise<CreateResult> {
    const req = new provproto.CreateRequest();
    req.setUrn(urn);
    req.setProperties(struct(props));
    setNameType(req, urn);
    const res = await this.unary<provproto.CreateRequest, provproto.CreateResponse>("Create", this.client.create, req);
    return { id: res.getId(), properties: fromStruct(res.getProperties()) };
  }

  async read(urn: string, id: string, props: PropertyMap, inputs?: PropertyMap): Promise<ReadResult> {
    const req = new provproto.ReadRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setProperties(struct(props));
    if (inputs) req.setInputs(struct(inputs));
    setNameType(req, urn);
    const res = await this.unary<provproto.ReadRequest, provproto.ReadResponse>("Read", this.client.read, req);
    return {
      id: res.getId(),
      properties: fromStruct(res.getProperties()),
      ...(res.hasInputs() ? { inputs: fromStruct(res.getInputs()) } : {}),
    };
  }

  async update(urn: string, id: string, olds: PropertyMap, news: PropertyMap, oldInputs?: PropertyMap): Promise<UpdateResult> {
    const req = new provproto.UpdateRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    if (oldInputs) req.setOldInputs(struct(oldInputs));
    setNameType(req, urn);
    const res = await this.unary<provproto.UpdateRequest, provproto.UpdateResponse>("Update", this.client.update, req);
    return { properties: fromStruct(res.getProperties()) };
  }

  async delete(urn: string, id: string, props: PropertyMap, oldInputs?: PropertyMap): Promise<void> {
    const req = new provproto.DeleteRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setProperties(struct(props));
    if (oldInputs) req.setOldInputs(struct(oldInputs));
    setNameType(req, urn);
    await this.unary<provproto.DeleteRequest, unknown>("Delete", this.client.delete, req);
  }

  /** Simulates the host dying (e.g. SIGKILL mid-apply). Resolves once the process is gone. */
  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    if (this.alive) this.child.kill(signal);
    await this.exited;
  }

  /** Orderly shutdown: close the channel, stop the host (SIGTERM, then SIGKILL after a grace period), stop Log. */
  async stop(graceMs = 2000): Promise<void> {
    if (this.stopping) {
      await this.exited;
      return;
    }
    this.stopping = true;
    this.client.close();
    if (this.alive) {
      this.child.kill("SIGTERM");
      const timer = setTimeout(() => this.alive && this.child.kill("SIGKILL"), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    await this.engine.stop();
  }
}

/** The engine fills name and type from the URN ("urn:pulumi:stack::project::type::name"). */
function setNameType(req: { setName(v: string): unknown; setType(v: string): unknown }, urn: string): void {
  const parts = urn.split("::");
  if (parts.length >= 4) {
    req.setName(parts.slice(3).join("::"));
    const qualified = parts[2];
    req.setType(qualified.split("$").pop() ?? qualified);
  }
}

/** Where the host script lives for a given project directory (exported for diagnostics and docs). */
export function hostScriptFor(cwd: string): string {
  return path.resolve(resolveHostScript(cwd));
}
