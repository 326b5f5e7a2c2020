/** Counters the bench and the debug log read. Plain numbers, no request data. */

export interface ActionCounters {
  /** Logical calls (one per `call`/`callEnvelope`). */
  calls: number;
  /** HTTP attempts actually sent. */
  attempts: number;
  retries: number;
  throttles: number;
  /** Calls that finally failed. */
  errors: number;
  /** Re-reads run to settle a write with unknown outcome. */
  verifies: number;
  /** Writes answered from `verify` ("applied") instead of a response. */
  synthesized: number;
  /** Sum of attempt latencies, ms. */
  latencyMs: number;
}

function zero(): ActionCounters {
  return { calls: 0, attempts: 0, retries: 0, throttles: 0, errors: 0, verifies: 0, synthesized: 0, latencyMs: 0 };
}

export class ClientMetrics {
  readonly total: ActionCounters = zero();
  readonly byAction = new Map<string, ActionCounters>();

  bump(action: string, key: keyof ActionCounters, by = 1): void {
    this.total[key] += by;
    let a = this.byAction.get(action);
    if (!a) {
      a = zero();
      this.byAction.set(action, a);
    }
    a[key] += by;
  }

  snapshot(): { total: ActionCounters; byAction: Record<string, ActionCounters> } {
    return {
      total: { ...this.total },
      byAction: Object.fromEntries([...this.byAction].map(([k, v]) => [k, { ...v }])),
    };
  }

  reset(): void {
    Object.assign(this.total, zero());
    this.byAction.clear();
  }
}
