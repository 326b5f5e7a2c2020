import { qbError } from "../model/codes";
import type { Organization } from "../model/organization";
import { paginate, Page } from "../model/paging";
import { ORG_ADMIN, ORG_PERMISSION_ADMIN, organizationAuthKeys, workspaceAuthKeys } from "../model/roles";
import { BatchOutcome, Role, User, UserGroup, Workspace } from "../model/types";
import { displayAccountName } from "../model/users";
import { parseParams, wire } from "./params";
import { ActionName, ResultOf } from "./results";

/**
 * The action table (docs/ARCHITECTURE.md, "emulator model <-> HTTP layer"): for each Quick BI action, parse the wire
 * params, call the model, and shape the documented `Result`. Handlers are synchronous and run one at a time.
 */

export interface CallContext {
  /** The Quick BI user the access key acts as; undefined = the organization owner's console. */
  callerUserId?: string;
}

/** The documented batch answer `{Success: false, Result}`: the request failed and nothing was persisted. */
export interface ActionOutcome<R = unknown> {
  success: false;
  result: R;
}

export type ActionHandler = (org: Organization, params: Record<string, string>, ctx: CallContext) => unknown;

type TypedHandler<A extends ActionName> = (
  org: Organization,
  params: Record<string, string>,
  ctx: CallContext,
) => ResultOf<A> | ActionOutcome<ResultOf<A>>;

/** Every action first checks the caller (`User.Not.In.Organization`, `Invalid.User.Admin`), as the service does. */
function action<A extends ActionName>(handler: TypedHandler<A>): ActionHandler {
  return (org, params, ctx) => {
    org.authorizeCaller(ctx.callerUserId);
    return handler(org, params, ctx);
  };
}

// -------------------------------------------------------------------------------------------------------------------
// shaping

/** Quick BI prints times as `yyyy-MM-dd HH:mm:ss` in China Standard Time (UTC+8), the service's home zone. */
export function formatTime(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().replace("T", " ").slice(0, 19);
}

function userInfo(u: User): ResultOf<"QueryUserInfoByUserId"> {
  return {
    UserId: u.userId,
    AccountId: u.accountId,
    AccountName: displayAccountName(u),
    NickName: u.nickName,
    Email: u.email,
    Phone: u.phone,
    UserType: u.userType,
    AdminUser: u.roleIds.includes(ORG_ADMIN),
    AuthAdminUser: u.roleIds.includes(ORG_PERMISSION_ADMIN),
    RoleIdList: [...u.roleIds],
    CopilotModules: [...u.copilotModules],
  };
}

function page<T, R>(p: Page<T>, map: (t: T) => R) {
  return { Data: p.data.map(map), PageNum: p.pageNum, PageSize: p.pageSize, TotalNum: p.totalNum, TotalPages: p.totalPages };
}

function batch(o: BatchOutcome): ResultOf<"AddWorkspaceUsers"> | ActionOutcome<ResultOf<"AddWorkspaceUsers">> {
  const result = { Total: o.total, Success: o.success, Failure: o.failure, FailureDetail: o.failureDetail };
  return o.applied ? result : { success: false, result };
}

function roleRef(r: Role) {
  return { RoleId: r.roleId, RoleCode: r.roleCode, RoleName: r.roleName };
}

function workspaceItem(org: Organization, w: Workspace): ResultOf<"QueryOrganizationWorkspaceList">["Data"][number] {
  const accountOf = (id: string) => (org.hasUser(id) ? displayAccountName(org.getUser(id)) : undefined);
  return {
    WorkspaceId: w.workspaceId,
    WorkspaceName: w.workspaceName,
    WorkspaceDescription: w.workspaceDescription,
    OrganizationId: org.organizationId,
    Owner: w.ownerUserId,
    OwnerAccountName: accountOf(w.ownerUserId),
    CreateUser: w.createUserId,
    CreateUserAccountName: accountOf(w.createUserId),
    ModifyUser: w.modifyUserId,
    ModifyUserAccountName: accountOf(w.modifyUserId),
    CreateTime: formatTime(w.createTime),
    ModifiedTime: formatTime(w.modifiedTime),
    AllowShareOperation: w.allowShare,
    AllowPublishOperation: w.allowPublish,
  };
}

