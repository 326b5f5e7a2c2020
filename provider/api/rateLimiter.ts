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
  let limiter = limiters.get(key);
  const minTime = minTimeFor(maxQps);
  if (!limiter) {
    // minTime spaces request starts evenly, so a burst never exceeds maxQps at the server's token bucket.
    limiter = new Bottleneck({ minTime, maxConcurrent: null });
    limiters.set(key, limiter);
  } else {
    // The latest configuration wins (e.g. a stack changed quickbi:maxQps and the host re-configured).
    limiter.updateSettings({ minTime });
  }
  return limiter;
}

/** Test hook: forget all limiters (they hold no timers when idle). */
export function resetSharedLimiters(): void {
  limiters.clear();
}
