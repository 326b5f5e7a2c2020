/**
 * A DataLoader whose batches are cut by a quiet-gap window (quietWindow.ts) instead of one event-loop tick, with its
 * cache off: coalescing shares one request among callers that ask at the same moment, it never serves a value to a
 * caller who asks later (a listing is valid for the moment it was taken, not for the rest of the deployment).
 */
import DataLoader from "dataloader";
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
    const p = this.#loader.load(key);
    this.#window.touch();
    return p;
  }

  /** Every key joins the same window; rejects if any key's answer is an Error. */
  loadAll(keys: readonly K[]): Promise<V[]> {
    const ps = keys.map((k) => this.#loader.load(k));
    this.#window.touch();
    return Promise.all(ps);
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
