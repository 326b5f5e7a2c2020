import { expectCode, fixtureOrg, fixtureSeed, ROLE, U, WS, G } from "./fixture";
import { Organization } from "../../../emulator/model/organization";

describe("AddUser rules", () => {
  test("creates a user with a 32-hex id, regular role by default, and reports RAM account names by their sub part", () => {
    const org = fixtureOrg();
    const u = org.addUser({
      accountId: "2001",
      accountName: "corp@aliyun.com:newbie",
      nickName: "Newbie",
      userType: 1,
    });
    expect(u.userId).toMatch(/^[0-9a-f]{32}$/);
    expect(u.roleIds).toEqual([111111113]);
    expect(org.findUserByAccount("newbie").userId).toBe(u.userId);
  });

  test("deprecated AdminUser/AuthAdminUser map to roles 111111111/111111112; RoleIds wins over them", () => {
    const org = fixtureOrg();
    expect(
      org
        .addUser({ accountId: "a1", nickName: "A1", userType: 1, adminUser: true, authAdminUser: true })
        .roleIds.sort(),
    ).toEqual([111111111, 111111112]);
    expect(
      org.addUser({ accountId: "a2", nickName: "A2", userType: 1, adminUser: true, roleIds: [111111113] }).roleIds,
    ).toEqual([111111113]);
  });

  test("missing account identifier -> System.Param.Empty", () => {
    expectCode(
      () => fixtureOrg().addUser({ nickName: "X", userType: 1 }),
      "System.Param.Empty",
      400,
      "You must specify the AccountId parameter.",
    );
  });

  test("AccountId is required (versions after 2024-12-31): AccountName alone is refused naming AccountId", () => {
    const org = fixtureOrg();
    expectCode(
      () => org.addUser({ accountName: "corp@aliyun.com:newbie", nickName: "Newbie", userType: 1 }),
      "System.Param.Empty",
      400,
      "You must specify the AccountId parameter.",
    );
    expect(org.listUsers("Newbie")).toEqual([]);
  });

  test("rule legacyAccountName (quirk legacy-accountname): AccountName alone is accepted, neither is still refused", () => {
    const org = Organization.fromSeed(fixtureSeed(), { rules: { legacyAccountName: true } });
    const u = org.addUser({ accountName: "corp@aliyun.com:newbie", nickName: "Newbie", userType: 1 });
    expect(u.accountId).toBeUndefined();
    expect(org.findUserByAccount("newbie").userId).toBe(u.userId);
    expectCode(() => org.addUser({ nickName: "X", userType: 1 }), "System.Param.Empty", 400, "AccountId");
  });

  test("an account the organization holds twice (dirty seed data) -> DirtyData.Duplicate.User", () => {
    const seed = fixtureSeed();
    seed.users!.push({
      userId: "00000000000000000000000000000099",
      accountId: "1003",
      nickName: "Dev Copy",
      userType: 1,
    });
    const org = Organization.fromSeed(seed);
    expectCode(
      () => org.addUser({ accountId: "1003", nickName: "Fresh", userType: 1 }),
      "DirtyData.Duplicate.User",
      400,
      "Dirty data,duplicate user: 1003.",
    );
    expectCode(() => org.addUser({ accountId: "1005", nickName: "Fresh", userType: 1 }), "User.AlreadyIn.Organization");
  });

  test("nickname longer than 50 chars or with forbidden characters -> Invalid.Parameter.Error", () => {
    const org = fixtureOrg();
    expectCode(
      () => org.addUser({ accountId: "x", nickName: "a".repeat(51), userType: 1 }),
      "Invalid.Parameter.Error",
      400,
      "NickName",
    );
    expectCode(() => org.addUser({ accountId: "x", nickName: "bad<name>", userType: 1 }), "Invalid.Parameter.Error");
    // 50 CJK characters are fine, as are the documented specials and space.
    expect(org.addUser({ accountId: "y", nickName: "张".repeat(50), userType: 1 }).nickName).toHaveLength(50);
    expect(org.addUser({ accountId: "z", nickName: "Xiao Zhang_(ops)[1]|a/b\\c", userType: 1 }).userId).toBeTruthy();
  });

  test("invalid user type -> Invalid.Parameter.Error", () => {
    expectCode(
      () => fixtureOrg().addUser({ accountId: "x", nickName: "X", userType: 4 }),
      "Invalid.Parameter.Error",
      400,
      "UserType",
    );
  });

  test("duplicate account (id or name) -> User.AlreadyIn.Organization; duplicate nickname -> NickName.AlreadyIn.Organization", () => {
    const org = fixtureOrg();
    expectCode(() => org.addUser({ accountId: "1003", nickName: "Fresh", userType: 1 }), "User.AlreadyIn.Organization");
    expectCode(
      () => org.addUser({ accountId: "8888", accountName: "corp@aliyun.com:dev", nickName: "Fresh", userType: 1 }),
      "User.AlreadyIn.Organization",
    );
    expectCode(
      () => org.addUser({ accountId: "9999", nickName: "Dev", userType: 1 }),
      "NickName.AlreadyIn.Organization",
      400,
      "The alias already exists.",
    );
  });

  test("org roles: at most three, must exist, at least one", () => {
    const org = fixtureOrg();
    expectCode(
      () =>
        org.addUser({
          accountId: "x",
          nickName: "X",
          userType: 1,
          roleIds: [111111111, 111111112, 111111113, ROLE.orgAuditor],
        }),
      "RoleCount.ExceedsLimit.Error",
      400,
      "The user role cannot exceed three.",
    );
    expectCode(
      () => org.addUser({ accountId: "x", nickName: "X", userType: 1, roleIds: [777] }),
      "BindRole.NotExist.Error",
      400,
      "Bind role not exist, 777.",
    );
    expectCode(
      () => org.addUser({ accountId: "x", nickName: "X", userType: 1, roleIds: [] }),
      "User.OrganizationRole.NotExist",
      400,
      "User X must have role",
    );
    expect(
      org.addUser({
        accountId: "x",
        nickName: "X",
        userType: 1,
        roleIds: [111111111, ROLE.orgAuditor, ROLE.orgAuditor],
      }).roleIds,
    ).toEqual([111111111, ROLE.orgAuditor]);
    // "at most 3" counts the list as sent: duplicates count.
    expectCode(
      () =>
        org.addUser({
          accountId: "w",
          nickName: "W",
          userType: 1,
          roleIds: [111111113, 111111113, 111111113, 111111113],
        }),
      "RoleCount.ExceedsLimit.Error",
    );
    expectCode(
      () => org.updateUser(U.dev, { roleIds: [111111113, 111111113, 111111112, 111111112] }),
      "RoleCount.ExceedsLimit.Error",
    );
  });

  test("viewers cannot have custom org roles nor admin roles; analysts only analyst-allowed custom roles", () => {
    const org = fixtureOrg();
    expectCode(
      () => org.addUser({ accountId: "v", nickName: "V", userType: 2, roleIds: [ROLE.orgReader] }),
      "Viewer.CannotHave.CustomRole",
    );
    expectCode(
      () => org.addUser({ accountId: "v", nickName: "V", userType: 2, roleIds: [111111112] }),
      "OrgAdminOrPermissionAdmin.CannotChangeTo.Viewer",
    );
    expectCode(
      () => org.addUser({ accountId: "a", nickName: "A", userType: 3, roleIds: [ROLE.orgAuditor] }),
      "UserAnalyst.NotSupport.ThisRole",
    );
    expect(org.addUser({ accountId: "a", nickName: "A", userType: 3, roleIds: [ROLE.orgReader] }).roleIds).toEqual([
      ROLE.orgReader,
    ]);
  });

  test("seat limits per type and licence; inactive users take no seat", () => {
    const seed = fixtureSeed();
    seed.organization = { ...seed.organization, limits: { developers: 4, viewers: 1, analysts: 2, users: 8 } };
    const org = Organization.fromSeed(seed);
    // developers: owner, perm, dev, dev2 active (inactive one does not count) = 4
    expectCode(
      () => org.addUser({ accountId: "d", nickName: "D", userType: 1 }),
      "Organization.Developers.ReachedTheUpperLimit",
      400,
      "upper limit:4",
    );
    expectCode(
      () => org.addUser({ accountId: "v", nickName: "V", userType: 2 }),
      "Organization.Viewers.ReachedTheUpperLimit",
      400,
      "upper limit:1.",
    );
    org.addUser({ accountId: "a", nickName: "A", userType: 3 });
    expectCode(
      () => org.addUser({ accountId: "b", nickName: "B", userType: 3 }),
      "Organization.Analysts.ReachedTheUpperLimit",
    );
    // reactivating the inactive developer would exceed the developer limit
    expectCode(() => org.updateUser(U.inactive, { isDeleted: false }), "Organization.Developers.ReachedTheUpperLimit");
    const licence = Organization.fromSeed({
      ...fixtureSeed(),
      organization: { ownerUserId: U.owner, limits: { users: 6 } },
    });
    expectCode(() => licence.addUser({ accountId: "x", nickName: "X", userType: 1 }), "Instance.Over.MaxLicense");
    expectCode(() => licence.updateUser(U.inactive, { isDeleted: false }), "Instance.Over.MaxLicense");
    licence.updateUser(U.perm, { userType: 3 }); // a type change takes no new licence
  });
});

