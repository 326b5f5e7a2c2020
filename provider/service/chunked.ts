/**
 * Batch actions take a bounded number of users per call (1000: AddUserGroupMember's documented maximum, our choice for
 * the workspace batch actions). A longer list is sent as several calls, one after another, and the answers merged.
 */
import { chunk } from "../api/ops/invoke";
import { allWith, failureOf, type Outcomes } from "./outcome";

/**
 * One `call` per run of at most `size` users, in order, with every user's outcome merged. With `failWhole`, a call
 * that fails as a whole (after the client's retries) fails every user of its run with that Quick BI error and the
 * next runs are still sent; without it, the error propagates.
 */
export async function perChunk(
  userIds: readonly string[],
  size: number,
  call: (part: string[]) => Promise<Outcomes>,
  failWhole = true,
): Promise<Outcomes> {
  const out: Outcomes = new Map();
  for (const part of chunk(userIds, size)) {
    let res: Outcomes;
    try {
      res = await call(part);
    } catch (e) {
      if (!failWhole) throw e;
      res = allWith(part, failureOf(e));
    }
    for (const [u, o] of res) out.set(u, o);
  }
  return out;
}
