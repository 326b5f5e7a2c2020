import { z } from "zod";

/**
 * The `Result` shapes the emulator answers, per operation, with the field spellings of the official SDK models
 * (quickbi-api.md §3): note `UsergroupId` (ListUserGroupsByUserId, GetUserGroupInfo, ListByUserGroupId) versus
 * `UserGroupId` (QueryUserGroupListByParentId). Optional fields are omitted when the emulator has no value.
 * The action table is typed by these, and the conformance tests parse real answers with them (`.strict()`), so a
 * wrong type or spelling fails both the compiler and the tests.
 */

export const pageOf = <T extends z.ZodTypeAny>(item: T) =>
  z
    .object({
      Data: z.array(item),
      PageNum: z.number().int(),
      PageSize: z.number().int(),
      TotalNum: z.number().int(),
      TotalPages: z.number().int(),
    })
    .strict();

export const BoolResult = z.boolean();

export const UserInfoResult = z
  .object({
    UserId: z.string(),
    AccountId: z.string().optional(),
    AccountName: z.string().optional(),
    NickName: z.string(),
    Email: z.string().optional(),
    Phone: z.string().optional(),
    UserType: z.number().int(),
    AdminUser: z.boolean(),
    AuthAdminUser: z.boolean(),
    RoleIdList: z.array(z.number().int()),
    CopilotModules: z.array(z.string()),
  })
  .strict();

export const AddUserResult = z
  .object({
    UserId: z.string(),
    AccountName: z.string().optional(),
    NickName: z.string(),
    UserType: z.number().int(),
    AdminUser: z.boolean(),
    AuthAdminUser: z.boolean(),
    RoleIdList: z.array(z.number().int()),
    CopilotModules: z.array(z.string()),
  })
  .strict();

export const UserListItem = z
  .object({
    UserId: z.string(),
    AccountId: z.string().optional(),
    AccountName: z.string().optional(),
    NickName: z.string(),
    UserType: z.number().int(),
    AdminUser: z.boolean(),
    AuthAdminUser: z.boolean(),
    RoleIdList: z.array(z.number().int()),
    IsDeleted: z.boolean(),
    JoinedDate: z.number().int(),
    CopilotModules: z.array(z.string()),
  })
  .strict();
export const UserListResult = pageOf(UserListItem);

export const BatchResult = z
  .object({
    Total: z.number().int(),
    Success: z.number().int(),
    Failure: z.number().int(),
    FailureDetail: z.record(z.string()),
  })
  .strict();

export const WorkspaceRoleRef = z
  .object({ RoleId: z.number().int(), RoleCode: z.string().optional(), RoleName: z.string() })
  .strict();

export const WorkspaceUserItem = z
  .object({
    UserId: z.string(),
    AccountId: z.string().optional(),
    AccountName: z.string().optional(),
    NickName: z.string(),
    Role: WorkspaceRoleRef,
  })
  .strict();
export const WorkspaceUserListResult = pageOf(WorkspaceUserItem);

export const UserRoleInfoResult = z
  .object({ RoleId: z.number().int(), RoleCode: z.string(), RoleName: z.string() })
  .strict();

export const WorkspaceItem = z
  .object({
    WorkspaceId: z.string(),
    WorkspaceName: z.string(),
    WorkspaceDescription: z.string().optional(),
    OrganizationId: z.string(),
    Owner: z.string(),
    OwnerAccountName: z.string().optional(),
    CreateUser: z.string(),
    CreateUserAccountName: z.string().optional(),
    ModifyUser: z.string(),
    ModifyUserAccountName: z.string().optional(),
    CreateTime: z.string(),
    ModifiedTime: z.string(),
    AllowShareOperation: z.boolean(),
    AllowPublishOperation: z.boolean(),
  })
  .strict();
export const WorkspaceListResult = pageOf(WorkspaceItem);

export const UserWorkspaceRoleItem = z
  .object({
    WorkspaceId: z.string(),
    WorkspaceName: z.string(),
    /** RoleId is a string in this operation's model. */
    RoleModel: z.object({ RoleId: z.string(), RoleCode: z.string().optional(), RoleName: z.string() }).strict(),
  })
  .strict();
export const UserWorkspaceRolesResult = z.array(UserWorkspaceRoleItem);

export const CreateWorkspaceResult = z.string();

export const WorkspaceRoleItem = z
  .object({
    RoleId: z.number().int(),
    RoleName: z.string(),
    IsSystemRole: z.boolean(),
    AuthConfigList: z.array(z.object({ AuthKey: z.string(), ActionAuthKeys: z.array(z.string()) }).strict()),
  })
  .strict();
export const WorkspaceRolesResult = z.array(WorkspaceRoleItem);