describe("UpdateUser rules", () => {
  test("unknown user -> User.Not.In.Organization", () => {
    expectCode(() => fixtureOrg().updateUser("nope", { nickName: "Z" }), "User.Not.In.Organization");
  });

  test("nickname uniqueness excludes the user itself", () => {
    const org = fixtureOrg();
    org.updateUser(U.dev, { nickName: "Dev" });
    expectCode(() => org.updateUser(U.dev, { nickName: "Owner" }), "NickName.AlreadyIn.Organization");
    expectCode(() => org.updateUser(U.dev, { nickName: "" }), "Invalid.Parameter.Error");
  });

  test("the organization owner must keep the admin role and cannot be deactivated", () => {
    const org = fixtureOrg();
    expectCode(
      () => org.updateUser(U.owner, { roleIds: [111111113] }),
      "Fobbiden.Action",
      400,
      "must have the administrator role",
    );
    expectCode(() => org.updateUser(U.owner, { adminUser: false }), "Fobbiden.Action");
    expectCode(() => org.updateUser(U.owner, { isDeleted: true }), "CannotRemove.OrganizationOwner");
  });

  test("change to viewer: admins refused, workspace members refused, others allowed", () => {
    const org = fixtureOrg();
    expectCode(() => org.updateUser(U.perm, { userType: 2 }), "OrgAdminOrPermissionAdmin.CannotChangeTo.Viewer");
    expectCode(
      () => org.updateUser(U.dev, { userType: 2 }),
      "ChangeTo.Viewer.Error",
      400,
      "already belongs to a workspace",
    );
    org.removeWorkspaceMember(WS.main, U.dev);
    org.updateUser(U.dev, { userType: 2 });
    expect(org.getUser(U.dev).userType).toBe(2);
  });

  test("change to analyst while holding admin/developer or non-analyst custom workspace roles is refused", () => {
    const org = fixtureOrg();
    expectCode(() => org.updateUser(U.dev, { userType: 3 }), "AnalystUser.NotSupport.AdminOrDevRole");
    org.setWorkspaceMemberRoles(WS.main, U.dev, [27, ROLE.wsPublisher]);
    expectCode(() => org.updateUser(U.dev, { userType: 3 }), "UserAnalyst.NotSupport.ThisRole");
    org.setWorkspaceMemberRoles(WS.main, U.dev, [27, ROLE.wsExplorer]);
    org.updateUser(U.dev, { userType: 3 });
    expect(org.getUser(U.dev).userType).toBe(3);
  });

  test("developer -> analyst/viewer lock is opt-in", () => {
    const seed = fixtureSeed();
    seed.organization = { ...seed.organization, lockDeveloperType: true };
    const org = Organization.fromSeed(seed);
    expectCode(() => org.updateUser(U.dev2, { userType: 3 }), "OrganizationDeveloper.CanNotChangeTo.AnalystOrViewer");
    org.updateUser(U.analyst, { userType: 1 });
  });

  test("role changes: RoleIds replaces, flags toggle, regular role when nothing is left", () => {
    const org = fixtureOrg();
    org.updateUser(U.dev, { roleIds: [111111112, ROLE.orgAuditor] });
    expect(org.getUser(U.dev).roleIds).toEqual([111111112, ROLE.orgAuditor]);
    org.updateUser(U.dev, { authAdminUser: false });
    expect(org.getUser(U.dev).roleIds).toEqual([ROLE.orgAuditor]);
    org.updateUser(U.perm, { authAdminUser: false });
    expect(org.getUser(U.perm).roleIds).toEqual([111111113]);
    org.updateUser(U.perm, { adminUser: true });
    expect(org.getUser(U.perm).roleIds).toEqual([111111111, 111111113]);
    expectCode(() => org.updateUser(U.dev, { roleIds: [1, 2, 3, 4] }), "RoleCount.ExceedsLimit.Error");
    expectCode(() => org.updateUser(U.dev, { roleIds: [999] }), "BindRole.NotExist.Error");
    expectCode(() => org.updateUser(U.viewer, { roleIds: [ROLE.orgReader] }), "Viewer.CannotHave.CustomRole");
    expectCode(() => org.updateUser(U.analyst, { roleIds: [ROLE.orgAuditor] }), "UserAnalyst.NotSupport.ThisRole");
  });

  test("a failed update changes nothing", () => {
    const org = fixtureOrg();
    const before = JSON.stringify(org.toSeed());
    expectCode(() => org.updateUser(U.dev, { nickName: "Renamed", userType: 2 }), "ChangeTo.Viewer.Error");
    expect(JSON.stringify(org.toSeed())).toBe(before);
  });
});

