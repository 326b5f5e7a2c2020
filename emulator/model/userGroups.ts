import { qbError } from "./codes";
import { freshId, IdSource } from "./ids";
import { checkIdList, groupListTooLong } from "./idLists";
import { matchesKeyword } from "./paging";
import type { Seed } from "./seed";
import { GroupMemberEntry, UserGroup } from "./types";
import { displayAccountName, Users } from "./users";
import {
  assertDisplayName,
  assertMaxLength,
  blankToUndefined,
  USER_GROUP_DESCRIPTION_MAX,
  USER_GROUP_ID_MAX,
  USER_GROUP_NAME_MAX,
} from "./validation";

export const ROOT_USER_GROUP_ID = "-1";
export const MAX_USER_GROUP_DEPTH = 10;

export interface CreateUserGroupInput {
  userGroupName: string;
  parentUserGroupId: string;
  userGroupId?: string;
  userGroupDescription?: string;
}

/** The user-group tree under the root `-1` (at most ten levels) and which users belong to which group. */
export class UserGroups {
  private readonly groups = new Map<string, UserGroup>();
  /** userGroupId -> member user ids, in insertion order */
  private readonly members = new Map<string, Set<string>>();

  constructor(
    private readonly users: Users,
    private readonly ids: IdSource,
    private readonly now: () => number,
    /** Seed `userGroupsSynchronized`: the tree comes from another directory. */
    private readonly sync: { readonly synchronized: boolean; readonly organizationId: string },
  ) {}

  load(seed: Seed, loadedAt: number): void {
    for (const g of seed.userGroups) {
      if (g.userGroupId === ROOT_USER_GROUP_ID || this.groups.has(g.userGroupId)) {
        throw new Error(`seed: duplicate or reserved user group id ${g.userGroupId}`);
      }
      this.groups.set(g.userGroupId, {
        userGroupId: g.userGroupId,
        userGroupName: g.userGroupName,
        parentUserGroupId: g.parentUserGroupId,
        userGroupDescription: g.userGroupDescription,
        createUserId: g.createUserId,
        modifyUserId: g.modifyUserId,
        createTime: g.createTime ?? loadedAt,
        modifiedTime: g.modifiedTime ?? g.createTime ?? loadedAt,
      });
      this.members.set(g.userGroupId, new Set());
    }
    for (const g of this.groups.values()) {
      if (g.parentUserGroupId !== ROOT_USER_GROUP_ID && !this.groups.has(g.parentUserGroupId)) {
        throw new Error(`seed: user group ${g.userGroupId} has unknown parent ${g.parentUserGroupId}`);
      }
      if (this.path(g.userGroupId).length > MAX_USER_GROUP_DEPTH) {
        throw new Error(
          `seed: user group ${g.userGroupId} is deeper than ${MAX_USER_GROUP_DEPTH} levels (or in a cycle)`,
        );
      }
    }
    for (const m of seed.userGroupMembers) {
      const set = this.members.get(m.userGroupId);
      if (!set) throw new Error(`seed: membership in unknown user group ${m.userGroupId}`);
      this.users.requireSeedUser(m.userId, `member of user group ${m.userGroupId}`);
      set.add(m.userId);
    }
  }

  toSeed(): Pick<Seed, "userGroups" | "userGroupMembers"> {
    return {
      userGroups: [...this.groups.values()].map((g) => ({
        userGroupId: g.userGroupId,
        userGroupName: g.userGroupName,
        parentUserGroupId: g.parentUserGroupId,
        ...(g.userGroupDescription !== undefined ? { userGroupDescription: g.userGroupDescription } : {}),
        ...(g.createUserId !== undefined ? { createUserId: g.createUserId } : {}),
        ...(g.modifyUserId !== undefined ? { modifyUserId: g.modifyUserId } : {}),
        createTime: g.createTime,
        modifiedTime: g.modifiedTime,
      })),
      userGroupMembers: [...this.members.entries()].flatMap(([userGroupId, set]) =>
        [...set].map((userId) => ({ userGroupId, userId })),
      ),
    };
  }

  get(userGroupId: string): UserGroup {
    const g = this.groups.get(userGroupId);
    if (!g) throw qbError("Usergroup.Not.Exist");
    return g;
  }

