import { parseParams, wire } from "../params";
import { action, type ActionHandler } from "./action";
import { userGroupItem, usergroupItem } from "./shapes";

/** User groups: the tree, and who belongs to which group. */
export const userGroupActions: Record<string, ActionHandler> = {
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
      {
        UserGroupId: wire.string(),
        UserGroupName: wire.string().optional(),
        UserGroupDescription: wire.string().optional(),
      },
      params,
    );
    org.updateUserGroup(
      p.UserGroupId,
      { userGroupName: p.UserGroupName, userGroupDescription: p.UserGroupDescription },
      ctx.callerUserId,
    );
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
