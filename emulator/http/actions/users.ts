import { paginate } from "../../model/paging";
import { parseParams, wire } from "../params";
import { action, paging, type ActionHandler } from "./action";
import { page, userInfo } from "./shapes";

/** Organization users: AddUser, UpdateUser, DeleteUser, QueryUserInfoBy*, QueryUserList, CheckOrganizationMember. */
export const userActions: Record<string, ActionHandler> = {
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
};
