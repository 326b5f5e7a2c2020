/** Every typed operation once through the real client, real signing and the real emulator. */
import type { RunningEmulator } from "../../../emulator";
import type { QuickBIClient } from "../../../provider/api/client";
import {
  QuickBIApiError,
  isMembershipNotFound,
  isUserGroupNotFound,
  isUserNotFound,
} from "../../../provider/api/errors";
import * as ops from "../../../provider/api/operations";
import { WORKSPACE_ROLES } from "../../../provider/api/roles";
import { clientFor, rejection, SEED, startApiEmulator } from "./helpers";

let emu: RunningEmulator;
let c: QuickBIClient;

beforeAll(async () => {
  emu = await startApiEmulator();
  c = await clientFor(emu);
});
afterAll(async () => {
  await emu.stop();
});
beforeEach(() => emu.reset());

describe("organization users", () => {
  it("addUser (RoleIds in the form body) -> queryUserInfoByUserId / ByAccount -> updateUser -> deleteUser", async () => {
    const added = await ops.addUser(c, {
      accountName: "demo-corp@aliyun.com:new.person",
      accountId: "2000000000000001",
      nickName: "New Person",
      userType: 1,
      roleIds: [111111113],
    });
    expect(added.UserId).toMatch(/^[0-9a-f]{32}$/);
    expect(added.RoleIdList).toEqual([111111113]);
    const addCall = emu.calls({ action: "AddUser" }).at(-1)!;
    expect(addCall).toBeDefined();

    const byId = await ops.queryUserInfoByUserId(c, { userId: added.UserId });
    expect(byId).toMatchObject({ UserId: added.UserId, NickName: "New Person", UserType: 1, RoleIdList: [111111113] });
    const byAccount = await ops.queryUserInfoByAccount(c, { account: "2000000000000001" });
    expect(byAccount.UserId).toBe(added.UserId);

    expect(
      await ops.updateUser(c, { userId: added.UserId, userType: 3, nickName: "Renamed", roleIds: [111111112] }),
    ).toBe(true);
    expect(await ops.queryUserInfoByUserId(c, { userId: added.UserId })).toMatchObject({
      UserType: 3,
      NickName: "Renamed",
      RoleIdList: [111111112],
    });

    expect(await ops.deleteUser(c, { userId: added.UserId })).toBe(true);
    const gone = await rejection(ops.queryUserInfoByUserId(c, { userId: added.UserId }));
    expect(isUserNotFound(gone)).toBe(true);
    expect((gone as QuickBIApiError).requestId).toMatch(/^[0-9A-F-]{36}$/);
  });

  it("queryUserList pages; listAllUsers walks every page", async () => {
    const first = await ops.queryUserList(c, { pageNum: 1, pageSize: 3 });
    expect(first.Data).toHaveLength(3);
    expect(first.TotalNum).toBe(10);
    const calls = emu.calls({ action: "QueryUserList" });
    expect(calls.at(-1)).toBeDefined();
    const all = await ops.listAllUsers(c);
    expect(all.map((u) => u.UserId)).toContain(SEED.owner);
    expect(all).toHaveLength(10);
    const pageWalk: string[] = [];
    for await (const u of ops.pages((pageNum) => ops.queryUserList(c, { pageNum, pageSize: 4 }), 4))
      pageWalk.push(u.UserId);
    expect(new Set(pageWalk).size).toBe(10);
    expect(all.find((u) => u.NickName === "Ines Inactive")?.IsDeleted).toBe(true);
  });
});

