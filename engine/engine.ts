// An offline stand-in for the Pulumi engine: it runs a program (program.ts) and turns each registration into the
// provider calls the engine makes, in the engine's order and concurrency (deploy.ts, refresh.ts, destroy.ts), against
// the real dynamic-provider host (host.ts), keeping a JSON state file (state.ts, checkpoint.ts). It is not Pulumi;
// see the README, "The offline engine driver", for what it reproduces and what it does not.
import * as path from "node:path";
import { deploy } from "./deploy";
import { destroy } from "./destroy";
import { ProviderHost, type PropertyMap } from "./host";
import { resolveParallel, resolveParallelDiff, resolveSkipCheckpoints, type EngineOptions } from "./options";
import type { ProgramSource } from "./program";
import { refresh } from "./refresh";
import type { Operation, RunReport } from "./report";
import { errorMessage, Run } from "./run";
import { SecretsCrypter } from "./secrets";
import { emptyState, loadState, type State } from "./state";

export type { EngineOptions } from "./options";
export { CheckFailedError } from "./stepGenerator";

export class Engine {
  readonly statePath: string;
  private readonly passphrase: string;
  /** The host of the operation in progress, if any. */
  host: ProviderHost | undefined;
  private current: Run | undefined;

  constructor(readonly options: EngineOptions) {
    this.statePath = options.statePath ?? path.join(options.projectDir, ".pulumi-state.json");
    this.passphrase = options.secretsPassphrase ?? process.env.PULUMI_CONFIG_PASSPHRASE ?? "";
  }

  /** `--parallel` as this engine resolves it (the option, else PULUMI_PARALLEL, else 4 × cores). */
  get parallel(): number | "unbounded" {
    return resolveParallel(this.options.parallel);
  }

  /**
   * What the operation in progress is waiting for: its phase, the resources whose steps are under way, and the
   * provider calls in flight. For diagnosing a run that does not finish (a provider call that never returns, or a
   * program awaiting something that never resolves).
   */
  pending(): {
    operation?: Operation;
    phase?: string;
    resources: string[];
    providerCalls: { method: string; urn: string; ms: number }[];
  } {
    const run = this.current;
    const now = Date.now();
    return {
      operation: run?.operation,
      phase: run?.phase,
      resources: run ? [...run.inProgress] : [],
      providerCalls: run
        ? [...run.host.inFlight].map((c) => ({ method: c.method, urn: c.urn, ms: now - c.startedAt }))
        : [],
    };
  }

  /** The state file as it is now (an empty state if there is none yet). */
  readState(): State {
    return loadState(this.statePath) ?? emptyState(SecretsCrypter.newSalt());
  }

  /** Stack outputs from the state file, secrets decrypted (for tests and the demo; never print them blindly). */
  stackOutputs(): { outputs: PropertyMap; secretKeys: string[] } {
    const state = this.readState();
    const { plain, secretKeys } = new SecretsCrypter(this.passphrase, state.secretsSalt).open(state.outputs);
    return { outputs: plain, secretKeys };
  }

  preview(program: ProgramSource): Promise<RunReport> {
    return this.operate("preview", (run) => deploy(run, program, this.deployOptions()));
  }

  up(program: ProgramSource): Promise<RunReport> {
    return this.operate("up", (run) => deploy(run, program, this.deployOptions()));
  }

  refresh(): Promise<RunReport> {
    return this.operate("refresh", (run) => refresh(run, this.parallel));
  }

  destroy(): Promise<RunReport> {
    return this.operate("destroy", (run) => destroy(run, this.parallel));
  }

  private deployOptions() {
    const o = this.options;
    return {
      project: o.project,
      stack: o.stack,
      config: o.config,
      secretKeys: o.secretKeys,
      parallel: this.parallel,
      parallelDiff: resolveParallelDiff(o.parallelDiff),
    };
  }

  private async operate(operation: Operation, body: (run: Run) => Promise<PropertyMap>): Promise<RunReport> {
    const started = Date.now();
    const state = this.readState();
    const crypter = new SecretsCrypter(this.passphrase, state.secretsSalt);
    const shared = this.options.host;
    const host =
      shared ??
      (await ProviderHost.start({
        cwd: this.options.projectDir,
        env: this.options.hostEnv,
        project: this.options.project ?? "project",
        config: this.options.config,
        nodePath: this.options.nodePath,
        callTimeoutMs: this.options.callTimeoutMs,
      }));
    if (shared) await shared.beginOperation();
    this.host = host;
    const firstLog = host.logs.length;
    const run = new Run(
      operation,
      host,
      state,
      crypter,
      this.statePath,
      resolveSkipCheckpoints(this.options.skipCheckpoints),
    );
    this.current = run;
    let outputs: PropertyMap = {};
    try {
      for (const p of state.pendingOperations) {
        run.warnings.push(
          `an earlier run was interrupted during the ${p.op} of ${p.urn}${p.id ? ` (id ${p.id})` : ""}; ` +
            `the provider may or may not have applied it`,
        );
      }
      if (operation !== "preview") state.pendingOperations = [];
      // The engine configures the provider before any other call, with the whole stack config, secret bit removed.
      run.phase = "configure";
      await host.configure(this.options.config ?? {});
      await this.options.onHostStarted?.(host);
      run.phase = operation === "preview" || operation === "up" ? "program" : operation;
      outputs = await body(run);
    } catch (e) {
      run.errors.push(errorMessage(e));
    } finally {
      try {
        await run.checkpoint.close();
      } catch (e) {
        run.errors.push(`writing the state file failed: ${errorMessage(e)}`);
      }
      await host.settleLogs().catch(() => undefined);
      if (!host.alive && host.exit && run.errors.length > 0) {
        run.warnings.push(`the provider host exited (code ${host.exit.code}, signal ${host.exit.signal})`);
      }
      if (!shared) await host.stop();
      if (this.host === host) this.host = undefined;
      if (this.current === run) this.current = undefined;
    }
    return run.report(started, host.logs.slice(firstLog), outputs);
  }
}