describe("DeleteUser", () => {
  test("unknown user -> User.Not.In.Organization; owner -> CannotRemove.OrganizationOwner; workspace owner -> CanNot.Remove.WorkspaceOwner", () => {
    const org = fixtureOrg();
    expectCode(() => org.deleteUser("nope"), "User.Not.In.Organization");
    expectCode(() => org.deleteUser(U.owner), "CannotRemove.OrganizationOwner", 400, "organization owner");
    expectCode(() => org.deleteUser(U.dev2), "CanNot.Remove.WorkspaceOwner");
  });

  test("removes workspace and group memberships; works go to the workspace owner", () => {
    const org = fixtureOrg();
    org.deleteUser(U.dev);
    expect(org.hasUser(U.dev)).toBe(false);
    const s = org.toSeed();
    expect(s.workspaceMembers.some((m) => m.userId === U.dev)).toBe(false);
    expect(s.userGroupMembers.some((m) => m.userId === U.dev)).toBe(false);
    expect(s.workspaceMembers.find((m) => m.userId === U.owner && m.workspaceId === WS.main)?.works).toBe(3);
    expectCode(() => org.getUser(U.dev), "User.Not.In.Organization");
  });

  test("TransferUserId: successor gets the works and joins with the deleted user's role when not a member", () => {
    const org = fixtureOrg();
    org.deleteUser(U.dev, U.dev2);
    const m = org.toSeed().workspaceMembers.find((x) => x.userId === U.dev2 && x.workspaceId === WS.main);
    expect(m).toEqual({ workspaceId: WS.main, userId: U.dev2, roleId: 26, works: 3 });
  });

  test("TransferUserId rules: unknown, self, viewer, lower permission, analyst that cannot hold the role", () => {
    const org = fixtureOrg();
    expectCode(() => org.deleteUser(U.dev, "nope"), "Transfer.TargetUser.NotExist");
    expectCode(() => org.deleteUser(U.dev, U.dev), "Cannot.TransferTo.Owner");
    expectCode(() => org.deleteUser(U.dev, U.viewer), "Viewer.AddInTo.Workspace", 400, "Viewer");
    expectCode(() => org.deleteUser(U.dev, U.analyst), "Works.Transfer.Error");
    org.removeWorkspaceMember(WS.main, U.analyst);
    expectCode(() => org.deleteUser(U.dev, U.analyst), "UserAnalyst.NotSupport.ThisRole");
    expect(org.hasUser(U.dev)).toBe(true);
  });
});