  /** Group ids from the root down to `userGroupId` (the `IdentifiedPath` chain). */
  path(userGroupId: string): string[] {
    const path: string[] = [];
    let id: string | undefined = userGroupId;
    // Bounded: a path longer than the group count means a cycle (only possible in a hand-written seed).
    while (id !== undefined && id !== ROOT_USER_GROUP_ID && path.length <= this.groups.size) {
      path.unshift(id);
      id = this.groups.get(id)?.parentUserGroupId;
    }
    return path;
  }

  create(input: CreateUserGroupInput, callerUserId?: string): string {
    assertDisplayName("UserGroupName", input.userGroupName, USER_GROUP_NAME_MAX);
    if (input.userGroupDescription !== undefined) {
      assertMaxLength("UserGroupDescription", input.userGroupDescription, USER_GROUP_DESCRIPTION_MAX);
    }
    const explicitId = blankToUndefined(input.userGroupId);
    if (explicitId !== undefined) {
      if (explicitId === ROOT_USER_GROUP_ID || [...explicitId].length > USER_GROUP_ID_MAX) {
        throw qbError("Invalid.Parameter.Error", ["UserGroupId"]);
      }
      if (this.groups.has(explicitId)) throw qbError("Duplicate.UserGroup.Id", [explicitId]);
    }
    const parentId = input.parentUserGroupId;
    if (parentId !== ROOT_USER_GROUP_ID && !this.groups.has(parentId)) throw qbError("UserGroup.Parent.NotFound");
    if (parentId === ROOT_USER_GROUP_ID && this.sync.synchronized)
      throw qbError("RootUserGroup.Create.Error", [this.sync.organizationId]);
    if (this.path(parentId).length + 1 > MAX_USER_GROUP_DEPTH) throw qbError("UserGroup.Layer.Limited");
    this.assertSiblingNameFree(parentId, input.userGroupName, undefined);
    const t = this.now();
    const id =
      explicitId ??
      freshId(
        () => this.ids.uuid(),
        (x) => this.groups.has(x),
      );
    this.groups.set(id, {
      userGroupId: id,
      userGroupName: input.userGroupName,
      parentUserGroupId: parentId,
      userGroupDescription: input.userGroupDescription,
      createUserId: callerUserId,
      modifyUserId: callerUserId,
      createTime: t,
      modifiedTime: t,
    });
    this.members.set(id, new Set());
    return id;
  }

  update(
    userGroupId: string,
    patch: { userGroupName?: string; userGroupDescription?: string },
    callerUserId?: string,
  ): void {
    if (userGroupId === ROOT_USER_GROUP_ID) throw qbError("UserGroup.Remove.RootNode");
    const g = this.get(userGroupId);
    if (patch.userGroupName !== undefined) {
      assertDisplayName("UserGroupName", patch.userGroupName, USER_GROUP_NAME_MAX);
      this.assertSiblingNameFree(g.parentUserGroupId, patch.userGroupName, userGroupId);
    }
    if (patch.userGroupDescription !== undefined) {
      assertMaxLength("UserGroupDescription", patch.userGroupDescription, USER_GROUP_DESCRIPTION_MAX);
    }
    if (patch.userGroupName !== undefined) g.userGroupName = patch.userGroupName;
    if (patch.userGroupDescription !== undefined) g.userGroupDescription = patch.userGroupDescription;
    g.modifiedTime = this.now();
    if (callerUserId !== undefined) g.modifyUserId = callerUserId;
  }

  delete(userGroupId: string): void {
    if (userGroupId === ROOT_USER_GROUP_ID) throw qbError("UserGroup.Remove.RootNode");
    this.get(userGroupId);
    if (this.children(userGroupId).length > 0) throw qbError("UserGroup.Remove.WithChildren");
    this.groups.delete(userGroupId);
    this.members.delete(userGroupId);
  }

  children(parentUserGroupId: string): UserGroup[] {
    if (parentUserGroupId !== ROOT_USER_GROUP_ID) this.get(parentUserGroupId);
    return [...this.groups.values()].filter((g) => g.parentUserGroupId === parentUserGroupId);
  }

  /** GetUserGroupInfo: groups whose name contains the keyword. */
  search(keyword: string): UserGroup[] {
    return [...this.groups.values()].filter((g) => matchesKeyword(keyword, g.userGroupName));
  }

  /** ListByUserGroupId: the groups that exist, and the ids that do not. */
  byIds(userGroupIds: readonly string[]): { found: UserGroup[]; failed: string[] } {
    const ids = checkIdList("UserGroupIds", userGroupIds);
    const found: UserGroup[] = [];
    const failed: string[] = [];
    for (const id of ids) {
      const g = this.groups.get(id);
      if (g) found.push(g);
      else failed.push(id);
    }
    return { found, failed };
  }

