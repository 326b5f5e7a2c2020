/**
 * User groups: CreateUserGroup, UpdateUserGroup, DeleteUserGroup, AddUserGroupMember(s), DeleteUserGroupMember(s),
 * QueryUserGroupMember, ListUserGroupsByUserId, QueryUserGroupListByParentId, GetUserGroupInfo, ListByUserGroupId.
 * Field spellings (`Usergroup…` vs `UserGroup…`) differ per action on the wire; the schemas keep them as they are.
 */
import { z } from "zod";
import type { QuickBICaller, Verify, WriteOptions } from "../call";
import { isUserGroupNotFound } from "../errors";
import { absentOn, chunk, invoke, joinIds } from "./invoke";
import { bool, boolResult, idString, opt } from "./shapes";

/** Documented maximum of `AddUserGroupMember.UserIdList`. */
export const MAX_GROUP_MEMBERS_PER_CALL = 1000;
/**
 * Documented maximum of `AddUserGroupMembers.UserGroupIds` ("The length of the parameter must not exceed 1000"); the
 * emulator applies it to DeleteUserGroupMembers too, whose page names no limit.
 */
export const MAX_GROUPS_PER_CALL = 1000;
/** Root of the user-group tree. */
export const ROOT_USER_GROUP_ID = "-1";

export const UsergroupSchema = z.object({
  UsergroupId: idString,
  UsergroupName: z.string(),
  UsergroupDesc: opt(z.string()),
  ParentUsergroupId: opt(idString),
  IdentifiedPath: opt(z.string()),
  CreateUser: opt(z.string()),
  ModifyUser: opt(z.string()),
  CreateTime: opt(z.string()),
  ModifiedTime: opt(z.string()),
});
export type Usergroup = z.infer<typeof UsergroupSchema>;

export const UserGroupSchema = z.object({
  UserGroupId: idString,
  UserGroupName: z.string(),
  UserGroupDescription: opt(z.string()),
  ParentUserGroupId: opt(idString),
  IdentifiedPath: opt(z.string()),
  CreateUser: opt(z.string()),
  ModifyUser: opt(z.string()),
  CreateTime: opt(z.string()),
  ModifiedTime: opt(z.string()),
});
export type UserGroup = z.infer<typeof UserGroupSchema>;

export const UserGroupMemberSchema = z.object({
  Id: idString,
  Name: opt(z.string()),
  IsUserGroup: bool,
  ParentUserGroupId: opt(idString),
  ParentUserGroupName: opt(z.string()),
});
export type UserGroupMember = z.infer<typeof UserGroupMemberSchema>;

export const ListByUserGroupIdResultSchema = z.object({
  UserGroupModels: z
    .array(UsergroupSchema)
    .nullish()
    .transform((v) => v ?? []),
  FailedUserGroupIds: z
    .array(idString)
    .nullish()
    .transform((v) => v ?? []),
});
export type ListByUserGroupIdResult = z.infer<typeof ListByUserGroupIdResultSchema>;

export interface CreateUserGroupParams {
  readonly userGroupName: string;
  /** `-1` for the root. */
  readonly parentUserGroupId: string;
  /** Caller-chosen id (≤64 chars, not `-1`), unique in the organization. */
  readonly userGroupId?: string;
  readonly userGroupDescription?: string;
}

/** Returns the group id. */
export async function createUserGroup(
  c: QuickBICaller,
  p: CreateUserGroupParams,
  opts: WriteOptions = {},
): Promise<string> {
  const verify: Verify =
    opts.verify ??
    (async () => {
      const siblings = await queryUserGroupListByParentId(c, { parentUserGroupId: p.parentUserGroupId });
      const found = siblings.find((g) =>
        p.userGroupId !== undefined ? g.UserGroupId === p.userGroupId : g.UserGroupName === p.userGroupName,
      );
      return found ? { status: "applied", result: found.UserGroupId } : "not-applied";
    });
  return invoke(
    c,
    "CreateUserGroup",
    {
      UserGroupName: p.userGroupName,
      ParentUserGroupId: p.parentUserGroupId,
      UserGroupId: p.userGroupId,
      UserGroupDescription: p.userGroupDescription,
    },
    { idempotent: false, verify },
    z.string().min(1),
  );
}

/** Sets name/description: idempotent. */
export async function updateUserGroup(
  c: QuickBICaller,
  p: { readonly userGroupId: string; readonly userGroupName?: string; readonly userGroupDescription?: string },
): Promise<boolean> {
  return invoke(
    c,
    "UpdateUserGroup",
    { UserGroupId: p.userGroupId, UserGroupName: p.userGroupName, UserGroupDescription: p.userGroupDescription },
    { idempotent: true },
    boolResult,
  );
}

export async function deleteUserGroup(
  c: QuickBICaller,
  p: { readonly userGroupId: string },
  opts: WriteOptions = {},
): Promise<boolean> {
  const verify: Verify =
    opts.verify ??
    (async () => {
      const r = await absentOn(() => listByUserGroupId(c, { userGroupIds: [p.userGroupId] }), isUserGroupNotFound);
      const exists = r?.UserGroupModels.some((g) => g.UsergroupId === p.userGroupId) ?? false;
      return exists ? "not-applied" : "applied";
    });
  return invoke(c, "DeleteUserGroup", { UserGroupId: p.userGroupId }, { idempotent: false, verify }, boolResult);
}

async function memberIds(c: QuickBICaller, userGroupId: string): Promise<Set<string>> {
  const members = await queryUserGroupMember(c, { userGroupId });
  return new Set(members.filter((m) => !m.IsUserGroup).map((m) => m.Id));
}

async function groupIdsOfUser(c: QuickBICaller, userId: string): Promise<Set<string>> {
  return new Set((await listUserGroupsByUserId(c, { userId })).map((g) => g.UsergroupId));
}

