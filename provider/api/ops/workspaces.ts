/**
 * Workspaces and workspace membership: AddUserToWorkspace, AddWorkspaceUsers, UpdateWorkspaceUserRole,
 * UpdateWorkspaceUsersRole, DeleteUserFromWorkspace, QueryWorkspaceUserList, QueryUserRoleInfoInWorkspace,
 * QueryOrganizationWorkspaceList, ListWorkspaceUserRolesByUserId, CreateWorkspace.
 */
import { z } from "zod";
import type { QuickBICaller, Verify, WriteOptions } from "../call";
import { isMembershipNotFound } from "../errors";
import { sendBatch, type BatchResult } from "./batch";
import { listAllUsers } from "./users";
import { absentOn, invoke, joinIds } from "./invoke";
import { pages } from "./paging";
import { bool, boolResult, idString, int, opt, page, type Page } from "./shapes";
export { BatchResultSchema, type BatchResult } from "./batch";
import { isPerUserFailure, settleWholeRequestFailure, type Isolation } from "./wholeRequestFailure";

export const RoleInfoSchema = z.object({
  RoleId: int,
  RoleCode: opt(z.string()),
  RoleName: opt(z.string()),
});
export type RoleInfo = z.infer<typeof RoleInfoSchema>;

export const WorkspaceUserSchema = z.object({
  UserId: idString,
  AccountId: opt(idString),
  AccountName: opt(z.string()),
  NickName: opt(z.string()),
  /** Preset role only; absent for a member holding only custom roles (undocumented, so tolerated). */
  Role: opt(RoleInfoSchema),
});
export type WorkspaceUser = z.infer<typeof WorkspaceUserSchema>;
export const WorkspaceUserPageSchema = page(WorkspaceUserSchema);

export const WorkspaceSchema = z.object({
  WorkspaceId: z.string(),
  WorkspaceName: z.string(),
  WorkspaceDescription: opt(z.string()),
  OrganizationId: opt(z.string()),
  Owner: opt(z.string()),
  OwnerAccountName: opt(z.string()),
  CreateUser: opt(z.string()),
  CreateUserAccountName: opt(z.string()),
  ModifyUser: opt(z.string()),
  ModifyUserAccountName: opt(z.string()),
  CreateTime: opt(z.string()),
  ModifiedTime: opt(z.string()),
  AllowShareOperation: opt(bool),
  AllowPublishOperation: opt(bool),
});
export type Workspace = z.infer<typeof WorkspaceSchema>;
export const WorkspacePageSchema = page(WorkspaceSchema);

export const UserWorkspaceRoleSchema = z.object({
  WorkspaceId: z.string(),
  WorkspaceName: opt(z.string()),
  // Documented as a string here (int64 elsewhere); normalized to a number like every other role id.
  RoleModel: z.object({ RoleId: int, RoleCode: opt(z.string()), RoleName: opt(z.string()) }),
});
export type UserWorkspaceRole = z.infer<typeof UserWorkspaceRoleSchema>;

export interface MembershipParams {
  readonly workspaceId: string;
  readonly userId: string;
}

async function currentRole(c: QuickBICaller, p: MembershipParams): Promise<RoleInfo | undefined> {
  return absentOn(() => queryUserRoleInfoInWorkspace(c, p), isMembershipNotFound);
}

export async function addUserToWorkspace(
  c: QuickBICaller,
  p: MembershipParams & { readonly roleId: number },
  opts: WriteOptions = {},
): Promise<boolean> {
  const verify: Verify =
    opts.verify ?? (async () => ((await currentRole(c, p))?.RoleId === p.roleId ? "applied" : "not-applied"));
  return invoke(
    c,
    "AddUserToWorkspace",
    { WorkspaceId: p.workspaceId, UserId: p.userId, RoleId: p.roleId },
    { idempotent: false, verify },
    boolResult,
  );
}

export interface BatchMembershipParams {
  readonly workspaceId: string;
  readonly userIds: readonly string[];
  /** Preset workspace role ids only (25/26/27/30), as documented. */
  readonly roleId: number;
}

/**
 * Batch add. A per-user problem Quick BI answers as a failure of the whole request is settled per user
 * (wholeRequestFailure.ts): the result then names every user as if Quick BI had answered per user.
 */
