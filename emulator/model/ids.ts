/**
 * Identifier generation shaped like the real service's ids (UserId: 32 lowercase hex; workspace and user group ids:
 * UUIDs), drawn from an injectable random source so that a seeded emulator hands out the same ids on every run.
 */
export type RandomSource = () => number;

/** mulberry32: tiny, well-distributed 32-bit PRNG; good enough for reproducible ids, not for secrets. */
export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class IdSource {
  constructor(private readonly random: RandomSource) {}

  private hex(length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += Math.floor(this.random() * 16).toString(16);
    return out;
  }

  /** Quick BI UserId, e.g. `fe67f61a35a94b7da1a34ba174a7b0c1`. */
  userId(): string {
    return this.hex(32);
  }

  /** RFC 4122 version-4 layout, as workspace and user group ids look in the docs. */
  uuid(): string {
    const h = this.hex(32).split("");
    h[12] = "4";
    h[16] = ((parseInt(h[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
    const s = h.join("");
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}

/** A new id from `make` that `taken` does not know. */
export function freshId(make: () => string, taken: (id: string) => boolean): string {
  // Bounded: a collision among 2^122 ids is practically impossible; the loop only guards a degenerate random().
  for (let i = 0; i < 100; i++) {
    const id = make();
    if (!taken(id)) return id;
  }
  throw new Error("random source keeps producing the same id");
}
