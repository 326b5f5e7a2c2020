import { BatchRules, runBatch } from "./batch";
import { FAILURE_DETAIL, qbError } from "./codes";
import { QuickBIError } from "./errors";
import { checkIdList, unique } from "./idLists";
import { matchesKeyword } from "./paging";
import { RoleCatalog } from "./roleCatalog";
import { orderRoles, presetRank, WS_ADMIN, workspaceRoleRank } from "./roles";
import type { Seed } from "./seed";
import { BatchOutcome, Membership, Role, USER_TYPE, User, Workspace, WorkspaceRoleOfUser } from "./types";
import { displayAccountName, Users } from "./users";
import { Workspaces } from "./workspaces";

/** AddWorkspaceUsers lists these codes under HTTP 500 in its doc table (the others under 400). */
const ADD_WORKSPACE_USERS_500: ReadonlySet<string> = new Set([
  "Workspace.Not.Exist",
  "ApiUser.Not.Exists",
  "Viewer.AddInTo.Workspace",
  "User.AlreadyIn.Workspace",
  "User.AlreadyIn.Role",
]);
const addWorkspaceUsersStatus = (code: string): number => (ADD_WORKSPACE_USERS_500.has(code) ? 500 : 400);

/**
 * Who belongs to which workspace with which roles, and every membership rule: user types vs roles (§4.4), the owner
 * keeps role 25, the batch actions' per-user outcomes, and where works go when a member leaves.
 */
export class WorkspaceMembers {
  /** workspaceId -> userId -> membership */
  private readonly members = new Map<string, Map<string, Membership>>();

  constructor(
    private readonly users: Users,
    private readonly workspaces: Workspaces,
    private readonly roles: RoleCatalog,
    /** Quirk `batch-errors-whole-request` (model/rules.ts). */
    private readonly batchErrorsWholeRequest: boolean,
  ) {}

  load(seed: Seed): void {
    for (const w of this.workspaces.all()) this.members.set(w.workspaceId, new Map());
    for (const m of seed.workspaceMembers) {
      const ms = this.members.get(m.workspaceId);
      if (!ms) throw new Error(`seed: membership in unknown workspace ${m.workspaceId}`);
      this.users.requireSeedUser(m.userId, `member of workspace ${m.workspaceId}`);
      const roleIds = unique([m.roleId, ...(m.roleIds ?? [])]);
      for (const id of roleIds)
        if (!this.roles.hasWorkspaceRole(id)) throw new Error(`seed: unknown workspace role ${id}`);
      ms.set(m.userId, { workspaceId: m.workspaceId, userId: m.userId, roleIds, works: m.works ?? 0 });
    }
    // The owner of a workspace is always one of its admins; a seed may leave that implicit.
    for (const w of this.workspaces.all()) {
      const own = this.of(w.workspaceId).get(w.ownerUserId);
      if (!own) this.addOwner(w);
      else if (!own.roleIds.includes(WS_ADMIN))
        throw new Error(`seed: owner of workspace ${w.workspaceId} must hold role 25`);
    }
  }

  toSeed(): Seed["workspaceMembers"] {
    return [...this.members.values()].flatMap((ms) =>
      [...ms.values()].map((m) => {
        const [roleId, ...rest] = orderRoles(m.roleIds);
        return {
          workspaceId: m.workspaceId,
          userId: m.userId,
          roleId: roleId!,
          ...(rest.length > 0 ? { roleIds: rest } : {}),
          ...(m.works > 0 ? { works: m.works } : {}),
        };
      }),
    );
  }

  /** A new workspace's owner is its first admin. */
  addOwner(w: Workspace): void {
    if (!this.members.has(w.workspaceId)) this.members.set(w.workspaceId, new Map());
    this.of(w.workspaceId).set(w.ownerUserId, {
      workspaceId: w.workspaceId,
      userId: w.ownerUserId,
      roleIds: [WS_ADMIN],
      works: 0,
    });
  }

  isMember(workspaceId: string, userId: string): boolean {
    return this.members.get(workspaceId)?.has(userId) ?? false;
  }

  membershipsOf(userId: string): Membership[] {
    return [...this.members.values()].flatMap((ms) => {
      const m = ms.get(userId);
      return m ? [m] : [];
    });
  }

  /** Members of a workspace in join order, optionally filtered by a substring of nickname or account name. */
  list(workspaceId: string, keyword?: string): { user: User; membership: Membership }[] {
    this.workspaces.get(workspaceId);
    return [...this.of(workspaceId).values()]
      .map((membership) => ({ user: this.users.get(membership.userId), membership }))
      .filter(({ user }) => matchesKeyword(keyword, user.nickName, displayAccountName(user)));
  }

