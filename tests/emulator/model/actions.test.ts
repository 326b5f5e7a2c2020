import { actions, ActionOutcome, formatTime } from "../../../emulator/http/responses";
import { RESULT_SCHEMAS } from "../../../emulator/http/results";
import { Organization } from "../../../emulator/model/organization";
import { expectCode, fixtureOrg, G, U, WS } from "./fixture";

/** Calls an action as the HTTP layer does (all params strings), as the organization owner. */
function call(
  org: Organization,
  action: string,
  params: Record<string, string> = {},
  caller: string | undefined = U.owner,
): unknown {
  const handler = actions[action];
  if (!handler) throw new Error(`no action ${action}`);
  return handler(org, params, caller === undefined ? {} : { callerUserId: caller });
}

describe("action table: parameter parsing", () => {
  test("every action of the result-schema catalogue is in the table, and nothing else", () => {
    expect(Object.keys(actions).sort()).toEqual(Object.keys(RESULT_SCHEMAS).sort());
  });

  test("missing or empty required params -> System.Param.Empty naming the param", () => {
    const org = fixtureOrg();
    expectCode(
      () => call(org, "QueryUserInfoByUserId"),
      "System.Param.Empty",
      400,
      "You must specify the UserId parameter.",
    );
    expectCode(
      () => call(org, "AddWorkspaceUsers", { WorkspaceId: WS.main, UserIds: " , ", RoleId: "30" }),
      "System.Param.Empty",
      400,
      "UserIds",
    );
    expectCode(() => call(org, "AddUser", { NickName: "N", AccountId: "9" }), "System.Param.Empty", 400, "UserType");
    expectCode(
      () => call(org, "UpdateWorkspaceUserRole", { WorkspaceId: WS.main, UserId: U.dev }),
      "System.Param.Empty",
      400,
      "RoleIds",
    );
  });

  test("malformed numbers and booleans -> Invalid.Parameter.Error naming the param", () => {
    const org = fixtureOrg();
    expectCode(
      () => call(org, "AddUserToWorkspace", { WorkspaceId: WS.main, UserId: U.dev2, RoleId: "admin" }),
      "Invalid.Parameter.Error",
      400,
      "RoleId",
    );
    expectCode(
      () => call(org, "UpdateUser", { UserId: U.dev, IsDeleted: "yes" }),
      "Invalid.Parameter.Error",
      400,
      "IsDeleted",
    );
    expectCode(
      () => call(org, "AddUser", { UserType: "1", NickName: "N", AccountId: "9", RoleIds: "111111111,x" }),
      "Invalid.Parameter.Error",
      400,
      "RoleIds",
    );
    expectCode(() => call(org, "QueryUserList", { PageNum: "0" }), "Invalid.Parameter.Error", 400, "PageNum");
    expectCode(
      () => call(org, "QueryUserList", { PageSize: "1001" }),
      "Invalid.Parameter",
      400,
      "An error occurred while verifying parameters.",
    );
  });

  test("the caller must be an org admin", () => {
    const org = fixtureOrg();
    expectCode(() => call(org, "ListOrganizationRoles", {}, U.dev), "Invalid.User.Admin");
    expectCode(() => call(org, "ListOrganizationRoles", {}, "ghost"), "User.Not.In.Organization");
    expect(call(org, "ListOrganizationRoles", {}, undefined)).toHaveLength(5);
  });

  test("empty optional params count as absent; an explicit empty role list is refused", () => {
    const org = fixtureOrg();
    expect(RESULT_SCHEMAS.QueryUserList.parse(call(org, "QueryUserList", { Keyword: "", PageNum: "" })).TotalNum).toBe(
      7,
    );
    expectCode(
      () => call(org, "UpdateUser", { UserId: U.dev, RoleIds: " , " }),
      "User.OrganizationRole.NotExist",
      400,
      "User Dev must have role",
    );
    expect(call(org, "UpdateUser", { UserId: U.dev, RoleIds: "" })).toBe(true);
  });

  test("RoleIds wins over RoleId; booleans are case-insensitive", () => {
    const org = fixtureOrg();
    call(org, "UpdateWorkspaceUserRole", { WorkspaceId: WS.main, UserId: U.dev, RoleId: "30", RoleIds: "25,26" });
    expect(org.getMembership(WS.main, U.dev).roleIds).toEqual([25, 26]);
    call(org, "UpdateUser", { UserId: U.dev, AdminUser: "TRUE" });
    expect(org.getUser(U.dev).roleIds).toContain(111111111);
  });
});

