// The transport to a provider host: the process, started the way the Pulumi CLI starts a plugin
// (pkg/resource/plugin/plugin.go ExecPlugin, provider_plugin.go NewProvider), and the gRPC channel to it.
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import { grpc } from "./wire";

export interface HostProcessOptions {
  /** Working directory of the host: the directory its require() calls resolve against (the user's project). */
  cwd: string;
  /** The engine's address, given as the host's last argument (the only one the CLI passes without log flags). */
  engineAddress: string;
  /** Extra environment, as the CLI's own environment would carry it; undefined removes a variable. */
  env?: Record<string, string | undefined>;
  /** Start from this process' environment (default) or from nothing. */
  inheritEnv?: boolean;
  /** NODE_PATH for the host (more places for require() in the serialized provider). */
  nodePath?: string;
  /** The project name: the CLI sets PULUMI_PROJECT and PULUMI_NODEJS_PROJECT for a dynamic-provider host. */
  project?: string;
  /** The stack config (fully qualified keys): the CLI hands the host its `pulumi-nodejs:` keys as PULUMI_CONFIG. */
  config?: Record<string, string>;
  /** Path of the host script; defaults to the one resolvable from cwd, else the one this package depends on. */
  hostScript?: string;
  /** How long to wait for the port line. */
  startTimeoutMs?: number;
  /** Bytes of host stderr/stdout kept for diagnostics. */
  outputLimit?: number;
  /** Each line the host prints after its port line, as the CLI reads them (it shows them under the Stack). */
  onLine?: (stream: "stdout" | "stderr", line: string) => void;
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

/** Splits a stream into lines; a last line without newline is given at the end. */
function lines(onLine: (line: string) => void): { push(chunk: string): void; end(): void } {
  let buf = "";
  return {
    push(chunk) {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        onLine(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    },
    end() {
      if (buf !== "") onLine(buf);
      buf = "";
    },
  };
}

export function resolveHostScript(cwd: string): string {
  try {
    return require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [cwd] });
  } catch {
    return require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
  }
}

/**
 * The host's environment as the CLI builds it: its own environment (here: this process's, with the caller's extras),
 * then PULUMI_PROJECT, PULUMI_NODEJS_PROJECT and PULUMI_CONFIG. A language host's settings (PULUMI_NODEJS_ENGINE,
 * _MONITOR, _STACK, _DRY_RUN, ...) are not the CLI's and never reach a plugin: without PULUMI_NODEJS_ENGINE,
 * `pulumi.log.*` inside a provider prints to the host's stdout, which is what a provider sees under `pulumi up`.
 */
export function hostEnvironment(opts: HostProcessOptions): Record<string, string> {
  const env: Record<string, string> = {};
  const merged: Record<string, string | undefined> = {
    ...(opts.inheritEnv === false ? {} : process.env),
    ...(opts.env ?? {}),
  };
  for (const [k, v] of Object.entries(merged)) {
    if (v === undefined) continue;
    if (k.startsWith("PULUMI_NODEJS_") || k === "PULUMI_CONFIG" || k === "PULUMI_CONFIG_SECRET_KEYS") continue;
    env[k] = v;
  }
  if (opts.nodePath !== undefined) env.NODE_PATH = opts.nodePath;
  if (opts.project) {
    env.PULUMI_NODEJS_PROJECT = opts.project;
    env.PULUMI_PROJECT = opts.project;
  }
  // host.go Provider(): the keys of the plugin's own namespace, without it, as JSON ("{}" for every other stack).
  const own: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.config ?? {}))
    if (k.startsWith("pulumi-nodejs:")) own[k.slice("pulumi-nodejs:".length)] = v;
  env.PULUMI_CONFIG = JSON.stringify(own);
  return env;
}

export class HostProcess {
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly client: provrpc.ResourceProviderClient,
    private readonly stderrTail: Tail,
    private readonly stdoutTail: Tail,
    readonly port: number,
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

