// The dynamic-provider host that ships inside @pulumi/pulumi, driven the way the Pulumi engine drives it: the process
// and channel (hostProcess.ts), the engine's Log service it may talk to (engineLogServer.ts), and the provider calls
// (rpc.ts). Everything here is the real wire: protobuf Structs, grpc status details, the engine Log service.
import type * as GrpcJs from "@grpc/grpc-js";
import { EngineLogServer, type LogEntry } from "./engineLogServer";
import { HostProcess } from "./hostProcess";
import { toProviderError } from "./providerErrors";
import {
  RPCS,
  type CheckResult,
  type CreateResult,
  type DiffResult,
  type ReadResult,
  type RpcArgs,
  type RpcName,
  type RpcResult,
  type UpdateResult,
} from "./rpc";
import { grpc, type PropertyMap } from "./wire";

export { UNKNOWN, type PropertyMap } from "./wire";
export { InitFailedError, ProviderError } from "./providerErrors";
export type { CheckFailure, CheckResult, CreateResult, DiffChanges, DiffResult, ReadResult, UpdateResult } from "./rpc";
export type { LogEntry, LogSeverity } from "./engineLogServer";
export { hostScriptFor } from "./hostProcess";

export interface ProviderHostOptions {
  /** Working directory of the host: the directory its require() calls resolve against (the user's project). */
  cwd: string;
  /** Extra environment for the host; merged over this process' environment unless inheritEnv is false. */
  env?: Record<string, string | undefined>;
  inheritEnv?: boolean;
  /** NODE_PATH for the host (more places for require() in the serialized provider). */
  nodePath?: string;
  /** Project name, set in the host's environment as the CLI sets it. */
  project?: string;
  /** Stack config: its `pulumi-nodejs:` keys become the host's PULUMI_CONFIG, as the CLI does. */
  config?: Record<string, string>;
  /** Path of the host script; defaults to the one resolvable from cwd, else the one this package depends on. */
  hostScript?: string;
  /** How long to wait for the port line. */
  startTimeoutMs?: number;
  /** Per-RPC deadline; unset means none, as the engine. */
  callTimeoutMs?: number;
  /** Bytes of host stderr/stdout kept for diagnostics. */
  outputLimit?: number;
}

type Unary = (
  req: unknown,
  md: GrpcJs.Metadata,
  opts: Partial<GrpcJs.CallOptions>,
  cb: (err: GrpcJs.ServiceError | null, res: unknown) => void,
) => unknown;

/**
 * How long a host kept across operations pauses between them. The CLI starts a host for every operation; a host kept
 * for the next one (tests, the demo) must look like a new one to the provider, which takes a pause of 250 ms with no
 * call under way for the start of a new operation (IDLE_EPOCH_MS in provider/batching/engineActivity.ts: what was
 * listed before, such as the members a refresh read, is listed again).
 */
