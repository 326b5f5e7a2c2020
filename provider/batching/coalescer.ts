/**
 * A DataLoader whose batches are cut by a quiet-gap window (quietWindow.ts) instead of one event-loop tick, with its
 * cache off: coalescing shares one request among callers that ask at the same moment, it never serves a value to a
 * caller who asks later (a listing is valid for the moment it was taken, not for the rest of the deployment).
 */
import DataLoader from "dataloader";
import { parkCurrentCall } from "./engineActivity";
import { QuietWindow, type WindowTiming } from "./quietWindow";

/** Answers one value (or an Error for that key alone) per key, in the keys' order. */
export type BatchFn<K, V> = (keys: readonly K[]) => Promise<readonly (V | Error)[]>;

export class Coalescer<K, V> {
  readonly #window: QuietWindow;
  readonly #loader: DataLoader<K, V, K>;

  constructor(batch: BatchFn<K, V>, timing: () => WindowTiming, maxBatchSize = Number.POSITIVE_INFINITY) {
    this.#window = new QuietWindow(timing);
    this.#loader = new DataLoader<K, V, K>(batch, {
      cache: false,
      maxBatchSize,
      batchScheduleFn: this.#window.schedule,
    });
  }

  load(key: K): Promise<V> {
    return this.parked(this.#loader.load(key));
  }

  /** Every key joins the same window; rejects if any key's answer is an Error. */
  loadAll(keys: readonly K[]): Promise<V[]> {
    return this.parked(Promise.all(keys.map((k) => this.#loader.load(k))));
  }

  /** The engine operation asking waits in the window until its answer comes (engineActivity.ts `onStall`). */
  private parked<T>(answer: Promise<T>): Promise<T> {
    const release = parkCurrentCall();
    this.#window.touch();
    return answer.finally(release);
  }
}

/** Groups a batch's keys, keeping each key's index so answers go back to the right caller. */
export function groupBy<K, G>(keys: readonly K[], groupOf: (k: K) => G): Map<G, { key: K; index: number }[]> {
  const out = new Map<G, { key: K; index: number }[]>();
  keys.forEach((key, index) => {
    const g = groupOf(key);
    const list = out.get(g);
    if (list) list.push({ key, index });
    else out.set(g, [{ key, index }]);
  });
  return out;
}