  static async start(opts: HostProcessOptions): Promise<HostProcess> {
    const limit = opts.outputLimit ?? 64 * 1024;
    const script = opts.hostScript ?? resolveHostScript(opts.cwd);
    // The CLI runs `pulumi-resource-pulumi-nodejs <engine>`, a shell script that execs `node <dynamic-provider>`;
    // it gives the plugin a stdin pipe and reads stdout and stderr line by line.
    const child = spawn(process.execPath, [script, opts.engineAddress], {
      cwd: opts.cwd,
      env: hostEnvironment(opts),
      stdio: ["pipe", "pipe", "pipe"],
    });
    const stderrTail = new Tail(limit);
    const stdoutTail = new Tail(limit);
    const stderrLines = lines((l) => opts.onLine?.("stderr", l));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => {
      stderrTail.push(d);
      stderrLines.push(d);
    });
    child.stderr!.on("end", () => stderrLines.end());

    let port: number;
    try {
      port = await readPort(child, opts.startTimeoutMs ?? 20000, stderrTail, (rest) => {
        const stdoutLines = lines((l) => opts.onLine?.("stdout", l));
        stdoutTail.push(rest);
        stdoutLines.push(rest);
        child.stdout!.on("data", (d: string) => {
          stdoutTail.push(d);
          stdoutLines.push(d);
        });
        child.stdout!.on("end", () => stdoutLines.end());
      });
    } catch (e) {
      child.kill("SIGKILL");
      throw e;
    }

    // The host's gRPC server keeps it alive forever: never leave one behind when this process exits.
    const reap = () => child.kill("SIGKILL");
    process.once("exit", reap);
    child.once("exit", () => process.off("exit", reap));

    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": 400 * 1024 * 1024,
      "grpc.max_send_message_length": 400 * 1024 * 1024,
      // The answers of thousands of concurrent calls would otherwise cross HTTP/2's default 64 KiB receive window a
      // few at a time, one event-loop turn of this process each; the CLI's Go gRPC client grows its windows to
      // megabytes (BDP estimation) on its own.
      "grpc-node.flow_control_window": 16 * 1024 * 1024,
    });
    return new HostProcess(child, client, stderrTail, stdoutTail, port);
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

  /** Sends a signal (tests simulate a host dying mid-apply) and resolves once the process is gone. */
  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    if (this.alive) this.child.kill(signal);
    await this.exited;
  }

  /**
   * Ends the host as the CLI's plugin Kill does: close the channel, interrupt (SIGINT), and SIGKILL whatever is left
   * after a grace period (the CLI waits 5 s).
   */
  async stop(graceMs = 5000): Promise<void> {
    this.client.close();
    this.child.stdin?.end();
    if (this.alive) {
      this.child.kill("SIGINT");
      const timer = setTimeout(() => this.alive && this.child.kill("SIGKILL"), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
  }
}

/** Waits for the host's first stdout line, its port; `rest` gets whatever followed it and takes over stdout. */
function readPort(child: ChildProcess, timeoutMs: number, stderr: Tail, rest: (text: string) => void): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let buf = "";
    let done = false;
    const finish = (err?: Error, p?: number) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.off("exit", onExit);
      child.stdout!.off("data", onData);
      if (err) reject(err);
      else resolve(p!);
    };
    const timer = setTimeout(() => finish(new Error("timed out waiting for the host's port")), timeoutMs);
    const onExit = (code: number | null, signal: string | null) =>
      finish(new Error(`host exited before reporting its port (code ${code}, signal ${signal}): ${stderr}`));
    const onData = (d: string) => {
      buf += d;
      const nl = buf.indexOf("\n");
      if (nl < 0) return;
      const line = buf.slice(0, nl).trim();
      const p = Number(line);
      if (!Number.isInteger(p) || p <= 0)
        return finish(new Error(`host printed ${JSON.stringify(line)} instead of a port`));
      finish(undefined, p);
      rest(buf.slice(nl + 1));
    };
    child.once("exit", onExit);
    child.once("error", (e) => finish(e));
    child.stdout!.setEncoding("utf8").on("data", onData);
  });
}

/** Where the host script lives for a given project directory (for diagnostics and docs). */
export function hostScriptFor(cwd: string): string {
  return path.resolve(resolveHostScript(cwd));
}