  /** AddUserGroupMember: all-or-nothing; unknown users fail the request with `Invalid.User`; re-adding is a no-op. */
  addMembers(userGroupId: string, userIds: readonly string[]): void {
    const ids = checkIdList("UserIdList", userIds);
    this.get(userGroupId);
    this.assertNotSynchronized();
    for (const id of ids) if (!this.users.has(id)) throw qbError("Invalid.User");
    const set = this.members.get(userGroupId)!;
    for (const id of ids) set.add(id);
  }

  /**
   * AddUserGroupMembers: one user into many groups. All-or-nothing (the page does not say; the emulator's reading):
   * an unknown user (`Invalid.User`, as AddUserGroupMember) or any unknown group (`Usergroup.Not.Exist`) fails the
   * request and nobody is added; a group the user is already in is a no-op.
   */
  addUserToGroups(userId: string, userGroupIds: readonly string[]): void {
    const ids = checkIdList("UserGroupIds", userGroupIds, groupListTooLong);
    this.assertNotSynchronized();
    if (!this.users.has(userId)) throw qbError("Invalid.User");
    for (const id of ids) this.get(id);
    for (const id of ids) this.members.get(id)!.add(userId);
  }

  /** DeleteUserGroupMember: removing a non-member is a no-op. */
  removeMember(userGroupId: string, userId: string): void {
    this.get(userGroupId);
    this.users.get(userId);
    this.members.get(userGroupId)!.delete(userId);
  }

  /**
   * DeleteUserGroupMembers: one user out of many groups, all-or-nothing (the emulator's reading): an unknown group
   * fails the request with its documented `Usergroup.NotBelongTo.CurrentOrganization`; a group the user is not in is a
   * no-op. Over 1000 ids: AddUserGroupMembers' documented answer (this page lists no limit).
   */
  removeUserFromGroups(userId: string, userGroupIds: readonly string[]): void {
    const ids = checkIdList("UserGroupIds", userGroupIds, groupListTooLong);
    this.users.get(userId);
    for (const id of ids) if (!this.groups.has(id)) throw qbError("Usergroup.NotBelongTo.CurrentOrganization", [id]);
    for (const id of ids) this.members.get(id)!.delete(userId);
  }

  /** WithdrawAllUserGroups. */
  withdrawAll(userId: string): void {
    this.users.get(userId);
    this.forget(userId);
  }

  /** The user leaves every group (DeleteUser's cascade; the user is known to exist). */
  forget(userId: string): void {
    for (const set of this.members.values()) set.delete(userId);
  }

  /** QueryUserGroupMember: child groups first, then member users, filtered by a name substring. */
  entries(userGroupId: string, keyword?: string): GroupMemberEntry[] {
    const parentName = userGroupId === ROOT_USER_GROUP_ID ? "" : this.get(userGroupId).userGroupName;
    const groups = this.children(userGroupId)
      .filter((g) => matchesKeyword(keyword, g.userGroupName))
      .map((g) => ({
        id: g.userGroupId,
        name: g.userGroupName,
        isUserGroup: true,
        parentUserGroupId: userGroupId,
        parentUserGroupName: parentName,
      }));
    const users = [...(this.members.get(userGroupId) ?? [])]
      .map((id) => this.users.get(id))
      .filter((u) => matchesKeyword(keyword, u.nickName, displayAccountName(u)))
      .map((u) => ({
        id: u.userId,
        name: u.nickName,
        isUserGroup: false,
        parentUserGroupId: userGroupId,
        parentUserGroupName: parentName,
      }));
    return [...groups, ...users];
  }

  /** ListUserGroupsByUserId. */
  groupsOf(userId: string): UserGroup[] {
    this.users.get(userId);
    return [...this.members.entries()].filter(([, set]) => set.has(userId)).map(([id]) => this.groups.get(id)!);
  }

  private assertNotSynchronized(): void {
    if (this.sync.synchronized) throw qbError("UserGroup.Already.Synchronized");
  }

  private assertSiblingNameFree(parentId: string, name: string, exceptId: string | undefined): void {
    for (const g of this.groups.values()) {
      if (g.parentUserGroupId === parentId && g.userGroupName === name && g.userGroupId !== exceptId) {
        throw qbError("Duplicate.UserGroupName.Error", [name]);
      }
    }
  }
}
