/**
 * The engine's Quick BI operations (create, read, update, delete) reaching this provider host, and what they are doing.
 *
 * While the engine keeps sending operations, more requests for an open batch are likely on their way: the updates of a
 * `pulumi up` reach the host one by one as their diffs come back, spread over seconds on a large stack. So every
 * operation counts as "not quiet yet" for every open window (quietWindow.ts), within each window's ceiling. Checks and
 * diffs count only until the engine is known to be bounded (below): they never call Quick BI, and a bounded engine
 * sends them one at a time between the others.
 *
 * It also knows when waiting is pointless: with `--parallel N` (the CLI's default is 4 × cores) the engine sends no
 * new operation until one of the N under way answers, so once every operation under way waits on a coalesced request
 * (in an open window, or in the call its window became), the windows should go now rather than after a quiet gap
 * (`onStall`). An operation busy with anything else (an uncoalesced call) may finish and let the engine send more, so
 * then the quiet gap applies. Which operation waits is tracked per engine call with AsyncLocalStorage, so a window
 * knows whose request it holds without being told.
 *
 * Whether the engine is bounded is learned, not told (nothing the host receives says `--parallel`), and forgotten once
 * the host has been idle for FORGET_BOUND_MS (`engineBound`):
 * - "unbounded" once more than STALL_MAX_IN_FLIGHT operations are under way at once, or once the engine has decided
 *   more than that many operations it has not sent yet (`expectOperation`: a check of a new resource, a diff with
 *   changes). A bounded engine steps through registrations only as fast as its workers take the steps, so its checks
 *   and diffs run at most a worker pool ahead of its operations; an unbounded one checks and diffs every registration
 *   in seconds while the operations follow at the pace of the checkpoint writes. Then a stall is never the end:
 *   the engine keeps starting steps while ours wait (each step's first checkpoint write is what paces them), so the
 *   windows stay open while anything arrives, with a quiet gap that follows the pace of the arrivals and no ceiling
 *   short of STREAM_MAX_WAIT_MS: one call per workspace and role for a whole phase.
 * - "bounded" once a stall has held for a probe (PROBE_MIN_MS, or longer after sparse arrivals) with nothing arriving:
 *   an engine that could send more would have. From then on a stall goes at once, as described above.
 * - "unknown" at first: a stall waits for the probe, and checks and diffs (which the engine sends between the
 *   operations while it still has registrations to step through) keep the windows open, as operations do.
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
/** When the host last became idle (no engine operation under way), while it is; kept across epochs. */
let idleFrom: number | undefined;
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

/**
 * The shortest stall that teaches "bounded" while the engine's bound is unknown. An unbounded engine must not be
 * mistaken for a bounded one before its 17th operation is under way (every such mistake sends an early batch per
 * workspace), and on a loaded 2-core machine its first operations arrived with pauses of 240, 318 and 444 ms
 * (bench traces). A bounded engine pays it once; so does every small stack.
 */
export const PROBE_MIN_MS = 1000;
/**
 * How long the host must be idle before what it learned about the engine's bound is forgotten. Far longer than
 * IDLE_EPOCH_MS: under the CLI's default parallelism on a large stack, every worker can wait at the checkpoint rewrite
 * at once, and the host is idle for a few hundred ms many times in one `up` (a probe each time cost the bench's create
 * 25%). One engine operation keeps one parallelism; only a host serving the next operation idles this long.
 */
export const FORGET_BOUND_MS = 10_000;
/** The longest probe, however sparse the arrivals were. */
export const PROBE_MAX_MS = 2000;
/** The quiet gap of an unbounded stream, in multiples of the average gap between arrivals, and its longest. */
export const STREAM_GAP_FACTOR = 4;
/**
 * The shortest quiet gap of an unbounded stream. The engine can pause for a few hundred ms early in a large `up`
 * (240 ms with nothing arriving, in a bench trace) while the average gap is still short.
 */
export const STREAM_GAP_MIN_MS = 1000;
export const STREAM_GAP_MAX_MS = 2000;
/** The ceiling of a window while the engine is unbounded: far beyond a phase, short of holding a step forever. */
export const STREAM_MAX_WAIT_MS = 600_000;

/**
 * How long an operation the engine decided (a check or diff said so) counts as on its way. Long enough for a step to
 * wait its turn at the checkpoint rewrite; short enough that an operation that never comes (a failed step) soon stops
 * counting.
 */
export const EXPECTED_TTL_MS = 5000;

export type EngineBound = "unknown" | "bounded" | "unbounded";
/** Operations the engine decided and has not sent yet, by resource URN, with when they were decided. */
const expected = new Map<string, number>();
let bound: EngineBound = "unknown";
/** The moving average of the gaps between any two engine calls (checks and diffs included), for the probe. */
let lastAnyArrival: number | undefined;
let anyGap: number = STALL_SETTLE_MS;

/** When the last operation arrived, and the moving average of the gaps between arrivals (ms). */
let lastArrival: number | undefined;
let arrivalGap: number = STALL_SETTLE_MS;

/** After FORGET_BOUND_MS with no operation under way (or a clock that went back), what was learned is forgotten. */
function forgetIfLongIdle(now: number): void {
  if (inFlight === 0 && idleFrom !== undefined && (now - idleFrom >= FORGET_BOUND_MS || now < idleFrom)) {
    bound = "unknown";
    expected.clear();
    // What is learned from now on is about the new operation: it is not forgotten at its first call.
    idleFrom = now;
  }
}

/**
 * Starts a new epoch when the host has been idle long enough; true when it did. After a much longer idle, the bound
 * learned is forgotten too (FORGET_BOUND_MS).
 */