describe("workspace membership", () => {
  it("addUserToWorkspace / queryUserRoleInfoInWorkspace / updateWorkspaceUserRole / deleteUserFromWorkspace", async () => {
    const m = { workspaceId: SEED.finance, userId: SEED.diego };
    expect(isMembershipNotFound(await rejection(ops.queryUserRoleInfoInWorkspace(c, m)))).toBe(true);
    expect(await ops.addUserToWorkspace(c, { ...m, roleId: WORKSPACE_ROLES.developer })).toBe(true);
    expect((await ops.queryUserRoleInfoInWorkspace(c, m)).RoleId).toBe(26);
    expect(await ops.updateWorkspaceUserRole(c, { ...m, roleId: WORKSPACE_ROLES.viewer })).toBe(true);
    expect((await ops.queryUserRoleInfoInWorkspace(c, m)).RoleId).toBe(30);
    expect(await ops.updateWorkspaceUserRole(c, { ...m, roleIds: [27] })).toBe(true);
    expect((await ops.queryUserRoleInfoInWorkspace(c, m)).RoleId).toBe(27);
    const roles = await ops.listWorkspaceUserRolesByUserId(c, { userId: SEED.diego });
    expect(roles.find((r) => r.WorkspaceId === SEED.finance)?.RoleModel.RoleId).toBe(27);
    expect(await ops.deleteUserFromWorkspace(c, m)).toBe(true);
    expect(isMembershipNotFound(await rejection(ops.queryUserRoleInfoInWorkspace(c, m)))).toBe(true);
  });

  it("business errors carry Code, RequestId, status and are not retried", async () => {
    const e = (await rejection(
      ops.addUserToWorkspace(c, { workspaceId: SEED.sales, userId: SEED.victor, roleId: 30 }),
    )) as QuickBIApiError;
    expect(e).toBeInstanceOf(QuickBIApiError);
    expect(e.code).toBe("Viewer.AddInTo.Workspace");
    expect(e.action).toBe("AddUserToWorkspace");
    expect(e.requestId).toBeTruthy();
    expect(e.httpStatus).toBeGreaterThanOrEqual(400);
    expect(e.retryable).toBe(false);
    expect(e.attempts).toBe(1);
    expect(e.message).toMatch(
      /^QuickBI AddUserToWorkspace failed: Viewer\.AddInTo\.Workspace: .+ \(RequestId [0-9A-F-]+\)$/,
    );
    const ws = (await rejection(
      ops.queryWorkspaceUserList(c, { workspaceId: "00000000-0000-4000-8000-000000000000" }),
    )) as QuickBIApiError;
    expect(ws.code).toBe("Workspace.Not.Exist");
  });

  it("addWorkspaceUsers / updateWorkspaceUsersRole parse partial failures; a whole-batch Success:false is a result", async () => {
    const added = await ops.addWorkspaceUsers(c, {
      workspaceId: SEED.finance,
      userIds: [SEED.diego, SEED.dana],
      roleId: 27,
    });
    expect(added).toMatchObject({ total: 2, success: 1, failure: 1, requestSucceeded: true });
    expect(Object.values(added.failureDetail)[0]).toMatch(/^AE0150010001/);
    const updated = await ops.updateWorkspaceUsersRole(c, {
      workspaceId: SEED.finance,
      userIds: [SEED.diego, SEED.fatima],
      roleId: 30,
    });
    expect(updated).toMatchObject({ total: 2, success: 1, failure: 1, requestSucceeded: true });
    const members = await ops.listAllWorkspaceUsers(c, { workspaceId: SEED.finance });
    expect(members.find((m) => m.UserId === SEED.diego)?.Role?.RoleId).toBe(30);
    expect(members.find((m) => m.UserId === SEED.fatima)).toBeUndefined();
    // Every user failing: Quick BI answers Success:false with a Result; that is a result, not an exception.
    const none = await ops.addWorkspaceUsers(c, {
      workspaceId: SEED.finance,
      userIds: [SEED.diego, SEED.dana],
      roleId: 27,
    });
    expect(none).toMatchObject({ total: 2, success: 0, failure: 2, requestSucceeded: false });
    expect(none.requestId).toBeTruthy();
    const page = await ops.queryWorkspaceUserList(c, { workspaceId: SEED.finance, pageNum: 1, pageSize: 1 });
    expect(page.Data).toHaveLength(1);
    expect(page.TotalNum).toBe(members.length);
  });

  it("workspaces: queryOrganizationWorkspaceList / listAllOrganizationWorkspaces / createWorkspace / listWorkspaceRoles", async () => {
    const before = await ops.listAllOrganizationWorkspaces(c);
    expect(before.map((w) => w.WorkspaceName).sort()).toEqual(["Data Platform Sandbox", "Finance", "Sales Analytics"]);
    const id = await ops.createWorkspace(c, { workspaceName: "Marketing", workspaceDescription: "campaigns" });
    const found = await ops.queryOrganizationWorkspaceList(c, { keyword: "Market" });
    expect(found.Data.map((w) => w.WorkspaceId)).toEqual([id]);
    const roles = await ops.listWorkspaceRoles(c, { workspaceId: SEED.sales });
    expect(roles.map((r) => r.RoleId)).toEqual(expect.arrayContaining([25, 26, 27, 30]));
    const orgRoles = await ops.listOrganizationRoles(c);
    expect(orgRoles.map((r) => r.RoleId)).toEqual(expect.arrayContaining([111111111, 111111112, 111111113]));
  });
});

