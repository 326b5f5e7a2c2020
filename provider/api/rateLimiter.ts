/**
 * One client-side limiter per (endpoint, access key) per process: Quick BI throttles per access key, and the dynamic
 * provider host may build several clients (one per resource call) that must share the budget.
 */
import Bottleneck from "bottleneck";

const limiters = new Map<string, Bottleneck>();

function minTimeFor(maxQps: number): number {
  return Math.ceil(1000 / maxQps);
}

export function sharedLimiter(endpoint: string, accessKeyId: string, maxQps: number): Bottleneck {
  const key = `${endpoint}\u0000${accessKeyId}`;
  const minTime = minTimeFor(maxQps);
  let limiter = limiters.get(key);
  if (!limiter) {
    // minTime spaces request starts evenly, so a burst never exceeds maxQps at the server's token bucket.
    limiter = new Bottleneck({ minTime, maxConcurrent: null });
    limiters.set(key, limiter);
  }
  // A new client on the same key keeps the learned pace; a changed configured rate (a stack changed quickbi:maxQps
  // and the host re-configured) wins and starts over.
  if (paces.get(limiter)?.configured !== minTime) {
    limiter.updateSettings({ minTime });
    paces.set(limiter, { configured: minTime, current: minTime, streak: 0, lastSlowDown: 0 });
  }
  return limiter;
}

/**
 * Adaptive pacing on top of the configured rate. Quick BI does not publish its limits, so `quickbi:maxQps` may be
 * above what the key is allowed: a `Throttling*` answer spaces requests 1.5× further apart (at most once a second, since
 * requests in flight are throttled together; at most 8× the configured spacing), and every 20 requests in a row that
 * get through move 10% back towards the configured spacing.
 * Together with the per-request backoff this keeps a long run near the real limit instead of burning retries.
 */
interface Pace {
  readonly configured: number;
  current: number;
  streak: number;
  lastSlowDown: number;
}
const paces = new WeakMap<Bottleneck, Pace>();
const SLOWER = 1.5;
const MAX_SLOWDOWN = 8;
const RECOVER_AFTER = 20;
const FASTER = 0.9;
/** Requests in flight are throttled together: one burst of Throttling answers is one signal, not many. */
const ONE_SIGNAL_MS = 1000;

export function slowDown(limiter: Bottleneck, now: number = Date.now()): void {
  const p = paces.get(limiter);
  if (!p) return;
  p.streak = 0;
  if (now - p.lastSlowDown < ONE_SIGNAL_MS) return;
  p.lastSlowDown = now;
  const next = Math.min(Math.max(p.current, 1) * SLOWER, Math.max(p.configured, 1) * MAX_SLOWDOWN);
  if (next !== p.current) {
    p.current = next;
    limiter.updateSettings({ minTime: Math.ceil(next) });
  }
}

export function speedUp(limiter: Bottleneck): void {
  const p = paces.get(limiter);
  if (!p || p.current <= p.configured) return;
  if (++p.streak < RECOVER_AFTER) return;
  p.streak = 0;
  p.current = Math.max(p.configured, p.current * FASTER);
  limiter.updateSettings({ minTime: Math.ceil(p.current) });
}

/** The spacing (ms) currently applied by a shared limiter, for tests and diagnostics. */
export function currentSpacingMs(limiter: Bottleneck): number | undefined {
  const p = paces.get(limiter);
  return p === undefined ? undefined : Math.ceil(p.current);
}

/** Test hook: forget all limiters (they hold no timers when idle). */
export function resetSharedLimiters(): void {
  limiters.clear();
}