  get(workspaceId: string, userId: string): Membership {
    this.workspaces.get(workspaceId);
    this.users.get(userId);
    const m = this.of(workspaceId).get(userId);
    if (!m) throw qbError("User.NotIn.Workspace");
    return m;
  }

  /** QueryUserRoleInfoInWorkspace: the member's (highest) preset role. */
  presetRoleOf(workspaceId: string, userId: string): Role {
    const m = this.get(workspaceId, userId);
    const preset = orderRoles(m.roleIds).find((id) => workspaceRoleRank(id) > 0);
    if (preset === undefined) throw qbError("User.PresetWorkspaceRole.NotExist");
    return this.roles.workspaceRole(preset);
  }

  /** The role a membership is reported by: its highest preset role, else its first custom role. */
  primaryRoleOf(m: Membership): Role {
    return this.roles.workspaceRole(orderRoles(m.roleIds)[0]!);
  }

  /** ListWorkspaceUserRolesByUserId: every (workspace, role) pair the user holds. */
  rolesOfUser(userId: string): WorkspaceRoleOfUser[] {
    this.users.get(userId);
    return this.membershipsOf(userId).flatMap((m) =>
      orderRoles(m.roleIds).map((id) => ({
        workspace: this.workspaces.get(m.workspaceId),
        role: this.roles.workspaceRole(id),
      })),
    );
  }

  /** ListWorkspaceRoleUsers: holders of a workspace role in one or all workspaces, by nickname substring. */
  holdersOf(roleId: number, workspaceId?: string, keyword?: string): { user: User; workspace: Workspace }[] {
    if (workspaceId !== undefined && !this.workspaces.has(workspaceId)) throw qbError("Invalid.Workspace");
    this.roles.workspaceRole(roleId);
    const out: { user: User; workspace: Workspace }[] = [];
    for (const w of this.workspaces.all()) {
      if (workspaceId !== undefined && w.workspaceId !== workspaceId) continue;
      for (const m of this.of(w.workspaceId).values()) {
        const user = this.users.get(m.userId);
        if (m.roleIds.includes(roleId) && matchesKeyword(keyword, user.nickName)) out.push({ user, workspace: w });
      }
    }
    return out;
  }

  /**
   * AddUserToWorkspace (one user, one role; custom roles allowed). A member who already holds that very role gets
   * `User.AlreadyIn.Role`, any other member `User.AlreadyIn.Workspace` (both codes are on the page; which one fires
   * when is the emulator's reading).
   */
  add(workspaceId: string, userId: string, roleId: number): void {
    this.workspaces.getGroupWorkspace(workspaceId);
    this.roles.requireWorkspaceRole(roleId);
    const user = this.users.get(userId);
    const existing = this.of(workspaceId).get(userId);
    if (existing) throw alreadyMember(existing, roleId, 400);
    this.roles.checkMemberRoles(user, user.userType, [roleId]);
    this.of(workspaceId).set(userId, { workspaceId, userId, roleIds: [roleId], works: 0 });
  }

  /**
   * AddWorkspaceUsers. Request-level problems throw (AddWorkspaceUsers documents `Workspace.Not.Exist` as HTTP 500);
   * per-user problems land in `failureDetail` keyed by user id. When every user fails nothing is applied.
   */
  addMany(workspaceId: string, userIds: readonly string[], roleId: number): BatchOutcome {
    const ids = checkIdList("UserIds", userIds);
    this.workspaces.getGroupWorkspace(workspaceId, addWorkspaceUsersStatus("Workspace.Not.Exist"));
    if (workspaceRoleRank(roleId) === 0) throw qbError("User.RoleType.Valid");
    const ms = this.of(workspaceId);
    return runBatch(
      ids,
      (userId) => {
        const user = this.users.get(userId);
        const existing = ms.get(userId);
        if (existing) {
          return { detail: FAILURE_DETAIL.alreadyMember, asRequestError: () => alreadyMember(existing, roleId, 500) };
        }
        this.roles.checkMemberRoles(user, user.userType, [roleId]);
        return () => ms.set(userId, { workspaceId, userId, roleIds: [roleId], works: 0 });
      },
      this.batchRules(addWorkspaceUsersStatus),
    );
  }

  /** UpdateWorkspaceUserRole: overwrite the member's roles (preset and/or custom). */
  setRoles(workspaceId: string, userId: string, roleIds: readonly number[]): void {
    this.workspaces.getGroupWorkspace(workspaceId);
    const roles = unique(roleIds);
    if (roles.length === 0) throw qbError("System.Param.Empty", ["RoleIds"]);
    for (const id of roles) this.roles.requireWorkspaceRole(id);
    const m = this.get(workspaceId, userId);
    const user = this.users.get(userId);
    if (this.workspaces.get(workspaceId).ownerUserId === userId && !roles.includes(WS_ADMIN)) {
      throw qbError("Remove.AdminRoleOf.WorkspaceOwner");
    }
    this.roles.checkMemberRoles(user, user.userType, roles);
    m.roleIds = roles;
  }

