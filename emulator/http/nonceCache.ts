/**
 * Remembers signature nonces long enough to refuse replays. A nonce only needs remembering while a request that
 * carries it could still pass the timestamp window; after that the timestamp check refuses the replay anyway.
 * Memory is bounded by `maxEntries`: past it the oldest nonces are forgotten (documented limitation under
 * extreme request rates).
 */
export class NonceCache {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly maxEntries = 100_000) {}

  /** Records the nonce; returns false if it was already seen and has not expired. */
  remember(scope: string, nonce: string, expiresAt: number, now: number): boolean {
    const key = `${scope}\u0000${nonce}`;
    const known = this.expiries.get(key);
    if (known !== undefined && known > now) return false;
    this.prune(now);
    this.expiries.delete(key);
    this.expiries.set(key, expiresAt);
    while (this.expiries.size > this.maxEntries) {
      const oldest = this.expiries.keys().next().value as string;
      this.expiries.delete(oldest);
    }
    return true;
  }

  get size(): number {
    return this.expiries.size;
  }

  clear(): void {
    this.expiries.clear();
  }

  // Insertion order approximates expiry order (expiry = timestamp + window), so a bounded sweep from the front
  // keeps the map small without a full scan on every request.
  private prune(now: number): void {
    let budget = 64;
    for (const [key, expiresAt] of this.expiries) {
      if (budget-- <= 0 || expiresAt > now) break;
      this.expiries.delete(key);
    }
  }
}
