/** In-memory records of the emulated organization. Seeds (seed.ts) are the external form; these are the live state. */
export type UserType = 1 | 2 | 3;

export const USER_TYPE = { developer: 1, viewer: 2, analyst: 3 } as const;

export interface User {
  userId: string;
  accountId?: string;
  /** As given to AddUser; RAM users come as `master:sub` and are reported by their `sub` part. */
  accountName?: string;
  nickName: string;
  userType: UserType;
  /** Organization roles, at most three. */
  roleIds: number[];
  /** `IsDeleted` of UpdateUser: the user is inactive but stays in the organization. */
  isDeleted: boolean;
  email?: string;
  phone?: string;
  copilotModules: string[];
  joinedDate: number;
}

export interface Workspace {
  workspaceId: string;
  workspaceName: string;
  workspaceDescription?: string;
  ownerUserId: string;
  createUserId: string;
  modifyUserId: string;
  createTime: number;
  modifiedTime: number;
  allowShare: boolean;
  allowPublish: boolean;
  /** A personal workspace: only its owner, no membership writes (`Workspace.Type.Error`). */
  personal: boolean;
}

export interface Membership {
  workspaceId: string;
  userId: string;
  /** Every workspace role held: usually one preset (25/26/27/30), plus custom roles. */
  roleIds: number[];
  works: number;
}

export interface UserGroup {
  userGroupId: string;
  userGroupName: string;
  parentUserGroupId: string;
  userGroupDescription?: string;
  createUserId?: string;
  modifyUserId?: string;
  createTime: number;
  modifiedTime: number;
}

export interface Role {
  roleId: number;
  roleName: string;
  roleCode?: string;
  isSystemRole: boolean;
  analystAllowed: boolean;
}

/** Per-member outcome of AddWorkspaceUsers / UpdateWorkspaceUsersRole. */
export interface BatchOutcome {
  /** False when every member failed: the documented `Success:false`, nothing persisted. */
  applied: boolean;
  total: number;
  success: number;
  failure: number;
  failureDetail: Record<string, string>;
}

/** One entry of QueryUserGroupMember: child groups and users of a group, side by side. */
export interface GroupMemberEntry {
  id: string;
  name: string;
  isUserGroup: boolean;
  parentUserGroupId: string;
  parentUserGroupName: string;
}

export interface WorkspaceRoleOfUser {
  workspace: Workspace;
  role: Role;
}
