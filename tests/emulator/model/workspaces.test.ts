import { expectCode, fixtureOrg, fixtureSeed, ROLE, U, WS } from "./fixture";
import { Organization } from "../../../emulator/model/organization";

const roles = (org: Organization, ws: string, user: string) => org.getMembership(ws, user).roleIds;

describe("AddUserToWorkspace", () => {
  test("adds a member with a preset or custom role", () => {
    const org = fixtureOrg();
    org.addWorkspaceMember(WS.main, U.dev2, 30);
    org.addWorkspaceMember(WS.other, U.dev, ROLE.wsPublisher);
    expect(roles(org, WS.main, U.dev2)).toEqual([30]);
    expect(roles(org, WS.other, U.dev)).toEqual([ROLE.wsPublisher]);
  });

  test("documented refusals", () => {
    const org = fixtureOrg();
    expectCode(
      () => org.addWorkspaceMember("ws-x", U.dev2, 25),
      "Workspace.Not.Exist",
      400,
      "The group workspace does not exist.",
    );
    expectCode(
      () => org.addWorkspaceMember(WS.main, U.dev2, 99),
      "User.RoleType.Valid",
      400,
      "The role ID is invalid.",
    );
    expectCode(() => org.addWorkspaceMember(WS.main, "ghost", 25), "User.Not.In.Organization");
    expectCode(
      () => org.addWorkspaceMember(WS.main, U.dev, 30),
      "User.AlreadyIn.Workspace",
      400,
      "This user already exists.",
    );
    expectCode(
      () => org.addWorkspaceMember(WS.main, U.dev, 26),
      "User.AlreadyIn.Role",
      400,
      "The user is already assigned this role.",
    );
    expectCode(
      () => org.addWorkspaceMember(WS.main, U.viewer, 30),
      "Viewer.AddInTo.Workspace",
      400,
      "not allowed to add to workspace: Viewer.",
    );
    expectCode(() => org.addWorkspaceMember(WS.main, U.viewer, ROLE.wsExplorer), "Viewer.CannotHave.CustomRole");
    expectCode(() => org.addWorkspaceMember(WS.other, U.analyst, 25), "AnalystUser.NotSupport.AdminOrDevRole");
    expectCode(() => org.addWorkspaceMember(WS.other, U.analyst, 26), "AnalystUser.NotSupport.AdminOrDevRole");
    expectCode(() => org.addWorkspaceMember(WS.other, U.analyst, ROLE.wsPublisher), "UserAnalyst.NotSupport.ThisRole");
    org.addWorkspaceMember(WS.other, U.analyst, ROLE.wsExplorer);
    expect(roles(org, WS.other, U.analyst)).toEqual([ROLE.wsExplorer]);
  });
});

describe("UpdateWorkspaceUserRole", () => {
  test("overwrites all roles; several roles allowed", () => {
    const org = fixtureOrg();
    org.setWorkspaceMemberRoles(WS.main, U.dev, [25, 26]);
    expect(roles(org, WS.main, U.dev)).toEqual([25, 26]);
    org.setWorkspaceMemberRoles(WS.main, U.dev, [ROLE.wsPublisher]);
    expect(roles(org, WS.main, U.dev)).toEqual([ROLE.wsPublisher]);
  });

  test("documented refusals", () => {
    const org = fixtureOrg();
    expectCode(() => org.setWorkspaceMemberRoles("nope", U.dev, [26]), "Workspace.Not.Exist");
    expectCode(() => org.setWorkspaceMemberRoles(WS.main, U.dev, [26, 98]), "User.RoleType.Valid");
    expectCode(() => org.setWorkspaceMemberRoles(WS.main, "ghost", [26]), "User.Not.In.Organization");
    expectCode(() => org.setWorkspaceMemberRoles(WS.main, U.dev2, [26]), "User.NotIn.Workspace", 400, "not a member");
    expectCode(() => org.setWorkspaceMemberRoles(WS.main, U.owner, [26]), "Remove.AdminRoleOf.WorkspaceOwner");
    expectCode(() => org.setWorkspaceMemberRoles(WS.main, U.analyst, [26]), "AnalystUser.NotSupport.AdminOrDevRole");
    expectCode(
      () => org.setWorkspaceMemberRoles(WS.main, U.analyst, [27, ROLE.wsPublisher]),
      "UserAnalyst.NotSupport.ThisRole",
    );
    expectCode(() => org.setWorkspaceMemberRoles(WS.main, U.dev, []), "System.Param.Empty");
    org.setWorkspaceMemberRoles(WS.main, U.owner, [25, ROLE.wsPublisher]);
  });
});

