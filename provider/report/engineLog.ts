/**
 * Messages from the provider host to the Pulumi engine, attached to the resource they concern.
 *
 * The CLI starts the dynamic-provider host with the engine's address as its last argument but without
 * `PULUMI_NODEJS_ENGINE`, so `pulumi.log.*` inside a provider only prints to the host's stdout, which the CLI shows
 * under the Stack prefixed `[runtime]`. Calling the engine's own Log service with the resource's URN puts the line under
 * that resource, in `pulumi preview`/`up` and on stderr with `--diff`. Calls are sent without waiting for their answer:
 * check and diff run one resource at a time in the engine, so a provider that waited for each line to be delivered
 * would make every resource of a preview wait in a row.
 */
import * as path from "node:path";
import type * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as enginePb from "@pulumi/pulumi/proto/engine_pb";

export type Severity = "debug" | "info" | "warning" | "error";

export interface EngineLog {
  /** Sends one message; never throws and never waits. `urn` attaches it to a resource (else: the stack). */
  log(severity: Severity, message: string, urn?: string): void;
}

/** host:port, as the engine passes it (IPv4, a name, or a bracketed IPv6 address). */
const ADDRESS = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

/**
 * The engine's address among the host's arguments: the last one (the CLI puts logging and tracing flags first).
 * `undefined` when this process is not a provider host (tests calling the runtime directly).
 */
export function engineAddress(argv: readonly string[] = process.argv): string | undefined {
  const last = argv.length > 2 ? argv[argv.length - 1] : undefined;
  return last !== undefined && ADDRESS.test(last) ? last : undefined;
}

/** What this file needs of grpc-js (reached through @pulumi/pulumi, which depends on it; not a dependency of ours). */
interface GrpcJs {
  readonly credentials: { createInsecure(): ConstructorParameters<typeof engineGrpc.EngineClient>[1] };
}

/** The copies of grpc-js and the engine stubs that @pulumi/pulumi itself uses (a second copy would not interoperate). */
function pulumiModules(): { grpc: GrpcJs; rpc: typeof engineGrpc; pb: typeof enginePb } {
  const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  return {
    grpc: require(require.resolve("@grpc/grpc-js", { paths: [sdkDir] })) as GrpcJs,
    rpc: require("@pulumi/pulumi/proto/engine_grpc_pb") as typeof engineGrpc,
    pb: require("@pulumi/pulumi/proto/engine_pb") as typeof enginePb,
  };
}

/** Writes to this process's stderr: what remains when there is no engine to talk to. */
export const stderrLog: EngineLog = {
  log(severity, message, urn) {
    if (severity === "debug") return;
    process.stderr.write(`pulumi-quickbi ${severity}${urn ? ` [${urn}]` : ""}: ${message}\n`);
  },
};

/** A Log client for the engine at `address`; messages that cannot be delivered go to stderr instead. */
export function connectEngineLog(address: string): EngineLog {
  const { grpc, rpc, pb } = pulumiModules();
  const client = new rpc.EngineClient(address, grpc.credentials.createInsecure(), {
    "grpc.max_receive_message_length": 64 * 1024 * 1024,
  });
  const severities: Record<Severity, enginePb.LogSeverity> = {
    debug: pb.LogSeverity.DEBUG,
    info: pb.LogSeverity.INFO,
    warning: pb.LogSeverity.WARNING,
    error: pb.LogSeverity.ERROR,
  };
  let broken = false;
  return {
    log(severity, message, urn) {
      if (broken) return stderrLog.log(severity, message, urn);
      const req = new pb.LogRequest();
      req.setSeverity(severities[severity]);
      req.setMessage(message);
      if (urn !== undefined) req.setUrn(urn);
      client.log(req, (err) => {
        if (err === null) return;
        // The engine went away (end of the run, or killed): say it once where a person may still see it.
        if (!broken) stderrLog.log("debug", `engine log unavailable: ${err.message}`);
        broken = true;
        stderrLog.log(severity, message, urn);
      });
    },
  };
}

let current: EngineLog | undefined;

/** The process's engine log: the engine when this is a provider host, stderr otherwise. */
export function engineLog(): EngineLog {
  if (current === undefined) {
    const address = engineAddress();
    current = address === undefined ? stderrLog : connectEngineLog(address);
  }
  return current;
}

/** Replaces the process's engine log (tests). Returns the previous one. */
export function setEngineLog(log: EngineLog | undefined): EngineLog | undefined {
  const previous = current;
  current = log;
  return previous;
}
