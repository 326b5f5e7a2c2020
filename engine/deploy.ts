// preview and up (pkg/resource/deploy/deployment_executor.go Execute): the program runs; its registrations go through
// the step generator one at a time in arrival order, each handing its chain to the step executor (which may hold the
// next one back while every worker is busy); after the program, the resources it no longer declares are deleted in
// the engine's layers. The first failed step cancels everything not yet started, as `pulumi up` without
// --continue-on-error.
import { deleteInLayers } from "./deletes";
import { runProgram, type ProgramSource } from "./program";
import type { RegisterAnswer, Registration } from "./registration";
import { errorMessage, isRecorded, type Run } from "./run";
import { redact } from "./secrets";
import { SerialLoop, StepExecutor } from "./stepExecutor";
import { StepGenerator } from "./stepGenerator";
import { onStepError, Pending } from "./steps";
import type { PropertyMap } from "./wire";

export interface DeployOptions {
  project?: string;
  stack?: string;
  config?: Record<string, string>;
  secretKeys?: string[];
  parallel: number | "unbounded";
  parallelDiff: boolean;
}

const ABORTED = "not executed: the deployment stopped after an earlier error";

export async function deploy(run: Run, program: ProgramSource, opts: DeployOptions): Promise<PropertyMap> {
  const executor = new StepExecutor({ parallel: opts.parallel, onStepError: onStepError(run) });
  const loop = new SerialLoop();
  const generator = new StepGenerator(run, opts.parallelDiff);
  const registered = new Set<string>();
  // Resources that failed or were not executed: anything depending on them is not executed either.
  const failed = new Set<string>();

  const stop = (e: unknown) => {
    run.cancelled = true;
    executor.cancel();
    return e;
  };

  /** Hands a chain over; the registration is refused if the chain ends without answering it (cancelled). */
  const execute = async (p: Pending, chain: Parameters<StepExecutor["submit"]>[0]) => {
    const { done, ran } = await executor.submit(chain);
    if (!ran) {
      failed.add(p.reg.urn);
      run.inProgress.delete(p.reg.urn);
      run.warnings.push(`${p.reg.urn}: ${ABORTED}`);
      return p.reject(new Error(ABORTED));
    }
    void done.finally(() => {
      if (!p.settled) p.reject(new Error(ABORTED));
      if (p.failed) failed.add(p.reg.urn);
      run.inProgress.delete(p.reg.urn);
    });
  };

  /** One registration in the step generator: plan (check, diff) inline, then hand the chain over. */
  const handle = async (p: Pending): Promise<void> => {
    const { reg } = p;
    if (registered.has(reg.urn)) {
      const message = `Duplicate resource URN '${reg.urn}'; try giving it a unique name`;
      run.errors.push(message);
      return p.reject(stop(new Error(message)));
    }
    registered.add(reg.urn);
    const blocker = reg.dependencies.find((d) => failed.has(d));
    if (run.cancelled || blocker) {
      failed.add(reg.urn);
      const why = blocker ? `not executed: it depends on ${blocker}, which failed` : ABORTED;
      run.warnings.push(`${reg.urn}: ${why}`);
      return p.reject(new Error(why));
    }
    run.inProgress.add(reg.urn);
    try {
      const plan = await generator.plan(p);
      if ("chain" in plan) return await execute(p, plan.chain);
      // PULUMI_PARALLEL_DIFF: the diff runs on a worker; what follows it comes back through this loop.
      await executor.submit([
        async () => {
          const diff = await plan.diff().catch((e: unknown) => e as Error);
          loop.push(async () => {
            try {
              if (diff instanceof Error) throw diff;
              await execute(p, await plan.next(diff));
            } catch (e) {
              refuse(p, e);
            }
          });
        },
      ]);
    } catch (e) {
      refuse(p, e);
    }
  };

  const refuse = (p: Pending, e: unknown) => {
    failed.add(p.reg.urn);
    run.inProgress.delete(p.reg.urn);
    if (!isRecorded(e)) run.step(run.live(p.reg.urn) ? "update" : "create", p.reg, { error: errorMessage(e) });
    p.reject(stop(e));
  };

  const onRegister = (reg: Registration) =>
    new Promise<RegisterAnswer>((resolve, reject) => {
      const p = new Pending(reg, resolve, reject);
      loop.push(() => handle(p));
    });

  const result = await runProgram(program, {
    project: opts.project,
    stack: opts.stack,
    config: opts.config,
    secretKeys: opts.secretKeys,
    preview: run.dryRun,
    onRegister,
  });
  await loop.idle();
  await executor.idle();

  // Components (the stack included) have no provider; the engine keeps them in state as they registered.
  for (const reg of result.registrations.filter((r) => !r.custom)) {
    const existing = run.state.resources.find((r) => r.urn === reg.urn);
    if (existing) {
      existing.parent = reg.parent;
      existing.dependencies = reg.dependencies;
      continue;
    }
    if (run.dryRun) continue;
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

  if (run.errors.length === 0 && !run.cancelled) {
    run.phase = "deletes";
    // Resources the program no longer declares, plus old copies of create-before-delete replacements.
    const condemned = run.state.resources.filter((r) => r.delete || !allRegistered.has(r.urn));
    await deleteInLayers(run, condemned, opts.parallel);
    if (run.errors.length === 0 && !run.dryRun) {
      // Deps-first order, as the engine writes its snapshot.
      const order = new Map(result.registrations.map((r, i) => [r.urn, i]));
      run.state.resources.sort(
        (a, b) => (order.get(a.urn) ?? Number.MAX_SAFE_INTEGER) - (order.get(b.urn) ?? Number.MAX_SAFE_INTEGER),
      );
      run.state.outputs = run.crypter.seal(result.stackOutputs, result.secretStackOutputs);
    }
  }
  return redact(result.stackOutputs, result.secretStackOutputs);
}
