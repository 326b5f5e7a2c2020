// The bookkeeping of one preview / up / refresh / destroy: the working copy of the state and its checkpoints, the
// pending operations around provider calls, the steps and messages for the report. Planning (which steps, in which
// order) lives in stepGenerator.ts and deletes.ts; this file only records.
import type { ProviderHost } from "./host";
import { Checkpoint } from "./checkpoint";
import type { RegisterAnswer, Registration } from "./registration";
import { countSteps, type Operation, type RunReport, type Step, type StepOp } from "./report";
import { type SecretsCrypter } from "./secrets";
import type { PendingOperation, ResourceState, State } from "./state";
import type { PropertyMap } from "./wire";

export interface Who {
  urn: string;
  type: string;
  name: string;
}

export interface OpenedEntry {
  inputs: PropertyMap;
  outputs: PropertyMap;
  secretInputs: string[];
  secretOutputs: string[];
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Marks an error whose step is already in the report, so that nobody reports it twice. */
export function recorded<E>(e: E): E {
  if (e !== null && typeof e === "object") Object.assign(e, { recorded: true });
  return e;
}
export function isRecorded(e: unknown): boolean {
  return e !== null && typeof e === "object" && (e as { recorded?: boolean }).recorded === true;
}

export class Run {
  readonly steps: Step[] = [];
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  /** Registrations whose steps have started and not finished (diagnostics). */
  readonly inProgress = new Set<string>();
  phase = "starting";
  /** Replace steps whose old copy is deleted at the end: a failure there is reported on the replace step. */
  readonly replacedSteps = new Map<ResourceState, Step>();
  /** Set once a step failed (without --continue-on-error no new step starts). */
  cancelled = false;
  readonly checkpoint: Checkpoint;

  constructor(
    readonly operation: Operation,
    readonly host: ProviderHost,
    readonly state: State,
    readonly crypter: SecretsCrypter,
    statePath: string,
    skipCheckpoints: boolean,
  ) {
    this.checkpoint = new Checkpoint(statePath, () => this.state, {
      persist: operation !== "preview",
      everyStep: !skipCheckpoints,
    });
  }

  get dryRun(): boolean {
    return this.operation === "preview";
  }

  live(urn: string): ResourceState | undefined {
    return this.state.resources.find((r) => r.urn === urn && !r.delete);
  }

  /** Puts `entry` where the live resource of its URN is (or at the end); the caller writes the checkpoint. */
  upsert(entry: ResourceState): void {
    const i = this.state.resources.findIndex((r) => r.urn === entry.urn && !r.delete);
    if (i >= 0) this.state.resources[i] = entry;
    else this.state.resources.push(entry);
  }

  remove(entry: ResourceState): void {
    const i = this.state.resources.indexOf(entry);
    if (i >= 0) this.state.resources.splice(i, 1);
  }

  replace(old: ResourceState, entry: ResourceState): void {
    const i = this.state.resources.indexOf(old);
    if (i >= 0) this.state.resources[i] = entry;
  }

  /**
   * A provider call recorded as pending in the state around `fn`, as the snapshot manager does: written before the
   * call starts; the caller writes the outcome (which also clears the pending operation).
   */
  async pending<T>(
    op: PendingOperation["op"],
    entry: { urn: string; type: string; id?: string },
    fn: () => Promise<T>,
  ): Promise<T> {
    const record: PendingOperation = { urn: entry.urn, type: entry.type, op, startedAt: new Date().toISOString() };
    if (entry.id) record.id = entry.id;
    this.state.pendingOperations.push(record);
    await this.checkpoint.mutated();
    try {
      return await fn();
    } finally {
      const i = this.state.pendingOperations.indexOf(record);
      if (i >= 0) this.state.pendingOperations.splice(i, 1);
    }
  }

  step(op: StepOp, who: Who, extra: { detail?: string; error?: string } = {}): Step {
    const s: Step = { op, urn: who.urn, type: who.type, name: who.name, ...extra };
    this.steps.push(s);
    if (extra.error) this.errors.push(`${who.urn}: ${extra.error}`);
    return s;
  }

  open(entry: ResourceState): OpenedEntry {
    const i = this.crypter.open(entry.inputs);
    const o = this.crypter.open(entry.outputs);
    return { inputs: i.plain, outputs: o.plain, secretInputs: i.secretKeys, secretOutputs: o.secretKeys };
  }

  /** Outputs the engine marks secret: those of a secret input's name, and `additionalSecretOutputs`. */
  secretOutputKeys(reg: Registration, extra: Iterable<string> = []): Set<string> {
    return new Set([...reg.secretInputs, ...reg.options.additionalSecretOutputs, ...extra]);
  }

  /** The state entry of a registration with these inputs and outputs (secret values sealed). */
  entryFor(
    reg: Registration,
    id: string,
    inputs: PropertyMap,
    outputs: PropertyMap,
    initErrors?: string[],
  ): ResourceState {
    const entry: ResourceState = {
      urn: reg.urn,
      type: reg.type,
      name: reg.name,
      custom: true,
      parent: reg.parent,
      id,
      inputs: this.crypter.seal(inputs, reg.secretInputs),
      outputs: this.crypter.seal(outputs, this.secretOutputKeys(reg)),
      dependencies: reg.dependencies,
    };
    if (Object.keys(reg.propertyDependencies).length > 0) entry.propertyDependencies = reg.propertyDependencies;
    if (reg.options.deletedWith) entry.deletedWith = reg.options.deletedWith;
    if (initErrors && initErrors.length > 0) entry.initErrors = initErrors;
    if (reg.options.deleteBeforeReplace !== undefined) entry.deleteBeforeReplace = reg.options.deleteBeforeReplace;
    if (reg.options.protect) entry.protect = true;
    if (reg.options.retainOnDelete) entry.retainOnDelete = true;
    if (reg.options.additionalSecretOutputs.length > 0)
      entry.additionalSecretOutputs = reg.options.additionalSecretOutputs;
    return entry;
  }

  /** What the program gets back for a registration. */
  answer(
    reg: Registration,
    id: string | undefined,
    outputs: PropertyMap,
    extraSecret: Iterable<string> = [],
  ): RegisterAnswer {
    return { ...(id ? { id } : {}), outputs, secretOutputs: [...this.secretOutputKeys(reg, extraSecret)] };
  }

  report(startedAt: number, logs: RunReport["logs"], outputs: PropertyMap): RunReport {
    return {
      operation: this.operation,
      ok: this.errors.length === 0,
      steps: this.steps,
      counts: countSteps(this.steps),
      logs,
      durationMs: Date.now() - startedAt,
      errors: this.errors,
      warnings: this.warnings,
      outputs,
    };
  }
}