/** Many users into one group. Sent in chunks of ≤1000 ids (the documented limit), one after another. */
export async function addUserGroupMember(
  c: QuickBICaller,
  p: { readonly userGroupId: string; readonly userIds: readonly string[] },
  opts: WriteOptions = {},
): Promise<boolean> {
  const action = "AddUserGroupMember";
  let ok = true;
  for (const part of chunk(p.userIds, MAX_GROUP_MEMBERS_PER_CALL)) {
    const verify: Verify =
      opts.verify ??
      (async () => {
        const now = await memberIds(c, p.userGroupId);
        return part.every((u) => now.has(u)) ? "applied" : "not-applied";
      });
    const r = await invoke(
      c,
      action,
      { UserGroupId: p.userGroupId, UserIdList: joinIds(action, "UserIdList", part) },
      { idempotent: false, verify },
      boolResult,
    );
    ok = ok && r;
  }
  return ok;
}

/**
 * One user into many groups (AddUserGroupMembers), at most 1000 group ids per call, one call after another. Each call
 * is all-or-nothing in the emulator (an unknown user: `Invalid.User`; an unknown group: `Usergroup.Not.Exist`); a group
 * the user is already in is a no-op. Duplicates are dropped before sending, since the limit counts them.
 */
export async function addUserGroupMembers(
  c: QuickBICaller,
  p: { readonly userId: string; readonly userGroupIds: readonly string[] },
  opts: WriteOptions = {},
): Promise<boolean> {
  return oneUserManyGroups(c, "AddUserGroupMembers", p, opts, (now, part) => part.every((g) => now.has(g)));
}

export async function deleteUserGroupMember(
  c: QuickBICaller,
  p: { readonly userGroupId: string; readonly userId: string },
  opts: WriteOptions = {},
): Promise<boolean> {
  const verify: Verify =
    opts.verify ?? (async () => ((await memberIds(c, p.userGroupId)).has(p.userId) ? "not-applied" : "applied"));
  return invoke(
    c,
    "DeleteUserGroupMember",
    { UserGroupId: p.userGroupId, UserId: p.userId },
    { idempotent: false, verify },
    boolResult,
  );
}

/**
 * One user out of many groups (DeleteUserGroupMembers), at most 1000 group ids per call. An unknown group fails its
 * call with `Usergroup.NotBelongTo.CurrentOrganization`, an unknown user with `User.Not.In.Organization`; a group
 * the user is not in is a no-op.
 */
export async function deleteUserGroupMembers(
  c: QuickBICaller,
  p: { readonly userId: string; readonly userGroupIds: readonly string[] },
  opts: WriteOptions = {},
): Promise<boolean> {
  return oneUserManyGroups(c, "DeleteUserGroupMembers", p, opts, (now, part) => !part.some((g) => now.has(g)));
}

/**
 * The one-user, many-groups actions, in calls of at most 1000 group ids. When an answer is lost, the user's groups
 * are re-read and `applied` tells from them whether that call took effect.
 */
async function oneUserManyGroups(
  c: QuickBICaller,
  action: "AddUserGroupMembers" | "DeleteUserGroupMembers",
  p: { readonly userId: string; readonly userGroupIds: readonly string[] },
  opts: WriteOptions,
  applied: (groupsNow: ReadonlySet<string>, part: readonly string[]) => boolean,
): Promise<boolean> {
  let ok = true;
  for (const part of chunk([...new Set(p.userGroupIds)], MAX_GROUPS_PER_CALL)) {
    const verify: Verify =
      opts.verify ?? (async () => (applied(await groupIdsOfUser(c, p.userId), part) ? "applied" : "not-applied"));
    const r = await invoke(
      c,
      action,
      { UserId: p.userId, UserGroupIds: joinIds(action, "UserGroupIds", part) },
      { idempotent: false, verify },
      boolResult,
    );
    ok = ok && r;
  }
  return ok;
}

/** Direct members: users (`IsUserGroup=false`) and child groups (`IsUserGroup=true`). Unpaged. */
export async function queryUserGroupMember(
  c: QuickBICaller,
  p: { readonly userGroupId: string; readonly keyword?: string },
): Promise<UserGroupMember[]> {
  return invoke(
    c,
    "QueryUserGroupMember",
    { UserGroupId: p.userGroupId, Keyword: p.keyword },
    { idempotent: true },
    z.array(UserGroupMemberSchema),
  );
}

export async function listUserGroupsByUserId(c: QuickBICaller, p: { readonly userId: string }): Promise<Usergroup[]> {
  return invoke(c, "ListUserGroupsByUserId", { UserId: p.userId }, { idempotent: true }, z.array(UsergroupSchema));
}

export async function queryUserGroupListByParentId(
  c: QuickBICaller,
  p: { readonly parentUserGroupId: string },
): Promise<UserGroup[]> {
  return invoke(
    c,
    "QueryUserGroupListByParentId",
    { ParentUserGroupId: p.parentUserGroupId },
    { idempotent: true },
    z.array(UserGroupSchema),
  );
}

export async function getUserGroupInfo(c: QuickBICaller, p: { readonly keyword: string }): Promise<Usergroup[]> {
  return invoke(c, "GetUserGroupInfo", { Keyword: p.keyword }, { idempotent: true }, z.array(UsergroupSchema));
}

export async function listByUserGroupId(
  c: QuickBICaller,
  p: { readonly userGroupIds: readonly string[] },
): Promise<ListByUserGroupIdResult> {
  const action = "ListByUserGroupId";
  return invoke(
    c,
    action,
    { UserGroupIds: joinIds(action, "UserGroupIds", p.userGroupIds) },
    { idempotent: true },
    ListByUserGroupIdResultSchema,
  );
}
