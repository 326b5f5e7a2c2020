/**
 * Organization user reads with request coalescing (what a refresh of many QuickBIUser resources asks for at once).
 * A window with a few ids reads them one by one (QueryUserInfoByUserId); with more, pages through QueryUserList once
 * (1000 users per page) and reads one by one only the ids the listing did not show. Writes are not coalesced: AddUser,
 * UpdateUser and DeleteUser have no batch form.
 */
import type { OrgUser, UserService } from "../service";
import { Coalescer } from "./coalescer";
import type { WindowTiming } from "./quietWindow";

/** Up to this many distinct ids in a window, single reads are cheaper than paging through the organization. */
export const SINGLE_READ_LIMIT = 20;

export function createCoalescedUserService(direct: UserService, timing: () => WindowTiming): UserService {
  const reads = new Coalescer<string, OrgUser | undefined>(async (ids) => {
    const distinct = [...new Set(ids)];
    const found = new Map<string, OrgUser | undefined>();
    if (distinct.length > SINGLE_READ_LIMIT) {
      const wanted = new Set(distinct);
      for (const u of await direct.list()) if (wanted.has(u.userId)) found.set(u.userId, u);
    }
    const rest = distinct.filter((id) => !found.has(id));
    const errors = new Map<string, Error>();
    await Promise.all(
      rest.map(async (id) => {
        try {
          found.set(id, await direct.get(id));
        } catch (e) {
          errors.set(id, e instanceof Error ? e : new Error(String(e)));
        }
      }),
    );
    return ids.map((id) => errors.get(id) ?? found.get(id));
  }, timing);

  return { ...direct, get: (userId) => reads.load(userId) };
}
