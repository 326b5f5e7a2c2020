// The engine side a provider host can talk to: `pulumirpc.Engine/Log`, served at the address the host is given as its
// last argument. A provider that calls it with a URN gets its line shown under that resource, as under the CLI. The
// other Engine methods are left to grpc-js' UNIMPLEMENTED default: a dynamic provider has no use for them.
import type * as GrpcJs from "@grpc/grpc-js";
import * as engrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engproto from "@pulumi/pulumi/proto/engine_pb";
import { Empty, grpc } from "./wire";

export type LogSeverity = "debug" | "info" | "warning" | "error";

export interface LogEntry {
  severity: LogSeverity;
  message: string;
  /** The resource the line is about; "" for the stack (as the CLI shows a host's own output). */
  urn: string;
  streamId: number;
  ephemeral: boolean;
  /** ms since epoch when the engine side received it */
  at: number;
}

const severityNames: Record<number, LogSeverity> = {
  [engproto.LogSeverity.DEBUG]: "debug",
  [engproto.LogSeverity.INFO]: "info",
  [engproto.LogSeverity.WARNING]: "warning",
  [engproto.LogSeverity.ERROR]: "error",
};

export class EngineLogServer {
  /** Every line received so far, in arrival order: Log calls and (through `add`) the host's own output. */
  readonly logs: LogEntry[] = [];
  private readonly listeners = new Set<(e: LogEntry) => void>();

  private address_ = "";

  private constructor(private readonly server: GrpcJs.Server) {}

  /** host:port of the service, passed to the provider host as its last argument. */
  get address(): string {
    return this.address_;
  }

  static async start(): Promise<EngineLogServer> {
    const server = new grpc.Server();
    const self = new EngineLogServer(server);
    const impl: GrpcJs.UntypedServiceImplementation = {
      log: (call: GrpcJs.ServerUnaryCall<engproto.LogRequest, unknown>, cb: GrpcJs.sendUnaryData<unknown>) => {
        const r = call.request;
        self.add({
          severity: severityNames[r.getSeverity()] ?? "info",
          message: r.getMessage(),
          urn: r.getUrn(),
          streamId: r.getStreamid(),
          ephemeral: r.getEphemeral(),
          at: Date.now(),
        });
        cb(null, new Empty());
      },
    };
    server.addService(engrpc.EngineService as unknown as GrpcJs.ServiceDefinition, impl);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    self.address_ = `127.0.0.1:${port}`;
    return self;
  }

  add(entry: LogEntry): void {
    this.logs.push(entry);
    this.listeners.forEach((l) => l(entry));
  }

  onLog(listener: (e: LogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
  }
}