function workspaceRoleItem(r: Role): ResultOf<"QueryWorkspaceRoleConfig"> {
  return {
    RoleId: r.roleId,
    RoleName: r.roleName,
    IsSystemRole: r.isSystemRole,
    AuthConfigList: workspaceAuthKeys(r.roleId, r.analystAllowed).map((AuthKey) => ({ AuthKey, ActionAuthKeys: [] })),
  };
}

function organizationRoleItem(r: Role): ResultOf<"QueryOrganizationRoleConfig"> {
  return {
    RoleId: r.roleId,
    RoleName: r.roleName,
    IsSystemRole: r.isSystemRole,
    AuthConfigList: organizationAuthKeys(r.roleId).map((AuthKey) => ({ AuthKey })),
  };
}

function usergroupItem(org: Organization, g: UserGroup): ResultOf<"GetUserGroupInfo">[number] {
  return {
    UsergroupId: g.userGroupId,
    UsergroupName: g.userGroupName,
    UsergroupDesc: g.userGroupDescription,
    ParentUsergroupId: g.parentUserGroupId,
    IdentifiedPath: org.groupPath(g.userGroupId).join("/"),
    CreateUser: g.createUserId,
    ModifyUser: g.modifyUserId,
    CreateTime: formatTime(g.createTime),
    ModifiedTime: formatTime(g.modifiedTime),
  };
}

function userGroupItem(org: Organization, g: UserGroup): ResultOf<"QueryUserGroupListByParentId">[number] {
  return {
    UserGroupId: g.userGroupId,
    UserGroupName: g.userGroupName,
    UserGroupDescription: g.userGroupDescription,
    ParentUserGroupId: g.parentUserGroupId,
    IdentifiedPath: org.groupPath(g.userGroupId).join("/"),
    CreateUser: g.createUserId,
    ModifyUser: g.modifyUserId,
    CreateTime: formatTime(g.createTime),
    ModifiedTime: formatTime(g.modifiedTime),
  };
}

const paging = { PageNum: wire.pageNum(), PageSize: wire.pageSize() };

// -------------------------------------------------------------------------------------------------------------------
// the table