export async function addWorkspaceUsers(
  c: QuickBICaller,
  p: BatchMembershipParams,
  opts: WriteOptions = {},
): Promise<BatchResult> {
  const action = "AddWorkspaceUsers";
  const verifyFor =
    (userIds: readonly string[]): Verify =>
    async () => {
      // Applied only if every user is now a member with the role; otherwise re-send and let per-user
      // "already exists" entries report the ones that did land.
      for (const userId of userIds) {
        const role = await currentRole(c, { workspaceId: p.workspaceId, userId });
        if (role?.RoleId !== p.roleId) return "not-applied";
      }
      return "applied";
    };
  const send = (userIds: readonly string[], verify: Verify) =>
    sendBatch(
      c,
      action,
      { WorkspaceId: p.workspaceId, UserIds: joinIds(action, "UserIds", userIds), RoleId: p.roleId },
      false,
      verify,
    );
  try {
    return await send(p.userIds, opts.verify ?? verifyFor(p.userIds));
  } catch (e) {
    if (!isPerUserFailure(e)) throw e;
    return settleWholeRequestFailure(p.userIds, e, {
      ...isolation(c, p.workspaceId),
      send: (userIds) => send(userIds, verifyFor(userIds)),
      sendOne: async (userId) => {
        await addUserToWorkspace(c, { workspaceId: p.workspaceId, userId, roleId: p.roleId });
      },
    });
  }
}

/** The reads a whole-request failure is settled with, each made at most once (nothing was applied in between). */
function isolation(c: QuickBICaller, workspaceId: string): Pick<Isolation, "read"> {
  let members: Promise<ReadonlySet<string>> | undefined;
  let owner: Promise<string | undefined> | undefined;
  let userTypes: Promise<ReadonlyMap<string, number>> | undefined;
  return {
    read: {
      members: () =>
        (members ??= listAllWorkspaceUsers(c, { workspaceId }).then((l) => new Set(l.map((m) => m.UserId)))),
      owner: () =>
        (owner ??= listAllOrganizationWorkspaces(c).then((l) => l.find((w) => w.WorkspaceId === workspaceId)?.Owner)),
      userTypes: () => (userTypes ??= listAllUsers(c).then((l) => new Map(l.map((u) => [u.UserId, u.UserType])))),
    },
  };
}

/** Overwrites the role set, so repeating it is harmless: idempotent. `roleIds` wins over `roleId`. */
export async function updateWorkspaceUserRole(
  c: QuickBICaller,
  p: MembershipParams & { readonly roleId?: number; readonly roleIds?: readonly number[] },
): Promise<boolean> {
  const action = "UpdateWorkspaceUserRole";
  return invoke(
    c,
    action,
    {
      WorkspaceId: p.workspaceId,
      UserId: p.userId,
      RoleId: p.roleId,
      RoleIds: p.roleIds === undefined ? undefined : joinIds(action, "RoleIds", p.roleIds),
    },
    { idempotent: true },
    boolResult,
  );
}

/** Overwrites roles: idempotent. A whole-request failure about some member is settled per user, as for the add. */
export async function updateWorkspaceUsersRole(c: QuickBICaller, p: BatchMembershipParams): Promise<BatchResult> {
  const action = "UpdateWorkspaceUsersRole";
  const send = (userIds: readonly string[]) =>
    sendBatch(
      c,
      action,
      { WorkspaceId: p.workspaceId, UserIds: joinIds(action, "UserIds", userIds), RoleId: p.roleId },
      true,
      undefined,
    );
  try {
    return await send(p.userIds);
  } catch (e) {
    if (!isPerUserFailure(e)) throw e;
    return settleWholeRequestFailure(p.userIds, e, {
      ...isolation(c, p.workspaceId),
      send,
      sendOne: async (userId) => {
        await updateWorkspaceUserRole(c, { workspaceId: p.workspaceId, userId, roleIds: [p.roleId] });
      },
    });
  }
}

export async function deleteUserFromWorkspace(
  c: QuickBICaller,
  p: MembershipParams,
  opts: WriteOptions = {},
): Promise<boolean> {
  const verify: Verify =
    opts.verify ?? (async () => ((await currentRole(c, p)) === undefined ? "applied" : "not-applied"));
  return invoke(
    c,
    "DeleteUserFromWorkspace",
    { WorkspaceId: p.workspaceId, UserId: p.userId },
    { idempotent: false, verify },
    boolResult,
  );
}

export interface QueryWorkspaceUserListParams {
  readonly workspaceId: string;
  readonly keyword?: string;
  readonly pageNum?: number;
  readonly pageSize?: number;
}

