/**
 * One write that carries many users (AddWorkspaceUsers, AddUserGroupMember), made safe to repeat: when the answer is
 * lost (timeout, reset, 5xx) the target is re-read, the users who landed are done, and only the others are sent
 * again. A user is reported as done only when an answer or a re-read shows it; a failed batch never marks an
 * unapplied user as done, and no user is sent again after it landed.
 */
import type { Verify } from "../api/call";
import { isQuickBIApiError } from "../api/errors";
import { OK, failureOf, type Outcomes } from "./outcome";

/** Rounds of "send the users not yet applied" after an outcome-unknown failure (each round has the client's retries). */
export const MAX_ROUNDS = 3;

export interface MergedWrite {
  /**
   * Sends one call for these users and answers per user from the response. `verify` is what the client must use
   * when the outcome of this call is unknown.
   */
  send(users: readonly string[], verify: Verify): Promise<Outcomes>;
  /** A fresh read: which of these users now hold what the write asked for. */
  landed(users: readonly string[]): Promise<ReadonlySet<string>>;
}

/** Thrown by the verify callback when only some users landed: the client then stops and we send the rest. */
class PartlyApplied extends Error {}

export async function writeOnce(w: MergedWrite, users: readonly string[]): Promise<Outcomes> {
  const out: Outcomes = new Map();
  let pending = [...users];
  for (let round = 1; pending.length > 0; round++) {
    let seen: ReadonlySet<string> | undefined;
    const sending = pending;
    const verify: Verify = async () => {
      seen = await w.landed(sending);
      const n = sending.filter((u) => seen!.has(u)).length;
      if (n === sending.length) return "applied";
      if (n === 0) return "not-applied";
      throw new PartlyApplied();
    };
    try {
      for (const [u, o] of await w.send(sending, verify)) out.set(u, o);
      return out;
    } catch (e) {
      if (!isQuickBIApiError(e)) throw e;
      const unknown = e.outcomeUnknown === true;
      let now = seen;
      if (unknown && now === undefined) now = await w.landed(sending).catch(() => undefined);
      const failure = failureOf(e);
      if (now === undefined) {
        // Neither an answer nor a re-read: nobody is marked done.
        for (const u of sending) out.set(u, failure);
        return out;
      }
      for (const u of sending) if (now.has(u)) out.set(u, OK);
      pending = sending.filter((u) => !now!.has(u));
      if (!unknown || round >= MAX_ROUNDS) {
        for (const u of pending) out.set(u, failure);
        return out;
      }
    }
  }
  return out;
}
