/**
 * User-group membership with request coalescing: reads of one group in a window share one QueryUserGroupMember, adds
 * to one group become one AddUserGroupMember per 1000 users (its documented maximum). AddUserGroupMember answers a
 * single boolean, so when it refuses the list because of some user(s) (`Invalid.User`, ...), the list is split in
 * halves until the offending users are isolated: k bad users among n cost about 2·k·log2(n) calls instead of n, and
 * every other user is still added. Removals (DeleteUserGroupMember, one user per call) run concurrently through the
 * client's rate limiter.
 */
import type { QuickBICaller, Verify } from "../api/call";
import { isQuickBIApiError, isUserGroupNotFound, isUserNotFound } from "../api/errors";
import { addUserGroupMember, deleteUserGroupMember, MAX_GROUP_MEMBERS_PER_CALL, queryUserGroupMember } from "../api/operations";
import type { GroupMemberService } from "../service/groupMembers";
import { perChunk } from "../service/chunked";
import { OK, allWith, type MemberOutcome, type Outcomes } from "../service/outcome";
import { Coalescer, groupBy } from "./coalescer";
import { writeOnce } from "./mergedWrite";
import type { WindowTiming } from "./quietWindow";

/** Codes that name a problem with some user(s) of the list rather than with the whole request. */
const PER_USER_CODES = new Set(["Invalid.User", "User.Not.In.Organization", "Invalid.User.Organization"]);

interface AddKey {
  readonly userGroupId: string;
  readonly userId: string;
}

export function createCoalescedGroupMemberService(c: QuickBICaller, timing: () => WindowTiming): GroupMemberService {
  async function membersNow(userGroupId: string): Promise<Set<string> | undefined> {
    try {
      const members = await queryUserGroupMember(c, { userGroupId });
      return new Set(members.filter((m) => !m.IsUserGroup).map((m) => m.Id));
    } catch (e) {
      if (isUserGroupNotFound(e)) return undefined;
      throw e;
    }
  }

  const rosters = new Coalescer<string, Set<string> | undefined>(async (groupIds) => {
    const distinct = [...new Set(groupIds)];
    const results = await Promise.all(
      distinct.map(async (g) => {
        try {
          return await membersNow(g);
        } catch (e) {
          return e instanceof Error ? e : new Error(String(e));
        }
      }),
    );
    const byGroup = new Map(distinct.map((g, i) => [g, results[i]]));
    return groupIds.map((g) => byGroup.get(g) as Set<string> | undefined | Error);
  }, timing);

  async function landed(userGroupId: string, users: readonly string[]): Promise<ReadonlySet<string>> {
    const now = (await membersNow(userGroupId)) ?? new Set<string>();
    return new Set(users.filter((u) => now.has(u)));
  }

  /** One merged add; on a per-user refusal, split the users not yet members and try each half. */
  async function addSplitting(userGroupId: string, users: readonly string[]): Promise<Outcomes> {
    const res = await writeOnce(
      {
        send: async (sending, verify: Verify) => {
          await addUserGroupMember(c, { userGroupId, userIds: sending }, { verify });
          return allWith(sending, OK);
        },
        landed: (sending) => landed(userGroupId, sending),
      },
      users,
    );
    const refused = users.filter((u) => {
      const o = res.get(u);
      return o !== undefined && !o.ok && PER_USER_CODES.has(o.code);
    });
    if (refused.length <= 1) return res;
    const half = Math.ceil(refused.length / 2);
    const [a, b] = await Promise.all([addSplitting(userGroupId, refused.slice(0, half)), addSplitting(userGroupId, refused.slice(half))]);
    return new Map([...res, ...a, ...b]);
  }

  const adds = new Coalescer<AddKey, MemberOutcome>(async (keys) => {
    const answers: (MemberOutcome | Error)[] = new Array(keys.length);
    await Promise.all(
      [...groupBy(keys, (k) => k.userGroupId)].map(async ([userGroupId, items]) => {
        const users = [...new Set(items.map((i) => i.key.userId))];
        try {
          const out = await perChunk(users, MAX_GROUP_MEMBERS_PER_CALL, (part) => addSplitting(userGroupId, part), false);
          for (const i of items) answers[i.index] = out.get(i.key.userId) ?? new Error(`no outcome for user ${i.key.userId}`);
        } catch (e) {
          for (const i of items) answers[i.index] = e instanceof Error ? e : new Error(String(e));
        }
      }),
    );
    return answers;
  }, timing);

  async function getMembers(userGroupId: string): Promise<Set<string> | undefined> {
    const shared = await rosters.load(userGroupId);
    // Every caller gets its own copy of the shared listing.
    return shared === undefined ? undefined : new Set(shared);
  }

  return {
    getMembers,

    async addMembers(userGroupId, userIds) {
      const users = [...new Set(userIds)];
      if (users.length === 0) return new Map();
      const outcomes = await adds.loadAll(users.map((userId) => ({ userGroupId, userId })));
      return new Map(users.map((u, i) => [u, outcomes[i]]));
    },

    async removeMembers(userGroupId, userIds) {
      if (userIds.length === 0) return new Map();
      const now = await getMembers(userGroupId);
      if (now === undefined) return allWith(userIds, OK);
      const results = await Promise.all(
        userIds.map(async (userId): Promise<[string, MemberOutcome]> => {
          if (!now.has(userId)) return [userId, OK];
          try {
            await deleteUserGroupMember(c, { userGroupId, userId });
            return [userId, OK];
          } catch (e) {
            if (isUserGroupNotFound(e) || isUserNotFound(e)) return [userId, OK];
            if (!isQuickBIApiError(e)) throw e;
            return [userId, { ok: false, code: e.code, message: e.detail, requestId: e.requestId, action: e.action }];
          }
        }),
      );
      return new Map(results);
    },
  };
}
