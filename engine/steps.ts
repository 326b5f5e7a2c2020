// The steps a worker runs (pkg/resource/deploy/step.go): each makes its provider call, records the outcome in the
// state (with the checkpoint writes the file backend makes), reports itself, and answers the program where the step
// completes a registration. In a preview no create, update or delete reaches the host: the dynamic-provider host does
// not support provider previews, so the engine answers a create or update with the checked inputs as outputs.
import { InitFailedError } from "./providerErrors";
import type { RegisterAnswer, Registration } from "./registration";
import { errorMessage, isRecorded, recorded, type OpenedEntry, type Run, type Who } from "./run";
import type { Step } from "./stepExecutor";
import type { ResourceState } from "./state";
import type { PropertyMap } from "./wire";

/** A registration waiting for its answer; settled once, by the step that completes it or by the chain's end. */
export class Pending {
  private done = false;
  /** Settled by a failure (its dependents are not executed). */
  failed = false;
  constructor(
    readonly reg: Registration,
    private readonly onResolve: (a: RegisterAnswer) => void,
    private readonly onReject: (e: unknown) => void,
  ) {}
  get settled(): boolean {
    return this.done;
  }
  resolve(a: RegisterAnswer): void {
    if (!this.done) this.onResolve(a);
    this.done = true;
  }
  reject(e: unknown): void {
    if (!this.done) {
      this.failed = true;
      this.onReject(e);
    }
    this.done = true;
  }
}

/** A delete the engine refuses; it does not stop the deployment (the engine reports every such refusal). */
export class DeleteProtectedError extends Error {
  override readonly name = "DeleteProtectedError";
  constructor(urn: string) {
    super(`unable to delete resource "${urn}" as it is currently marked for protection`);
  }
}

/** What a step failure does: deleting a protected resource is reported and the rest goes on; anything else stops. */
export function onStepError(run: Run): (e: unknown) => "cancel" | "continue" {
  return (e) => {
    if (e instanceof DeleteProtectedError) return "continue";
    run.cancelled = true;
    return "cancel";
  };
}

function whoOf(reg: Registration): Who {
  return { urn: reg.urn, type: reg.type, name: reg.name };
}

/**
 * The provider's create for a registration, recorded as a pending operation, then in state; a partial create
 * (ErrorResourceInitFailed) is recorded with its id and initErrors before the step fails. `replacing`: the old copy
 * of a create-before-delete replacement, marked for deletion once the new copy exists (both stay in the state).
 */
async function create(
  run: Run,
  p: Pending,
  checked: PropertyMap,
  replacing?: ResourceState,
): Promise<{ id: string; outputs: PropertyMap } | InitFailedError> {
  const record = (entry: ResourceState) => {
    if (!replacing) return run.upsert(entry);
    replacing.delete = true;
    run.state.resources.push(entry);
  };
  try {
    const created = await run.pending("create", p.reg, () => run.host.create(p.reg.urn, checked));
    record(run.entryFor(p.reg, created.id, checked, created.properties));
    await run.checkpoint.mutated();
    return { id: created.id, outputs: created.properties };
  } catch (e) {
    if (!(e instanceof InitFailedError)) {
      await run.checkpoint.mutated();
      throw e;
    }
    record(run.entryFor(p.reg, e.id, e.inputs ?? checked, e.properties, e.reasons));
    await run.checkpoint.mutated();
    return e;
  }
}

/** A new resource. */
export function createStep(run: Run, p: Pending, checked: PropertyMap): Step {
  return async () => {
    if (run.dryRun) {
      run.step("create", whoOf(p.reg));
      p.resolve(run.answer(p.reg, undefined, checked));
      return;
    }
    try {
      const out = await create(run, p, checked);
      if (out instanceof InitFailedError) {
        run.step("create", whoOf(p.reg), {
          detail: `partially created (id ${out.id}): ${out.reasons.join("; ")}`,
          error: out.message,
        });
        throw recorded(out);
      }
      run.step("create", whoOf(p.reg));
      p.resolve(run.answer(p.reg, out.id, out.outputs));
    } catch (e) {
      fail(run, p, "create", e);
    }
  };
}

/** An existing resource whose diff says it changes in place (or that must be finished: it has initErrors). */
export function updateStep(run: Run, p: Pending, old: ResourceState, prior: OpenedEntry, checked: PropertyMap): Step {
  return async () => {
    if (run.dryRun) {
      run.step("update", whoOf(p.reg));
      p.resolve(run.answer(p.reg, old.id, checked));
      return;
    }
    try {
      try {
        const updated = await run.pending("update", old, () =>
          run.host.update(p.reg.urn, old.id, prior.outputs, checked, prior.inputs),
        );
        run.upsert(run.entryFor(p.reg, old.id, checked, updated.properties));
        await run.checkpoint.mutated();
        run.step("update", whoOf(p.reg), { detail: "" });
        p.resolve(run.answer(p.reg, old.id, updated.properties));
      } catch (e) {
        if (!(e instanceof InitFailedError)) {
          await run.checkpoint.mutated();
          throw e;
        }
        run.upsert(run.entryFor(p.reg, old.id, e.inputs ?? checked, e.properties, e.reasons));
        await run.checkpoint.mutated();
        run.step("update", whoOf(p.reg), { detail: `partially updated: ${e.reasons.join("; ")}`, error: e.message });
        throw recorded(e);
      }
    } catch (e) {
      fail(run, p, "update", e);
    }
  };
}

