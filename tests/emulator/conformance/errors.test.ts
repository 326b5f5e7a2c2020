import { ERROR_MESSAGES } from "../../../emulator/model/codes";
import { Conformance, conformanceSeed, DEV_KEY } from "./setup";
import { G, ROLE, U, WS } from "../model/fixture";
import type { WireValue } from "../helpers";

const c = new Conformance();
c.install();

interface Case {
  code: string;
  status?: number;
  action: string;
  query: Record<string, WireValue>;
  body?: Record<string, WireValue>;
  method?: "GET" | "POST";
  /** Exact message expected (default: the catalogue message when it has no placeholder). */
  message?: string | RegExp;
  setup?: () => Promise<void>;
  /** Call as a plain developer instead of the owner. */
  asDeveloper?: boolean;
}

const ids = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(",");

const withSeed = (patch: (s: ReturnType<typeof conformanceSeed>) => void) => async () => {
  const s = conformanceSeed();
  patch(s);
  c.emu.reset(s);
};

const cases: Case[] = [
  // parameters
  {
    code: "System.Param.Empty",
    action: "QueryUserInfoByUserId",
    query: {},
    message: "You must specify the UserId parameter.",
  },
  {
    code: "System.Param.Empty",
    action: "AddUser",
    query: { NickName: "N", UserType: 1 },
    message: "You must specify the AccountId parameter.",
  },
  {
    code: "Invalid.Parameter.Error",
    action: "AddUserToWorkspace",
    query: { WorkspaceId: WS.main, UserId: U.dev2, RoleId: "admin" },
    message: "The parameter is invalid:RoleId.",
  },
  {
    code: "Invalid.Parameter.Error",
    action: "AddUser",
    query: { AccountId: "9", NickName: "bad<nick>", UserType: 1 },
    message: "The parameter is invalid:NickName.",
  },
  { code: "Invalid.Parameter", action: "QueryUserList", method: "GET", query: { PageSize: 1001 } },
  // caller
  { code: "Invalid.User.Admin", action: "QueryUserList", method: "GET", query: {}, asDeveloper: true },
  // users
  { code: "User.Not.In.Organization", action: "QueryUserInfoByUserId", query: { UserId: "ghost" } },
  { code: "User.Not.In.Organization", action: "DeleteUser", query: { UserId: "ghost" } },
  {
    code: "AE0579100001",
    action: "QueryUserInfoByAccount",
    query: { Account: "dev" },
    message: "Duplicate users found with account name: dev.",
  },
  {
    code: "User.AlreadyIn.Organization",
    action: "AddUser",
    query: { AccountId: "1003", NickName: "Fresh", UserType: 1 },
  },
  {
    code: "NickName.AlreadyIn.Organization",
    action: "AddUser",
    query: { AccountId: "9", NickName: "Dev", UserType: 1 },
  },
  {
    code: "RoleCount.ExceedsLimit.Error",
    action: "AddUser",
    query: { AccountId: "9", NickName: "N", UserType: 1 },
    body: { RoleIds: `111111111,111111112,111111113,${ROLE.orgAuditor}` },
  },
  {
    code: "BindRole.NotExist.Error",
    action: "AddUser",
    query: { AccountId: "9", NickName: "N", UserType: 1 },
    body: { RoleIds: "777" },
    message: "Bind role not exist, 777.",
  },
  {
    code: "Viewer.CannotHave.CustomRole",
    action: "AddUser",
    query: { AccountId: "9", NickName: "N", UserType: 2 },
    body: { RoleIds: String(ROLE.orgReader) },
  },
  {
    code: "UserAnalyst.NotSupport.ThisRole",
    action: "UpdateUser",
    query: { UserId: U.analyst, RoleIds: String(ROLE.orgAuditor) },
  },
  {
    code: "OrgAdminOrPermissionAdmin.CannotChangeTo.Viewer",
    action: "UpdateUser",
    query: { UserId: U.perm, UserType: 2 },
  },
  { code: "ChangeTo.Viewer.Error", action: "UpdateUser", query: { UserId: U.dev, UserType: 2 } },
  { code: "Fobbiden.Action", action: "UpdateUser", query: { UserId: U.owner, RoleIds: "111111113" } },
  { code: "CannotRemove.OrganizationOwner", action: "DeleteUser", query: { UserId: U.owner } },
  {
    code: "User.OrganizationRole.NotExist",
    action: "UpdateUser",
    query: { UserId: U.dev, RoleIds: "," },
    message: "User Dev must have role in organization.",
  },
  { code: "Cannot.TransferTo.Owner", action: "DeleteUser", query: { UserId: U.dev, TransferUserId: U.dev } },
  { code: "Transfer.TargetUser.NotExist", action: "DeleteUser", query: { UserId: U.dev, TransferUserId: "ghost" } },
  { code: "Works.Transfer.Error", action: "DeleteUser", query: { UserId: U.dev, TransferUserId: U.analyst } },
  {
    code: "OrganizationDeveloper.CanNotChangeTo.AnalystOrViewer",
    action: "UpdateUser",
    query: { UserId: U.dev2, UserType: 3 },
    setup: withSeed((s) => (s.organization = { ...s.organization, lockDeveloperType: true })),
  },
  {
    code: "Organization.Developers.ReachedTheUpperLimit",
    action: "AddUser",
    query: { AccountId: "9", NickName: "N", UserType: 1 },
    message: "The developers of the organization have reached the upper limit:4",
    setup: withSeed((s) => (s.organization = { ...s.organization, limits: { developers: 4 } })),
  },
  {
    code: "Organization.Viewers.ReachedTheUpperLimit",
    action: "AddUser",
    query: { AccountId: "9", NickName: "N", UserType: 2 },
    message: "The visitors of the organization have reached the upper limit:1.",
    setup: withSeed((s) => (s.organization = { ...s.organization, limits: { viewers: 1 } })),
  },
  {
    code: "Organization.Analysts.ReachedTheUpperLimit",
    action: "UpdateUser",
    query: { UserId: U.viewer, UserType: 3 },
    setup: withSeed((s) => (s.organization = { ...s.organization, limits: { analysts: 1 } })),
  },
  {
    code: "Instance.Over.MaxLicense",
    action: "AddUser",
    query: { AccountId: "9", NickName: "N", UserType: 3 },
    setup: withSeed((s) => (s.organization = { ...s.organization, limits: { users: 6 } })),
  },
  // workspaces
  {
    code: "Workspace.Not.Exist",
    action: "AddUserToWorkspace",
    query: { WorkspaceId: "nope", UserId: U.dev2, RoleId: 30 },
  },
  {
    code: "Workspace.Not.Exist",
    status: 500,
    action: "AddWorkspaceUsers",
    query: { WorkspaceId: "nope", UserIds: U.dev2, RoleId: 30 },
  },
  {
    code: "User.RoleType.Valid",
    action: "AddUserToWorkspace",
    query: { WorkspaceId: WS.main, UserId: U.dev2, RoleId: 99 },
  },
  {
    code: "User.RoleType.Valid",
    action: "AddWorkspaceUsers",
    query: { WorkspaceId: WS.main, UserIds: U.dev2, RoleId: ROLE.wsPublisher },
  },
  {
    code: "User.RoleType.Valid",
    action: "UpdateWorkspaceUsersRole",
    query: { WorkspaceId: WS.main, UserIds: U.dev, RoleId: 24 },
  },
  {
    code: "Parameter.Length.Exceed",
    action: "AddWorkspaceUsers",
    query: { WorkspaceId: WS.main, UserIds: ids(1001, "u"), RoleId: 30 },
    message: "Parameter length exceeds maximum limit: [UserIds].",
  },
  {
    code: "System.Param.Empty",
    action: "UpdateWorkspaceUsersRole",
    query: { WorkspaceId: WS.main, UserIds: ",", RoleId: 30 },
  },
  {
    code: "User.AlreadyIn.Workspace",
    action: "AddUserToWorkspace",
    query: { WorkspaceId: WS.main, UserId: U.dev, RoleId: 30 },
  },
  {
    code: "Viewer.AddInTo.Workspace",
    action: "AddUserToWorkspace",
    query: { WorkspaceId: WS.main, UserId: U.viewer, RoleId: 30 },
    message: "Organization members with viewer type are not allowed to add to workspace: Viewer.",
  },
  {
    code: "Viewer.CannotHave.CustomRole",
    action: "AddUserToWorkspace",
    query: { WorkspaceId: WS.main, UserId: U.viewer, RoleId: ROLE.wsExplorer },
  },
  {
    code: "AnalystUser.NotSupport.AdminOrDevRole",
    action: "AddUserToWorkspace",
    query: { WorkspaceId: WS.other, UserId: U.analyst, RoleId: 26 },
  },
  {
    code: "UserAnalyst.NotSupport.ThisRole",
    action: "AddUserToWorkspace",
    query: { WorkspaceId: WS.other, UserId: U.analyst, RoleId: ROLE.wsPublisher },
  },
  {
    code: "User.NotIn.Workspace",
    action: "QueryUserRoleInfoInWorkspace",
    query: { WorkspaceId: WS.main, UserId: U.dev2 },
  },
  {
    code: "User.NotIn.Workspace",
    action: "UpdateWorkspaceUserRole",
    query: { WorkspaceId: WS.main, UserId: U.dev2, RoleId: 30 },
  },
  { code: "User.NotIn.Workspace", action: "DeleteUserFromWorkspace", query: { WorkspaceId: WS.main, UserId: U.dev2 } },
  {
    code: "Remove.AdminRoleOf.WorkspaceOwner",
    action: "UpdateWorkspaceUserRole",
    query: { WorkspaceId: WS.main, UserId: U.owner, RoleIds: "26" },
  },
  {
    code: "CanNot.Remove.WorkspaceOwner",
    action: "DeleteUserFromWorkspace",
    query: { WorkspaceId: WS.other, UserId: U.dev2 },
  },
  { code: "CanNot.Remove.WorkspaceOwner", action: "DeleteUser", query: { UserId: U.dev2 } },
  {
    code: "User.PresetWorkspaceRole.NotExist",
    action: "QueryUserRoleInfoInWorkspace",
    query: { WorkspaceId: WS.main, UserId: U.dev },
    setup: async () => {
      await c.ok("v3", "UpdateWorkspaceUserRole", {
        WorkspaceId: WS.main,
        UserId: U.dev,
        RoleIds: String(ROLE.wsPublisher),
      });
    },
  },
  {
    code: "Duplicate.WorkSpaceName.Error",
    action: "CreateWorkspace",
    query: { WorkspaceName: "Main" },
    message: /Main/,
  },
  {
    code: "CreateWorkspace.Exceeds.Limits",
    action: "CreateWorkspace",
    query: { WorkspaceName: "Third" },
    message: "The number of create workspace exceeds the maximum number limit:2.",
    setup: withSeed((s) => (s.organization = { ...s.organization, limits: { workspaces: 2 } })),
  },
  // roles
  { code: "Invalid.Workspace", action: "ListWorkspaceRoles", query: { WorkspaceId: "nope" } },
  {
    code: "User.Role.NotExist",
    action: "QueryWorkspaceRoleConfig",
    query: { RoleId: 1 },
    message: "User role not exist: 1.",
  },
  { code: "User.Role.NotExist", action: "ListOrganizationRoleUsers", query: { RoleId: 2 } },
  // user groups
  { code: "Usergroup.Not.Exist", action: "QueryUserGroupMember", query: { UserGroupId: "nope" } },
  { code: "Usergroup.Not.Exist", action: "AddUserGroupMember", query: { UserGroupId: "nope", UserIdList: U.dev } },
  {
    code: "UserGroup.Parent.NotFound",
    action: "CreateUserGroup",
    query: { UserGroupName: "X", ParentUserGroupId: "nope" },
  },
  {
    code: "Duplicate.UserGroup.Id",
    action: "CreateUserGroup",
    query: { UserGroupName: "X", ParentUserGroupId: "-1", UserGroupId: G.eng },
    message: `Duplicated usergroupId ${G.eng}.`,
  },
  {
    code: "Duplicate.UserGroupName.Error",
    action: "CreateUserGroup",
    query: { UserGroupName: "Engineering", ParentUserGroupId: "-1" },
    message: /same name Engineering/,
  },
  { code: "UserGroup.Remove.WithChildren", action: "DeleteUserGroup", query: { UserGroupId: G.eng } },
  { code: "UserGroup.Remove.RootNode", action: "DeleteUserGroup", query: { UserGroupId: "-1" } },
  {
    code: "UserGroup.Layer.Limited",
    action: "CreateUserGroup",
    query: { UserGroupName: "L11", ParentUserGroupId: "l10" },
    setup: async () => {
      let parent: string = G.data;
      for (let i = 3; i <= 10; i++) {
        parent = await c.ok("v3", "CreateUserGroup", {
          UserGroupName: `L${i}`,
          ParentUserGroupId: parent,
          UserGroupId: `l${i}`,
        });
      }
    },
  },
  { code: "Invalid.User", action: "AddUserGroupMember", query: { UserGroupId: G.eng, UserIdList: `${U.dev2},ghost` } },
  { code: "Invalid.User", action: "AddUserGroupMembers", query: { UserId: "ghost", UserGroupIds: G.eng } },
  {
    code: "Parameter.Length.Exceed",
    action: "AddUserGroupMember",
    query: { UserGroupId: G.eng, UserIdList: ids(1001, "u") },
    message: "Parameter length exceeds maximum limit: [UserIdList].",
  },
  {
    code: "Invalid.Parameter",
    action: "AddUserGroupMembers",
    query: { UserId: U.dev, UserGroupIds: ids(1001, "g") },
    message: "The length of the parameter must not exceed 1000.",
  },
  {
    code: "Usergroup.NotBelongTo.CurrentOrganization",
    action: "DeleteUserGroupMembers",
    query: { UserId: U.dev, UserGroupIds: `${G.eng},nope` },
    message: "The usergroup nope does not belong to the current organization.",
  },
  {
    code: "User.Not.In.Organization",
    action: "DeleteUserGroupMembers",
    query: { UserId: "ghost", UserGroupIds: G.eng },
  },
  {
    code: "Usergroup.Not.Exist",
    action: "AddUserGroupMembers",
    query: { UserId: U.dev2, UserGroupIds: `${G.eng},nope` },
  },
  {
    code: "Invalid.Parameter",
    action: "DeleteUserGroupMembers",
    query: { UserId: U.dev, UserGroupIds: Array(1001).fill(G.eng).join(",") },
    message: "The length of the parameter must not exceed 1000.",
  },
  // codes modeled for issue 13: each where a request can reach it
  {
    code: "System.Param.Empty",
    action: "AddUser",
    query: { AccountName: "corp@aliyun.com:newbie", NickName: "N", UserType: 1 },
    message: "You must specify the AccountId parameter.",
  },
  {
    code: "RoleCount.ExceedsLimit.Error",
    action: "AddUser",
    query: { AccountId: "9", NickName: "N", UserType: 1 },
    body: { RoleIds: "111111113,111111113,111111113,111111113" },
  },
  {
    code: "Parameter.Length.Exceed",
    action: "AddUserGroupMember",
    query: { UserGroupId: G.eng, UserIdList: Array(1001).fill(U.dev2).join(",") },
    message: "Parameter length exceeds maximum limit: [UserIdList].",
  },
  {
    code: "User.AlreadyIn.Role",
    action: "AddUserToWorkspace",
    query: { WorkspaceId: WS.main, UserId: U.dev, RoleId: 26 },
    message: "The user is already assigned this role.",
  },
  {
    code: "DirtyData.Duplicate.User",
    action: "AddUser",
    query: { AccountId: "1003", NickName: "Fresh", UserType: 1 },
    message: "Dirty data,duplicate user: 1003.",
    setup: withSeed((s) =>
      s.users!.push({
        userId: "00000000000000000000000000000099",
        accountId: "1003",
        nickName: "Dev Copy",
        userType: 1,
      }),
    ),
  },
  {
    code: "Workspace.Type.Error",
    action: "AddUserToWorkspace",
    query: { WorkspaceId: "personal-1", UserId: U.dev2, RoleId: 30 },
    setup: withSeed((s) =>
      s.workspaces!.push({ workspaceId: "personal-1", workspaceName: "Mine", ownerUserId: U.dev, personal: true }),
    ),
  },
  {
    code: "Workspace.Type.Error",
    action: "UpdateWorkspaceUsersRole",
    query: { WorkspaceId: "personal-1", UserIds: U.dev, RoleId: 26 },
    setup: withSeed((s) =>
      s.workspaces!.push({ workspaceId: "personal-1", workspaceName: "Mine", ownerUserId: U.dev, personal: true }),
    ),
  },
  {
    code: "Member.ExistInWorkspace.Error",
    action: "DeleteUser",
    query: { UserId: U.analyst },
    setup: withSeed((s) => (s.organization = { ...s.organization, deleteRequiresLeavingWorkspaces: true })),
  },
  {
    code: "UserGroup.Already.Synchronized",
    action: "AddUserGroupMembers",
    query: { UserId: U.dev2, UserGroupIds: G.eng },
    setup: withSeed((s) => (s.organization = { ...s.organization, userGroupsSynchronized: true })),
  },
  {
    code: "RootUserGroup.Create.Error",
    action: "CreateUserGroup",
    query: { UserGroupName: "Top", ParentUserGroupId: "-1" },
    message: /^organization org-1 has synchronized/,
    setup: withSeed((s) => (s.organization = { ...s.organization, userGroupsSynchronized: true })),
  },
];

