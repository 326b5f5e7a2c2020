/**
 * Stopping Quick BI calls when nobody waits for their answers. A provider host whose engine was killed keeps running
 * (its parent is gone, its gRPC server stays up) and would go on applying the writes queued in the rate limiter, none
 * of which any state will ever record. Once stopped, every request not yet sent fails with `EngineGone` instead.
 */
import { QuickBIApiError } from "./errors";

let reason: string | undefined;

/** From now on no request is sent; `why` explains it in every error. */
export function stopCalls(why: string): void {
  reason ??= why;
}

export function callsStopped(): boolean {
  return reason !== undefined;
}

/** Throws the error a request gets once calls are stopped (checked right before each request is sent). */
export function assertCallsAllowed(action: string): void {
  if (reason === undefined) return;
  throw new QuickBIApiError({ action, code: "EngineGone", detail: `not sent: ${reason}`, retryable: false });
}
