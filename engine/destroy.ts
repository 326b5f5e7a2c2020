// destroy without --run-program: no program, every resource in the state (components and the stack included)
// condemned and deleted in the engine's layers (deletes.ts).
import { deleteInLayers } from "./deletes";
import type { Run } from "./run";
import type { PropertyMap } from "./wire";

export async function destroy(run: Run, parallel: number | "unbounded"): Promise<PropertyMap> {
  await deleteInLayers(run, [...run.state.resources], parallel);
  if (run.errors.length === 0) {
    run.state.resources = [];
    run.state.outputs = {};
  }
  return {};
}