export const OrganizationRoleItem = z
  .object({
    RoleId: z.number().int(),
    RoleName: z.string(),
    IsSystemRole: z.boolean(),
    AuthConfigList: z.array(z.object({ AuthKey: z.string() }).strict()),
  })
  .strict();
export const OrganizationRolesResult = z.array(OrganizationRoleItem);

export const WorkspaceRoleUsersResult = pageOf(
  z.object({ UserId: z.string(), NickName: z.string(), WorkspaceId: z.string(), WorkspaceName: z.string() }).strict(),
);

export const OrganizationRoleUsersResult = pageOf(z.object({ UserId: z.string(), NickName: z.string() }).strict());

/** `Usergroup…` spelling: ListUserGroupsByUserId, GetUserGroupInfo, ListByUserGroupId. */
export const UsergroupItem = z
  .object({
    UsergroupId: z.string(),
    UsergroupName: z.string(),
    UsergroupDesc: z.string().optional(),
    ParentUsergroupId: z.string(),
    IdentifiedPath: z.string(),
    CreateUser: z.string().optional(),
    ModifyUser: z.string().optional(),
    CreateTime: z.string(),
    ModifiedTime: z.string(),
  })
  .strict();
export const UsergroupListResult = z.array(UsergroupItem);

/** `UserGroup…` spelling: QueryUserGroupListByParentId. */
export const UserGroupItem = z
  .object({
    UserGroupId: z.string(),
    UserGroupName: z.string(),
    UserGroupDescription: z.string().optional(),
    ParentUserGroupId: z.string(),
    IdentifiedPath: z.string(),
    CreateUser: z.string().optional(),
    ModifyUser: z.string().optional(),
    CreateTime: z.string(),
    ModifiedTime: z.string(),
  })
  .strict();
export const UserGroupListResult = z.array(UserGroupItem);

export const UserGroupMemberItem = z
  .object({
    Id: z.string(),
    Name: z.string(),
    IsUserGroup: z.boolean(),
    ParentUserGroupId: z.string(),
    ParentUserGroupName: z.string(),
  })
  .strict();
export const UserGroupMembersResult = z.array(UserGroupMemberItem);

export const ListByUserGroupIdResult = z
  .object({ UserGroupModels: z.array(UsergroupItem), FailedUserGroupIds: z.array(z.string()) })
  .strict();

export const CreateUserGroupResult = z.string();

/** Which schema each action's `Result` follows (conformance tests iterate this). */
export const RESULT_SCHEMAS = {
  AddUser: AddUserResult,
  UpdateUser: BoolResult,
  DeleteUser: BoolResult,
  QueryUserInfoByUserId: UserInfoResult,
  QueryUserInfoByAccount: UserInfoResult,
  QueryUserList: UserListResult,
  CheckOrganizationMember: BoolResult,
  AddUserToWorkspace: BoolResult,
  AddWorkspaceUsers: BatchResult,
  UpdateWorkspaceUserRole: BoolResult,
  UpdateWorkspaceUsersRole: BatchResult,
  DeleteUserFromWorkspace: BoolResult,
  QueryWorkspaceUserList: WorkspaceUserListResult,
  QueryUserRoleInfoInWorkspace: UserRoleInfoResult,
  QueryOrganizationWorkspaceList: WorkspaceListResult,
  ListWorkspaceUserRolesByUserId: UserWorkspaceRolesResult,
  CreateWorkspace: CreateWorkspaceResult,
  ListWorkspaceRoles: WorkspaceRolesResult,
  QueryWorkspaceRoleConfig: WorkspaceRoleItem,
  ListWorkspaceRoleUsers: WorkspaceRoleUsersResult,
  ListOrganizationRoles: OrganizationRolesResult,
  QueryOrganizationRoleConfig: OrganizationRoleItem,
  ListOrganizationRoleUsers: OrganizationRoleUsersResult,
  CreateUserGroup: CreateUserGroupResult,
  UpdateUserGroup: BoolResult,
  DeleteUserGroup: BoolResult,
  AddUserGroupMember: BoolResult,
  AddUserGroupMembers: BoolResult,
  DeleteUserGroupMember: BoolResult,
  DeleteUserGroupMembers: BoolResult,
  WithdrawAllUserGroups: BoolResult,
  QueryUserGroupMember: UserGroupMembersResult,
  ListUserGroupsByUserId: UsergroupListResult,
  QueryUserGroupListByParentId: UserGroupListResult,
  GetUserGroupInfo: UsergroupListResult,
  ListByUserGroupId: ListByUserGroupIdResult,
} as const;

export type ActionName = keyof typeof RESULT_SCHEMAS;
export type ResultOf<A extends ActionName> = z.infer<(typeof RESULT_SCHEMAS)[A]>;
