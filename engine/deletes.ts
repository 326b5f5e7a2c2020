// Deleting, as the engine does after the program of an `up` and in `destroy` (deployment_executor.go
// performPostSteps): the condemned resources in layers (dependencyGraph.ts scheduleDeletes), each layer's deletes in
// parallel up to --parallel, each layer finished before the next starts. What a refused delete depends on is left
// alone; any other failure stops every later layer.
import { DependencyGraph, scheduleDeletes } from "./dependencyGraph";
import type { Run } from "./run";
import { StepExecutor } from "./stepExecutor";
import { deleteStep, onStepError } from "./steps";
import type { ResourceState } from "./state";

export async function deleteInLayers(
  run: Run,
  condemned: readonly ResourceState[],
  parallel: number | "unbounded",
): Promise<void> {
  if (condemned.length === 0) return;
  const graph = new DependencyGraph([...run.state.resources]);
  const layers = scheduleDeletes(condemned, graph);
  const deleting = new Set(condemned.map((r) => r.urn));
  const erroredFrom = new Set<ResourceState>();
  const spared = new Set<ResourceState>();
  const executor = new StepExecutor({ parallel, onStepError: onStepError(run) });
  for (const layer of layers) {
    if (executor.isCancelled) break;
    const go: ResourceState[] = [];
    for (const r of layer) {
      if ([...erroredFrom].some((e) => graph.transitiveDependenciesOf(e).has(r))) spared.add(r);
      else go.push(r);
    }
    await executor.submitEach(
      go.map((r) => {
        const step = deleteStep(run, r, { deleting });
        return async () => {
          try {
            await step();
          } catch (e) {
            erroredFrom.add(r);
            throw e;
          }
        };
      }),
    );
  }
  for (const r of spared)
    if (r.custom) run.warnings.push(`${r.urn}: not deleted because a resource depending on it could not be deleted`);
}