describe("documented error codes through @alicloud/openapi-client", () => {
  test.each(cases.map((k, i) => [k.code, k.action, i % 2 === 0 ? "v3" : "v2", k] as const))(
    "%s from %s (%s)",
    async (_code, _action, sig, k) => {
      if (k.setup) await k.setup();
      const before = c.emu.state();
      const client = k.asDeveloper
        ? c.emu.client({ accessKeyId: DEV_KEY.accessKeyId, accessKeySecret: DEV_KEY.accessKeySecret, signature: sig })
        : undefined;
      const err = await c.fails(sig, k.action, k.query, { method: k.method, body: k.body }, client);
      expect(err.code).toBe(k.code);
      expect(err.statusCode).toBe(k.status ?? 400);
      expect(err.data.Code).toBe(k.code);
      expect(err.data.RequestId).toMatch(/^[0-9A-F-]{36}$/);
      const catalogue = (ERROR_MESSAGES as Record<string, string>)[k.code];
      const expected = k.message ?? (catalogue && !catalogue.includes("%s") ? catalogue : undefined);
      if (typeof expected === "string") expect(err.data.Message).toBe(expected);
      else if (expected) expect(err.data.Message).toMatch(expected);
      // a refused request changes nothing
      expect(c.emu.state()).toEqual(before);
    },
  );
});

describe("names that do not exist in 2022-01-01", () => {
  test.each(["AddUsersToWorkspace", "DeleteUsersFromWorkspace", "QueryUserGroupList", "QueryWorkspaceList"])(
    "%s -> InvalidAction.NotFound",
    async (action) => {
      const err = await c.fails("v3", action, { WorkspaceId: WS.main });
      expect(err.code).toBe("InvalidAction.NotFound");
      expect(err.statusCode).toBe(404);
    },
  );
});