export const actions: Record<string, ActionHandler> = {
  // ---- organization users -----------------------------------------------------------------------------------------
  AddUser: action<"AddUser">((org, params) => {
    const p = parseParams(
      {
        UserType: wire.int(),
        NickName: wire.string(),
        AccountId: wire.string().optional(),
        AccountName: wire.string().optional(),
        RoleIds: wire.intList().optional(),
        AdminUser: wire.bool().optional(),
        AuthAdminUser: wire.bool().optional(),
        CopilotModules: wire.list().optional(),
      },
      params,
    );
    const u = org.addUser({
      accountId: p.AccountId,
      accountName: p.AccountName,
      nickName: p.NickName,
      userType: p.UserType,
      roleIds: p.RoleIds,
      adminUser: p.AdminUser,
      authAdminUser: p.AuthAdminUser,
      copilotModules: p.CopilotModules,
    });
    const info = userInfo(u);
    return {
      UserId: info.UserId,
      AccountName: info.AccountName,
      NickName: info.NickName,
      UserType: info.UserType,
      AdminUser: info.AdminUser,
      AuthAdminUser: info.AuthAdminUser,
      RoleIdList: info.RoleIdList,
      CopilotModules: info.CopilotModules,
    };
  }),

  UpdateUser: action<"UpdateUser">((org, params) => {
    const p = parseParams(
      {
        UserId: wire.string(),
        UserType: wire.int().optional(),
        NickName: wire.string().optional(),
        RoleIds: wire.intList().optional(),
        AdminUser: wire.bool().optional(),
        AuthAdminUser: wire.bool().optional(),
        IsDeleted: wire.bool().optional(),
        // A JSON array of {moduleType, status}; accepted and not modeled.
        CopilotModules: wire.string().optional(),
      },
      params,
    );
    org.updateUser(p.UserId, {
      userType: p.UserType,
      nickName: p.NickName,
      roleIds: p.RoleIds,
      adminUser: p.AdminUser,
      authAdminUser: p.AuthAdminUser,
      isDeleted: p.IsDeleted,
    });
    return true;
  }),

  DeleteUser: action<"DeleteUser">((org, params) => {
    const p = parseParams({ UserId: wire.string(), TransferUserId: wire.string().optional() }, params);
    org.deleteUser(p.UserId, p.TransferUserId);
    return true;
  }),

  QueryUserInfoByUserId: action<"QueryUserInfoByUserId">((org, params) => {
    const p = parseParams({ UserId: wire.string() }, params);
    return userInfo(org.getUser(p.UserId));
  }),

  QueryUserInfoByAccount: action<"QueryUserInfoByAccount">((org, params) => {
    const p = parseParams({ Account: wire.string(), ParentAccountName: wire.string().optional() }, params);
    return userInfo(org.findUserByAccount(p.Account, p.ParentAccountName));
  }),

  QueryUserList: action<"QueryUserList">((org, params) => {
    const p = parseParams({ Keyword: wire.string().optional(), ...paging }, params);
    return page(paginate(org.listUsers(p.Keyword), p.PageNum, p.PageSize), (u) => {
      const info = userInfo(u);
      return {
        UserId: info.UserId,
        AccountId: info.AccountId,
        AccountName: info.AccountName,
        NickName: info.NickName,
        UserType: info.UserType,
        AdminUser: info.AdminUser,
        AuthAdminUser: info.AuthAdminUser,
        RoleIdList: info.RoleIdList,
        IsDeleted: u.isDeleted,
        JoinedDate: u.joinedDate,
        CopilotModules: info.CopilotModules,
      };
    });
  }),

  /** Result = whether the user is in the organization (the doc's wording is ambiguous; this is the useful reading). */
  CheckOrganizationMember: action<"CheckOrganizationMember">((org, params) => {
    const p = parseParams({ UserId: wire.string() }, params);
    return org.hasUser(p.UserId);
  }),

  // ---- workspaces -------------------------------------------------------------------------------------------------
  AddUserToWorkspace: action<"AddUserToWorkspace">((org, params) => {
    const p = parseParams({ WorkspaceId: wire.string(), UserId: wire.string(), RoleId: wire.int() }, params);
    org.addWorkspaceMember(p.WorkspaceId, p.UserId, p.RoleId);
    return true;
  }),

  AddWorkspaceUsers: action<"AddWorkspaceUsers">((org, params) => {
    const p = parseParams({ WorkspaceId: wire.string(), UserIds: wire.list(), RoleId: wire.int() }, params);
    return batch(org.addWorkspaceMembers(p.WorkspaceId, p.UserIds, p.RoleId));
  }),

  UpdateWorkspaceUserRole: action<"UpdateWorkspaceUserRole">((org, params) => {
    const p = parseParams(
      { WorkspaceId: wire.string(), UserId: wire.string(), RoleId: wire.int().optional(), RoleIds: wire.intList().optional() },
      params,
    );
    // "RoleIds takes precedence; RoleId and RoleIds cannot both be empty."
    const roleIds = p.RoleIds ?? (p.RoleId !== undefined ? [p.RoleId] : undefined);
    if (roleIds === undefined) throw qbError("System.Param.Empty", ["RoleIds"]);
    org.setWorkspaceMemberRoles(p.WorkspaceId, p.UserId, roleIds);
    return true;
  }),

  UpdateWorkspaceUsersRole: action<"UpdateWorkspaceUsersRole">((org, params) => {
    const p = parseParams({ WorkspaceId: wire.string(), UserIds: wire.list(), RoleId: wire.int() }, params);
    return batch(org.setWorkspaceMembersRole(p.WorkspaceId, p.UserIds, p.RoleId));
  }),

  DeleteUserFromWorkspace: action<"DeleteUserFromWorkspace">((org, params) => {
    const p = parseParams({ WorkspaceId: wire.string(), UserId: wire.string() }, params);
    org.removeWorkspaceMember(p.WorkspaceId, p.UserId);
    return true;
  }),

  QueryWorkspaceUserList: action<"QueryWorkspaceUserList">((org, params) => {
    const p = parseParams({ WorkspaceId: wire.string(), Keyword: wire.string().optional(), ...paging }, params);
    return page(paginate(org.listWorkspaceMembers(p.WorkspaceId, p.Keyword), p.PageNum, p.PageSize), ({ user, membership }) => ({
      UserId: user.userId,
      AccountId: user.accountId,
      AccountName: displayAccountName(user),
      NickName: user.nickName,
      Role: roleRef(org.primaryRoleOf(membership)),
    }));
  }),

  QueryUserRoleInfoInWorkspace: action<"QueryUserRoleInfoInWorkspace">((org, params) => {
    const p = parseParams({ WorkspaceId: wire.string(), UserId: wire.string() }, params);
    const r = org.presetRoleOf(p.WorkspaceId, p.UserId);
    return { RoleId: r.roleId, RoleCode: r.roleCode ?? "", RoleName: r.roleName };
  }),

  QueryOrganizationWorkspaceList: action<"QueryOrganizationWorkspaceList">((org, params) => {
    const p = parseParams({ Keyword: wire.string().optional(), UserId: wire.string().optional(), ...paging }, params);
    return page(paginate(org.listWorkspaces(p.Keyword, p.UserId), p.PageNum, p.PageSize), (w) => workspaceItem(org, w));
  }),

  ListWorkspaceUserRolesByUserId: action<"ListWorkspaceUserRolesByUserId">((org, params) => {
    const p = parseParams({ UserId: wire.string() }, params);
    return org.workspaceRolesOfUser(p.UserId).map(({ workspace, role }) => ({
      WorkspaceId: workspace.workspaceId,
      WorkspaceName: workspace.workspaceName,
      RoleModel: { RoleId: String(role.roleId), RoleCode: role.isSystemRole ? role.roleCode : undefined, RoleName: role.roleName },
    }));
  }),

  CreateWorkspace: action<"CreateWorkspace">((org, params, ctx) => {
    const p = parseParams(
      {
        WorkspaceName: wire.string(),
        WorkspaceDescription: wire.string().optional(),
        UseComment: wire.bool().optional(),
        AllowShare: wire.bool().optional(),
        AllowPublish: wire.bool().optional(),
        AllowViewAll: wire.bool().optional(),
        DefaultShareToAll: wire.bool().optional(),
        OnlyAdminCreateDatasource: wire.bool().optional(),
      },
      params,
    );
    return org.createWorkspace({
      workspaceName: p.WorkspaceName,
      workspaceDescription: p.WorkspaceDescription,
      ownerUserId: ctx.callerUserId,
      allowShare: p.AllowShare,
      allowPublish: p.AllowPublish,
    });
  }),

  // ---- roles ------------------------------------------------------------------------------------------------------
  ListWorkspaceRoles: action<"ListWorkspaceRoles">((org, params) => {
    const p = parseParams({ WorkspaceId: wire.string() }, params);
    return org.workspaceRoles(p.WorkspaceId).map(workspaceRoleItem);
  }),

  QueryWorkspaceRoleConfig: action<"QueryWorkspaceRoleConfig">((org, params) => {
    const p = parseParams({ RoleId: wire.int() }, params);
    return workspaceRoleItem(org.workspaceRole(p.RoleId));
  }),

  ListWorkspaceRoleUsers: action<"ListWorkspaceRoleUsers">((org, params) => {
    const p = parseParams(
      { RoleId: wire.int(), WorkspaceId: wire.string().optional(), Keyword: wire.string().optional(), ...paging },
      params,
    );
    return page(paginate(org.workspaceRoleUsers(p.RoleId, p.WorkspaceId, p.Keyword), p.PageNum, p.PageSize), ({ user, workspace }) => ({
      UserId: user.userId,
      NickName: user.nickName,
      WorkspaceId: workspace.workspaceId,
      WorkspaceName: workspace.workspaceName,
    }));
  }),

  ListOrganizationRoles: action<"ListOrganizationRoles">((org, params) => {
    parseParams({}, params);
    return org.organizationRoles().map(organizationRoleItem);
  }),

  QueryOrganizationRoleConfig: action<"QueryOrganizationRoleConfig">((org, params) => {
    const p = parseParams({ RoleId: wire.int() }, params);
    return organizationRoleItem(org.organizationRole(p.RoleId));
  }),

  ListOrganizationRoleUsers: action<"ListOrganizationRoleUsers">((org, params) => {
    const p = parseParams({ RoleId: wire.int(), Keyword: wire.string().optional(), ...paging }, params);
    return page(paginate(org.organizationRoleUsers(p.RoleId, p.Keyword), p.PageNum, p.PageSize), (u) => ({
      UserId: u.userId,
      NickName: u.nickName,
    }));
  }),

  // ---- user groups ------------------------------------------------------------------------------------------------
  CreateUserGroup: action<"CreateUserGroup">((org, params, ctx) => {
    const p = parseParams(
      {
        UserGroupName: wire.string(),
        ParentUserGroupId: wire.string(),
        UserGroupId: wire.string().optional(),
        UserGroupDescription: wire.string().optional(),
      },
      params,
    );
    return org.createUserGroup(
      {
        userGroupName: p.UserGroupName,
        parentUserGroupId: p.ParentUserGroupId,
        userGroupId: p.UserGroupId,
        userGroupDescription: p.UserGroupDescription,
      },
      ctx.callerUserId,
    );
  }),

  UpdateUserGroup: action<"UpdateUserGroup">((org, params, ctx) => {
    const p = parseParams(
      { UserGroupId: wire.string(), UserGroupName: wire.string().optional(), UserGroupDescription: wire.string().optional() },
      params,
    );
    org.updateUserGroup(p.UserGroupId, { userGroupName: p.UserGroupName, userGroupDescription: p.UserGroupDescription }, ctx.callerUserId);
    return true;
  }),

  DeleteUserGroup: action<"DeleteUserGroup">((org, params) => {
    const p = parseParams({ UserGroupId: wire.string() }, params);
    org.deleteUserGroup(p.UserGroupId);
    return true;
  }),

  AddUserGroupMember: action<"AddUserGroupMember">((org, params) => {
    const p = parseParams({ UserGroupId: wire.string(), UserIdList: wire.list() }, params);
    org.addUserGroupMembers(p.UserGroupId, p.UserIdList);
    return true;
  }),

  AddUserGroupMembers: action<"AddUserGroupMembers">((org, params) => {
    const p = parseParams({ UserId: wire.string(), UserGroupIds: wire.list() }, params);
    org.addUserToGroups(p.UserId, p.UserGroupIds);
    return true;
  }),

  DeleteUserGroupMember: action<"DeleteUserGroupMember">((org, params) => {
    const p = parseParams({ UserGroupId: wire.string(), UserId: wire.string() }, params);
    org.removeUserGroupMember(p.UserGroupId, p.UserId);
    return true;
  }),

  DeleteUserGroupMembers: action<"DeleteUserGroupMembers">((org, params) => {
    const p = parseParams({ UserId: wire.string(), UserGroupIds: wire.list() }, params);
    org.removeUserFromGroups(p.UserId, p.UserGroupIds);
    return true;
  }),

  WithdrawAllUserGroups: action<"WithdrawAllUserGroups">((org, params) => {
    const p = parseParams({ UserId: wire.string() }, params);
    org.withdrawAllUserGroups(p.UserId);
    return true;
  }),

  QueryUserGroupMember: action<"QueryUserGroupMember">((org, params) => {
    const p = parseParams({ UserGroupId: wire.string(), Keyword: wire.string().optional() }, params);
    return org.userGroupMembers(p.UserGroupId, p.Keyword).map((e) => ({
      Id: e.id,
      Name: e.name,
      IsUserGroup: e.isUserGroup,
      ParentUserGroupId: e.parentUserGroupId,
      ParentUserGroupName: e.parentUserGroupName,
    }));
  }),

  ListUserGroupsByUserId: action<"ListUserGroupsByUserId">((org, params) => {
    const p = parseParams({ UserId: wire.string() }, params);
    return org.userGroupsOfUser(p.UserId).map((g) => usergroupItem(org, g));
  }),

  QueryUserGroupListByParentId: action<"QueryUserGroupListByParentId">((org, params) => {
    const p = parseParams({ ParentUserGroupId: wire.string() }, params);
    return org.childGroups(p.ParentUserGroupId).map((g) => userGroupItem(org, g));
  }),

  GetUserGroupInfo: action<"GetUserGroupInfo">((org, params) => {
    const p = parseParams({ Keyword: wire.string() }, params);
    return org.searchUserGroups(p.Keyword).map((g) => usergroupItem(org, g));
  }),

  ListByUserGroupId: action<"ListByUserGroupId">((org, params) => {
    const p = parseParams({ UserGroupIds: wire.list() }, params);
    const { found, failed } = org.userGroupsByIds(p.UserGroupIds);
    return { UserGroupModels: found.map((g) => usergroupItem(org, g)), FailedUserGroupIds: failed };
  }),
};
