import { groupHandler, UNKNOWN, userHandler, workspaceHandler } from "./helpers";

const PROVIDER = { __provider: "exports.handler = () => ({})" };

describe("QuickBIUser check", () => {
  test("valid inputs pass and are normalized (trimmed, role names to ids, user type lower-case)", async () => {
    const r = await userHandler.check(
      {},
      {
        ...PROVIDER,
        accountId: " 2000000000000021 ",
        accountName: "  ana@example.com ",
        nickName: "  Ana_1 ",
        userType: "Developer",
        roleIds: ["orgAdmin", 456, "111111113"],
        transferWorksTo: "u-boss",
      },
    );
    expect(r.failures).toBeUndefined();
    expect(r.inputs).toEqual({
      ...PROVIDER,
      accountId: "2000000000000021",
      accountName: "ana@example.com",
      nickName: "Ana_1",
      userType: "developer",
      roleIds: [111111111, 456, 111111113],
      transferWorksTo: "u-boss",
    });
  });

  test("every problem is reported at once, each naming the value and the fix", async () => {
    const r = await userHandler.check(
      {},
      {
        accountName: "",
        nickName: "this nick has a bang! and is definitely much longer than fifty characters",
        userType: "admin",
        roleIds: ["orgAdmin", "superuser", "orgAdmin", 7],
        adopt: "yes",
        colour: "blue",
      },
    );
    const byProp = new Map((r.failures ?? []).map((f) => [f.property, f.reason]));
    expect([...byProp.keys()].sort()).toEqual(
      [
        "accountId",
        "accountName",
        "adopt",
        "colour",
        "nickName",
        "roleIds",
        "roleIds[1]",
        "roleIds[2]",
        "userType",
      ].sort(),
    );
    expect(byProp.get("userType")).toMatch(/developer, visitor, analyst.*"admin"/);
    expect(byProp.get("roleIds[1]")).toMatch(/orgAdmin, permissionAdmin, member.*"superuser"/);
    expect(byProp.get("roleIds[2]")).toMatch(/already listed at index 0/);
    expect(byProp.get("roleIds")).toMatch(/at most 3/);
    expect(byProp.get("colour")).toMatch(/unknown property "colour"; valid properties are accountId, accountName/);
    // nickName: both the length and the charset problems
    const nick = (r.failures ?? []).filter((f) => f.property === "nickName").map((f) => f.reason);
    expect(nick.join("\n")).toMatch(/at most 50 characters/);
    expect(nick.join("\n")).toMatch(/"!"/);
  });

  test("missing required fields and the account rule", async () => {
    const r = await userHandler.check({}, {});
    const props = (r.failures ?? []).map((f) => f.property).sort();
    expect(props).toEqual(["accountId", "nickName", "userType"]);
    expect(r.failures?.find((f) => f.property === "accountId")?.reason).toMatch(
      /set accountId \(the Alibaba Cloud account UID\): Quick BI versions released after 2024-12-31 require AccountId/,
    );
    expect(r.failures?.find((f) => f.property === "nickName")?.reason).toMatch(/required/);
  });

  test("accountId is required even with accountName (Quick BI's rule); accountName alone is refused", async () => {
    const r = await userHandler.check(
      {},
      { accountName: "corp@aliyun.com:ana", nickName: "Ana", userType: "developer" },
    );
    expect(r.failures).toEqual([
      {
        property: "accountId",
        reason: expect.stringContaining(
          "Quick BI versions released after 2024-12-31 require AccountId to add a user (AddUser); accountName alone is deprecated",
        ),
      },
    ]);
    const ok = await userHandler.check({}, { accountId: "2000000000000022", nickName: "Ana", userType: "developer" });
    expect(ok.failures).toBeUndefined();
  });

  test("nickName is trimmed like accountName, so a stray space is not a difference on every diff", async () => {
    const r = await userHandler.check(
      {},
      { accountId: "2000000000000023", nickName: " Ana Analyst  ", userType: "analyst" },
    );
    expect(r.inputs).toMatchObject({ nickName: "Ana Analyst" });
    expect(
      (await userHandler.check({}, { accountId: "2000000000000023", nickName: "   ", userType: "analyst" }))
        .failures?.[0],
    ).toMatchObject({
      property: "nickName",
    });
  });

  test("visitor with privileged or custom org roles is refused; analyst with org admin is not judged here", async () => {
    const r = await userHandler.check(
      {},
      { accountId: "1", nickName: "V", userType: "visitor", roleIds: ["member", "permissionAdmin", 999] },
    );
    expect((r.failures ?? []).map((f) => f.property)).toEqual(["roleIds[1]", "roleIds[2]"]);
    expect(r.failures?.[0].reason).toMatch(/OrgAdminOrPermissionAdmin\.CannotChangeTo\.Viewer/);
    expect(r.failures?.[1].reason).toMatch(/Viewer\.CannotHave\.CustomRole/);
    const ok = await userHandler.check(
      {},
      { accountId: "1", nickName: "A", userType: "analyst", roleIds: ["orgAdmin"] },
    );
    expect(ok.failures).toBeUndefined();
  });

  test("an empty role list is refused (Quick BI needs one role)", async () => {
    const r = await userHandler.check({}, { accountId: "1", nickName: "A", userType: "analyst", roleIds: [] });
    expect(r.failures).toEqual([{ property: "roleIds", reason: expect.stringMatching(/at least one role/) }]);
  });

  test("unknown values during preview are tolerated and kept", async () => {
    const r = await userHandler.check(
      {},
      { accountId: UNKNOWN, nickName: UNKNOWN, userType: "analyst", roleIds: [UNKNOWN, "member"] },
    );
    expect(r.failures).toBeUndefined();
    expect(r.inputs).toEqual({
      accountId: UNKNOWN,
      nickName: UNKNOWN,
      userType: "analyst",
      roleIds: [UNKNOWN, "member"],
    });
  });

  test("null means unset", async () => {
    const r = await userHandler.check(
      {},
      { accountId: "1", accountName: null, nickName: "A", userType: "developer", roleIds: null },
    );
    expect(r.failures).toBeUndefined();
    expect(r.inputs).toEqual({ accountId: "1", nickName: "A", userType: "developer" });
  });

  test("Chinese nicknames and the documented symbols are allowed", async () => {
    const r = await userHandler.check(
      {},
      { accountId: "1", nickName: "张三_(dev)[x]|a/b\\c Xiao Zhang-1.0", userType: "developer" },
    );
    expect(r.failures).toBeUndefined();
  });
});