describe("user groups", () => {
  it("create / update / list / members / delete", async () => {
    const gid = await ops.createUserGroup(c, {
      userGroupName: "Analysts",
      parentUserGroupId: "-1",
      userGroupDescription: "d",
    });
    expect(gid).toBeTruthy();
    const custom = await ops.createUserGroup(c, {
      userGroupName: "Child",
      parentUserGroupId: gid,
      userGroupId: "my-child-id",
    });
    expect(custom).toBe("my-child-id");
    expect(await ops.updateUserGroup(c, { userGroupId: gid, userGroupName: "Analysts EU" })).toBe(true);

    const roots = await ops.queryUserGroupListByParentId(c, { parentUserGroupId: "-1" });
    expect(roots.find((g) => g.UserGroupId === gid)?.UserGroupName).toBe("Analysts EU");
    const info = await ops.getUserGroupInfo(c, { keyword: "Analysts" });
    expect(info.map((g) => g.UsergroupId)).toContain(gid);
    const byId = await ops.listByUserGroupId(c, { userGroupIds: [gid, "missing-group"] });
    expect(byId.UserGroupModels.map((g) => g.UsergroupId)).toEqual([gid]);
    expect(byId.FailedUserGroupIds).toEqual(["missing-group"]);

    expect(await ops.addUserGroupMember(c, { userGroupId: gid, userIds: [SEED.anna, SEED.arjun] })).toBe(true);
    expect(await ops.addUserGroupMembers(c, { userId: SEED.dana, userGroupIds: [gid, SEED.business] })).toBe(true);
    const members = await ops.queryUserGroupMember(c, { userGroupId: gid });
    expect(
      members
        .filter((m) => !m.IsUserGroup)
        .map((m) => m.Id)
        .sort(),
    ).toEqual([SEED.anna, SEED.arjun, SEED.dana].sort());
    expect(members.find((m) => m.IsUserGroup)?.Id).toBe("my-child-id");
    const danaGroups = await ops.listUserGroupsByUserId(c, { userId: SEED.dana });
    expect(danaGroups.map((g) => g.UsergroupId)).toEqual(
      expect.arrayContaining([gid, SEED.business, SEED.engineering]),
    );

    expect(await ops.deleteUserGroupMember(c, { userGroupId: gid, userId: SEED.anna })).toBe(true);
    expect(await ops.deleteUserGroupMembers(c, { userId: SEED.dana, userGroupIds: [gid, SEED.business] })).toBe(true);
    const after = await ops.queryUserGroupMember(c, { userGroupId: gid });
    expect(after.filter((m) => !m.IsUserGroup).map((m) => m.Id)).toEqual([SEED.arjun]);

    const withChild = (await rejection(ops.deleteUserGroup(c, { userGroupId: gid }))) as QuickBIApiError;
    expect(withChild.code).toBe("UserGroup.Remove.WithChildren");
    expect(await ops.deleteUserGroup(c, { userGroupId: "my-child-id" })).toBe(true);
    expect(await ops.deleteUserGroup(c, { userGroupId: gid })).toBe(true);
    expect(isUserGroupNotFound(await rejection(ops.queryUserGroupMember(c, { userGroupId: gid })))).toBe(true);
  });
});

describe("client metrics", () => {
  it("count calls and attempts per action", async () => {
    c.metrics.reset();
    await ops.listOrganizationRoles(c);
    await ops.listOrganizationRoles(c);
    expect(c.metrics.snapshot().byAction.ListOrganizationRoles).toMatchObject({
      calls: 2,
      attempts: 2,
      retries: 0,
      errors: 0,
    });
  });
});