  /** UpdateWorkspaceUsersRole: batch overwrite with one preset role; same outcome rules as AddWorkspaceUsers. */
  setRoleMany(workspaceId: string, userIds: readonly string[], roleId: number): BatchOutcome {
    const ids = checkIdList("UserIds", userIds);
    const w = this.workspaces.getGroupWorkspace(workspaceId);
    if (workspaceRoleRank(roleId) === 0) throw qbError("User.RoleType.Valid");
    const ms = this.of(workspaceId);
    return runBatch(
      ids,
      (userId) => {
        const user = this.users.get(userId);
        const m = ms.get(userId);
        if (!m) return { detail: FAILURE_DETAIL.notMember, asRequestError: () => qbError("User.NotIn.Workspace") };
        if (w.ownerUserId === userId && roleId !== WS_ADMIN) throw qbError("Remove.AdminRoleOf.WorkspaceOwner");
        this.roles.checkMemberRoles(user, user.userType, [roleId]);
        return () => {
          m.roleIds = [roleId];
        };
      },
      // UpdateWorkspaceUsersRole's metadata lists every code under 400.
      this.batchRules(() => 400),
    );
  }

  /** DeleteUserFromWorkspace; the member's works go to the workspace owner. */
  remove(workspaceId: string, userId: string): void {
    const w = this.workspaces.getGroupWorkspace(workspaceId);
    const m = this.get(workspaceId, userId);
    if (w.ownerUserId === userId) throw qbError("CanNot.Remove.WorkspaceOwner");
    const ms = this.of(workspaceId);
    ms.get(w.ownerUserId)!.works += m.works;
    ms.delete(userId);
  }

  /**
   * DeleteUser, the membership part: checks where the user's works can go and returns the change that moves them and
   * drops the user's memberships. Works go to `transferUserId` (who must not be a viewer, and joins workspaces where
   * they are not a member with the deleted user's roles) or, without a successor, to each workspace's owner.
   */
  planDeparture(user: User, transferUserId?: string): () => void {
    const owned = this.membershipsOf(user.userId).filter((m) => m.works > 0);
    const plan: { workspaceId: string; to: string; works: number; join?: number[] }[] = [];
    if (transferUserId !== undefined) {
      if (!this.users.has(transferUserId)) throw qbError("Transfer.TargetUser.NotExist");
      const successor = this.users.get(transferUserId);
      if (transferUserId === user.userId) throw qbError("Cannot.TransferTo.Owner");
      if (successor.userType === USER_TYPE.viewer) throw qbError("Viewer.AddInTo.Workspace", [successor.nickName]);
      for (const m of owned) {
        const theirs = this.of(m.workspaceId).get(transferUserId);
        if (theirs) {
          if (presetRank(theirs.roleIds) < presetRank(m.roleIds)) throw qbError("Works.Transfer.Error");
          plan.push({ workspaceId: m.workspaceId, to: transferUserId, works: m.works });
        } else {
          const join = orderRoles(m.roleIds);
          try {
            this.roles.checkMemberRoles(successor, successor.userType, join);
          } catch (e) {
            // DeleteUser documents only the generic "role not allowed" code for a successor that cannot hold the role.
            if (e instanceof QuickBIError && e.code === "AnalystUser.NotSupport.AdminOrDevRole")
              throw qbError("UserAnalyst.NotSupport.ThisRole");
            throw e;
          }
          plan.push({ workspaceId: m.workspaceId, to: transferUserId, works: m.works, join });
        }
      }
    } else {
      for (const m of owned)
        plan.push({ workspaceId: m.workspaceId, to: this.workspaces.get(m.workspaceId).ownerUserId, works: m.works });
    }
    return () => {
      for (const p of plan) {
        const ms = this.of(p.workspaceId);
        const target = ms.get(p.to) ?? { workspaceId: p.workspaceId, userId: p.to, roleIds: p.join ?? [], works: 0 };
        target.works += p.works;
        ms.set(p.to, target);
      }
      for (const ms of this.members.values()) ms.delete(user.userId);
    };
  }

  private batchRules(statusOf: (code: string) => number): BatchRules {
    return { wholeRequest: this.batchErrorsWholeRequest, statusOf };
  }

  private of(workspaceId: string): Map<string, Membership> {
    return this.members.get(workspaceId)!;
  }
}

/** The error for adding someone who is already a member: the same role again, or a member with another role. */
function alreadyMember(existing: Membership, roleId: number, httpStatus: number): QuickBIError {
  return existing.roleIds.includes(roleId)
    ? qbError("User.AlreadyIn.Role", [], httpStatus)
    : qbError("User.AlreadyIn.Workspace", [], httpStatus);
}
