/**
 * User-group membership per user. AddUserGroupMember takes up to 1000 users but answers one boolean, so when a call
 * fails for a reason that may concern only some users, the list is split in halves until the offending users are
 * isolated: k bad users among n cost about 2·k·log2(n) calls instead of n, and every other user is still added.
 */
import type { QuickBICaller, Verify } from "../api/call";
import { isUserGroupNotFound, isUserNotFound } from "../api/errors";
import {
  addUserGroupMember,
  addUserGroupMembers,
  deleteUserGroupMember,
  deleteUserGroupMembers,
  MAX_GROUP_MEMBERS_PER_CALL,
  queryUserGroupMember,
} from "../api/operations";
import { perChunk } from "./chunked";
import { writeOnce } from "./mergedWrite";
import { OK, allWith, failureOf, type MemberOutcome, type Outcomes } from "./outcome";

export interface GroupMemberService {
  /** Ids of the users directly in the group (child groups excluded); `undefined` when the group does not exist. */
  getMembers(userGroupId: string): Promise<Set<string> | undefined>;
  /** The same, for a refresh: the coalesced service answers from one recent listing per group. Never before a write. */
  observeMembers(userGroupId: string): Promise<Set<string> | undefined>;
  addMembers(userGroupId: string, userIds: readonly string[]): Promise<Outcomes>;
  /** A user who is not (or no longer) a member, or a group that is gone, counts as removed. */
  removeMembers(userGroupId: string, userIds: readonly string[]): Promise<Outcomes>;
}

/** The other call shape Quick BI offers: one user joining or leaving many groups (outcomes keyed by group id). */
export interface UserGroupsService {
  addToGroups(userId: string, userGroupIds: readonly string[]): Promise<Outcomes>;
  removeFromGroups(userId: string, userGroupIds: readonly string[]): Promise<Outcomes>;
}

/** Codes that name a problem with some user(s) of the list rather than with the whole request. */
const PER_USER_CODES = new Set(["Invalid.User", "User.Not.In.Organization", "Invalid.User.Organization"]);

export function createGroupMemberService(c: QuickBICaller): GroupMemberService & UserGroupsService {
  async function getMembers(userGroupId: string): Promise<Set<string> | undefined> {
    try {
      const members = await queryUserGroupMember(c, { userGroupId });
      return new Set(members.filter((m) => !m.IsUserGroup).map((m) => m.Id));
    } catch (e) {
      if (isUserGroupNotFound(e)) return undefined;
      throw e;
    }
  }

  async function landed(userGroupId: string, users: readonly string[]): Promise<ReadonlySet<string>> {
    const now = (await getMembers(userGroupId)) ?? new Set<string>();
    return new Set(users.filter((u) => now.has(u)));
  }

  /** One merged add; on a per-user refusal, split the users and try each half. */
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
    const [a, b] = await Promise.all([
      addSplitting(userGroupId, refused.slice(0, half)),
      addSplitting(userGroupId, refused.slice(half)),
    ]);
    return new Map([...res, ...a, ...b]);
  }

  return {
    getMembers,
    observeMembers: getMembers,

    async addMembers(userGroupId, userIds) {
      const users = [...new Set(userIds)];
      if (users.length === 0) return new Map();
      return perChunk(users, MAX_GROUP_MEMBERS_PER_CALL, (part) => addSplitting(userGroupId, part), false);
    },

    async addToGroups(userId, userGroupIds) {
      const groups = [...new Set(userGroupIds)];
      if (groups.length === 0) return new Map();
      try {
        // All or nothing: one call for every group.
        await addUserGroupMembers(c, { userId, userGroupIds: groups });
        return allWith(groups, OK);
      } catch (e) {
        if (groups.length === 1) return allWith(groups, failureOf(e));
      }
      // Refused as a whole: one group (or the user) is the cause. Group by group, each answer names its own.
      const each = await Promise.all(
        groups.map(async (g) => [g, (await addSplitting(g, [userId])).get(userId) ?? OK] as const),
      );
      return new Map(each);
    },

    async removeFromGroups(userId, userGroupIds) {
      const groups = [...new Set(userGroupIds)];
      if (groups.length === 0) return new Map();
      try {
        await deleteUserGroupMembers(c, { userId, userGroupIds: groups });
        return allWith(groups, OK);
      } catch (e) {
        if (isUserNotFound(e)) return allWith(groups, OK);
        if (groups.length === 1) return allWith(groups, failureOf(e));
      }
      const each = await Promise.all(
        groups.map(async (g) => [g, (await this.removeMembers(g, [userId])).get(userId) ?? OK] as const),
      );
      return new Map(each);
    },

    async removeMembers(userGroupId, userIds) {
      // DeleteUserGroupMember of a non-member is not an error, so no read is needed first.
      const results = await Promise.all(
        [...new Set(userIds)].map(async (userId): Promise<[string, MemberOutcome]> => {
          try {
            await deleteUserGroupMember(c, { userGroupId, userId });
            return [userId, OK];
          } catch (e) {
            if (isUserGroupNotFound(e) || isUserNotFound(e)) return [userId, OK];
            return [userId, failureOf(e)];
          }
        }),
      );
      return new Map(results);
    },
  };
}
