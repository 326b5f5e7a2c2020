import { QuickBIError } from "../../../emulator/model/errors";
import { Organization } from "../../../emulator/model/organization";
import type { SeedInput } from "../../../emulator/model/seed";

/** A small organization exercising every rule: all user types, custom roles, two workspaces, a two-level group tree. */
export const U = {
  owner: "0000000000000000000000000000000a",
  perm: "0000000000000000000000000000000b",
  dev: "0000000000000000000000000000000c",
  dev2: "0000000000000000000000000000000d",
  analyst: "0000000000000000000000000000000e",
  viewer: "0000000000000000000000000000000f",
  inactive: "00000000000000000000000000000010",
} as const;

export const WS = {
  main: "11111111-1111-4111-8111-111111111111",
  other: "22222222-2222-4222-8222-222222222222",
} as const;
export const G = { eng: "33333333-3333-4333-8333-333333333333", data: "44444444-4444-4444-8444-444444444444" } as const;
export const ROLE = { orgAuditor: 500, orgReader: 501, wsPublisher: 600, wsExplorer: 601 } as const;

export function fixtureSeed(): SeedInput {
  return {
    organization: { organizationId: "org-1", ownerUserId: U.owner },
    users: [
      {
        userId: U.owner,
        accountId: "1001",
        accountName: "corp@aliyun.com:owner",
        nickName: "Owner",
        userType: 1,
        roleIds: [111111111],
      },
      {
        userId: U.perm,
        accountId: "1002",
        accountName: "corp@aliyun.com:perm",
        nickName: "Perm Admin",
        userType: 1,
        roleIds: [111111112],
      },
      { userId: U.dev, accountId: "1003", accountName: "corp@aliyun.com:dev", nickName: "Dev", userType: 1 },
      { userId: U.dev2, accountId: "1004", accountName: "other@aliyun.com:dev", nickName: "Dev Two", userType: 1 },
      { userId: U.analyst, accountId: "1005", accountName: "analyst@example.com", nickName: "Analyst", userType: 3 },
      { userId: U.viewer, accountId: "1006", nickName: "Viewer", userType: 2 },
      { userId: U.inactive, accountId: "1007", nickName: "Inactive", userType: 1, isDeleted: true },
    ],
    organizationRoles: [
      { roleId: ROLE.orgAuditor, roleName: "Auditor" },
      { roleId: ROLE.orgReader, roleName: "Reader", analystAllowed: true },
    ],
    workspaceRoles: [
      { roleId: ROLE.wsPublisher, roleName: "Publisher" },
      { roleId: ROLE.wsExplorer, roleName: "Explorer", analystAllowed: true },
    ],
    workspaces: [
      { workspaceId: WS.main, workspaceName: "Main", ownerUserId: U.owner },
      { workspaceId: WS.other, workspaceName: "Other", ownerUserId: U.dev2 },
    ],
    workspaceMembers: [
      { workspaceId: WS.main, userId: U.owner, roleId: 25 },
      { workspaceId: WS.main, userId: U.dev, roleId: 26, works: 3 },
      { workspaceId: WS.main, userId: U.analyst, roleId: 27, roleIds: [ROLE.wsExplorer] },
      { workspaceId: WS.other, userId: U.dev2, roleId: 25 },
    ],
    userGroups: [
      { userGroupId: G.eng, userGroupName: "Engineering", parentUserGroupId: "-1" },
      { userGroupId: G.data, userGroupName: "Data", parentUserGroupId: G.eng, userGroupDescription: "data team" },
    ],
    userGroupMembers: [
      { userGroupId: G.eng, userId: U.dev },
      { userGroupId: G.data, userId: U.analyst },
    ],
  };
}

export function fixtureOrg(): Organization {
  return Organization.fromSeed(fixtureSeed(), { randomSeed: 42, now: () => Date.UTC(2026, 0, 2, 3, 4, 5) });
}

/** Asserts that `fn` throws the documented Quick BI error (and optionally its HTTP status and message). */
export function expectCode(fn: () => unknown, code: string, status = 400, message?: string | RegExp): QuickBIError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  if (!(thrown instanceof QuickBIError)) {
    throw new Error(`expected QuickBIError ${code}, got ${thrown === undefined ? "no error" : String(thrown)}`);
  }
  expect(thrown.code).toBe(code);
  expect(thrown.httpStatus).toBe(status);
  if (message !== undefined) expect(thrown.message).toMatch(message);
  return thrown;
}
