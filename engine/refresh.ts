// refresh (deployment_executor.go refresh, step.go RefreshStep): Read every resource in the state, in state order, up
// to --parallel at once. A failed read does not stop the others. A blank id drops the resource; otherwise its id,
// outputs and (when the provider returns them) inputs are taken, and its initErrors are cleared unless the read
// itself reports the resource half made. Then the engine asks the provider's Diff what an `up` of the unchanged
// program would do now, the other way round (olds: what was read; news: the inputs in state before), to show the
// drift; a failed diff fails the step. The state is written once, when all steps are back.
import { InitFailedError } from "./providerErrors";
import { errorMessage, type Run } from "./run";
import { redact } from "./secrets";
import { StepExecutor, type Step } from "./stepExecutor";
import type { ResourceState } from "./state";
import { isDeepStrictEqual } from "node:util";
import type { PropertyMap } from "./wire";

function refreshStep(run: Run, r: ResourceState): Step {
  return async () => {
    const prior = run.open(r);
    let read: { id: string; properties: PropertyMap; inputs?: PropertyMap };
    let initErrors: string[] | undefined;
    try {
      read = await run.host.read(r.urn, r.id, prior.outputs, prior.inputs);
    } catch (e) {
      if (!(e instanceof InitFailedError)) {
        run.step("read", r, { error: errorMessage(e) });
        throw e;
      }
      // A partial failure does not fail a refresh: the resource is kept, marked unhealthy for the next up.
      read = { id: e.id || r.id, properties: e.properties, ...(e.inputs ? { inputs: e.inputs } : {}) };
      initErrors = e.reasons;
      run.warnings.push(`${r.urn}: Refreshed resource is in an unhealthy state:\n* ${e.reasons.join("\n* ")}`);
    }
    if (!read.id) {
      run.remove(r);
      run.step("refresh-deleted", r);
      return;
    }
    const inputs = read.inputs ?? prior.inputs;
    const changed =
      read.id !== r.id ||
      !isDeepStrictEqual(read.properties, prior.outputs) ||
      !isDeepStrictEqual(inputs, prior.inputs);
    if (changed || !isDeepStrictEqual(initErrors, r.initErrors)) {
      // Secretness survives a refresh by property name, as the engine re-marks outputs.
      const secretOut = new Set([...prior.secretOutputs, ...(r.additionalSecretOutputs ?? [])]);
      const updated: ResourceState = {
        ...r,
        id: read.id,
        inputs: run.crypter.seal(inputs, prior.secretInputs),
        outputs: run.crypter.seal(read.properties, secretOut),
      };
      if (initErrors) updated.initErrors = initErrors;
      else delete updated.initErrors;
      run.replace(r, updated);
    }
    try {
      await run.host.diff(r.urn, read.id, read.properties, prior.inputs, inputs);
    } catch (e) {
      run.step("read", r, { error: errorMessage(e) });
      throw e;
    }
    if (!changed) {
      run.step("read", r);
      return;
    }
    const changedKeys = Object.keys({ ...read.properties, ...prior.outputs }).filter(
      (k) => k !== "__provider" && !isDeepStrictEqual(read.properties[k], prior.outputs[k]),
    );
    run.step("refresh-changed", r, {
      detail: changedKeys.length ? `changed: ${changedKeys.join(", ")}` : "inputs changed",
    });
  };
}

export async function refresh(run: Run, parallel: number | "unbounded"): Promise<PropertyMap> {
  // The engine's refresh executor ignores step errors: every read runs.
  const executor = new StepExecutor({ parallel, onStepError: () => "continue" });
  // Components, and resources already deleted by an unfinished delete-before-replace, are not read.
  await executor.submitEach(
    run.state.resources.filter((r) => r.custom && !r.pendingReplacement).map((r) => refreshStep(run, r)),
  );
  await run.checkpoint.mutated();
  const { plain, secretKeys } = run.crypter.open(run.state.outputs);
  return redact(plain, secretKeys);
}
