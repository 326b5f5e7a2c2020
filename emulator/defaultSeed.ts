import type { SeedInput } from "./model/seed";

/** The access key of the demo organization. Public on purpose: the emulator is for tests and demos only. */
export const DEMO_ACCESS_KEY = Object.freeze({
  accessKeyId: "LTAIemulatorDemoKey",
  accessKeySecret: "emulator-demo-secret",
});

const ORG_ADMIN = 111111111;
const PERMISSION_ADMIN = 111111112;
const REGULAR = 111111113;
const WS_ADMIN = 25;
const WS_DEVELOPER = 26;
const WS_ANALYST = 27;
const WS_VIEWER = 30;

/**
 * A realistic small organization for the CLI without --seed, the demo and tests that need "some" state: the owner
 * (org admin), ten users of all three seat types, three workspaces with owners, memberships that respect the rules
 * (no viewer-type user in a workspace, analysts only with analyst/viewer roles) and a two-level user group tree.
 * Ids are fixed so docs and tests can refer to them.
 */
export function defaultSeed(): SeedInput {
  const account = (uid: string, name: string) => ({ accountId: uid, accountName: `demo-corp@aliyun.com:${name}` });
  return {
    organization: {
      organizationId: "0d3c5a4e-6f1b-4a8e-9c2d-7b1e0f3a9d54",
      ownerUserId: "a1f0c2d3e4b5468796a0b1c2d3e4f501",
    },
    accessKeys: [{ ...DEMO_ACCESS_KEY }],
    users: [
      {
        userId: "a1f0c2d3e4b5468796a0b1c2d3e4f501",
        ...account("1000000000000001", "olivia.owner"),
        nickName: "Olivia Owner",
        userType: 1,
        roleIds: [ORG_ADMIN],
      },
      {
        userId: "b2e1d3c4f5a6479807b1c2d3e4f5a602",
        ...account("1000000000000002", "pavel.perm"),
        nickName: "Pavel Permissions",
        userType: 1,
        roleIds: [PERMISSION_ADMIN],
      },
      {
        userId: "c3d2e4f5a6b7480918c2d3e4f5a6b703",
        ...account("1000000000000003", "dana.dev"),
        nickName: "Dana Developer",
        userType: 1,
        roleIds: [REGULAR],
      },
      {
        userId: "d4c3f5a6b7c8491a29d3e4f5a6b7c804",
        ...account("1000000000000004", "diego.dev"),
        nickName: "Diego Developer",
        userType: 1,
        roleIds: [REGULAR],
      },
      {
        userId: "e5b4a6b7c8d94a2b3ae4f5a6b7c8d905",
        ...account("1000000000000005", "fatima.data"),
        nickName: "Fatima Data",
        userType: 1,
        roleIds: [REGULAR],
      },
      {
        userId: "f6a5b7c8d9ea4b3c4bf5a6b7c8d9ea06",
        ...account("1000000000000006", "anna.analyst"),
        nickName: "Anna Analyst",
        userType: 3,
        roleIds: [REGULAR],
      },
      {
        userId: "a7b6c8d9eafb4c4d5ca6b7c8d9eafb07",
        ...account("1000000000000007", "arjun.analyst"),
        nickName: "Arjun Analyst",
        userType: 3,
        roleIds: [REGULAR],
      },
      {
        userId: "b8c7d9eafb0c4d5e6db7c8d9eafb0c08",
        ...account("1000000000000008", "victor.viewer"),
        nickName: "Victor Viewer",
        userType: 2,
        roleIds: [REGULAR],
      },
      {
        userId: "c9d8eafb0c1d4e6f7ec8d9eafb0c1d09",
        ...account("1000000000000009", "vera.viewer"),
        nickName: "Vera Viewer",
        userType: 2,
        roleIds: [REGULAR],
      },
      {
        userId: "dae9fb0c1d2e4f708fd9eafb0c1d2e10",
        ...account("1000000000000010", "ines.inactive"),
        nickName: "Ines Inactive",
        userType: 3,
        roleIds: [REGULAR],
        isDeleted: true,
      },
    ],
    workspaces: [
      {
        workspaceId: "5f3e2c1a-8b7d-4e6f-9a0b-1c2d3e4f5a01",
        workspaceName: "Sales Analytics",
        workspaceDescription: "Revenue and pipeline dashboards",
        ownerUserId: "a1f0c2d3e4b5468796a0b1c2d3e4f501",
      },
      {
        workspaceId: "6a4f3d2b-9c8e-4f70-8b1c-2d3e4f5a6b02",
        workspaceName: "Finance",
        workspaceDescription: "Month-end reporting",
        ownerUserId: "c3d2e4f5a6b7480918c2d3e4f5a6b703",
      },
      {
        workspaceId: "7b5a4e3c-0d9f-4a81-9c2d-3e4f5a6b7c03",
        workspaceName: "Data Platform Sandbox",
        ownerUserId: "e5b4a6b7c8d94a2b3ae4f5a6b7c8d905",
      },
    ],
    workspaceMembers: [
      {
        workspaceId: "5f3e2c1a-8b7d-4e6f-9a0b-1c2d3e4f5a01",
        userId: "a1f0c2d3e4b5468796a0b1c2d3e4f501",
        roleId: WS_ADMIN,
      },
      {
        workspaceId: "5f3e2c1a-8b7d-4e6f-9a0b-1c2d3e4f5a01",
        userId: "d4c3f5a6b7c8491a29d3e4f5a6b7c804",
        roleId: WS_DEVELOPER,
      },
      {
        workspaceId: "5f3e2c1a-8b7d-4e6f-9a0b-1c2d3e4f5a01",
        userId: "f6a5b7c8d9ea4b3c4bf5a6b7c8d9ea06",
        roleId: WS_ANALYST,
      },
      {
        workspaceId: "6a4f3d2b-9c8e-4f70-8b1c-2d3e4f5a6b02",
        userId: "c3d2e4f5a6b7480918c2d3e4f5a6b703",
        roleId: WS_ADMIN,
      },
      {
        workspaceId: "6a4f3d2b-9c8e-4f70-8b1c-2d3e4f5a6b02",
        userId: "a7b6c8d9eafb4c4d5ca6b7c8d9eafb07",
        roleId: WS_VIEWER,
      },
      {
        workspaceId: "7b5a4e3c-0d9f-4a81-9c2d-3e4f5a6b7c03",
        userId: "e5b4a6b7c8d94a2b3ae4f5a6b7c8d905",
        roleId: WS_ADMIN,
      },
      {
        workspaceId: "7b5a4e3c-0d9f-4a81-9c2d-3e4f5a6b7c03",
        userId: "c3d2e4f5a6b7480918c2d3e4f5a6b703",
        roleId: WS_DEVELOPER,
      },
    ],
    userGroups: [
      {
        userGroupId: "8c6b5f4d-1e0a-4b92-8d3e-4f5a6b7c8d01",
        userGroupName: "Engineering",
        parentUserGroupId: "-1",
        userGroupDescription: "All engineers",
      },
      {
        userGroupId: "9d7c6a5e-2f1b-4ca3-9e4f-5a6b7c8d9e02",
        userGroupName: "Data Platform",
        parentUserGroupId: "8c6b5f4d-1e0a-4b92-8d3e-4f5a6b7c8d01",
      },
      { userGroupId: "ae8d7b6f-3a2c-4db4-8f5a-6b7c8d9eaf03", userGroupName: "Business", parentUserGroupId: "-1" },
    ],
    userGroupMembers: [
      { userGroupId: "8c6b5f4d-1e0a-4b92-8d3e-4f5a6b7c8d01", userId: "c3d2e4f5a6b7480918c2d3e4f5a6b703" },
      { userGroupId: "8c6b5f4d-1e0a-4b92-8d3e-4f5a6b7c8d01", userId: "d4c3f5a6b7c8491a29d3e4f5a6b7c804" },
      { userGroupId: "9d7c6a5e-2f1b-4ca3-9e4f-5a6b7c8d9e02", userId: "e5b4a6b7c8d94a2b3ae4f5a6b7c8d905" },
      { userGroupId: "ae8d7b6f-3a2c-4db4-8f5a-6b7c8d9eaf03", userId: "f6a5b7c8d9ea4b3c4bf5a6b7c8d9ea06" },
      { userGroupId: "ae8d7b6f-3a2c-4db4-8f5a-6b7c8d9eaf03", userId: "b8c7d9eafb0c4d5e6db7c8d9eafb0c08" },
    ],
  };
}