export async function queryWorkspaceUserList(
  c: QuickBICaller,
  p: QueryWorkspaceUserListParams,
): Promise<Page<WorkspaceUser>> {
  return invoke(
    c,
    "QueryWorkspaceUserList",
    { WorkspaceId: p.workspaceId, Keyword: p.keyword, PageNum: p.pageNum, PageSize: p.pageSize },
    { idempotent: true },
    WorkspaceUserPageSchema,
  );
}

export function iterateWorkspaceUsers(
  c: QuickBICaller,
  p: { readonly workspaceId: string; readonly keyword?: string },
): AsyncGenerator<WorkspaceUser> {
  return pages((pageNum, pageSize) => queryWorkspaceUserList(c, { ...p, pageNum, pageSize }));
}

export async function listAllWorkspaceUsers(
  c: QuickBICaller,
  p: { readonly workspaceId: string; readonly keyword?: string },
): Promise<WorkspaceUser[]> {
  const out: WorkspaceUser[] = [];
  for await (const u of iterateWorkspaceUsers(c, p)) out.push(u);
  return out;
}

/** The cheapest single-membership read; throws `User.NotIn.Workspace` for a non-member. */
export async function queryUserRoleInfoInWorkspace(c: QuickBICaller, p: MembershipParams): Promise<RoleInfo> {
  return invoke(
    c,
    "QueryUserRoleInfoInWorkspace",
    { WorkspaceId: p.workspaceId, UserId: p.userId },
    { idempotent: true },
    RoleInfoSchema,
  );
}

export interface QueryOrganizationWorkspaceListParams {
  readonly keyword?: string;
  readonly userId?: string;
  readonly pageNum?: number;
  readonly pageSize?: number;
}

export async function queryOrganizationWorkspaceList(
  c: QuickBICaller,
  p: QueryOrganizationWorkspaceListParams = {},
): Promise<Page<Workspace>> {
  return invoke(
    c,
    "QueryOrganizationWorkspaceList",
    { Keyword: p.keyword, UserId: p.userId, PageNum: p.pageNum, PageSize: p.pageSize },
    { idempotent: true },
    WorkspacePageSchema,
  );
}

export function iterateOrganizationWorkspaces(
  c: QuickBICaller,
  p: { readonly keyword?: string; readonly userId?: string } = {},
): AsyncGenerator<Workspace> {
  return pages((pageNum, pageSize) => queryOrganizationWorkspaceList(c, { ...p, pageNum, pageSize }));
}

export async function listAllOrganizationWorkspaces(
  c: QuickBICaller,
  p: { readonly keyword?: string; readonly userId?: string } = {},
): Promise<Workspace[]> {
  const out: Workspace[] = [];
  for await (const w of iterateOrganizationWorkspaces(c, p)) out.push(w);
  return out;
}

export async function listWorkspaceUserRolesByUserId(
  c: QuickBICaller,
  p: { readonly userId: string },
): Promise<UserWorkspaceRole[]> {
  return invoke(
    c,
    "ListWorkspaceUserRolesByUserId",
    { UserId: p.userId },
    { idempotent: true },
    z.array(UserWorkspaceRoleSchema),
  );
}

export interface CreateWorkspaceParams {
  readonly workspaceName: string;
  readonly workspaceDescription?: string;
  readonly useComment?: boolean;
  readonly allowShare?: boolean;
  readonly allowPublish?: boolean;
  readonly allowViewAll?: boolean;
  readonly defaultShareToAll?: boolean;
  readonly onlyAdminCreateDatasource?: boolean;
}

/** Returns the new workspace id. */
export async function createWorkspace(
  c: QuickBICaller,
  p: CreateWorkspaceParams,
  opts: WriteOptions = {},
): Promise<string> {
  const verify: Verify =
    opts.verify ??
    (async () => {
      const found = (await listAllOrganizationWorkspaces(c, { keyword: p.workspaceName })).find(
        (w) => w.WorkspaceName === p.workspaceName,
      );
      return found ? { status: "applied", result: found.WorkspaceId } : "not-applied";
    });
  return invoke(
    c,
    "CreateWorkspace",
    {
      WorkspaceName: p.workspaceName,
      WorkspaceDescription: p.workspaceDescription,
      UseComment: p.useComment,
      AllowShare: p.allowShare,
      AllowPublish: p.allowPublish,
      AllowViewAll: p.allowViewAll,
      DefaultShareToAll: p.defaultShareToAll,
      OnlyAdminCreateDatasource: p.onlyAdminCreateDatasource,
    },
    { idempotent: false, verify },
    z.string().min(1),
  );
}