/** Nothing changes: the new inputs and options are kept with the old outputs (a write the engine elides). */
export function sameStep(run: Run, p: Pending, old: ResourceState, prior: OpenedEntry, checked: PropertyMap): Step {
  return async () => {
    if (!run.dryRun) {
      const entry = run.entryFor(p.reg, old.id, checked, {});
      entry.outputs = old.outputs;
      if (old.initErrors) entry.initErrors = old.initErrors;
      run.upsert(entry);
    }
    run.step("same", whoOf(p.reg));
    p.resolve(run.answer(p.reg, old.id, prior.outputs, prior.secretOutputs));
  };
}

export interface ReplaceMode {
  /** Delete-before-replace: the old copy is already gone (or pending replacement) when the new one is created. */
  deleteFirst: boolean;
  detail: string;
}

/**
 * The new copy of a replaced resource. Create-before-delete marks the old copy for deletion once the new one exists;
 * the old copy is deleted after the program, with the other deletes.
 */
export function createReplacementStep(
  run: Run,
  p: Pending,
  old: ResourceState | undefined,
  checked: PropertyMap,
  mode: ReplaceMode,
): Step {
  return async () => {
    if (run.dryRun) {
      run.step("replace", whoOf(p.reg), { detail: mode.detail });
      p.resolve(run.answer(p.reg, undefined, checked));
      return;
    }
    try {
      const out = await create(run, p, checked, mode.deleteFirst ? undefined : old);
      if (out instanceof InitFailedError) {
        run.step("replace", whoOf(p.reg), {
          detail: `${mode.detail}; partially created (id ${out.id}): ${out.reasons.join("; ")}`,
          error: out.message,
        });
        throw recorded(out);
      }
      const reported = run.step("replace", whoOf(p.reg), { detail: mode.detail });
      if (old && !mode.deleteFirst) run.replacedSteps.set(old, reported);
      p.resolve(run.answer(p.reg, out.id, out.outputs));
    } catch (e) {
      fail(run, p, "replace", e, mode.detail);
    }
  };
}

/**
 * The delete half of a delete-before-replace (of the resource itself, or of a dependent that would be replaced with
 * it). The entry stays in the state as pending replacement until its new copy exists, so an interrupted replace is
 * finished by the next run instead of forgotten.
 */
export function deleteReplacedStep(run: Run, res: ResourceState, on: Who): Step {
  return async () => {
    if (run.dryRun) return;
    try {
      const prior = run.open(res);
      await run.pending("delete", res, () => run.host.delete(res.urn, res.id, prior.outputs, prior.inputs));
      res.pendingReplacement = true;
      await run.checkpoint.mutated();
    } catch (e) {
      await run.checkpoint.mutated();
      const detail =
        res.urn === on.urn
          ? "delete-before-replace"
          : `deleting ${res.urn} first, as it would be replaced with ${on.urn}`;
      run.step("replace", on, { detail, error: errorMessage(e) });
      throw recorded(e);
    }
  };
}

function fail(run: Run, p: Pending, op: "create" | "update" | "replace", e: unknown, detail?: string): never {
  if (!isRecorded(e)) run.step(op, whoOf(p.reg), { ...(detail ? { detail } : {}), error: errorMessage(e) });
  p.reject(e);
  throw recorded(e);
}

export interface DeleteContext {
  /** URNs deleted in this operation (a resource deleted with one of them needs no Delete call). */
  deleting: ReadonlySet<string>;
}

/** A resource the program no longer declares, the old copy of a replacement, or (destroy) anything in the state. */
export function deleteStep(run: Run, res: ResourceState, ctx: DeleteContext): Step {
  return async () => {
    const replaced = run.replacedSteps.get(res);
    try {
      if (res.protect && !res.delete) throw new DeleteProtectedError(res.urn);
      if (run.dryRun) {
        if (res.custom && !replaced && !res.pendingReplacement) run.step("delete", res);
        return;
      }
      // No provider call: a component, a resource deleted by a replace that never finished, one to retain, or one
      // that goes with another resource deleted in this operation.
      const noCall =
        !res.custom ||
        res.pendingReplacement ||
        res.retainOnDelete ||
        (res.deletedWith !== undefined && ctx.deleting.has(res.deletedWith));
      if (!noCall) {
        const prior = run.open(res);
        await run.pending("delete", res, () => run.host.delete(res.urn, res.id, prior.outputs, prior.inputs));
      }
      run.remove(res);
      await run.checkpoint.mutated();
      if (res.custom && !replaced && !res.pendingReplacement) {
        run.step("delete", res, res.retainOnDelete ? { detail: "retained: dropped from state, not deleted" } : {});
      }
    } catch (e) {
      if (!run.dryRun) await run.checkpoint.mutated();
      if (replaced) {
        replaced.error = `deleting the replaced copy (id ${res.id}) failed: ${errorMessage(e)}`;
        run.errors.push(`${res.urn}: ${replaced.error}`);
      } else {
        run.step("delete", res, { error: errorMessage(e) });
      }
      throw recorded(e);
    }
  };
}