describe("queries", () => {
  test("QueryUserInfoByAccount: by account id, account name, RAM prefix; ambiguous names need ParentAccountName", () => {
    const org = fixtureOrg();
    expect(org.findUserByAccount("1005").userId).toBe(U.analyst);
    expect(org.findUserByAccount("analyst@example.com").userId).toBe(U.analyst);
    expect(org.findUserByAccount("perm@corp.onaliyun.com").userId).toBe(U.perm);
    expectCode(
      () => org.findUserByAccount("dev"),
      "AE0579100001",
      400,
      "Duplicate users found with account name: dev.",
    );
    expect(org.findUserByAccount("dev", "other@aliyun.com").userId).toBe(U.dev2);
    expectCode(() => org.findUserByAccount("ghost"), "User.Not.In.Organization");
  });

  test("listUsers keyword is a case-insensitive substring of nickname or account", () => {
    const org = fixtureOrg();
    expect(org.listUsers("dev").map((u) => u.userId)).toEqual([U.dev, U.dev2]);
    expect(org.listUsers("PERM").map((u) => u.userId)).toEqual([U.perm]);
    expect(org.listUsers()).toHaveLength(7);
  });

  test("authorizeCaller: unknown or inactive callers are not in the organization; non-admins are refused", () => {
    const org = fixtureOrg();
    org.authorizeCaller(undefined);
    org.authorizeCaller(U.owner);
    expectCode(() => org.authorizeCaller("ghost"), "User.Not.In.Organization");
    expectCode(() => org.authorizeCaller(U.inactive), "User.Not.In.Organization");
    expectCode(() => org.authorizeCaller(U.dev), "Invalid.User.Admin");
  });

  test("groups of a user are cleaned up with the user", () => {
    const org = fixtureOrg();
    expect(org.userGroupsOfUser(U.analyst).map((g) => g.userGroupId)).toEqual([G.data]);
    org.deleteUser(U.analyst);
    expect(org.userGroupMembers(G.data)).toEqual([]);
  });
});
