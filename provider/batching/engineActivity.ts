/**
 * The engine's calls reaching this provider host. While the engine is still sending calls — checks and diffs of other
 * resources, other resources' steps — more requests for an open batch are likely on their way: the updates of a
 * `pulumi up` reach the host one by one as their diffs come back, spread over seconds on a large stack, far apart
 * for any single workspace. So every engine call counts as "not quiet yet" for every open window (quietWindow.ts),
 * within each window's ceiling. The runtime reports each call (runtime.ts `handler`).
 *
 * It also counts the engine's calls still under way in this host. Hundreds at once means the engine is streaming a
 * large stack with unbounded parallelism, and a pause in its calls is then a stall (its own work, the gRPC transport)
 * rather than the end; with `--parallel N` there are at most N, and every one of them may be waiting on a window.
 */

const listeners = new Set<() => void>();

/** Called by the runtime for every call the engine makes (check, diff, create, read, update, delete). */
export function noteEngineCall(): void {
  for (const l of listeners) l();
}

/** Calls `listener` on every engine call until the returned function is called. */
export function onEngineCall(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

let inFlight = 0;

/** Marks an engine call under way until the returned function is called (once; later calls do nothing). */
export function beginEngineCall(): () => void {
  inFlight++;
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    inFlight--;
  };
}

/** Engine calls under way in this host now. */
export function engineCallsInFlight(): number {
  return inFlight;
}
