import { paginate } from "../../model/paging";
import { parseParams, wire } from "../params";
import { action, paging, type ActionHandler } from "./action";
import { organizationRoleItem, page, workspaceRoleItem } from "./shapes";

/** Organization and workspace roles (read-only). */
export const roleActions: Record<string, ActionHandler> = {
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
    return page(
      paginate(org.workspaceRoleUsers(p.RoleId, p.WorkspaceId, p.Keyword), p.PageNum, p.PageSize),
      ({ user, workspace }) => ({
        UserId: user.userId,
        NickName: user.nickName,
        WorkspaceId: workspace.workspaceId,
        WorkspaceName: workspace.workspaceName,
      }),
    );
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
};
