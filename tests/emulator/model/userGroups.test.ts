import { Organization } from "../../../emulator/model/organization";
import { expectCode, fixtureOrg, fixtureSeed, G, U } from "./fixture";

describe("user group tree", () => {
  test("create under root or a parent, with a generated UUID or a caller-chosen id", () => {
    const org = fixtureOrg();
    const a = org.createUserGroup({ userGroupName: "Sales", parentUserGroupId: "-1" }, U.owner);
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    const b = org.createUserGroup({
      userGroupName: "EMEA",
      parentUserGroupId: a,
      userGroupId: "emea",
      userGroupDescription: "d",
    });
    expect(b).toBe("emea");
    expect(org.groupPath("emea")).toEqual([a, "emea"]);
    expect(org.getUserGroup(a).createUserId).toBe(U.owner);
    expect(org.childGroups("-1").map((g) => g.userGroupName)).toEqual(["Engineering", "Sales"]);
  });

  test("create refusals: unknown parent, duplicate id, reserved id, sibling name, bad name", () => {
    const org = fixtureOrg();
    expectCode(
      () => org.createUserGroup({ userGroupName: "X", parentUserGroupId: "nope" }),
      "UserGroup.Parent.NotFound",
    );
    expectCode(
      () => org.createUserGroup({ userGroupName: "X", parentUserGroupId: "-1", userGroupId: G.eng }),
      "Duplicate.UserGroup.Id",
      400,
      G.eng,
    );
    expectCode(
      () => org.createUserGroup({ userGroupName: "X", parentUserGroupId: "-1", userGroupId: "-1" }),
      "Invalid.Parameter.Error",
    );
    expectCode(
      () => org.createUserGroup({ userGroupName: "X", parentUserGroupId: "-1", userGroupId: "i".repeat(65) }),
      "Invalid.Parameter.Error",
    );
    expectCode(
      () => org.createUserGroup({ userGroupName: "Data", parentUserGroupId: G.eng }),
      "Duplicate.UserGroupName.Error",
      400,
      "same name Data",
    );
    expectCode(
      () => org.createUserGroup({ userGroupName: "x".repeat(256), parentUserGroupId: "-1" }),
      "Invalid.Parameter.Error",
    );
    expectCode(() => org.createUserGroup({ userGroupName: "a;b", parentUserGroupId: "-1" }), "Invalid.Parameter.Error");
    // same name under another parent is fine
    org.createUserGroup({ userGroupName: "Data", parentUserGroupId: "-1" });
  });

  test("at most ten levels", () => {
    const org = Organization.fromSeed({});
    let parent = "-1";
    for (let i = 1; i <= 10; i++) parent = org.createUserGroup({ userGroupName: `L${i}`, parentUserGroupId: parent });
    expect(org.groupPath(parent)).toHaveLength(10);
    expectCode(
      () => org.createUserGroup({ userGroupName: "L11", parentUserGroupId: parent }),
      "UserGroup.Layer.Limited",
      400,
      "ten layers",
    );
  });

  test("update: rename with sibling check, description; root and unknown refused", () => {
    const org = fixtureOrg();
    org.updateUserGroup(G.data, { userGroupName: "Data Team", userGroupDescription: "new" }, U.perm);
    expect(org.getUserGroup(G.data)).toMatchObject({
      userGroupName: "Data Team",
      userGroupDescription: "new",
      modifyUserId: U.perm,
    });
    org.createUserGroup({ userGroupName: "Ops", parentUserGroupId: G.eng });
    expectCode(() => org.updateUserGroup(G.data, { userGroupName: "Ops" }), "Duplicate.UserGroupName.Error");
    expectCode(() => org.updateUserGroup("-1", { userGroupName: "Root" }), "UserGroup.Remove.RootNode");
    expectCode(
      () => org.updateUserGroup("nope", { userGroupName: "X" }),
      "Usergroup.Not.Exist",
      400,
      "The user group does not exist.",
    );
  });

  test("delete: leaf only, root never, unknown refused; members go with the group", () => {
    const org = fixtureOrg();
    expectCode(() => org.deleteUserGroup(G.eng), "UserGroup.Remove.WithChildren");
    expectCode(() => org.deleteUserGroup("-1"), "UserGroup.Remove.RootNode");
    expectCode(() => org.deleteUserGroup("nope"), "Usergroup.Not.Exist");
    org.deleteUserGroup(G.data);
    expect(org.userGroupsOfUser(U.analyst)).toEqual([]);
    org.deleteUserGroup(G.eng);
    expect(org.toSeed().userGroups).toEqual([]);
  });
});

