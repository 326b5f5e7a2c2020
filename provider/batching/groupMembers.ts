/**
 * User-group membership with request coalescing, wrapping the direct service. Reads of one group in a window share
 * one QueryUserGroupMember. Adds and removals of a window are carried by the fewest calls Quick BI allows
 * (starCover.ts): many users joining one group in one AddUserGroupMember (≤1000), one user joining or leaving many
 * groups in one AddUserGroupMembers / DeleteUserGroupMembers; what is left of removals goes one DeleteUserGroupMember
 * per pair (it has no many-users form).
 */
import type { GroupMemberService, MemberOutcome, Outcomes } from "../service";
import type { UserGroupsService } from "../service/groupMembers";
import { Coalescer } from "./coalescer";
import type { WindowTiming } from "./quietWindow";
import { Snapshots } from "./snapshots";
import { starCover, type Pair } from "./starCover";

interface AddKey {
  readonly userGroupId: string;
  readonly userId: string;
}

/** The one user's outcome of a one-user call. */
function one(outcomes: Outcomes, userId: string): MemberOutcome {
  const o = outcomes.get(userId);
  if (o === undefined) throw new Error(`no outcome for user ${userId}`);
  return o;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

export function createCoalescedGroupMemberService(
  direct: GroupMemberService & UserGroupsService,
  timing: () => WindowTiming,
): GroupMemberService {
  const rosters = new Coalescer<string, Set<string> | undefined>(async (groupIds) => {
    const distinct = [...new Set(groupIds)];
    const results = await Promise.all(distinct.map((g) => direct.getMembers(g).catch(asError)));
    const byGroup = new Map(distinct.map((g, i) => [g, results[i]]));
    return groupIds.map((g) => byGroup.get(g) as Set<string> | undefined | Error);
  }, timing);

  /** Refresh reads: one listing of each group shared by the whole refresh. */
  const listings = new Snapshots<Set<string> | undefined>();

  /**
   * One window's pairs, carried by stars: `byGroup` sends one group's users, `byUser` one user's groups. Each pair
   * gets the outcome of the call that carried it.
   */
  function writer(
    byGroup: ((g: string, users: string[]) => Promise<Outcomes>) | undefined,
    byUser: (u: string, groups: string[]) => Promise<Outcomes>,
    single: (g: string, u: string) => Promise<MemberOutcome>,
  ) {
    return new Coalescer<AddKey, MemberOutcome>(async (keys) => {
      const pairs: Pair[] = keys.map((k) => ({ group: k.userGroupId, user: k.userId }));
      const outcome = new Map<string, MemberOutcome | Error>();
      const key = (g: string, u: string) => `${g}\u0000${u}`;
      await Promise.all(
        starCover(pairs, { byGroup: byGroup !== undefined, byUser: true }).map(async (star) => {
          try {
            if (star.by === "group") {
              for (const [u, o] of await byGroup!(star.id, star.others)) outcome.set(key(star.id, u), o);
            } else if (star.others.length === 1) {
              outcome.set(key(star.others[0], star.id), await single(star.others[0], star.id));
            } else {
              for (const [g, o] of await byUser(star.id, star.others)) outcome.set(key(g, star.id), o);
            }
          } catch (e) {
            for (const other of star.others)
              outcome.set(star.by === "group" ? key(star.id, other) : key(other, star.id), asError(e));
          }
        }),
      );
      return keys.map(
        (k) =>
          outcome.get(key(k.userGroupId, k.userId)) ??
          new Error(`no outcome for user ${k.userId} in group ${k.userGroupId}`),
      );
    }, timing);
  }

  const adds = writer(
    (g, users) => direct.addMembers(g, users).finally(() => listings.invalidate(g)),
    (u, groups) => direct.addToGroups(u, groups).finally(() => groups.forEach((g) => listings.invalidate(g))),
    async (g, u) => one(await direct.addMembers(g, [u]).finally(() => listings.invalidate(g)), u),
  );
  // DeleteUserGroupMember takes one user: there is no many-users star for removals.
  const removes = writer(
    undefined,
    (u, groups) => direct.removeFromGroups(u, groups).finally(() => groups.forEach((g) => listings.invalidate(g))),
    async (g, u) => one(await direct.removeMembers(g, [u]).finally(() => listings.invalidate(g)), u),
  );

  async function viaWindow(
    w: Coalescer<AddKey, MemberOutcome>,
    userGroupId: string,
    userIds: readonly string[],
  ): Promise<Outcomes> {
    const users = [...new Set(userIds)];
    if (users.length === 0) return new Map();
    const outcomes = await w.loadAll(users.map((userId) => ({ userGroupId, userId })));
    return new Map(users.map((u, i) => [u, outcomes[i]]));
  }

  return {
    async getMembers(userGroupId) {
      const shared = await rosters.load(userGroupId);
      // Every caller gets its own copy of the shared listing.
      return shared === undefined ? undefined : new Set(shared);
    },

    addMembers: (userGroupId, userIds) => viaWindow(adds, userGroupId, userIds),

    async observeMembers(userGroupId) {
      const shared = await listings.get(userGroupId, () => direct.getMembers(userGroupId));
      return shared === undefined ? undefined : new Set(shared);
    },

    removeMembers: (userGroupId, userIds) => viaWindow(removes, userGroupId, userIds),
  };
}