describe("DeleteUserFromWorkspace", () => {
  test("removes the member and hands their works to the owner", () => {
    const org = fixtureOrg();
    org.removeWorkspaceMember(WS.main, U.dev);
    expectCode(() => org.getMembership(WS.main, U.dev), "User.NotIn.Workspace");
    expect(org.getMembership(WS.main, U.owner).works).toBe(3);
  });

  test("documented refusals", () => {
    const org = fixtureOrg();
    expectCode(() => org.removeWorkspaceMember("nope", U.dev), "Workspace.Not.Exist");
    expectCode(() => org.removeWorkspaceMember(WS.main, "ghost"), "User.Not.In.Organization");
    expectCode(() => org.removeWorkspaceMember(WS.main, U.dev2), "User.NotIn.Workspace");
    expectCode(() => org.removeWorkspaceMember(WS.main, U.owner), "CanNot.Remove.WorkspaceOwner", 400, "owner");
  });
});

describe("workspace reads", () => {
  test("QueryUserRoleInfoInWorkspace reports the highest preset role; custom-only members have none", () => {
    const org = fixtureOrg();
    expect(org.presetRoleOf(WS.main, U.analyst)).toMatchObject({ roleId: 27, roleCode: "role_workspace_analyst" });
    org.setWorkspaceMemberRoles(WS.main, U.dev, [ROLE.wsPublisher, 30, 26]);
    expect(org.presetRoleOf(WS.main, U.dev).roleId).toBe(26);
    org.setWorkspaceMemberRoles(WS.main, U.dev, [ROLE.wsPublisher]);
    expectCode(() => org.presetRoleOf(WS.main, U.dev), "User.PresetWorkspaceRole.NotExist");
    expect(org.primaryRoleOf(org.getMembership(WS.main, U.dev)).roleId).toBe(ROLE.wsPublisher);
  });

  test("workspace lists: keyword substring, by member, members with keyword", () => {
    const org = fixtureOrg();
    expect(org.listWorkspaces("ai").map((w) => w.workspaceId)).toEqual([WS.main]);
    expect(org.listWorkspaces(undefined, U.dev2).map((w) => w.workspaceId)).toEqual([WS.other]);
    expectCode(() => org.listWorkspaces(undefined, "ghost"), "User.Not.In.Organization");
    expect(org.listWorkspaceMembers(WS.main).map((m) => m.user.userId)).toEqual([U.owner, U.dev, U.analyst]);
    expect(org.listWorkspaceMembers(WS.main, "ANAL").map((m) => m.user.userId)).toEqual([U.analyst]);
    expectCode(() => org.listWorkspaceMembers("nope"), "Workspace.Not.Exist");
  });

  test("ListWorkspaceUserRolesByUserId lists every role in every workspace", () => {
    const org = fixtureOrg();
    expect(org.workspaceRolesOfUser(U.analyst).map((r) => [r.workspace.workspaceId, r.role.roleId])).toEqual([
      [WS.main, 27],
      [WS.main, ROLE.wsExplorer],
    ]);
    expectCode(() => org.workspaceRolesOfUser("ghost"), "User.Not.In.Organization");
  });
});

describe("CreateWorkspace", () => {
  test("the caller owns the new workspace and is its admin", () => {
    const org = fixtureOrg();
    const id = org.createWorkspace({ workspaceName: "New", ownerUserId: U.dev });
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(org.getWorkspace(id).ownerUserId).toBe(U.dev);
    expect(roles(org, id, U.dev)).toEqual([25]);
    expect(org.createWorkspace({ workspaceName: "Owned by org owner" })).toBeTruthy();
  });

  test("duplicate name, limits, unsuitable owner", () => {
    const org = Organization.fromSeed({
      users: [
        { userId: "o", nickName: "O", userType: 1, roleIds: [111111111] },
        { userId: "a", nickName: "A", userType: 3 },
      ],
      organization: { limits: { workspaces: 1 } },
    });
    org.createWorkspace({ workspaceName: "One" });
    expectCode(() => org.createWorkspace({ workspaceName: "One" }), "Duplicate.WorkSpaceName.Error");
    expectCode(() => org.createWorkspace({ workspaceName: "Two" }), "CreateWorkspace.Exceeds.Limits", 400, "limit:1.");
    expectCode(() => Organization.fromSeed({}).createWorkspace({ workspaceName: "X" }), "System.Param.Empty");
  });
});

