// An offline stand-in for the Pulumi engine: it runs a program (program.ts), turns each registration into the same
// provider calls the engine makes, in the same order, against the real dynamic-provider host (host.ts), and keeps a
// JSON state file (state.ts). It is not Pulumi; see the README, "The offline engine driver", for what it reproduces and what it does not.
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import Bottleneck from "bottleneck";
import { InitFailedError, PropertyMap, ProviderHost } from "./host";
import { ProgramSource, RegisterAnswer, Registration, runProgram } from "./program";
import { countSteps, Operation, RunReport, Step, StepOp } from "./report";
import { redact, SecretsCrypter } from "./secrets";
import { emptyState, loadState, PendingOperation, ResourceState, State, StateWriter } from "./state";
import { inReverseDependencyOrder } from "./order";

export interface EngineOptions {
  /** The project directory (createWorkspace().dir): the host runs there and resolves the provider's require()s. */
  projectDir: string;
  /** Defaults to <projectDir>/.pulumi-state.json. */
  statePath?: string;
  project?: string;
  stack?: string;
  /** Stack config, keys fully qualified ("quickbi:endpoint"), values as strings. */
  config?: Record<string, string>;
  /** Which config keys are secret: secret to the program, never written to state or reports. */
  secretKeys?: string[];
  /** Resource operations in flight at once, as `pulumi up --parallel`; default unbounded like the CLI. */
  parallel?: number | "unbounded";
  /** Key for secret values in the state file; defaults to PULUMI_CONFIG_PASSPHRASE, else "". */
  secretsPassphrase?: string;
  /** Extra environment for the host process. */
  hostEnv?: Record<string, string | undefined>;
  nodePath?: string;
  callTimeoutMs?: number;
  /**
   * A host to use for every operation instead of spawning one per operation (as the CLI does). Saves the host's
   * start-up (seconds) in test suites; the caller stops it. Its provider instances, and so their configure(), are
   * cached for its lifetime.
   */
  host?: ProviderHost;
  /** Called with each host once it is configured (tests use it to kill the host mid-apply). */
  onHostStarted?: (host: ProviderHost) => void | Promise<void>;
}

/** Check failures, worded like the CLI's "<type> resource '<name>': property <p> ... has a problem: <reason>". */
export class CheckFailedError extends Error {
  override readonly name = "CheckFailedError";
  constructor(
    readonly reg: { type: string; name: string },
    readonly failures: { property: string; reason: string }[],
  ) {
    super(
      failures
        .map((f) =>
          f.property
            ? `${reg.type} resource '${reg.name}': property ${f.property} has a problem: ${f.reason}`
            : `${reg.type} resource '${reg.name}' has a problem: ${f.reason}`,
        )
        .join("; "),
    );
  }
}

const ABORTED = "not executed: the deployment stopped after an earlier error";