function settleIdle(now: number): boolean {
  forgetIfLongIdle(now);
  if (inFlight === 0 && idleSince !== undefined && (now - idleSince >= IDLE_EPOCH_MS || now < idleSince)) {
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

/** Any engine call arrived (an operation, a check or a diff): update the average gap the probe follows. */
function noteAnyArrival(now: number, newStream: boolean): void {
  if (newStream || lastAnyArrival === undefined || now < lastAnyArrival) anyGap = STALL_SETTLE_MS;
  else anyGap = 0.75 * anyGap + 0.25 * Math.min(now - lastAnyArrival, PROBE_MAX_MS);
  lastAnyArrival = now;
}

/** What the host has learned about the engine's parallelism (see the header). */
export function engineBound(): EngineBound {
  return bound;
}

/** How long a stall must hold, while the bound is unknown, before the windows go and the engine counts as bounded. */
export function probeMs(): number {
  return Math.min(PROBE_MAX_MS, Math.max(PROBE_MIN_MS, STREAM_GAP_FACTOR * anyGap, STREAM_GAP_FACTOR * arrivalGap));
}

/**
 * The quiet gap of a window whose plain gap is `quietMs` while the engine is unbounded: STREAM_GAP_FACTOR times the
 * longer of that gap and the average gap between operations (at least STREAM_GAP_MIN_MS), so a stream paced by the
 * engine's checkpoint writes (one operation every 100–200 ms on a large stack) is not cut at every arrival.
 */
export function streamQuietMs(quietMs: number): number {
  return Math.max(
    STREAM_GAP_MIN_MS,
    STREAM_GAP_FACTOR * quietMs,
    Math.min(STREAM_GAP_MAX_MS, STREAM_GAP_FACTOR * arrivalGap),
  );
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

/**
 * The engine sent a check or a diff. Once the engine is known to be bounded these say nothing about batches (the
 * engine sends them one at a time between the operations), so they are ignored. Before that, and while it is
 * unbounded, they mean the engine is still stepping through registrations, whose operations are on their way: they
 * keep the windows open and void a pending stall.
 */
export function noteEngineStep(): void {
  forgetIfLongIdle(Date.now());
  if (bound === "bounded") return;
  noteAnyArrival(Date.now(), false);
  noteEngineCall();
  if (stallTimer !== undefined) checkStall();
}

/**
 * A check or diff told that the engine will send an operation (create or update) for the resource `urn`. Once more
 * than STALL_MAX_IN_FLIGHT such operations are on their way, the engine is unbounded (see the header).
 */
export function expectOperation(urn: string): void {
  const now = Date.now();
  forgetIfLongIdle(now);
  expected.delete(urn);
  expected.set(urn, now);
  if (bound !== "unbounded" && operationsAhead(now) > STALL_MAX_IN_FLIGHT) bound = "unbounded";
}

/** Operations decided within EXPECTED_TTL_MS and not sent yet (older ones are dropped). */
export function operationsAhead(now = Date.now()): number {
  // The map keeps insertion order, and expectOperation re-inserts: the oldest entries come first.
  for (const [urn, at] of expected) {
    if (now - at <= EXPECTED_TTL_MS && now >= at) break;
    expected.delete(urn);
  }
  return expected.size;
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
  if (bound === "unbounded" || inFlight === 0 || parkedCalls < inFlight || inFlight > STALL_MAX_IN_FLIGHT) return;
  const seen = generation;
  const probing = bound === "unknown";
  stallTimer = setTimeout(
    () => {
      stallTimer = undefined;
      if (seen !== generation || inFlight === 0 || parkedCalls < inFlight || bound === "unbounded") return;
      // Nothing arrived for a whole probe while every operation under way waited on us: the engine is bounded. The
      // probe's wait was ours, not the engine's pace: the average gap between arrivals starts afresh.
      if (probing) {
        bound = "bounded";
        lastArrival = undefined;
        arrivalGap = STALL_SETTLE_MS;
      }
      for (const l of [...stallListeners]) l();
    },
    probing ? probeMs() : arrivalsSparse() ? 0 : STALL_SETTLE_MS,
  );
  stallTimer.unref?.();
}

/**
 * Runs one engine operation: counted as under way until it settles, and known to the windows it waits in. `urn` (when
 * the operation names its resource) settles what a check or diff announced.
 *
 * `waitsInWindows: false` is for operations that never wait in a coalescing window (a membership's read answers from a
 * listing): they are counted, but run outside the AsyncLocalStorage. Before Node 24, AsyncLocalStorage is built on
 * async_hooks: once a store is entered, every promise of the process runs a hook, the gRPC server's included. A
 * refresh of a thousand memberships spent about 8% of the host's CPU on it.
 */
export async function runEngineCall<T>(
  call: () => Promise<T>,
  urn?: string,
  { waitsInWindows = true }: { readonly waitsInWindows?: boolean } = {},
): Promise<T> {
  if (urn !== undefined) expected.delete(urn);
  noteEngineCall();
  const record: EngineCall = { parked: 0, ended: false };
  const now = Date.now();
  const newStream = settleIdle(now);
  noteArrival(now, newStream);
  noteAnyArrival(now, newStream);
  inFlight++;
  idleSince = undefined;
  idleFrom = undefined;
  if (inFlight > STALL_MAX_IN_FLIGHT) bound = "unbounded";
  try {
    return await (waitsInWindows ? current.run(record, call) : call());
  } finally {
    inFlight--;
    if (inFlight === 0) idleSince = idleFrom = Date.now();
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