describe("roles", () => {
  test("preset and custom roles; unknown -> User.Role.NotExist; unknown workspace -> Invalid.Workspace", () => {
    const org = fixtureOrg();
    expect(org.organizationRoles().map((r) => r.roleId)).toEqual([
      111111111,
      111111112,
      111111113,
      ROLE.orgAuditor,
      ROLE.orgReader,
    ]);
    expect(org.workspaceRoles(WS.main).map((r) => [r.roleId, r.isSystemRole])).toEqual([
      [25, true],
      [26, true],
      [27, true],
      [30, true],
      [ROLE.wsPublisher, false],
      [ROLE.wsExplorer, false],
    ]);
    expectCode(() => org.workspaceRoles("nope"), "Invalid.Workspace");
    expectCode(() => org.workspaceRole(1), "User.Role.NotExist", 400, "User role not exist: 1.");
    expectCode(() => org.organizationRole(1), "User.Role.NotExist");
    expect(org.workspaceRoleUsers(27).map((x) => x.user.userId)).toEqual([U.analyst]);
    expect(org.workspaceRoleUsers(25, WS.other).map((x) => x.user.userId)).toEqual([U.dev2]);
    expect(org.organizationRoleUsers(111111113, "dev").map((u) => u.userId)).toEqual([U.dev, U.dev2]);
  });
});

describe("codes the pages list that need a seeded situation", () => {
  const personalSeed = () => {
    const s = fixtureSeed();
    s.workspaces!.push({ workspaceId: "p-1", workspaceName: "Dev's space", ownerUserId: U.dev, personal: true });
    return s;
  };

  test("a personal workspace: every membership write answers Workspace.Type.Error, reads still work", () => {
    const org = Organization.fromSeed(personalSeed());
    const before = JSON.stringify(org.toSeed());
    expectCode(
      () => org.addWorkspaceMember("p-1", U.dev2, 30),
      "Workspace.Type.Error",
      400,
      "The type of group workspace is invalid.",
    );
    expectCode(() => org.addWorkspaceMembers("p-1", [U.dev2], 30), "Workspace.Type.Error");
    expectCode(() => org.setWorkspaceMemberRoles("p-1", U.dev, [26]), "Workspace.Type.Error");
    expectCode(() => org.setWorkspaceMembersRole("p-1", [U.dev], 26), "Workspace.Type.Error");
    expectCode(() => org.removeWorkspaceMember("p-1", U.dev), "Workspace.Type.Error");
    expect(JSON.stringify(org.toSeed())).toBe(before);
    expect(org.listWorkspaceMembers("p-1").map((m) => m.user.userId)).toEqual([U.dev]);
    expect(
      Organization.fromSeed(org.toSeed())
        .toSeed()
        .workspaces.find((w) => w.workspaceId === "p-1"),
    ).toMatchObject({ personal: true });
  });

  test("seed deleteRequiresLeavingWorkspaces: DeleteUser of a workspace member -> Member.ExistInWorkspace.Error", () => {
    const s = fixtureSeed();
    s.organization = { ...s.organization, deleteRequiresLeavingWorkspaces: true };
    const org = Organization.fromSeed(s);
    expectCode(
      () => org.deleteUser(U.analyst),
      "Member.ExistInWorkspace.Error",
      400,
      "You cannot remove a user who is a member of a group workspace.",
    );
    org.removeWorkspaceMember(WS.main, U.analyst);
    org.deleteUser(U.analyst);
    expect(org.hasUser(U.analyst)).toBe(false);
    // Off by default: members are deleted and their works transferred.
    fixtureOrg().deleteUser(U.analyst);
  });
});
