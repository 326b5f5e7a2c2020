/**
 * The engine's Quick BI operations (create, read, update, delete) reaching this provider host, and what they are doing.
 *
 * While the engine keeps sending operations, more requests for an open batch are likely on their way: the updates of a
 * `pulumi up` reach the host one by one as their diffs come back, spread over seconds on a large stack. So every
 * operation counts as "not quiet yet" for every open window (quietWindow.ts), within each window's ceiling. Check and
 * diff do not count: they never call Quick BI, and the engine sends them one at a time between the others.
 *
 * It also knows when waiting is pointless: with `--parallel N` (the CLI's default is 4 × cores) the engine sends no
 * new operation until one of the N under way answers, so once every operation under way waits on a coalesced request
 * (in an open window, or in the call its window became), the windows should go now rather than after a quiet gap
 * (`onStall`). An operation busy with anything else (an uncoalesced call) may finish and let the engine send more, so
 * then the quiet gap applies. Which operation waits is tracked per engine call with AsyncLocalStorage, so a window
 * knows whose request it holds without being told.
 */
import { AsyncLocalStorage } from "node:async_hooks";

interface EngineCall {
  /** Requests of this call waiting in a coalescing window now. */
  parked: number;
  ended: boolean;
}

const current = new AsyncLocalStorage<EngineCall>();
const listeners = new Set<() => void>();
const stallListeners = new Set<() => void>();

let inFlight = 0;
let parkedCalls = 0;
/** Bumped once the host has been idle (no engine operation under way) for IDLE_EPOCH_MS: what was read may be stale. */
let idleEpoch = 0;
/** When the last operation under way ended, while none is under way. */
let idleSince: number | undefined;
/** Bumped on every engine call: a stall check scheduled before a new call arrived is void. */
let generation = 0;
let stallTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Only this few operations under way can be a bounded engine waiting on us; more means unbounded parallelism
 * streaming a large stack, where a pause between arrivals is not the end of the stream.
 */
export const STALL_MAX_IN_FLIGHT = 16;
/**
 * How long every operation under way must have been waiting before the windows go. The engine sends creates one
 * check apart (3–10 ms between checks in both engines' traces): shorter than that, a stream of arrivals would be cut
 * into one-resource windows.
 */
export const STALL_SETTLE_MS = 20;
/**
 * When operations arrive further apart than this on average, waiting STALL_SETTLE_MS for another is mostly lost
 * time, and a stalled window goes at once. Under the real CLI a large stack is sparse: with `--parallel 8` the engine
 * spends ~100 ms of its own per resource at 1000 resources (the null provider's floor shows it), so one create or
 * update reaches the host at a time and the settle wait only lengthened every step (create p50 68 ms against 42 ms
 * with one call per membership).
 */
export const SPARSE_ARRIVAL_MS = 4 * STALL_SETTLE_MS;

/**
 * How long the host must be idle before a new stream of operations begins. Within one `pulumi refresh` the host is
 * idle for moments only: with `--parallel 8` a window answers all eight reads at once and the engine sends the next
 * eight a few milliseconds later (longer while the file backend rewrites a large checkpoint), so a plain "idle at
 * all" rule started a new stream every round: 395 listings for 10 workspaces at 1000 resources.
 */
export const IDLE_EPOCH_MS = 250;

/** When the last operation arrived, and the moving average of the gaps between arrivals (ms). */
let lastArrival: number | undefined;
let arrivalGap: number = STALL_SETTLE_MS;

/** Starts a new epoch when the host has been idle long enough; true when it did. */
function settleIdle(now: number): boolean {
  if (inFlight === 0 && idleSince !== undefined && now - idleSince >= IDLE_EPOCH_MS) {
    idleEpoch++;
    idleSince = undefined;
    return true;
  }
  return false;
}

/** An operation arrived: update the average gap. A new stream (or a clock that went back) starts from dense. */
function noteArrival(now: number, newStream: boolean): void {
  if (newStream || lastArrival === undefined || now < lastArrival) arrivalGap = STALL_SETTLE_MS;
  else arrivalGap = 0.75 * arrivalGap + 0.25 * Math.min(now - lastArrival, 1000);
  lastArrival = now;
}

/** Whether operations are arriving sparsely now (see SPARSE_ARRIVAL_MS). */
export function arrivalsSparse(): boolean {
  return arrivalGap >= SPARSE_ARRIVAL_MS;
}

/** Called for every Quick BI operation the engine sends. */
export function noteEngineCall(): void {
  generation++;
  for (const l of listeners) l();
}

/** Calls `listener` on every engine operation until the returned function is called. */
export function onEngineCall(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Calls `listener` when every operation under way is waiting in a window (see STALL_*). */
export function onStall(listener: () => void): () => void {
  stallListeners.add(listener);
  return () => {
    stallListeners.delete(listener);
  };
}

/**
 * (Re)starts the settle timer when every operation under way waits in a window: the windows go once that has held for
 * STALL_SETTLE_MS with no change (an operation arriving, parking or ending starts the count again), or at once while
 * arrivals are sparse.
 */
function checkStall(): void {
  if (stallTimer !== undefined) clearTimeout(stallTimer);
  stallTimer = undefined;
  if (inFlight === 0 || parkedCalls < inFlight || inFlight > STALL_MAX_IN_FLIGHT) return;
  const seen = generation;
  stallTimer = setTimeout(
    () => {
      stallTimer = undefined;
      if (seen !== generation || inFlight === 0 || parkedCalls < inFlight) return;
      for (const l of [...stallListeners]) l();
    },
    arrivalsSparse() ? 0 : STALL_SETTLE_MS,
  );
  stallTimer.unref?.();
}

/** Runs one engine operation: counted as under way until it settles, and known to the windows it waits in. */
export async function runEngineCall<T>(call: () => Promise<T>): Promise<T> {
  noteEngineCall();
  const record: EngineCall = { parked: 0, ended: false };
  const now = Date.now();
  noteArrival(now, settleIdle(now));
  inFlight++;
  idleSince = undefined;
  try {
    return await current.run(record, call);
  } finally {
    inFlight--;
    if (inFlight === 0) idleSince = Date.now();
    // A call may end (with an error) while one of its requests still waits in a window.
    record.ended = true;
    if (record.parked > 0) parkedCalls--;
    checkStall();
  }
}

/**
 * Marks the current engine operation (if any) as waiting in a window until the returned function is called. Nested
 * waits of one operation count once.
 */
export function parkCurrentCall(): () => void {
  const record = current.getStore();
  if (record === undefined || record.ended) return () => undefined;
  if (record.parked++ === 0) parkedCalls++;
  checkStall();
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (--record.parked === 0 && !record.ended) parkedCalls--;
  };
}

/** Marks an engine call under way until the returned function is called (tests and callers outside `runEngineCall`). */
export function beginEngineCall(): () => void {
  inFlight++;
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    inFlight--;
    checkStall();
  };
}

/**
 * Changes every time the host has been idle for IDLE_EPOCH_MS in between: a listing taken during one stream of engine
 * operations (a refresh) serves that stream only.
 */
export function activityEpoch(): number {
  settleIdle(Date.now());
  return idleEpoch;
}

/** Engine operations under way in this host now. */
export function engineCallsInFlight(): number {
  return inFlight;
}