describe("WorkspaceMembership check", () => {
  test("valid list, role normalized", async () => {
    const r = await workspaceHandler.check({}, { workspaceId: " ws-1 ", userIds: ["u1", " u2"], role: "Viewer" });
    expect(r.failures).toBeUndefined();
    expect(r.inputs).toEqual({ workspaceId: "ws-1", userIds: ["u1", "u2"], role: "viewer" });
  });

  test("custom role ids as number or numeric string", async () => {
    expect((await workspaceHandler.check({}, { workspaceId: "w", userId: "u", role: "1234" })).inputs?.role).toBe(1234);
    expect((await workspaceHandler.check({}, { workspaceId: "w", userId: "u", role: 25 })).inputs?.role).toBe(25);
  });

  test("every problem: unknown role, duplicate and malformed ids, both forms", async () => {
    const r = await workspaceHandler.check(
      {},
      { workspaceId: "", userId: "u1", userIds: ["u1", "u2", "u1", "a,b", ""], role: "owner" },
    );
    const props = (r.failures ?? []).map((f) => f.property).sort();
    expect(props).toEqual(["role", "userIds", "userIds[2]", "userIds[3]", "userIds[4]", "workspaceId"].sort());
    expect(r.failures?.find((f) => f.property === "role")?.reason).toMatch(
      /admin, developer, analyst, viewer or a custom role id.*"owner"/,
    );
    expect(r.failures?.find((f) => f.property === "userIds[2]")?.reason).toMatch(/"u1" already listed at index 0/);
    expect(r.failures?.find((f) => f.property === "userIds")?.reason).toMatch(/either userId .* or userIds/);
  });

  test("neither form, empty list, more than 1000 users", async () => {
    expect((await workspaceHandler.check({}, { workspaceId: "w", role: "admin" })).failures).toEqual([
      { property: "userIds", reason: expect.stringMatching(/set userId .* or userIds/) },
    ]);
    expect(
      (await workspaceHandler.check({}, { workspaceId: "w", userIds: [], role: "admin" })).failures?.[0].reason,
    ).toMatch(/at least one user/);
    const many = Array.from({ length: 1001 }, (_, i) => `u${i}`);
    expect((await workspaceHandler.check({}, { workspaceId: "w", userIds: many, role: "admin" })).failures).toEqual([
      { property: "userIds", reason: expect.stringMatching(/at most 1000 users/) },
    ]);
  });

  test("unknown list and unknown role during preview", async () => {
    const r = await workspaceHandler.check({}, { workspaceId: "w", userIds: UNKNOWN, role: UNKNOWN });
    expect(r.failures).toBeUndefined();
  });

  test("role of a wrong type", async () => {
    const r = await workspaceHandler.check({}, { workspaceId: "w", userId: "u", role: true });
    expect(r.failures).toEqual([
      { property: "role", reason: expect.stringMatching(/must be admin, developer.*\(got true\)/) },
    ]);
  });
});

describe("GroupMembership check", () => {
  test("valid single and list", async () => {
    expect((await groupHandler.check({}, { userGroupId: "g", userId: "u" })).failures).toBeUndefined();
    expect((await groupHandler.check({}, { userGroupId: "g", userIds: ["a", "b"] })).failures).toBeUndefined();
  });
  test("problems", async () => {
    const r = await groupHandler.check({}, { userGroupId: 5, userIds: ["a", "a"], role: "admin" });
    expect((r.failures ?? []).map((f) => f.property).sort()).toEqual(["role", "userGroupId", "userIds[1]"]);
  });
  test("a user id with ':' is refused (it separates membership IDs)", async () => {
    const r = await groupHandler.check({}, { userGroupId: "g", userId: "a:b" });
    expect(r.failures).toEqual([{ property: "userId", reason: expect.stringMatching(/must not contain ':'/) }]);
  });
});