export const OPERATION_PAUSE_MS = 300;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class ProviderHost {
  private stopping: Promise<void> | undefined;
  /** When the last call was answered (or sent, while calls are under way). */
  private lastActivity = 0;
  /** Calls sent and not answered yet (diagnostics: what a stuck operation is waiting for). */
  readonly inFlight = new Set<{ method: string; urn: string; startedAt: number }>();

  private constructor(
    private readonly transport: HostProcess,
    private readonly engine: EngineLogServer,
    private readonly callTimeoutMs: number | undefined,
  ) {}

  static async start(opts: ProviderHostOptions): Promise<ProviderHost> {
    const engine = await EngineLogServer.start();
    try {
      const transport = await HostProcess.start({
        ...opts,
        engineAddress: engine.address,
        // The CLI shows what the host prints on stdout under the Stack as info lines (and stderr on its own stderr,
        // which the Automation API's events mark "info#err"; realengine/ leaves those out of a report, so do we).
        onLine: (stream, line) => {
          if (stream === "stdout" && line.trim() !== "") {
            engine.add({
              severity: "info",
              message: line.trim(),
              urn: "",
              streamId: 0,
              ephemeral: false,
              at: Date.now(),
            });
          }
        },
      });
      return new ProviderHost(transport, engine, opts.callTimeoutMs);
    } catch (e) {
      await engine.stop();
      throw e;
    }
  }

  /** Lines the engine side received, in arrival order: Log calls with their URN, the host's stdout under the stack. */
  get logs(): readonly LogEntry[] {
    return this.engine.logs;
  }
  onLog(listener: (e: LogEntry) => void): () => void {
    return this.engine.onLog(listener);
  }
  /** The engine address handed to the host (its last argument). */
  get engineAddress(): string {
    return this.engine.address;
  }
  get port(): number {
    return this.transport.port;
  }
  get stderr(): string {
    return this.transport.stderr;
  }
  get stdout(): string {
    return this.transport.stdout;
  }
  get pid(): number | undefined {
    return this.transport.pid;
  }
  get alive(): boolean {
    return this.transport.alive;
  }
  get exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    return this.transport.exit;
  }

  /**
   * Log lines can land a little after the call that caused them returned (the provider does not wait for their
   * delivery, the host's stdout is a pipe). Waits until no line arrived for `quietMs` (at most `maxMs`).
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

  /** One provider call through the RPC table. */
  call<K extends RpcName>(name: K, ...args: RpcArgs<K>): Promise<RpcResult<K>> {
    const entry = RPCS[name] as unknown as {
      client: string;
      aboutResource: boolean;
      request(...a: unknown[]): unknown;
      response(res: unknown): RpcResult<K>;
    };
    const opts: Partial<GrpcJs.CallOptions> = {};
    if (this.callTimeoutMs !== undefined) opts.deadline = Date.now() + this.callTimeoutMs;
    const req = entry.request(...args);
    const call = { method: name, urn: entry.aboutResource ? String(args[0]) : "", startedAt: Date.now() };
    this.inFlight.add(call);
    this.lastActivity = Date.now();
    const fn = (this.transport.client as unknown as Record<string, Unary>)[entry.client];
    return new Promise<RpcResult<K>>((resolve, reject) => {
      fn.call(this.transport.client, req, new grpc.Metadata(), opts, (err, res) => {
        this.inFlight.delete(call);
        this.lastActivity = Date.now();
        if (err) reject(toProviderError(err, name));
        else resolve(entry.response(res));
      });
    });
  }

  /** Before an operation on a host kept from an earlier one: the pause that makes it a new operation to the provider. */
  async beginOperation(): Promise<void> {
    const wait = this.lastActivity + OPERATION_PAUSE_MS - Date.now();
    if (wait > 0) await sleep(wait);
  }

  /** Configure with the stack config, keys fully qualified ("quickbi:endpoint"), values as plain strings. */
  configure(config: Record<string, string>): Promise<{ acceptSecrets: boolean }> {
    return this.call("Configure", config);
  }
  check(urn: string, olds: PropertyMap, news: PropertyMap): Promise<CheckResult> {
    return this.call("Check", urn, olds, news);
  }
  diff(urn: string, id: string, olds: PropertyMap, news: PropertyMap, oldInputs?: PropertyMap): Promise<DiffResult> {
    return this.call("Diff", urn, id, olds, news, oldInputs);
  }
  create(urn: string, props: PropertyMap): Promise<CreateResult> {
    return this.call("Create", urn, props);
  }
  read(urn: string, id: string, props: PropertyMap, inputs?: PropertyMap): Promise<ReadResult> {
    return this.call("Read", urn, id, props, inputs);
  }
  update(
    urn: string,
    id: string,
    olds: PropertyMap,
    news: PropertyMap,
    oldInputs?: PropertyMap,
  ): Promise<UpdateResult> {
    return this.call("Update", urn, id, olds, news, oldInputs);
  }
  delete(urn: string, id: string, props: PropertyMap, oldInputs?: PropertyMap): Promise<void> {
    return this.call("Delete", urn, id, props, oldInputs);
  }

  /** Simulates the host dying (e.g. SIGKILL mid-apply). Resolves once the process is gone. */
  kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    return this.transport.kill(signal);
  }

  /**
   * Orderly shutdown as the CLI closes a provider: Cancel, then the process is interrupted (SIGKILL after a grace
   * period), then the Log service stops.
   */
  stop(graceMs?: number): Promise<void> {
    this.stopping ??= (async () => {
      if (this.transport.alive)
        await withDeadline(
          this.call("Cancel").catch(() => undefined),
          1000,
        );
      await this.transport.stop(graceMs);
      await this.engine.stop();
    })();
    return this.stopping;
  }
}

function withDeadline<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    p.then((v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}