describe("action table: result shapes", () => {
  test("paged lists: defaults 1/10, page math", () => {
    const org = fixtureOrg();
    for (let i = 0; i < 12; i++) org.addUser({ accountId: `p${i}`, nickName: `Page${i}`, userType: 1 });
    const first = RESULT_SCHEMAS.QueryUserList.parse(call(org, "QueryUserList"));
    expect(first).toMatchObject({ PageNum: 1, PageSize: 10, TotalNum: 19, TotalPages: 2 });
    expect(first.Data).toHaveLength(10);
    const second = RESULT_SCHEMAS.QueryUserList.parse(
      call(org, "QueryUserList", { PageNum: "2", PageSize: "10", Keyword: "PAGE" }),
    );
    expect(second).toMatchObject({ PageNum: 2, TotalNum: 12, TotalPages: 2 });
    expect(second.Data.map((u) => u.NickName)).toEqual(["Page10", "Page11"]);
  });

  test("batch Success:false outcome when every user fails", () => {
    const org = fixtureOrg();
    const out = call(org, "AddWorkspaceUsers", {
      WorkspaceId: WS.main,
      UserIds: `${U.dev},${U.owner}`,
      RoleId: "30",
    }) as ActionOutcome;
    expect(out.success).toBe(false);
    expect(RESULT_SCHEMAS.AddWorkspaceUsers.parse(out.result)).toMatchObject({ Total: 2, Success: 0, Failure: 2 });
  });

  test("user info, workspace list and group spellings per operation", () => {
    const org = fixtureOrg();
    expect(RESULT_SCHEMAS.QueryUserInfoByUserId.parse(call(org, "QueryUserInfoByUserId", { UserId: U.perm }))).toEqual({
      UserId: U.perm,
      AccountId: "1002",
      AccountName: "perm",
      NickName: "Perm Admin",
      UserType: 1,
      AdminUser: false,
      AuthAdminUser: true,
      RoleIdList: [111111112],
      CopilotModules: [],
    });
    const ws = RESULT_SCHEMAS.QueryOrganizationWorkspaceList.parse(
      call(org, "QueryOrganizationWorkspaceList", { Keyword: "Main" }),
    );
    expect(ws.Data[0]).toMatchObject({
      WorkspaceId: WS.main,
      Owner: U.owner,
      OwnerAccountName: "owner",
      OrganizationId: "org-1",
      CreateTime: "2026-01-02 11:04:05",
    });
    const byUser = RESULT_SCHEMAS.ListUserGroupsByUserId.parse(
      call(org, "ListUserGroupsByUserId", { UserId: U.analyst }),
    );
    expect(byUser[0]).toMatchObject({
      UsergroupId: G.data,
      UsergroupName: "Data",
      UsergroupDesc: "data team",
      ParentUsergroupId: G.eng,
      IdentifiedPath: `${G.eng}/${G.data}`,
    });
    const byParent = RESULT_SCHEMAS.QueryUserGroupListByParentId.parse(
      call(org, "QueryUserGroupListByParentId", { ParentUserGroupId: G.eng }),
    );
    expect(byParent[0]).toMatchObject({ UserGroupId: G.data, ParentUserGroupId: G.eng });
    const roles = RESULT_SCHEMAS.ListWorkspaceUserRolesByUserId.parse(
      call(org, "ListWorkspaceUserRolesByUserId", { UserId: U.analyst }),
    );
    expect(roles.map((r) => r.RoleModel)).toEqual([
      { RoleId: "27", RoleCode: "role_workspace_analyst", RoleName: "分析者" },
      { RoleId: "601", RoleName: "Explorer" },
    ]);
  });

  test("formatTime prints China Standard Time", () => {
    expect(formatTime(Date.UTC(2021, 2, 15, 9, 13, 55))).toBe("2021-03-15 17:13:55");
  });
});
