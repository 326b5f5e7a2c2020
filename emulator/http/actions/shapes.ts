import type { Organization } from "../../model/organization";
import type { Page } from "../../model/paging";
import { ORG_ADMIN, ORG_PERMISSION_ADMIN, organizationAuthKeys, workspaceAuthKeys } from "../../model/roles";
import type { BatchOutcome, Role, User, UserGroup, Workspace } from "../../model/types";
import { displayAccountName } from "../../model/users";
import type { ResultOf } from "../results";
import type { ActionOutcome } from "./action";

/* Model records -> the documented `Result` items, with each operation's field spellings. */

/** Quick BI prints times as `yyyy-MM-dd HH:mm:ss` in China Standard Time (UTC+8), the service's home zone. */
export function formatTime(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().replace("T", " ").slice(0, 19);
}

export function userInfo(u: User): ResultOf<"QueryUserInfoByUserId"> {
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

export function page<T, R>(p: Page<T>, map: (t: T) => R) {
  return {
    Data: p.data.map(map),
    PageNum: p.pageNum,
    PageSize: p.pageSize,
    TotalNum: p.totalNum,
    TotalPages: p.totalPages,
  };
}

export function batch(o: BatchOutcome): ResultOf<"AddWorkspaceUsers"> | ActionOutcome<ResultOf<"AddWorkspaceUsers">> {
  const result = { Total: o.total, Success: o.success, Failure: o.failure, FailureDetail: o.failureDetail };
  return o.applied ? result : { success: false, result };
}

export function roleRef(r: Role) {
  return { RoleId: r.roleId, RoleCode: r.roleCode, RoleName: r.roleName };
}

export function workspaceItem(
  org: Organization,
  w: Workspace,
): ResultOf<"QueryOrganizationWorkspaceList">["Data"][number] {
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

export function workspaceRoleItem(r: Role): ResultOf<"QueryWorkspaceRoleConfig"> {
  return {
    RoleId: r.roleId,
    RoleName: r.roleName,
    IsSystemRole: r.isSystemRole,
    AuthConfigList: workspaceAuthKeys(r.roleId, r.analystAllowed).map((AuthKey) => ({ AuthKey, ActionAuthKeys: [] })),
  };
}

export function organizationRoleItem(r: Role): ResultOf<"QueryOrganizationRoleConfig"> {
  return {
    RoleId: r.roleId,
    RoleName: r.roleName,
    IsSystemRole: r.isSystemRole,
    AuthConfigList: organizationAuthKeys(r.roleId).map((AuthKey) => ({ AuthKey })),
  };
}

export function usergroupItem(org: Organization, g: UserGroup): ResultOf<"GetUserGroupInfo">[number] {
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

export function userGroupItem(org: Organization, g: UserGroup): ResultOf<"QueryUserGroupListByParentId">[number] {
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