function stripProvider(m: PropertyMap): PropertyMap {
  const { __provider: _ignored, ...rest } = m;
  return rest;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** One preview/up/refresh/destroy: the host, the working copy of the state and what happened. */
class Run {
  readonly steps: Step[] = [];
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  aborted = false;
  /** Registrations whose steps have started and not finished (diagnostics). */
  readonly inProgress = new Set<string>();
  phase = "starting";
  /** Replace steps whose old copy is deleted at the end: a failure there is reported on the replace step. */
  readonly replacedSteps = new Map<ResourceState, Step>();
  private readonly limiter: Bottleneck | undefined;
  private readonly writer: StateWriter;

  constructor(
    readonly operation: Operation,
    readonly host: ProviderHost,
    readonly state: State,
    readonly crypter: SecretsCrypter,
    statePath: string,
    parallel: number | "unbounded",
  ) {
    this.writer = new StateWriter(statePath, () => this.state);
    this.limiter = parallel === "unbounded" ? undefined : new Bottleneck({ maxConcurrent: Math.max(1, parallel) });
  }

  get dryRun(): boolean {
    return this.operation === "preview";
  }

  limit<T>(fn: () => Promise<T>): Promise<T> {
    return this.limiter ? this.limiter.schedule(fn) : fn();
  }

  persist(): void {
    if (!this.dryRun) this.writer.changed();
  }

  /** Writes now (end of an operation). */
  flush(): void {
    if (!this.dryRun) this.writer.flush();
  }

  live(urn: string): ResourceState | undefined {
    return this.state.resources.find((r) => r.urn === urn && !r.delete);
  }

  upsert(entry: ResourceState): void {
    const i = this.state.resources.findIndex((r) => r.urn === entry.urn && !r.delete);
    if (i >= 0) this.state.resources[i] = entry;
    else this.state.resources.push(entry);
    this.persist();
  }

  remove(entry: ResourceState): void {
    const i = this.state.resources.indexOf(entry);
    if (i >= 0) this.state.resources.splice(i, 1);
    this.persist();
  }

  /** Records a provider call as pending in the state file around `fn`, as the engine's checkpoint does. */
  async pending<T>(op: PendingOperation["op"], entry: { urn: string; type: string; id?: string }, fn: () => Promise<T>): Promise<T> {
    const record: PendingOperation = { urn: entry.urn, type: entry.type, op, startedAt: new Date().toISOString() };
    if (entry.id) record.id = entry.id;
    this.state.pendingOperations.push(record);
    this.persist();
    try {
      return await fn();
    } finally {
      const i = this.state.pendingOperations.indexOf(record);
      if (i >= 0) this.state.pendingOperations.splice(i, 1);
      // the caller persists together with the step's outcome
    }
  }

  step(op: StepOp, who: { urn: string; type: string; name: string }, extra: { detail?: string; error?: string } = {}): Step {
    const s: Step = { op, urn: who.urn, type: who.type, name: who.name, ...extra };
    this.steps.push(s);
    if (extra.error) this.errors.push(`${who.urn}: ${extra.error}`);
    return s;
  }

  open(entry: ResourceState): { inputs: PropertyMap; outputs: PropertyMap; secretInputs: string[]; secretOutputs: string[] } {
    const i = this.crypter.open(entry.inputs);
    const o = this.crypter.open(entry.outputs);
    return { inputs: i.plain, outputs: o.plain, secretInputs: i.secretKeys, secretOutputs: o.secretKeys };
  }
}

export class Engine {
  readonly statePath: string;
  private readonly passphrase: string;
  /** The host of the operation in progress, if any. */
  host: ProviderHost | undefined;
  private current: Run | undefined;

  /**
   * What the operation in progress is waiting for: its phase, the resources whose steps are under way, and the
   * provider calls in flight. For diagnosing a run that does not finish (a provider call that never returns, or a
   * program awaiting something that never resolves).
   */
  pending(): { operation?: Operation; phase?: string; resources: string[]; providerCalls: { method: string; urn: string; ms: number }[] } {
    const run = this.current;
    const now = Date.now();
    return {
      operation: run?.operation,
      phase: run?.phase,
      resources: run ? [...run.inProgress] : [],
      providerCalls: run ? [...run.host.inFlight].map((c) => ({ method: c.method, urn: c.urn, ms: now - c.startedAt })) : [],
    };
  }

  constructor(readonly options: EngineOptions) {
    this.statePath = options.statePath ?? path.join(options.projectDir, ".pulumi-state.json");
    this.passphrase = options.secretsPassphrase ?? process.env.PULUMI_CONFIG_PASSPHRASE ?? "";
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
    return this.operate("preview", (run) => this.deploy(run, program));
  }

  up(program: ProgramSource): Promise<RunReport> {
    return this.operate("up", (run) => this.deploy(run, program));
  }

  refresh(): Promise<RunReport> {
    return this.operate("refresh", (run) => this.refreshAll(run));
  }

  destroy(): Promise<RunReport> {
    return this.operate("destroy", (run) => this.destroyAll(run));
  }

  private async operate(operation: Operation, body: (run: Run) => Promise<PropertyMap>): Promise<RunReport> {
    const started = Date.now();
    const state = this.readState();
    const crypter = new SecretsCrypter(this.passphrase, state.secretsSalt);
    const shared = this.options.host;
    const host = shared ?? await ProviderHost.start({
      cwd: this.options.projectDir,
      env: this.options.hostEnv,
      project: this.options.project ?? "project",
      config: this.options.config,
      nodePath: this.options.nodePath,
      callTimeoutMs: this.options.callTimeoutMs,
    });
    this.host = host;
    const firstLog = host.logs.length;
    const run = new Run(operation, host, state, crypter, this.statePath, this.options.parallel ?? "unbounded");
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
        run.flush();
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
    const errors = run.errors;
    return {
      operation,
      ok: errors.length === 0,
      steps: run.steps,
      counts: countSteps(run.steps),
      logs: host.logs.slice(firstLog),
      durationMs: Date.now() - started,
      errors,
      warnings: run.warnings,
      outputs,
    };
  }

  // ---- preview / up ------------------------------------------------------------------------------------------

  private async deploy(run: Run, program: ProgramSource): Promise<PropertyMap> {
    const registered = new Set<string>();
    // Resources that failed or were not executed: anything depending on them is not executed either.
    const failed = new Set<string>();
    const onRegister = async (reg: Registration): Promise<RegisterAnswer> => {
      if (registered.has(reg.urn)) {
        const message = `Duplicate resource URN '${reg.urn}'; try giving it a unique name`;
        run.errors.push(message);
        throw new Error(message);
      }
      registered.add(reg.urn);
      const blocker = reg.dependencies.find((d) => failed.has(d));
      if (run.aborted || blocker) {
        failed.add(reg.urn);
        const why = blocker ? `not executed: it depends on ${blocker}, which failed` : ABORTED;
        run.warnings.push(`${reg.urn}: ${why}`);
        throw new Error(why);
      }
      run.inProgress.add(reg.urn);
      try {
        return await run.limit(() => this.stepFor(run, reg));
      } catch (e) {
        failed.add(reg.urn);
        // As `pulumi up` without --continue-on-error: no new steps once one failed.
        run.aborted = true;
        throw e;
      } finally {
        run.inProgress.delete(reg.urn);
      }
    };
    const result = await runProgram(program, {
      project: this.options.project,
      stack: this.options.stack,
      config: this.options.config,
      secretKeys: this.options.secretKeys,
      preview: run.dryRun,
      onRegister,
    });
    // Components (the stack included) have no provider; the engine keeps them in state as they registered.
    for (const reg of result.registrations.filter((r) => !r.custom)) {
      if (run.dryRun) continue;
      const old = run.live(reg.urn);
      run.state.resources = run.state.resources.filter((r) => r !== old);
      run.state.resources.push({
        urn: reg.urn,
        type: reg.type,
        name: reg.name,
        custom: false,
        parent: reg.parent,
        id: "",
        inputs: {},
        outputs: {},
        dependencies: reg.dependencies,
      });
    }
    for (const e of result.errors) run.errors.push(`the program failed: ${e.message}`);
    const allRegistered = new Set(result.registrations.map((r) => r.urn));
    run.phase = "deletes";

    if (run.errors.length === 0) {
      // Resources the program no longer declares, plus old copies of create-before-delete replacements.
      const doomed = run.state.resources.filter((r) => r.custom && (r.delete || !registered.has(r.urn)));
      await this.deleteAll(run, doomed);
      if (run.errors.length === 0 && !run.dryRun) {
        run.state.resources = run.state.resources.filter((r) => r.custom || allRegistered.has(r.urn));
        // Deps-first order, as the engine writes its snapshot.
        const order = new Map(result.registrations.map((r, i) => [r.urn, i]));
        run.state.resources.sort((a, b) => (order.get(a.urn) ?? Number.MAX_SAFE_INTEGER) - (order.get(b.urn) ?? Number.MAX_SAFE_INTEGER));
        run.state.outputs = run.crypter.seal(result.stackOutputs, result.secretStackOutputs);
      }
    }
    run.persist();
    return redact(result.stackOutputs, result.secretStackOutputs);
  }

  /** The engine's steps for one registration; resolves with what the program gets back. */
  private async stepFor(run: Run, reg: Registration): Promise<RegisterAnswer> {
    const old = run.live(reg.urn);
    const who = { urn: reg.urn, type: reg.type, name: reg.name };
    const attempted: StepOp = old ? "update" : "create";
    try {
      return old ? await this.stepExisting(run, reg, old) : await this.stepNew(run, reg);
    } catch (e) {
      // Steps that already recorded themselves (partial creates, failed replaces) are marked.
      if (!(e as { recorded?: boolean }).recorded) run.step(attempted, who, { error: errorMessage(e) });
      throw e;
    }
  }

  private async check(run: Run, reg: Registration, olds: PropertyMap): Promise<PropertyMap> {
    const res = await run.host.check(reg.urn, olds, reg.inputs);
    if (res.failures.length > 0) throw new CheckFailedError(reg, res.failures);
    return res.inputs;
  }

  private secretOutputKeys(reg: Registration, extra: Iterable<string> = []): Set<string> {
    return new Set([...reg.secretInputs, ...reg.options.additionalSecretOutputs, ...extra]);
  }

  private entryFor(run: Run, reg: Registration, id: string, inputs: PropertyMap, outputs: PropertyMap, initErrors?: string[]): ResourceState {
    const entry: ResourceState = {
      urn: reg.urn,
      type: reg.type,
      name: reg.name,
      custom: true,
      parent: reg.parent,
      id,
      inputs: run.crypter.seal(inputs, reg.secretInputs),
      outputs: run.crypter.seal(outputs, this.secretOutputKeys(reg)),
      dependencies: reg.dependencies,
    };
    if (initErrors && initErrors.length > 0) entry.initErrors = initErrors;
    if (reg.options.deleteBeforeReplace !== undefined) entry.deleteBeforeReplace = reg.options.deleteBeforeReplace;
    if (reg.options.protect) entry.protect = true;
    if (reg.options.retainOnDelete) entry.retainOnDelete = true;
    if (reg.options.additionalSecretOutputs.length > 0) entry.additionalSecretOutputs = reg.options.additionalSecretOutputs;
    return entry;
  }

  private answer(reg: Registration, id: string, outputs: PropertyMap, extraSecret: Iterable<string> = []): RegisterAnswer {
    return { id, outputs, secretOutputs: [...this.secretOutputKeys(reg, extraSecret)] };
  }

  /** Create, recording a partial create (ErrorResourceInitFailed) in state before failing. */
  private async create(run: Run, reg: Registration, checked: PropertyMap, op: StepOp, detail?: string): Promise<{ id: string; outputs: PropertyMap; step: Step }> {
    const who = { urn: reg.urn, type: reg.type, name: reg.name };
    try {
      const created = await run.pending("create", reg, () => run.host.create(reg.urn, checked));
      run.upsert(this.entryFor(run, reg, created.id, checked, created.properties));
      return { id: created.id, outputs: created.properties, step: run.step(op, who, detail ? { detail } : {}) };
    } catch (e) {
      if (e instanceof InitFailedError) {
        run.upsert(this.entryFor(run, reg, e.id, e.inputs ?? checked, e.properties, e.reasons));
        run.step(op, who, { detail: `partially created (id ${e.id}): ${e.reasons.join("; ")}`, error: e.message });
        throw Object.assign(e, { recorded: true });
      }
      run.persist();
      throw e;
    }
  }

  private async stepNew(run: Run, reg: Registration): Promise<RegisterAnswer> {
    const checked = await this.check(run, reg, {});
    const who = { urn: reg.urn, type: reg.type, name: reg.name };
    if (run.dryRun) {
      run.step("create", who);
      // Like a provider without preview support: nothing is known about a resource not yet created.
      return { outputs: {} };
    }
    const { id, outputs } = await this.create(run, reg, checked, "create");
    return this.answer(reg, id, outputs);
  }

  private async stepExisting(run: Run, reg: Registration, old: ResourceState): Promise<RegisterAnswer> {
    const who = { urn: reg.urn, type: reg.type, name: reg.name };
    const prior = run.open(old);
    const checked = await this.check(run, reg, prior.inputs);
    const diff = await run.host.diff(reg.urn, old.id, prior.outputs, checked, prior.inputs);
    let changes = diff.changes;
    // DIFF_UNKNOWN: the engine falls back to comparing old and new inputs itself.
    if (changes === "DIFF_UNKNOWN") changes = isDeepStrictEqual(prior.inputs, checked) ? "DIFF_NONE" : "DIFF_SOME";
    // A partially created resource is always updated, so that the provider can finish it.
    if (changes === "DIFF_NONE" && old.initErrors && old.initErrors.length > 0) changes = "DIFF_SOME";

    if (changes === "DIFF_SOME" && diff.replaces.length > 0) {
      const dbr = diff.deleteBeforeReplace || reg.options.deleteBeforeReplace === true;
      const detail = `${dbr ? "delete-before-replace" : "create-before-delete"}; replaces ${diff.replaces.join(", ")}`;
      if (old.protect) {
        throw new Error(`unable to replace resource "${reg.urn}" as it is currently marked for protection`);
      }
      if (run.dryRun) {
        run.step("replace", who, { detail });
        return { outputs: {} };
      }
      try {
        return await this.replace(run, reg, old, prior, checked, dbr, detail);
      } catch (e) {
        if (!(e as { recorded?: boolean }).recorded) {
          run.step("replace", who, { detail, error: errorMessage(e) });
          Object.assign(e as object, { recorded: true });
        }
        throw e;
      }
    }

    if (changes === "DIFF_SOME") {
      if (run.dryRun) {
        run.step("update", who);
        // Without provider preview support the engine hands back the new inputs; the rest is unknown.
        return { outputs: stripProvider(checked) };
      }
      try {
        const updated = await run.pending("update", old, () => run.host.update(reg.urn, old.id, prior.outputs, checked, prior.inputs));
        run.upsert(this.entryFor(run, reg, old.id, checked, updated.properties));
        run.step("update", who, { detail: "" });
        return this.answer(reg, old.id, updated.properties);
      } catch (e) {
        if (e instanceof InitFailedError) {
          run.upsert(this.entryFor(run, reg, old.id, e.inputs ?? checked, e.properties, e.reasons));
          run.step("update", who, { detail: `partially updated: ${e.reasons.join("; ")}`, error: e.message });
          throw Object.assign(e, { recorded: true });
        }
        run.persist();
        throw e;
      }
    }

    // Same: keep the outputs, take the new inputs and dependencies.
    if (!run.dryRun) {
      const entry = this.entryFor(run, reg, old.id, checked, {});
      entry.outputs = old.outputs;
      if (old.initErrors) entry.initErrors = old.initErrors;
      run.upsert(entry);
    }
    run.step("same", who);
    return this.answer(reg, old.id, prior.outputs, prior.secretOutputs);
  }

  private async replace(
    run: Run,
    reg: Registration,
    old: ResourceState,
    prior: { inputs: PropertyMap; outputs: PropertyMap },
    checked: PropertyMap,
    dbr: boolean,
    detail: string,
  ): Promise<RegisterAnswer> {
    if (dbr) {
      await run.pending("delete", old, () => run.host.delete(reg.urn, old.id, prior.outputs, prior.inputs));
      run.remove(old);
      const { id, outputs } = await this.create(run, reg, checked, "replace", detail);
      return this.answer(reg, id, outputs);
    }
    // Create-before-delete: the old copy stays in state, marked, and is deleted after the program finishes.
    old.delete = true;
    run.persist();
    try {
      const { id, outputs, step } = await this.create(run, reg, checked, "replace", detail);
      run.replacedSteps.set(old, step);
      return this.answer(reg, id, outputs);
    } catch (e) {
      // No replacement exists (a partial one would be live now): the old copy stays the resource.
      if (!run.live(reg.urn)) delete old.delete;
      run.persist();
      throw e;
    }
  }

  private async deleteAll(run: Run, doomed: ResourceState[]): Promise<void> {
    const outcome = await inReverseDependencyOrder(
      doomed,
      (r) => r.urn,
      (r) => (r.parent ? [...r.dependencies, r.parent] : r.dependencies),
      (r) =>
        run.limit(async () => {
          const replaced = run.replacedSteps.get(r);
          if (r.protect && !r.delete) {
            throw new Error(`unable to delete resource "${r.urn}" as it is currently marked for protection`);
          }
          if (run.dryRun) {
            if (!replaced) run.step("delete", r);
            return;
          }
          if (r.retainOnDelete) {
            run.remove(r);
            if (!replaced) run.step("delete", r, { detail: "retained: dropped from state, not deleted" });
            return;
          }
          const prior = run.open(r);
          await run.pending("delete", r, () => run.host.delete(r.urn, r.id, prior.outputs, prior.inputs));
          run.remove(r);
          if (!replaced) run.step("delete", r);
        }),
    );
    for (const [r, e] of outcome.failed) {
      const replaced = run.replacedSteps.get(r);
      if (replaced) {
        replaced.error = `deleting the replaced copy (id ${r.id}) failed: ${e.message}`;
        run.errors.push(`${r.urn}: ${replaced.error}`);
      } else {
        run.step("delete", r, { error: e.message });
      }
    }
    for (const r of outcome.skipped) run.warnings.push(`${r.urn}: not deleted because a resource depending on it could not be deleted`);
    run.persist();
  }

  // ---- refresh / destroy -------------------------------------------------------------------------------------

  private async refreshAll(run: Run): Promise<PropertyMap> {
    const targets = run.state.resources.filter((r) => r.custom);
    await Promise.all(
      targets.map((r) =>
        run.limit(async () => {
          try {
            const prior = run.open(r);
            const res = await run.host.read(r.urn, r.id, prior.outputs, prior.inputs);
            if (!res.id) {
              run.remove(r);
              run.step("refresh-deleted", r);
              return;
            }
            const inputs = res.inputs ?? prior.inputs;
            const changed =
              res.id !== r.id || !isDeepStrictEqual(res.properties, prior.outputs) || !isDeepStrictEqual(inputs, prior.inputs);
            if (!changed) {
              run.step("read", r);
              return;
            }
            const changedKeys = Object.keys({ ...res.properties, ...prior.outputs }).filter(
              (k) => k !== "__provider" && !isDeepStrictEqual(res.properties[k], prior.outputs[k]),
            );
            // Secretness survives a refresh by property name, as the engine re-marks outputs.
            const secretOut = new Set([...prior.secretOutputs, ...(r.additionalSecretOutputs ?? [])]);
            const updated: ResourceState = {
              ...r,
              id: res.id,
              inputs: run.crypter.seal(inputs, prior.secretInputs),
              outputs: run.crypter.seal(res.properties, secretOut),
            };
            const i = run.state.resources.indexOf(r);
            run.state.resources[i] = updated;
            run.persist();
            run.step("refresh-changed", r, { detail: changedKeys.length ? `changed: ${changedKeys.join(", ")}` : "inputs changed" });
          } catch (e) {
            run.step("read", r, { error: errorMessage(e) });
          }
        }),
      ),
    );
    run.persist();
    const { plain, secretKeys } = run.crypter.open(run.state.outputs);
    return redact(plain, secretKeys);
  }

  private async destroyAll(run: Run): Promise<PropertyMap> {
    await this.deleteAll(run, run.state.resources.filter((r) => r.custom));
    if (run.errors.length === 0) {
      run.state.resources = [];
      run.state.outputs = {};
    }
    run.persist();
    return {};
  }
}


