/**
 * The bench's organization: N analyst-type users, 10 workspaces (each owned by one owner who is its admin), 20 user
 * groups, all empty of bench users at the start. Every scenario (bench/scenarios/) runs against this seed.
 */
import { DEMO_ACCESS_KEY, type SeedInput } from "../emulator";

export const WORKSPACES = 10;
export const GROUPS = 20;

export const OWNER = "0b0c0d0e0f1011121314151617181900";

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

export function userId(i: number): string {
  return `be0c${hex(i, 28)}`;
}
export function workspaceId(k: number): string {
  return `bench-ws-${hex(k, 4)}-0000-4000-8000-000000000000`;
}
export function groupId(g: number): string {
  return `bench-group-${hex(g, 4)}`;
}

export function benchSeed(users: number): SeedInput {
  return {
    organization: { organizationId: "be0c0000-0000-4000-8000-000000000001", ownerUserId: OWNER },
    accessKeys: [{ ...DEMO_ACCESS_KEY }],
    users: [
      {
        userId: OWNER,
        accountId: "2000000000000000",
        accountName: "bench@aliyun.com:owner",
        nickName: "Bench Owner",
        userType: 1,
        roleIds: [111111111],
      },
      ...Array.from({ length: users }, (_, i) => ({
        userId: userId(i),
        accountId: String(2000000000000001 + i),
        accountName: `bench@aliyun.com:user${i}`,
        nickName: `Bench User ${i}`,
        userType: 3,
        roleIds: [111111113],
      })),
    ],
    workspaces: Array.from({ length: WORKSPACES }, (_, k) => ({
      workspaceId: workspaceId(k),
      workspaceName: `Bench Workspace ${k}`,
      ownerUserId: OWNER,
    })),
    workspaceMembers: Array.from({ length: WORKSPACES }, (_, k) => ({
      workspaceId: workspaceId(k),
      userId: OWNER,
      roleId: 25,
    })),
    userGroups: Array.from({ length: GROUPS }, (_, g) => ({
      userGroupId: groupId(g),
      userGroupName: `Bench Group ${g}`,
      parentUserGroupId: "-1",
    })),
    userGroupMembers: [],
  };
}
