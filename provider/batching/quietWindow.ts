/**
 * When a coalesced batch is sent. The engine's concurrent operations do not reach the provider host in the same
 * instant: hundreds of gRPC calls from one `pulumi up` arrive spread over tens of milliseconds (more on a loaded
 * machine), so a fixed window of 10–20 ms cuts them into many small batches. This window instead waits for a QUIET GAP
 * (no new request for `quietMs`) and never longer than `maxWaitMs` after its first request, so a steady stream cannot
 * hold a batch back forever.
 *
 * "No new request" counts the engine's calls to the host as well as the batch's own requests (engineActivity.ts).
 *
 * It plugs into DataLoader as its `batchScheduleFn`. DataLoader only calls that once per batch, so the loader's owner
 * also calls `touch()` after every load to push the quiet deadline (see coalescer.ts).
 */

import {
  engineBound,
  engineCallsInFlight,
  onEngineCall,
  onStall,
  probeMs,
  STREAM_MAX_WAIT_MS,
  streamQuietMs,
} from "./engineActivity";

export interface WindowTiming {
  /** Send once no request has arrived for this long (ms). */
  readonly quietMs: number;
  /** Send at the latest this long after the batch's first request (ms). */
  readonly maxWaitMs: number;
}

/**
 * With at least this many engine calls under way in the host, the quiet gap is `BUSY_GAP_FACTOR` times longer. Only
 * unbounded parallelism on a large stack gets there (`--parallel 16` never does); then a pause of 60 ms in the engine's
 * calls was usually a stall, not the end of the stream: the bench's role change split into two to six batches per
 * workspace at 60 ms (68–135 requests) and one or two at 200–300 ms (24–34), while every batch serves hundreds of
 * resources, so the longer wait costs each of them little. With few calls under way the gap stays short, because
 * then every caller may be waiting on the window and a longer gap would only delay them all.
 */
export const BUSY_IN_FLIGHT = 64;
export const BUSY_GAP_FACTOR = 4;

/** How much longer than the probe an unknown engine's quiet gap is (see `currentQuietMs`). */
export const PROBE_MARGIN_MS = 50;

/**
 * The quiet gap now: `quietMs`, or `BUSY_GAP_FACTOR` times it while the engine has many calls under way; once the
 * engine is known to be unbounded, at least the stream's own pace (engineActivity.ts `streamQuietMs`); while that is
 * not known yet, at least the probe (engineActivity.ts `probeMs`).
 */
export function currentQuietMs(quietMs: number): number {
  const gap = engineCallsInFlight() >= BUSY_IN_FLIGHT ? quietMs * BUSY_GAP_FACTOR : quietMs;
  switch (engineBound()) {
    case "bounded":
      return gap;
    case "unbounded":
      return Math.max(gap, streamQuietMs(quietMs));
    case "unknown":
      // Longer than the probe that would teach "bounded": a pause the probe tolerates must not send the batch, and
      // when nothing arrives the probe ends first (and learns), then the stall sends the batch.
      return Math.max(gap, probeMs() + PROBE_MARGIN_MS);
  }
}

/** The ceiling now: `maxWaitMs`, or far longer once the engine is known to be unbounded (see engineActivity.ts). */
export function currentMaxWaitMs(quietMs: number, maxWaitMs: number): number {
  const ceiling = Math.max(quietMs, maxWaitMs);
  return engineBound() === "unbounded" ? Math.max(ceiling, STREAM_MAX_WAIT_MS) : ceiling;
}

/**
 * Defaults: a 60 ms quiet gap (`quickbi:batchWindowMs`) and a 5 s ceiling. On the loaded 2-core machine of the bench, a
 * 1000-resource `up` reaches the host over 5–20 s with frequent pauses of 20–50 ms, and a 20 ms gap closed most
 * windows after a handful of requests; with the engine's calls counted, a 3 s ceiling still cut a role change into
 * four or five batches per workspace (README, "Scale", has the measurements). The ceiling only matters while the
 * engine keeps calling; a lone request in a quiet host waits one quiet gap.
 */
export const DEFAULT_TIMING: WindowTiming = { quietMs: 60, maxWaitMs: 5000 };

interface Pending {
  readonly run: () => void;
  readonly openedAt: number;
  timer: ReturnType<typeof setTimeout>;
  readonly unsubscribe: () => void;
  readonly unsubscribeStall: () => void;
}

export class QuietWindow {
  #pending: Pending | undefined;

  constructor(private readonly timing: () => WindowTiming) {}

  /** DataLoader's `batchScheduleFn`. */
  readonly schedule = (run: () => void): void => {
    // DataLoader asks for a new batch while one is still waiting only when that one is full: send the full one now.
    this.flush();
    const openedAt = Date.now();
    this.#pending = {
      run,
      openedAt,
      timer: setTimeout(() => this.flush(), this.delay(openedAt)),
      // Any engine operation, for any resource, means the engine is still streaming: keep the batch open.
      unsubscribe: onEngineCall(() => this.touch()),
      // Every operation under way waits in a window: a bounded engine sends nothing more until one answers.
      unsubscribeStall: onStall(() => this.flush()),
    };
  };

  /** A request joined the open batch: the quiet gap starts again (within the ceiling). */
  touch(): void {
    const p = this.#pending;
    if (p === undefined) return;
    clearTimeout(p.timer);
    p.timer = setTimeout(() => this.flush(), this.delay(p.openedAt));
  }

  /** Sends the open batch now, if there is one. */
  flush(): void {
    const p = this.#pending;
    if (p === undefined) return;
    this.#pending = undefined;
    clearTimeout(p.timer);
    p.unsubscribe();
    p.unsubscribeStall();
    p.run();
  }

  private delay(openedAt: number): number {
    const { quietMs, maxWaitMs } = this.timing();
    const untilCeiling = openedAt + currentMaxWaitMs(quietMs, maxWaitMs) - Date.now();
    return Math.max(0, Math.min(currentQuietMs(quietMs), untilCeiling));
  }
}
