import { qbError } from "../../model/codes";
import { paginate } from "../../model/paging";
import { displayAccountName } from "../../model/users";
import { parseParams, wire } from "../params";
import { action, paging, type ActionHandler } from "./action";
import { batch, page, roleRef, workspaceItem } from "./shapes";

/** Workspaces and memberships, including the batch actions AddWorkspaceUsers and UpdateWorkspaceUsersRole. */
export const workspaceActions: Record<string, ActionHandler> = {
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
      {
        WorkspaceId: wire.string(),
        UserId: wire.string(),
        RoleId: wire.int().optional(),
        RoleIds: wire.intList().optional(),
      },
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
    return page(
      paginate(org.listWorkspaceMembers(p.WorkspaceId, p.Keyword), p.PageNum, p.PageSize),
      ({ user, membership }) => ({
        UserId: user.userId,
        AccountId: user.accountId,
        AccountName: displayAccountName(user),
        NickName: user.nickName,
        Role: roleRef(org.primaryRoleOf(membership)),
      }),
    );
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
      RoleModel: {
        RoleId: String(role.roleId),
        RoleCode: role.isSystemRole ? role.roleCode : undefined,
        RoleName: role.roleName,
      },
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
};
