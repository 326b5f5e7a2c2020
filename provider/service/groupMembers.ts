/**
 * User-group membership per user. AddUserGroupMember takes up to 1000 users but answers one boolean, so when a call
 * fails for a reason that may concern only some users, the users are retried one by one to learn who failed.
 */
import type { QuickBICaller } from "../api/call";
import { isQuickBIApiError, isUserGroupNotFound, isUserNotFound } from "../api/errors";
import { addUserGroupMember, deleteUserGroupMember, queryUserGroupMember } from "../api/operations";
import { OK, allWith, failureOf, type MemberOutcome, type Outcomes } from "./outcome";

export interface GroupMemberService {
  /** Ids of the users directly in the group (child groups excluded); `undefined` when the group does not exist. */
  getMembers(userGroupId: string): Promise<Set<string> | undefined>;
  addMembers(userGroupId: string, userIds: readonly string[]): Promise<Outcomes>;
  /** A user who is not (or no longer) a member, or a group that is gone, counts as removed. */
  removeMembers(userGroupId: string, userIds: readonly string[]): Promise<Outcomes>;
}

/** Codes that name a problem with some user(s) of the list rather than with the whole request. */
const PER_USER_CODES = new Set(["Invalid.User", "User.Not.In.Organization", "Invalid.User.Organization"]);

export function createGroupMemberService(c: QuickBICaller): GroupMemberService {
  async function getMembers(userGroupId: string): Promise<Set<string> | undefined> {
    try {
      const members = await queryUserGroupMember(c, { userGroupId });
      return new Set(members.filter((m) => !m.IsUserGroup).map((m) => m.Id));
    } catch (e) {
      if (isUserGroupNotFound(e)) return undefined;
      throw e;
    }
  }

  async function addOne(userGroupId: string, userId: string): Promise<MemberOutcome> {
    try {
      await addUserGroupMember(c, { userGroupId, userIds: [userId] });
      return OK;
    } catch (e) {
      return failureOf(e);
    }
  }

  return {
    getMembers,

    async addMembers(userGroupId, userIds) {
      if (userIds.length === 0) return new Map();
      try {
        // The operation itself chunks to the documented 1000 ids per call.
        await addUserGroupMember(c, { userGroupId, userIds });
        return allWith(userIds, OK);
      } catch (e) {
        if (!(isQuickBIApiError(e) && PER_USER_CODES.has(e.code)) || userIds.length === 1) return allWith(userIds, failureOf(e));
      }
      // Chunks before the failing one may have landed: only retry users that are not members now.
      const now = (await getMembers(userGroupId)) ?? new Set<string>();
      const out: Outcomes = new Map();
      for (const u of userIds) out.set(u, now.has(u) ? OK : await addOne(userGroupId, u));
      return out;
    },

    async removeMembers(userGroupId, userIds) {
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
            return [userId, failureOf(e)];
          }
        }),
      );
      return new Map(results);
    },
  };
}
