/**
 * How many bytes of request bodies the server holds at once, across all requests in flight. Each body is bounded on
 * its own (413); this bounds their sum, so many large bodies at once cannot grow the process without limit.
 */
export class BodyBudget {
  private held = 0;

  constructor(readonly maxBytes: number) {}

  /** A share of the budget for one request; give it back when the request is done with its body. */
  open(): BodyReservation {
    let mine = 0;
    return {
      take: (bytes: number): boolean => {
        if (this.held + bytes > this.maxBytes) return false;
        this.held += bytes;
        mine += bytes;
        return true;
      },
      release: (): void => {
        this.held -= mine;
        mine = 0;
      },
    };
  }

  get heldBytes(): number {
    return this.held;
  }
}

export interface BodyReservation {
  /** Counts `bytes` more against the budget; false (and nothing counted) when that would exceed it. */
  take(bytes: number): boolean;
  release(): void;
}
