/**
 * Recent listings of a workspace's or group's members, for refresh. A refresh reads every resource's membership; one
 * listing of each workspace and group answers all of them, so the first read of a target lists it and the others use
 * that listing. A listing serves only the stream of engine operations it was taken in (the host has not been idle
 * since), is dropped when this host writes to its target, and after MAX_AGE_MS: it stands for "what a refresh running
 * now sees", never for a write's precondition (writes read afresh).
 */
import { activityEpoch } from "./engineActivity";

export const MAX_AGE_MS = 30_000;

export class Snapshots<V> {
  readonly #entries = new Map<string, { readonly at: number; readonly epoch: number; readonly value: Promise<V> }>();

  constructor(private readonly maxAgeMs = MAX_AGE_MS) {}

  /** The listing of `key`, taken now by `load` unless a recent one exists. A failed listing is not kept. */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.#entries.get(key);
    if (hit !== undefined && hit.epoch === activityEpoch() && Date.now() - hit.at <= this.maxAgeMs) return hit.value;
    const value = load();
    const entry = { at: Date.now(), epoch: activityEpoch(), value };
    this.#entries.set(key, entry);
    value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    return value;
  }

  /** This host changed `key`'s members: the next read lists it again. */
  invalidate(key: string): void {
    this.#entries.delete(key);
  }
}
