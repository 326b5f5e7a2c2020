import { z } from "zod";

/**
 * The seed / state-file format of the emulator (`--seed FILE`, `--state FILE`, `GET /__emulator/state`).
 * The field names are a contract (issue #2); optional fields are extensions.
 */
export const AccessKeySeed = z.object({
  accessKeyId: z.string().min(1),
  accessKeySecret: z.string().min(1),
  /** The Quick BI user this key acts as (the API caller). Optional: defaults to the organization owner. */
  userId: z.string().optional(),
});

export const UserSeed = z.object({
  userId: z.string().min(1),
  accountId: z.string().optional(),
  accountName: z.string().optional(),
  nickName: z.string().min(1),
  /** 1 developer, 2 visitor (viewer), 3 analyst. */
  userType: z.number().int().min(1).max(3),
  roleIds: z.array(z.number().int()).default([111111113]),
  isDeleted: z.boolean().optional(),
  /** Extension: returned by QueryUserInfoBy* when set. */
  email: z.string().optional(),
  phone: z.string().optional(),
  /** Extension: ms epoch of JoinedDate (defaults to load time). */
  joinedDate: z.number().int().optional(),
});

export const WorkspaceSeed = z.object({
  workspaceId: z.string().min(1),
  workspaceName: z.string().min(1),
  workspaceDescription: z.string().optional(),
  ownerUserId: z.string().min(1),
  /** Extension: a personal workspace, not a group workspace: membership writes answer `Workspace.Type.Error`. */
  personal: z.boolean().optional(),
  /** Extension: workspace switches reported by QueryOrganizationWorkspaceList (default true). */
  allowShare: z.boolean().optional(),
  allowPublish: z.boolean().optional(),
  /** Extension: ms epoch timestamps (default: load time). */
  createTime: z.number().int().optional(),
  modifiedTime: z.number().int().optional(),
});

export const WorkspaceMemberSeed = z.object({
  workspaceId: z.string().min(1),
  userId: z.string().min(1),
  roleId: z.number().int(),
  /** Extra roles (custom workspace roles) held besides `roleId`. */
  roleIds: z.array(z.number().int()).optional(),
  /**
   * Extension: how many works (reports, dashboards) the member owns in this workspace. They move to the workspace
   * owner when the member leaves, or to the `TransferUserId` successor on DeleteUser, which makes transfers observable.
   */
  works: z.number().int().min(0).optional(),
});

export const UserGroupSeed = z.object({
  userGroupId: z.string().min(1),
  userGroupName: z.string().min(1),
  parentUserGroupId: z.string().default("-1"),
  userGroupDescription: z.string().optional(),
  /** Extension: who created / last modified the group, and when (ms epoch). */
  createUserId: z.string().optional(),
  modifyUserId: z.string().optional(),
  createTime: z.number().int().optional(),
  modifiedTime: z.number().int().optional(),
});

export const UserGroupMemberSeed = z.object({
  userGroupId: z.string().min(1),
  userId: z.string().min(1),
});

export const RoleSeed = z.object({
  roleId: z.number().int(),
  roleName: z.string().min(1),
  /** For workspace roles: the custom role is usable by analysts (no admin/develop permissions). */
  analystAllowed: z.boolean().optional(),
});

export const SeedSchema = z.object({
  organization: z
    .object({
      organizationId: z.string().optional(),
      ownerUserId: z.string().optional(),
      /** Extension: seat limits (`Organization.*.ReachedTheUpperLimit`, `Instance.Over.MaxLicense`,
       *  `CreateWorkspace.Exceeds.Limits`). Absent = unlimited. Inactive (IsDeleted) users take no seat. */
      limits: z
        .object({
          developers: z.number().int().min(0).optional(),
          viewers: z.number().int().min(0).optional(),
          analysts: z.number().int().min(0).optional(),
          users: z.number().int().min(0).optional(),
          workspaces: z.number().int().min(0).optional(),
        })
        .optional(),
      /** Extension: enforce `OrganizationDeveloper.CanNotChangeTo.AnalystOrViewer` (off by default: its real trigger is
       *  unknown and Terraform's acceptance test changes Developer -> Analyst). */
      lockDeveloperType: z.boolean().optional(),
      /** Extension: DeleteUser refuses a user who is still a member of a workspace (`Member.ExistInWorkspace.Error`).
       *  Off by default: the page's TransferUserId text describes deleting members, the real trigger is unknown. */
      deleteRequiresLeavingWorkspaces: z.boolean().optional(),
      /** Extension: the user groups are synchronized from another directory: no groups under the root
       *  (`RootUserGroup.Create.Error`) and no users added to groups (`UserGroup.Already.Synchronized`). */
      userGroupsSynchronized: z.boolean().optional(),
      /** Extension: seed of the id generator, so new UserIds / workspace / group ids are reproducible, and how many
       *  draws were already taken from it (kept in saved state so a reload continues the same sequence). */
      randomSeed: z.number().int().optional(),
      randomDraws: z.number().int().min(0).optional(),
    })
    .optional(),
  accessKeys: z.array(AccessKeySeed).default([]),
  users: z.array(UserSeed).default([]),
  workspaces: z.array(WorkspaceSeed).default([]),
  workspaceMembers: z.array(WorkspaceMemberSeed).default([]),
  userGroups: z.array(UserGroupSeed).default([]),
  userGroupMembers: z.array(UserGroupMemberSeed).default([]),
  /** Custom organization roles (the presets 111111111/2/3 always exist). */
  organizationRoles: z.array(RoleSeed).optional(),
  /** Custom workspace roles (the presets 25/26/27/30 always exist). */
  workspaceRoles: z.array(RoleSeed).optional(),
});

export type Seed = z.infer<typeof SeedSchema>;
export type SeedInput = z.input<typeof SeedSchema>;
