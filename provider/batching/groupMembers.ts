/**
 * User-group membership with request coalescing, wrapping the direct service: reads of one group in a window share
 * one QueryUserGroupMember, adds to one group become one AddUserGroupMember per 1000 users (its documented maximum).
 * Removals (DeleteUserGroupMember, one user per call) go straight to the direct service.
 */
import type { GroupMemberService, MemberOutcome } from "../service";
import { Coalescer, groupBy } from "./coalescer";
import type { WindowTiming } from "./quietWindow";
import { Snapshots } from "./snapshots";

interface AddKey {
  readonly userGroupId: string;
  readonly userId: string;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

export function createCoalescedGroupMemberService(direct: GroupMemberService, timing: () => WindowTiming): GroupMemberService {
  const rosters = new Coalescer<string, Set<string> | undefined>(async (groupIds) => {
    const distinct = [...new Set(groupIds)];
    const results = await Promise.all(distinct.map((g) => direct.getMembers(g).catch(asError)));
    const byGroup = new Map(distinct.map((g, i) => [g, results[i]]));
    return groupIds.map((g) => byGroup.get(g) as Set<string> | undefined | Error);
  }, timing);

  /** Refresh reads: one listing of each group shared by the whole refresh. */
  const listings = new Snapshots<Set<string> | undefined>();

  const adds = new Coalescer<AddKey, MemberOutcome>(async (keys) => {
    const answers: (MemberOutcome | Error)[] = new Array(keys.length);
    await Promise.all(
      [...groupBy(keys, (k) => k.userGroupId)].map(async ([userGroupId, items]) => {
        const users = [...new Set(items.map((i) => i.key.userId))];
        try {
          const out = await direct.addMembers(userGroupId, users).finally(() => listings.invalidate(userGroupId));
          for (const i of items) answers[i.index] = out.get(i.key.userId) ?? new Error(`no outcome for user ${i.key.userId}`);
        } catch (e) {
          for (const i of items) answers[i.index] = asError(e);
        }
      }),
    );
    return answers;
  }, timing);

  return {
    async getMembers(userGroupId) {
      const shared = await rosters.load(userGroupId);
      // Every caller gets its own copy of the shared listing.
      return shared === undefined ? undefined : new Set(shared);
    },

    async addMembers(userGroupId, userIds) {
      const users = [...new Set(userIds)];
      if (users.length === 0) return new Map();
      const outcomes = await adds.loadAll(users.map((userId) => ({ userGroupId, userId })));
      return new Map(users.map((u, i) => [u, outcomes[i]]));
    },

    async observeMembers(userGroupId) {
      const shared = await listings.get(userGroupId, () => direct.getMembers(userGroupId));
      return shared === undefined ? undefined : new Set(shared);
    },

    removeMembers: (userGroupId, userIds) => direct.removeMembers(userGroupId, userIds).finally(() => listings.invalidate(userGroupId)),
  };
}