describe("user group membership", () => {
  test("AddUserGroupMember: all-or-nothing, Invalid.User for unknown users, re-adding is a no-op", () => {
    const org = fixtureOrg();
    expectCode(
      () => org.addUserGroupMembers(G.eng, [U.dev2, "ghost"]),
      "Invalid.User",
      400,
      "cannot be added to a user group",
    );
    expect(
      org
        .userGroupMembers(G.eng)
        .filter((e) => !e.isUserGroup)
        .map((e) => e.id),
    ).toEqual([U.dev]);
    org.addUserGroupMembers(G.eng, [U.dev, U.dev2, U.dev2]);
    expect(
      org
        .userGroupMembers(G.eng)
        .filter((e) => !e.isUserGroup)
        .map((e) => e.id),
    ).toEqual([U.dev, U.dev2]);
    expectCode(() => org.addUserGroupMembers("nope", [U.dev]), "Usergroup.Not.Exist");
    expectCode(() => org.addUserGroupMembers(G.eng, []), "System.Param.Empty", 400, "UserIdList");
    const many = Array.from({ length: 1001 }, (_, i) => `u${i}`);
    expectCode(
      () => org.addUserGroupMembers(G.eng, many),
      "Parameter.Length.Exceed",
      400,
      "Parameter length exceeds maximum limit: [UserIdList].",
    );
    // "at most 1000" counts the entries sent: 1001 copies of one id are over the limit.
    expectCode(() => org.addUserGroupMembers(G.eng, Array(1001).fill(U.dev2)), "Parameter.Length.Exceed");
    org.addUserGroupMembers(G.eng, Array(1000).fill(U.dev2));
  });

  test("AddUserGroupMembers: one user into many groups", () => {
    const org = fixtureOrg();
    org.addUserToGroups(U.dev2, [G.eng, G.data]);
    expect(org.userGroupsOfUser(U.dev2).map((g) => g.userGroupId)).toEqual([G.eng, G.data]);
    expectCode(() => org.addUserToGroups("ghost", [G.eng]), "Invalid.User");
    expectCode(() => org.addUserToGroups(U.dev2, [G.eng, "nope"]), "Usergroup.Not.Exist");
    const many = Array.from({ length: 1001 }, (_, i) => `g${i}`);
    expectCode(() => org.addUserToGroups(U.dev2, many), "Invalid.Parameter", 400, "must not exceed 1000");
    expectCode(
      () => org.addUserToGroups(U.dev2, Array(1001).fill(G.eng)),
      "Invalid.Parameter",
      400,
      "must not exceed 1000",
    );
    expectCode(() => org.addUserToGroups(U.dev2, []), "System.Param.Empty", 400, "UserGroupIds");
    // All-or-nothing: the unknown group above left the user out of G.eng's siblings too.
    expectCode(() => org.addUserToGroups(U.analyst, [G.eng, "nope"]), "Usergroup.Not.Exist");
    expect(org.userGroupsOfUser(U.analyst).map((g) => g.userGroupId)).toEqual([G.data]);
  });

  test("DeleteUserGroupMembers: limits and all-or-nothing", () => {
    const org = fixtureOrg();
    org.addUserToGroups(U.dev2, [G.eng, G.data]);
    expectCode(
      () => org.removeUserFromGroups(U.dev2, Array(1001).fill(G.eng)),
      "Invalid.Parameter",
      400,
      "must not exceed 1000",
    );
    expectCode(() => org.removeUserFromGroups("ghost", [G.eng]), "User.Not.In.Organization");
    expectCode(() => org.removeUserFromGroups(U.dev2, [G.eng, "nope"]), "Usergroup.NotBelongTo.CurrentOrganization");
    expect(org.userGroupsOfUser(U.dev2)).toHaveLength(2);
    org.removeUserFromGroups(U.dev2, [G.eng, G.data, G.data]);
    expect(org.userGroupsOfUser(U.dev2)).toEqual([]);
  });

  test("seed userGroupsSynchronized: no groups under the root, no users added; removing still works", () => {
    const s = fixtureSeed();
    s.organization = { ...s.organization, userGroupsSynchronized: true };
    const org = Organization.fromSeed(s);
    expectCode(
      () => org.createUserGroup({ userGroupName: "New", parentUserGroupId: "-1" }),
      "RootUserGroup.Create.Error",
      400,
      "organization org-1 has synchronized with other organizational structures",
    );
    expectCode(() => org.addUserGroupMembers(G.eng, [U.dev2]), "UserGroup.Already.Synchronized");
    expectCode(() => org.addUserToGroups(U.dev2, [G.eng]), "UserGroup.Already.Synchronized");
    org.createUserGroup({ userGroupName: "Sub", parentUserGroupId: G.eng });
    org.removeUserGroupMember(G.eng, U.dev);
    expect(org.toSeed().organization).toMatchObject({ userGroupsSynchronized: true });
  });

  test("DeleteUserGroupMember(s) and WithdrawAllUserGroups; removing a non-member is a no-op", () => {
    const org = fixtureOrg();
    org.removeUserGroupMember(G.eng, U.dev2);
    org.removeUserGroupMember(G.eng, U.dev);
    expect(org.userGroupsOfUser(U.dev)).toEqual([]);
    expectCode(() => org.removeUserGroupMember("nope", U.dev), "Usergroup.Not.Exist");
    expectCode(() => org.removeUserGroupMember(G.eng, "ghost"), "User.Not.In.Organization");
    org.addUserToGroups(U.dev, [G.eng, G.data]);
    expectCode(
      () => org.removeUserFromGroups(U.dev, [G.eng, "nope"]),
      "Usergroup.NotBelongTo.CurrentOrganization",
      400,
      "The usergroup nope",
    );
    expect(org.userGroupsOfUser(U.dev)).toHaveLength(2);
    org.removeUserFromGroups(U.dev, [G.eng]);
    expect(org.userGroupsOfUser(U.dev).map((g) => g.userGroupId)).toEqual([G.data]);
    org.withdrawAllUserGroups(U.dev);
    expect(org.userGroupsOfUser(U.dev)).toEqual([]);
    expectCode(() => org.withdrawAllUserGroups("ghost"), "User.Not.In.Organization");
  });

  test("QueryUserGroupMember lists child groups and users; keyword filters both", () => {
    const org = fixtureOrg();
    expect(org.userGroupMembers(G.eng)).toEqual([
      { id: G.data, name: "Data", isUserGroup: true, parentUserGroupId: G.eng, parentUserGroupName: "Engineering" },
      { id: U.dev, name: "Dev", isUserGroup: false, parentUserGroupId: G.eng, parentUserGroupName: "Engineering" },
    ]);
    expect(org.userGroupMembers(G.eng, "dat").map((e) => e.id)).toEqual([G.data]);
    expectCode(() => org.userGroupMembers("nope"), "Usergroup.Not.Exist");
  });

  test("lookups: by keyword, by ids (unknown ids reported), by parent", () => {
    const org = fixtureOrg();
    expect(org.searchUserGroups("ENG").map((g) => g.userGroupId)).toEqual([G.eng]);
    expect(org.userGroupsByIds([G.data, "nope", G.data])).toEqual({
      found: [org.getUserGroup(G.data)],
      failed: ["nope"],
    });
    expect(org.childGroups(G.eng).map((g) => g.userGroupId)).toEqual([G.data]);
    expectCode(() => org.childGroups("nope"), "Usergroup.Not.Exist");
    expectCode(() => org.userGroupsOfUser("ghost"), "User.Not.In.Organization");
  });
});
