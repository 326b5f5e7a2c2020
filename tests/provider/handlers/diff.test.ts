import { groupHandler, UNKNOWN, userHandler, workspaceHandler } from "./helpers";

const userOuts = {
  userId: "u1",
  accountId: "1001",
  accountName: "ana@example.com",
  nickName: "Ana",
  userType: "developer",
  roleIds: [111111113],
};
const userIns = {
  accountId: "1001",
  accountName: "ana@example.com",
  nickName: "Ana",
  userType: "developer",
  roleIds: [111111113],
};

describe("QuickBIUser diff", () => {
  test.each<[string, Record<string, unknown>, Record<string, unknown>, object]>([
    ["no change", {}, {}, { changes: false }],
    ["roleIds omitted: not managed", {}, { roleIds: undefined }, { changes: false }],
    ["role order is not a change", { roleIds: [2, 1] }, { roleIds: [1, 2] }, { changes: false }],
    ["nickName → update", {}, { nickName: "Ana2" }, { changes: true }],
    ["userType → update", {}, { userType: "analyst" }, { changes: true }],
    ["roleIds → update", {}, { roleIds: [111111111] }, { changes: true }],
    ["transferWorksTo → state-only update", {}, { transferWorksTo: "u9" }, { changes: true }],
    ["adopt is not a change", {}, { adopt: true }, { changes: false }],
    [
      "accountId → replace, delete first",
      {},
      { accountId: "2002" },
      { changes: true, replaces: ["accountId"], deleteBeforeReplace: true },
    ],
    [
      "accountName → replace",
      {},
      { accountName: "bob@example.com" },
      { changes: true, replaces: ["accountName"], deleteBeforeReplace: true },
    ],
    [
      "RAM name equal to the stored sub-account name",
      { accountName: "sub" },
      { accountName: "master@x.com:sub" },
      { changes: false },
    ],
    ["accountId added where Quick BI reported none: not a replace", { accountId: undefined }, {}, { changes: false }],
    [
      "unknown accountId during preview → replace",
      {},
      { accountId: UNKNOWN },
      { changes: true, replaces: ["accountId"], deleteBeforeReplace: true },
    ],
    ["unknown nickName during preview → update", {}, { nickName: UNKNOWN }, { changes: true }],
  ])("%s", async (_name, oldPatch, newPatch, expected) => {
    const olds = JSON.parse(JSON.stringify({ ...userOuts, ...oldPatch }));
    const news = JSON.parse(JSON.stringify({ ...userIns, ...newPatch }));
    expect(await userHandler.diff("u1", olds, news)).toEqual(expected);
  });
});

const wsOuts = { workspaceId: "ws", userIds: ["a", "b"], role: "viewer", roleId: 30, userRoles: { a: 30, b: 30 } };
const wsIns = { workspaceId: "ws", userIds: ["a", "b"], role: "viewer" };

describe("WorkspaceMembership diff", () => {
  test.each<[string, Record<string, unknown>, Record<string, unknown>, object]>([
    ["no change", {}, {}, { changes: false }],
    ["same role by id", {}, { role: 30 }, { changes: false }],
    ["order of users is not a change", {}, { userIds: ["b", "a"] }, { changes: false }],
    ["role change → update, never replace", {}, { role: "admin" }, { changes: true }],
    ["one member drifted → update", { userRoles: { a: 30, b: 25 } }, {}, { changes: true }],
    ["user added → update", {}, { userIds: ["a", "b", "c"] }, { changes: true }],
    ["user removed → update", {}, { userIds: ["a"] }, { changes: true }],
    ["adopt is not a change", {}, { adopt: true }, { changes: false }],
    [
      "workspaceId → replace, delete first",
      {},
      { workspaceId: "ws2" },
      { changes: true, replaces: ["workspaceId"], deleteBeforeReplace: true },
    ],
    [
      "list → single form → replace",
      {},
      { userIds: undefined, userId: "a" },
      { changes: true, replaces: ["userIds"], deleteBeforeReplace: true },
    ],
    [
      "unknown workspaceId → replace",
      {},
      { workspaceId: UNKNOWN },
      { changes: true, replaces: ["workspaceId"], deleteBeforeReplace: true },
    ],
    ["unknown users → update", {}, { userIds: [UNKNOWN, "a"] }, { changes: true }],
    ["unknown role → update", {}, { role: UNKNOWN }, { changes: true }],
  ])("%s", async (_name, oldPatch, newPatch, expected) => {
    const olds = JSON.parse(JSON.stringify({ ...wsOuts, ...oldPatch }));
    const news = JSON.parse(JSON.stringify({ ...wsIns, ...newPatch }));
    expect(await workspaceHandler.diff("ws:set-00000000", olds, news)).toEqual(expected);
  });

  const single = { workspaceId: "ws", userId: "a", userIds: ["a"], role: "admin", roleId: 25, userRoles: { a: 25 } };
  test.each<[string, Record<string, unknown>, object]>([
    ["no change", { workspaceId: "ws", userId: "a", role: "admin" }, { changes: false }],
    ["custom role → update", { workspaceId: "ws", userId: "a", role: 1234 }, { changes: true }],
    [
      "other user → replace",
      { workspaceId: "ws", userId: "b", role: "admin" },
      { changes: true, replaces: ["userId"], deleteBeforeReplace: true },
    ],
    [
      "single → list → replace",
      { workspaceId: "ws", userIds: ["a"], role: "admin" },
      { changes: true, replaces: ["userId"], deleteBeforeReplace: true },
    ],
  ])("single user: %s", async (_name, news, expected) => {
    expect(await workspaceHandler.diff("ws:a", single, news)).toEqual(expected);
  });
});

describe("GroupMembership diff", () => {
  const outs = { userGroupId: "g", userIds: ["a", "b"] };
  test.each<[string, Record<string, unknown>, object]>([
    ["no change", { userGroupId: "g", userIds: ["b", "a"] }, { changes: false }],
    ["user added → update", { userGroupId: "g", userIds: ["a", "b", "c"] }, { changes: true }],
    ["adopt only", { userGroupId: "g", userIds: ["a", "b"], adopt: true }, { changes: false }],
    [
      "group → replace",
      { userGroupId: "h", userIds: ["a", "b"] },
      { changes: true, replaces: ["userGroupId"], deleteBeforeReplace: true },
    ],
  ])("%s", async (_name, news, expected) => {
    expect(await groupHandler.diff("g:set-00000000", outs, news)).toEqual(expected);
  });
});
