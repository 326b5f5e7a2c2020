import { Conformance } from "./setup";
import { G, ROLE, U, WS } from "../model/fixture";

const c = new Conformance();
c.install();

// Every operation is exercised once per signature version (ACS3-HMAC-SHA256 and the v2 HMAC-SHA1 RPC signature).
describe.each(["v3", "v2"] as const)("operations through @alicloud/openapi-client (%s signature)", (sig) => {
  describe("organization users", () => {
    test("AddUser (RoleIds in the form body) then QueryUserInfoByUserId", async () => {
      const added = await c.ok(
        sig,
        "AddUser",
        { AccountId: "5550", AccountName: "corp@aliyun.com:newbie", NickName: "张三", UserType: 1 },
        { body: { RoleIds: "111111111,111111113" } },
      );
      expect(added).toMatchObject({
        AccountName: "newbie",
        NickName: "张三",
        UserType: 1,
        AdminUser: true,
        AuthAdminUser: false,
        RoleIdList: [111111111, 111111113],
      });
      expect(added.UserId).toMatch(/^[0-9a-f]{32}$/);
      const info = await c.ok(sig, "QueryUserInfoByUserId", { UserId: added.UserId });
      expect(info).toMatchObject({ UserId: added.UserId, NickName: "张三", RoleIdList: [111111111, 111111113] });
    });

    test("AddUser with the deprecated booleans", async () => {
      const added = await c.ok(sig, "AddUser", {
        AccountId: "5551",
        NickName: "Flags",
        UserType: 3,
        AdminUser: false,
        AuthAdminUser: true,
      });
      expect(added).toMatchObject({ UserType: 3, AdminUser: false, AuthAdminUser: true, RoleIdList: [111111112] });
    });

    test("UpdateUser", async () => {
      expect(
        await c.ok(sig, "UpdateUser", { UserId: U.dev2, NickName: "Renamed", RoleIds: "111111112", IsDeleted: true }),
      ).toBe(true);
      const list = await c.ok(sig, "QueryUserList", { Keyword: "renamed" }, { method: "GET" });
      expect(list.Data).toEqual([
        expect.objectContaining({
          UserId: U.dev2,
          NickName: "Renamed",
          RoleIdList: [111111112],
          AuthAdminUser: true,
          IsDeleted: true,
        }),
      ]);
    });

    test("DeleteUser with TransferUserId", async () => {
      expect(await c.ok(sig, "DeleteUser", { UserId: U.dev, TransferUserId: U.dev2 })).toBe(true);
      expect(c.emu.state().workspaceMembers).toContainEqual({
        workspaceId: WS.main,
        userId: U.dev2,
        roleId: 26,
        works: 3,
      });
      expect((await c.fails(sig, "QueryUserInfoByUserId", { UserId: U.dev })).code).toBe("User.Not.In.Organization");
    });

    test("QueryUserInfoByAccount", async () => {
      expect((await c.ok(sig, "QueryUserInfoByAccount", { Account: "1005" })).UserId).toBe(U.analyst);
      expect(
        (await c.ok(sig, "QueryUserInfoByAccount", { Account: "dev", ParentAccountName: "other@aliyun.com" })).UserId,
      ).toBe(U.dev2);
    });

    test("QueryUserList (GET) paging", async () => {
      const page = await c.ok(sig, "QueryUserList", { PageNum: 2, PageSize: 3 }, { method: "GET" });
      expect(page).toMatchObject({ PageNum: 2, PageSize: 3, TotalNum: 7, TotalPages: 3 });
      expect(page.Data.map((u) => u.UserId)).toEqual([U.dev2, U.analyst, U.viewer]);
      expect(typeof page.Data[0]!.JoinedDate).toBe("number");
    });

    test("CheckOrganizationMember", async () => {
      expect(await c.ok(sig, "CheckOrganizationMember", { UserId: U.dev })).toBe(true);
      expect(await c.ok(sig, "CheckOrganizationMember", { UserId: "ghost" })).toBe(false);
    });
  });

  describe("workspaces", () => {
    test("AddUserToWorkspace then QueryUserRoleInfoInWorkspace", async () => {
      expect(await c.ok(sig, "AddUserToWorkspace", { WorkspaceId: WS.main, UserId: U.dev2, RoleId: 30 })).toBe(true);
      expect(await c.ok(sig, "QueryUserRoleInfoInWorkspace", { WorkspaceId: WS.main, UserId: U.dev2 })).toEqual({
        RoleId: 30,
        RoleCode: "role_workspace_viewer",
        RoleName: "阅览者",
      });
    });

    test("AddWorkspaceUsers: partial success answers Success:true with per-user FailureDetail", async () => {
      const r = await c.ok(sig, "AddWorkspaceUsers", {
        WorkspaceId: WS.main,
        UserIds: `${U.dev2},${U.dev}`,
        RoleId: 27,
      });
      expect(r).toEqual({
        Total: 2,
        Success: 1,
        Failure: 1,
        FailureDetail: { [U.dev]: "AE0150010001: This user already exists." },
      });
    });

    test("AddWorkspaceUsers: every user failing answers HTTP 200 Success:false and persists nothing", async () => {
      const before = c.emu.state();
      const body = await c.client(sig)("AddWorkspaceUsers", {
        WorkspaceId: WS.main,
        UserIds: `${U.dev},${U.viewer}`,
        RoleId: 30,
      });
      expect(body.Success).toBe(false);
      expect(body.Result).toEqual({
        Total: 2,
        Success: 0,
        Failure: 2,
        FailureDetail: {
          [U.dev]: "AE0150010001: This user already exists.",
          [U.viewer]:
            "Viewer.AddInTo.Workspace: Organization members with viewer type are not allowed to add to workspace: Viewer.",
        },
      });
      expect(c.emu.state().workspaceMembers).toEqual(before.workspaceMembers);
    });

    test("UpdateWorkspaceUserRole (RoleIds wins over RoleId)", async () => {
      expect(
        await c.ok(sig, "UpdateWorkspaceUserRole", {
          WorkspaceId: WS.main,
          UserId: U.dev,
          RoleId: 30,
          RoleIds: `27,${ROLE.wsPublisher}`,
        }),
      ).toBe(true);
      const roles = await c.ok(sig, "ListWorkspaceUserRolesByUserId", { UserId: U.dev });
      expect(roles).toEqual([
        {
          WorkspaceId: WS.main,
          WorkspaceName: "Main",
          RoleModel: { RoleId: "27", RoleCode: "role_workspace_analyst", RoleName: "分析者" },
        },
        {
          WorkspaceId: WS.main,
          WorkspaceName: "Main",
          RoleModel: { RoleId: String(ROLE.wsPublisher), RoleName: "Publisher" },
        },
      ]);
    });

    test("UpdateWorkspaceUsersRole: non-members keyed by user id with AE0150010004", async () => {
      const r = await c.ok(sig, "UpdateWorkspaceUsersRole", {
        WorkspaceId: WS.main,
        UserIds: `${U.dev},${U.dev2}`,
        RoleId: 30,
      });
      expect(r).toEqual({
        Total: 2,
        Success: 1,
        Failure: 1,
        FailureDetail: { [U.dev2]: "AE0150010004: The user is not a member of the group workspace." },
      });
    });

    test("DeleteUserFromWorkspace then QueryWorkspaceUserList", async () => {
      expect(await c.ok(sig, "DeleteUserFromWorkspace", { WorkspaceId: WS.main, UserId: U.dev })).toBe(true);
      const list = await c.ok(sig, "QueryWorkspaceUserList", { WorkspaceId: WS.main });
      expect(list).toMatchObject({ PageNum: 1, PageSize: 10, TotalNum: 2, TotalPages: 1 });
      expect(list.Data).toEqual([
        {
          UserId: U.owner,
          AccountId: "1001",
          AccountName: "owner",
          NickName: "Owner",
          Role: { RoleId: 25, RoleCode: "role_workspace_admin", RoleName: "空间管理员" },
        },
        {
          UserId: U.analyst,
          AccountId: "1005",
          AccountName: "analyst@example.com",
          NickName: "Analyst",
          Role: { RoleId: 27, RoleCode: "role_workspace_analyst", RoleName: "分析者" },
        },
      ]);
    });

    test("QueryOrganizationWorkspaceList (Keyword, UserId)", async () => {
      const all = await c.ok(sig, "QueryOrganizationWorkspaceList");
      expect(all.TotalNum).toBe(2);
      const mine = await c.ok(sig, "QueryOrganizationWorkspaceList", { UserId: U.dev2, Keyword: "oth" });
      expect(mine.Data).toEqual([
        expect.objectContaining({
          WorkspaceId: WS.other,
          WorkspaceName: "Other",
          Owner: U.dev2,
          AllowShareOperation: true,
        }),
      ]);
    });

    test("CreateWorkspace: the caller owns it", async () => {
      const id = await c.ok(sig, "CreateWorkspace", {
        WorkspaceName: "Created",
        WorkspaceDescription: "by test",
        AllowShare: false,
      });
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
      const list = await c.ok(sig, "QueryOrganizationWorkspaceList", { Keyword: "Created" });
      expect(list.Data[0]).toMatchObject({
        WorkspaceId: id,
        Owner: U.owner,
        WorkspaceDescription: "by test",
        AllowShareOperation: false,
      });
    });
  });

  describe("roles", () => {
    test("ListWorkspaceRoles and QueryWorkspaceRoleConfig", async () => {
      const roles = await c.ok(sig, "ListWorkspaceRoles", { WorkspaceId: WS.main });
      expect(roles.map((r) => [r.RoleId, r.IsSystemRole])).toEqual([
        [25, true],
        [26, true],
        [27, true],
        [30, true],
        [600, false],
        [601, false],
      ]);
      const cfg = await c.ok(sig, "QueryWorkspaceRoleConfig", { RoleId: 25 });
      expect(cfg.AuthConfigList.map((a) => a.AuthKey)).toContain("datasource");
    });

    test("ListWorkspaceRoleUsers", async () => {
      const r = await c.ok(sig, "ListWorkspaceRoleUsers", { RoleId: 25 });
      expect(r.Data).toEqual([
        { UserId: U.owner, NickName: "Owner", WorkspaceId: WS.main, WorkspaceName: "Main" },
        { UserId: U.dev2, NickName: "Dev Two", WorkspaceId: WS.other, WorkspaceName: "Other" },
      ]);
    });

    test("ListOrganizationRoles, QueryOrganizationRoleConfig, ListOrganizationRoleUsers", async () => {
      const roles = await c.ok(sig, "ListOrganizationRoles");
      expect(roles[0]).toMatchObject({ RoleId: 111111111, RoleName: "组织管理员", IsSystemRole: true });
      expect((await c.ok(sig, "QueryOrganizationRoleConfig", { RoleId: 500 })).IsSystemRole).toBe(false);
      const holders = await c.ok(sig, "ListOrganizationRoleUsers", { RoleId: 111111111 });
      expect(holders.Data).toEqual([{ UserId: U.owner, NickName: "Owner" }]);
    });
  });

  describe("user groups", () => {
    test("CreateUserGroup, UpdateUserGroup, QueryUserGroupListByParentId", async () => {
      const id = await c.ok(sig, "CreateUserGroup", {
        UserGroupName: "Sales",
        ParentUserGroupId: G.eng,
        UserGroupDescription: "d",
      });
      expect(await c.ok(sig, "UpdateUserGroup", { UserGroupId: id, UserGroupName: "Sales EMEA" })).toBe(true);
      const children = await c.ok(sig, "QueryUserGroupListByParentId", { ParentUserGroupId: G.eng });
      expect(children.map((g) => [g.UserGroupId, g.UserGroupName, g.IdentifiedPath, g.CreateUser])).toEqual([
        [G.data, "Data", `${G.eng}/${G.data}`, undefined],
        [id, "Sales EMEA", `${G.eng}/${id}`, U.owner],
      ]);
    });

    test("CreateUserGroup with a caller-chosen id, DeleteUserGroup", async () => {
      expect(
        await c.ok(sig, "CreateUserGroup", { UserGroupName: "Tmp", ParentUserGroupId: "-1", UserGroupId: "tmp-1" }),
      ).toBe("tmp-1");
      expect(await c.ok(sig, "DeleteUserGroup", { UserGroupId: "tmp-1" })).toBe(true);
      expect(await c.ok(sig, "ListByUserGroupId", { UserGroupIds: `tmp-1,${G.eng}` })).toMatchObject({
        FailedUserGroupIds: ["tmp-1"],
        UserGroupModels: [{ UsergroupId: G.eng }],
      });
    });

    test("AddUserGroupMember, QueryUserGroupMember, DeleteUserGroupMember", async () => {
      expect(await c.ok(sig, "AddUserGroupMember", { UserGroupId: G.eng, UserIdList: `${U.dev2},${U.viewer}` })).toBe(
        true,
      );
      const members = await c.ok(sig, "QueryUserGroupMember", { UserGroupId: G.eng });
      expect(members.map((m) => [m.Id, m.IsUserGroup])).toEqual([
        [G.data, true],
        [U.dev, false],
        [U.dev2, false],
        [U.viewer, false],
      ]);
      expect(await c.ok(sig, "DeleteUserGroupMember", { UserGroupId: G.eng, UserId: U.viewer })).toBe(true);
      expect(await c.ok(sig, "QueryUserGroupMember", { UserGroupId: G.eng, Keyword: "viewer" })).toEqual([]);
    });

    test("AddUserGroupMembers, ListUserGroupsByUserId, DeleteUserGroupMembers, WithdrawAllUserGroups", async () => {
      expect(await c.ok(sig, "AddUserGroupMembers", { UserId: U.dev2, UserGroupIds: `${G.eng},${G.data}` })).toBe(true);
      const groups = await c.ok(sig, "ListUserGroupsByUserId", { UserId: U.dev2 });
      expect(groups.map((g) => [g.UsergroupId, g.ParentUsergroupId])).toEqual([
        [G.eng, "-1"],
        [G.data, G.eng],
      ]);
      expect(await c.ok(sig, "DeleteUserGroupMembers", { UserId: U.dev2, UserGroupIds: G.eng })).toBe(true);
      expect((await c.ok(sig, "ListUserGroupsByUserId", { UserId: U.dev2 })).map((g) => g.UsergroupId)).toEqual([
        G.data,
      ]);
      expect(await c.ok(sig, "WithdrawAllUserGroups", { UserId: U.dev2 })).toBe(true);
      expect(await c.ok(sig, "ListUserGroupsByUserId", { UserId: U.dev2 })).toEqual([]);
    });

    test("GetUserGroupInfo", async () => {
      const found = await c.ok(sig, "GetUserGroupInfo", { Keyword: "dat" });
      expect(found).toEqual([
        expect.objectContaining({
          UsergroupId: G.data,
          UsergroupName: "Data",
          UsergroupDesc: "data team",
          ParentUsergroupId: G.eng,
        }),
      ]);
    });
  });
});
