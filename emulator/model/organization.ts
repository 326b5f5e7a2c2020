import { failureDetailOf, FAILURE_DETAIL, qbError } from "./codes";
import { QuickBIError } from "./errors";
import { IdSource, RandomSource, seededRandom } from "./ids";
import { matchesKeyword } from "./paging";
import {
  ORG_ADMIN,
  ORG_PERMISSION_ADMIN,
  ORG_REGULAR_USER,
  PRESET_ORG_ROLES,
  PRESET_WORKSPACE_ROLES,
  WS_ADMIN,
  WS_DEVELOPER,
  workspaceRoleRank,
} from "./roles";
import { Seed, SeedInput, SeedSchema } from "./seed";
import {
  BatchOutcome,
  GroupMemberEntry,
  Membership,
  Role,
  User,
  USER_TYPE,
  UserGroup,
  UserType,
  Workspace,
  WorkspaceRoleOfUser,
} from "./types";
import {
  assertDisplayName,
  assertMaxLength,
  ID_LIST_MAX,
  NICKNAME_MAX,
  USER_GROUP_DESCRIPTION_MAX,
  USER_GROUP_ID_MAX,
  USER_GROUP_NAME_MAX,
} from "./validation";

export const ROOT_USER_GROUP_ID = "-1";
export const MAX_USER_GROUP_DEPTH = 10;
export const MAX_ORG_ROLES = 3;
/** AddUser.CopilotModules values ([GO] v2.15.0). */
export const COPILOT_MODULES: ReadonlySet<string> = new Set(["qreport", "qExploreNum", "smartQAskNum", "smartQDevNum"]);

export interface OrganizationOptions {
  /** Source of randomness for new ids; wins over `randomSeed`. */
  random?: RandomSource;
  /** Seed of the built-in PRNG, for reproducible ids. Without either option ids come from Math.random. */
  randomSeed?: number;
  /** Clock in ms since the epoch (JoinedDate, CreateTime...). */
  now?: () => number;
}

export interface AddUserInput {
  accountId?: string;
  accountName?: string;
  nickName: string;
  userType: number;
  /** Wins over the deprecated booleans when present. */
  roleIds?: number[];
  adminUser?: boolean;
  authAdminUser?: boolean;
  copilotModules?: string[];
}

export interface UpdateUserInput {
  userType?: number;
  nickName?: string;
  roleIds?: number[];
  adminUser?: boolean;
  authAdminUser?: boolean;
  isDeleted?: boolean;
}

export interface CreateWorkspaceInput {
  workspaceName: string;
  workspaceDescription?: string;
  ownerUserId?: string;
  allowShare?: boolean;
  allowPublish?: boolean;
}

export interface CreateUserGroupInput {
  userGroupName: string;
  parentUserGroupId: string;
  userGroupId?: string;
  userGroupDescription?: string;
}

/** HTTP statuses that differ from the usual 400, per operation's doc table (AddWorkspaceUsers lists these under 500). */
const STATUS_500 = 500;

/**
 * A Quick BI organization held in memory: users, workspaces, roles, memberships and user groups, with every
 * documented rule. Methods either apply completely or throw a `QuickBIError` and change nothing.
 */
export class Organization {
  readonly organizationId: string;
  private ownerUserId?: string;
  private readonly limits: NonNullable<NonNullable<Seed["organization"]>["limits"]>;
  private readonly lockDeveloperType: boolean;
  private readonly users = new Map<string, User>();
  private readonly workspaces = new Map<string, Workspace>();
  /** workspaceId -> userId -> membership */
  private readonly members = new Map<string, Map<string, Membership>>();
  private readonly groups = new Map<string, UserGroup>();
  /** userGroupId -> member user ids, in insertion order */
  private readonly groupMembers = new Map<string, Set<string>>();
  private readonly orgRoles = new Map<number, Role>();
  private readonly wsRoles = new Map<number, Role>();
  private readonly ids: IdSource;
  private readonly now: () => number;
  /** Set when ids come from the built-in PRNG: then toSeed() records where the sequence stands. */
  private readonly randomSeed?: number;
  private randomDraws = 0;

  constructor(seed: Seed | SeedInput = {}, options: OrganizationOptions = {}) {
    const s = SeedSchema.parse(seed);
    this.randomSeed = options.random === undefined ? (options.randomSeed ?? s.organization?.randomSeed) : undefined;
    let random: RandomSource = options.random ?? Math.random;
    if (this.randomSeed !== undefined) {
      const prng = seededRandom(this.randomSeed);
      // Continue a saved sequence: replay the draws a previous instance already took (bounded by the saved count).
      const skip = s.organization?.randomSeed === this.randomSeed ? (s.organization?.randomDraws ?? 0) : 0;
      for (let i = 0; i < skip; i++) prng();
      this.randomDraws = skip;
      random = () => {
        this.randomDraws++;
        return prng();
      };
    }
    this.ids = new IdSource(random);
    this.now = options.now ?? Date.now;
    const t = this.now();
    this.organizationId = s.organization?.organizationId ?? this.ids.uuid();
    this.limits = s.organization?.limits ?? {};
    this.lockDeveloperType = s.organization?.lockDeveloperType ?? false;

    for (const r of PRESET_ORG_ROLES) this.orgRoles.set(r.roleId, { ...r, isSystemRole: true, analystAllowed: true });
    for (const r of PRESET_WORKSPACE_ROLES) {
      this.wsRoles.set(r.roleId, { ...r, isSystemRole: true, analystAllowed: r.roleId !== WS_ADMIN && r.roleId !== WS_DEVELOPER });
    }
    for (const [list, into] of [
      [s.organizationRoles ?? [], this.orgRoles],
      [s.workspaceRoles ?? [], this.wsRoles],
    ] as const) {
      for (const r of list) {
        if (into.has(r.roleId)) throw new Error(`seed: role ${r.roleId} is defined twice or shadows a preset role`);
        into.set(r.roleId, { roleId: r.roleId, roleName: r.roleName, isSystemRole: false, analystAllowed: r.analystAllowed ?? false });
      }
    }

    for (const u of s.users) {
      if (this.users.has(u.userId)) throw new Error(`seed: duplicate user ${u.userId}`);
      for (const id of u.roleIds) if (!this.orgRoles.has(id)) throw new Error(`seed: user ${u.userId} has unknown org role ${id}`);
      this.users.set(u.userId, {
        userId: u.userId,
        accountId: u.accountId,
        accountName: u.accountName,
        nickName: u.nickName,
        userType: u.userType as UserType,
        roleIds: [...u.roleIds],
        isDeleted: u.isDeleted ?? false,
        email: u.email,
        phone: u.phone,
        copilotModules: [],
        joinedDate: u.joinedDate ?? t,
      });
    }
    this.ownerUserId = s.organization?.ownerUserId ?? [...this.users.values()].find((u) => u.roleIds.includes(ORG_ADMIN))?.userId;
    if (this.ownerUserId !== undefined && !this.users.has(this.ownerUserId)) {
      throw new Error(`seed: organization owner ${this.ownerUserId} is not a user`);
    }

    for (const w of s.workspaces) {
      if (this.workspaces.has(w.workspaceId)) throw new Error(`seed: duplicate workspace ${w.workspaceId}`);
      this.requireSeedUser(w.ownerUserId, `owner of workspace ${w.workspaceId}`);
      this.workspaces.set(w.workspaceId, {
        workspaceId: w.workspaceId,
        workspaceName: w.workspaceName,
        workspaceDescription: w.workspaceDescription,
        ownerUserId: w.ownerUserId,
        createUserId: w.ownerUserId,
        modifyUserId: w.ownerUserId,
        createTime: w.createTime ?? t,
        modifiedTime: w.modifiedTime ?? w.createTime ?? t,
        allowShare: w.allowShare ?? true,
        allowPublish: w.allowPublish ?? true,
      });
      this.members.set(w.workspaceId, new Map());
    }
    for (const m of s.workspaceMembers) {
      const ms = this.members.get(m.workspaceId);
      if (!ms) throw new Error(`seed: membership in unknown workspace ${m.workspaceId}`);
      this.requireSeedUser(m.userId, `member of workspace ${m.workspaceId}`);
      const roleIds = unique([m.roleId, ...(m.roleIds ?? [])]);
      for (const id of roleIds) if (!this.wsRoles.has(id)) throw new Error(`seed: unknown workspace role ${id}`);
      ms.set(m.userId, { workspaceId: m.workspaceId, userId: m.userId, roleIds, works: m.works ?? 0 });
    }
    // The owner of a workspace is always one of its admins; a seed may leave that implicit.
    for (const w of this.workspaces.values()) {
      const ms = this.members.get(w.workspaceId)!;
      const own = ms.get(w.ownerUserId);
      if (!own) ms.set(w.ownerUserId, { workspaceId: w.workspaceId, userId: w.ownerUserId, roleIds: [WS_ADMIN], works: 0 });
      else if (!own.roleIds.includes(WS_ADMIN)) throw new Error(`seed: owner of workspace ${w.workspaceId} must hold role 25`);
    }

    for (const g of s.userGroups) {
      if (g.userGroupId === ROOT_USER_GROUP_ID || this.groups.has(g.userGroupId)) {
        throw new Error(`seed: duplicate or reserved user group id ${g.userGroupId}`);
      }
      this.groups.set(g.userGroupId, {
        userGroupId: g.userGroupId,
        userGroupName: g.userGroupName,
        parentUserGroupId: g.parentUserGroupId,
        userGroupDescription: g.userGroupDescription,
        createUserId: g.createUserId,
        modifyUserId: g.modifyUserId,
        createTime: g.createTime ?? t,
        modifiedTime: g.modifiedTime ?? g.createTime ?? t,
      });
      this.groupMembers.set(g.userGroupId, new Set());
    }
    for (const g of this.groups.values()) {
      if (g.parentUserGroupId !== ROOT_USER_GROUP_ID && !this.groups.has(g.parentUserGroupId)) {
        throw new Error(`seed: user group ${g.userGroupId} has unknown parent ${g.parentUserGroupId}`);
      }
      if (this.groupPath(g.userGroupId).length > MAX_USER_GROUP_DEPTH) {
        throw new Error(`seed: user group ${g.userGroupId} is deeper than ${MAX_USER_GROUP_DEPTH} levels (or in a cycle)`);
      }
    }
    for (const m of s.userGroupMembers) {
      const set = this.groupMembers.get(m.userGroupId);
      if (!set) throw new Error(`seed: membership in unknown user group ${m.userGroupId}`);
      this.requireSeedUser(m.userId, `member of user group ${m.userGroupId}`);
      set.add(m.userId);
    }
  }

  static fromSeed(seed: Seed | SeedInput, options: OrganizationOptions = {}): Organization {
    return new Organization(seed, options);
  }

  /** The current state in seed form (without access keys): what `--state` files and `/__emulator/state` hold. */
  toSeed(): Omit<Seed, "accessKeys"> {
    const custom = (m: Map<number, Role>) =>
      [...m.values()].filter((r) => !r.isSystemRole).map((r) => ({ roleId: r.roleId, roleName: r.roleName, analystAllowed: r.analystAllowed }));
    return {
      organization: {
        organizationId: this.organizationId,
        ownerUserId: this.ownerUserId,
        ...(Object.keys(this.limits).length > 0 ? { limits: { ...this.limits } } : {}),
        ...(this.lockDeveloperType ? { lockDeveloperType: true } : {}),
        ...(this.randomSeed !== undefined ? { randomSeed: this.randomSeed, randomDraws: this.randomDraws } : {}),
      },
      users: [...this.users.values()].map((u) => ({
        userId: u.userId,
        ...(u.accountId !== undefined ? { accountId: u.accountId } : {}),
        ...(u.accountName !== undefined ? { accountName: u.accountName } : {}),
        nickName: u.nickName,
        userType: u.userType,
        roleIds: [...u.roleIds],
        ...(u.isDeleted ? { isDeleted: true } : {}),
        ...(u.email !== undefined ? { email: u.email } : {}),
        ...(u.phone !== undefined ? { phone: u.phone } : {}),
        joinedDate: u.joinedDate,
      })),
      workspaces: [...this.workspaces.values()].map((w) => ({
        workspaceId: w.workspaceId,
        workspaceName: w.workspaceName,
        ...(w.workspaceDescription !== undefined ? { workspaceDescription: w.workspaceDescription } : {}),
        ownerUserId: w.ownerUserId,
        ...(w.allowShare ? {} : { allowShare: false }),
        ...(w.allowPublish ? {} : { allowPublish: false }),
        createTime: w.createTime,
        modifiedTime: w.modifiedTime,
      })),
      workspaceMembers: [...this.members.values()].flatMap((ms) =>
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
      ),
      userGroups: [...this.groups.values()].map((g) => ({
        userGroupId: g.userGroupId,
        userGroupName: g.userGroupName,
        parentUserGroupId: g.parentUserGroupId,
        ...(g.userGroupDescription !== undefined ? { userGroupDescription: g.userGroupDescription } : {}),
        ...(g.createUserId !== undefined ? { createUserId: g.createUserId } : {}),
        ...(g.modifyUserId !== undefined ? { modifyUserId: g.modifyUserId } : {}),
        createTime: g.createTime,
        modifiedTime: g.modifiedTime,
      })),
      userGroupMembers: [...this.groupMembers.entries()].flatMap(([userGroupId, set]) =>
        [...set].map((userId) => ({ userGroupId, userId })),
      ),
      organizationRoles: custom(this.orgRoles),
      workspaceRoles: custom(this.wsRoles),
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // caller

  get organizationOwnerUserId(): string | undefined {
    return this.ownerUserId;
  }

  /**
   * The API caller must be an active organization administrator (`User.Not.In.Organization`, `Invalid.User.Admin`).
   * An unknown caller (no access key user, empty organization) is the owner's console and passes.
   */
  authorizeCaller(callerUserId: string | undefined): void {
    if (callerUserId === undefined) return;
    const u = this.users.get(callerUserId);
    if (!u || u.isDeleted) throw qbError("User.Not.In.Organization");
    if (!u.roleIds.includes(ORG_ADMIN)) throw qbError("Invalid.User.Admin");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // users

  getUser(userId: string): User {
    const u = this.users.get(userId);
    if (!u) throw qbError("User.Not.In.Organization");
    return u;
  }

  hasUser(userId: string): boolean {
    return this.users.has(userId);
  }

  /** Users in join order, optionally filtered by a substring of account name or nickname. */
  listUsers(keyword?: string): User[] {
    return [...this.users.values()].filter((u) => matchesKeyword(keyword, u.nickName, displayAccountName(u), u.accountId));
  }

  /** QueryUserInfoByAccount: `account` is an account id, an account name, or a RAM user's login prefix. */
  findUserByAccount(account: string, parentAccountName?: string): User {
    const prefix = account.includes("@") && account.includes(".onaliyun.com") ? account.slice(0, account.indexOf("@")) : account;
    let found = [...this.users.values()].filter(
      (u) => u.accountId === account || u.accountName === account || displayAccountName(u) === prefix,
    );
    if (found.length > 1 && parentAccountName !== undefined) {
      found = found.filter((u) => u.accountId === account || parentAccountOf(u) === parentAccountName);
    }
    if (found.length > 1) throw qbError("AE0579100001", [account]);
    const u = found[0];
    if (!u) throw qbError("User.Not.In.Organization");
    return u;
  }

  addUser(input: AddUserInput): User {
    const accountId = blankToUndefined(input.accountId);
    const accountName = blankToUndefined(input.accountName);
    if (accountId === undefined && accountName === undefined) throw qbError("System.Param.Empty", ["AccountId"]);
    if (accountName !== undefined) assertMaxLength("AccountName", accountName, 50);
    assertDisplayName("NickName", input.nickName, NICKNAME_MAX);
    for (const m of input.copilotModules ?? []) {
      if (!COPILOT_MODULES.has(m)) throw qbError("Invalid.Parameter.Error", ["CopilotModules"]);
    }
    const userType = asUserType(input.userType);
    const roleIds =
      input.roleIds !== undefined
        ? unique(input.roleIds)
        : rolesFromFlags([], input.adminUser ?? false, input.authAdminUser ?? false);
    this.checkOrgRoles(input.nickName, roleIds, userType);
    for (const u of this.users.values()) {
      if (
        (accountId !== undefined && u.accountId === accountId) ||
        (accountName !== undefined && u.accountName !== undefined && sameAccount(u.accountName, accountName))
      ) {
        throw qbError("User.AlreadyIn.Organization");
      }
    }
    if ([...this.users.values()].some((u) => u.nickName === input.nickName)) throw qbError("NickName.AlreadyIn.Organization");
    this.checkSeats(userType, undefined, true);
    const user: User = {
      userId: this.freshUserId(),
      accountId,
      accountName,
      nickName: input.nickName,
      userType,
      roleIds,
      isDeleted: false,
      copilotModules: [...(input.copilotModules ?? [])],
      joinedDate: this.now(),
    };
    this.users.set(user.userId, user);
    return user;
  }

  updateUser(userId: string, patch: UpdateUserInput): void {
    const user = this.getUser(userId);
    const nickName = patch.nickName ?? user.nickName;
    if (patch.nickName !== undefined) {
      assertDisplayName("NickName", patch.nickName, NICKNAME_MAX);
      if ([...this.users.values()].some((u) => u.userId !== userId && u.nickName === patch.nickName)) {
        throw qbError("NickName.AlreadyIn.Organization");
      }
    }
    const userType = patch.userType !== undefined ? asUserType(patch.userType) : user.userType;
    const roleIds =
      patch.roleIds !== undefined
        ? unique(patch.roleIds)
        : patch.adminUser !== undefined || patch.authAdminUser !== undefined
          ? rolesFromFlags(user.roleIds, patch.adminUser, patch.authAdminUser)
          : [...user.roleIds];
    const isDeleted = patch.isDeleted ?? user.isDeleted;
    const isOwner = userId === this.ownerUserId;
    if (isOwner && !roleIds.includes(ORG_ADMIN)) throw qbError("Fobbiden.Action");
    if (isOwner && isDeleted) throw qbError("CannotRemove.OrganizationOwner");

    if (userType !== user.userType) {
      if (this.lockDeveloperType && user.userType === USER_TYPE.developer) {
        throw qbError("OrganizationDeveloper.CanNotChangeTo.AnalystOrViewer");
      }
      if (userType === USER_TYPE.viewer) {
        if (roleIds.includes(ORG_ADMIN) || roleIds.includes(ORG_PERMISSION_ADMIN)) {
          throw qbError("OrgAdminOrPermissionAdmin.CannotChangeTo.Viewer");
        }
        if (this.membershipsOf(userId).length > 0) throw qbError("ChangeTo.Viewer.Error");
      }
      if (userType === USER_TYPE.analyst) {
        for (const m of this.membershipsOf(userId)) this.checkMemberRoles(user, userType, m.roleIds);
      }
    }
    this.checkOrgRoles(nickName, roleIds, userType);
    const reactivated = user.isDeleted && !isDeleted;
    if ((userType !== user.userType || reactivated) && !isDeleted) this.checkSeats(userType, userId, reactivated);

    user.nickName = nickName;
    user.userType = userType;
    user.roleIds = roleIds;
    user.isDeleted = isDeleted;
  }

  /**
   * DeleteUser. The user's works move to `transferUserId` (who must not be a viewer, and joins workspaces where they
   * are not a member with the deleted user's preset role) or, without a successor, to each workspace's owner.
   * Workspace and user group memberships go with the user.
   */
  deleteUser(userId: string, transferUserId?: string): void {
    const user = this.getUser(userId);
    if (userId === this.ownerUserId) throw qbError("CannotRemove.OrganizationOwner");
    if ([...this.workspaces.values()].some((w) => w.ownerUserId === userId)) throw qbError("CanNot.Remove.WorkspaceOwner");
    const owned = this.membershipsOf(userId).filter((m) => m.works > 0);

    const plan: { workspaceId: string; to: string; works: number; join?: number[] }[] = [];
    if (transferUserId !== undefined) {
      const successor = this.users.get(transferUserId);
      if (!successor) throw qbError("Transfer.TargetUser.NotExist");
      if (transferUserId === userId) throw qbError("Cannot.TransferTo.Owner");
      if (successor.userType === USER_TYPE.viewer) throw qbError("Viewer.AddInTo.Workspace", [successor.nickName]);
      for (const m of owned) {
        const theirs = this.members.get(m.workspaceId)!.get(transferUserId);
        if (theirs) {
          if (presetRank(theirs.roleIds) < presetRank(m.roleIds)) throw qbError("Works.Transfer.Error");
          plan.push({ workspaceId: m.workspaceId, to: transferUserId, works: m.works });
        } else {
          const join = orderRoles(m.roleIds);
          try {
            this.checkMemberRoles(successor, successor.userType, join);
          } catch (e) {
            // DeleteUser documents only the generic "role not allowed" code for a successor that cannot hold the role.
            if (e instanceof QuickBIError && e.code === "AnalystUser.NotSupport.AdminOrDevRole") throw qbError("UserAnalyst.NotSupport.ThisRole");
            throw e;
          }
          plan.push({ workspaceId: m.workspaceId, to: transferUserId, works: m.works, join });
        }
      }
    } else {
      for (const m of owned) plan.push({ workspaceId: m.workspaceId, to: this.workspaces.get(m.workspaceId)!.ownerUserId, works: m.works });
    }

    for (const p of plan) {
      const ms = this.members.get(p.workspaceId)!;
      const target = ms.get(p.to) ?? { workspaceId: p.workspaceId, userId: p.to, roleIds: p.join ?? [], works: 0 };
      target.works += p.works;
      ms.set(p.to, target);
    }
    for (const ms of this.members.values()) ms.delete(userId);
    for (const set of this.groupMembers.values()) set.delete(userId);
    this.users.delete(user.userId);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // workspaces

  getWorkspace(workspaceId: string, httpStatus = 400): Workspace {
    const w = this.workspaces.get(workspaceId);
    if (!w) throw qbError("Workspace.Not.Exist", [], httpStatus);
    return w;
  }

  /** Workspaces by name substring; with `userId`, only those the user is a member of. */
  listWorkspaces(keyword?: string, userId?: string): Workspace[] {
    if (userId !== undefined) this.getUser(userId);
    return [...this.workspaces.values()].filter(
      (w) => matchesKeyword(keyword, w.workspaceName) && (userId === undefined || this.members.get(w.workspaceId)!.has(userId)),
    );
  }

  createWorkspace(input: CreateWorkspaceInput): string {
    assertMaxLength("WorkspaceName", input.workspaceName, 255);
    if (input.workspaceDescription !== undefined) assertMaxLength("WorkspaceDescription", input.workspaceDescription, 255);
    const ownerUserId = input.ownerUserId ?? this.ownerUserId;
    if (ownerUserId === undefined) throw qbError("System.Param.Empty", ["UserId"]);
    const owner = this.getUser(ownerUserId);
    if (owner.userType !== USER_TYPE.developer) throw qbError("Invalid.User.Admin");
    if ([...this.workspaces.values()].some((w) => w.workspaceName === input.workspaceName)) {
      throw qbError("Duplicate.WorkSpaceName.Error", [input.workspaceName]);
    }
    if (this.limits.workspaces !== undefined && this.workspaces.size >= this.limits.workspaces) {
      throw qbError("CreateWorkspace.Exceeds.Limits", [this.limits.workspaces]);
    }
    const t = this.now();
    const w: Workspace = {
      workspaceId: this.freshUuid((id) => this.workspaces.has(id)),
      workspaceName: input.workspaceName,
      workspaceDescription: input.workspaceDescription,
      ownerUserId,
      createUserId: ownerUserId,
      modifyUserId: ownerUserId,
      createTime: t,
      modifiedTime: t,
      allowShare: input.allowShare ?? true,
      allowPublish: input.allowPublish ?? true,
    };
    this.workspaces.set(w.workspaceId, w);
    this.members.set(w.workspaceId, new Map([[ownerUserId, { workspaceId: w.workspaceId, userId: ownerUserId, roleIds: [WS_ADMIN], works: 0 }]]));
    return w.workspaceId;
  }

  /** Members of a workspace in join order, optionally filtered by a substring of nickname or account name. */
  listWorkspaceMembers(workspaceId: string, keyword?: string): { user: User; membership: Membership }[] {
    this.getWorkspace(workspaceId);
    return [...this.members.get(workspaceId)!.values()]
      .map((membership) => ({ user: this.users.get(membership.userId)!, membership }))
      .filter(({ user }) => matchesKeyword(keyword, user.nickName, displayAccountName(user)));
  }

  getMembership(workspaceId: string, userId: string): Membership {
    this.getWorkspace(workspaceId);
    this.getUser(userId);
    const m = this.members.get(workspaceId)!.get(userId);
    if (!m) throw qbError("User.NotIn.Workspace");
    return m;
  }

  /** QueryUserRoleInfoInWorkspace: the member's (highest) preset role. */
  presetRoleOf(workspaceId: string, userId: string): Role {
    const m = this.getMembership(workspaceId, userId);
    const preset = orderRoles(m.roleIds).find((id) => workspaceRoleRank(id) > 0);
    if (preset === undefined) throw qbError("User.PresetWorkspaceRole.NotExist");
    return this.wsRoles.get(preset)!;
  }

  /** The role a membership is reported by: its highest preset role, else its first custom role. */
  primaryRoleOf(m: Membership): Role {
    return this.wsRoles.get(orderRoles(m.roleIds)[0]!)!;
  }

  /** ListWorkspaceUserRolesByUserId: every (workspace, role) pair the user holds. */
  workspaceRolesOfUser(userId: string): WorkspaceRoleOfUser[] {
    this.getUser(userId);
    return this.membershipsOf(userId).flatMap((m) =>
      orderRoles(m.roleIds).map((id) => ({ workspace: this.workspaces.get(m.workspaceId)!, role: this.wsRoles.get(id)! })),
    );
  }

  /** AddUserToWorkspace (one user, one role; custom roles allowed). */
  addWorkspaceMember(workspaceId: string, userId: string, roleId: number): void {
    this.getWorkspace(workspaceId);
    this.requireWorkspaceRole(roleId);
    const user = this.getUser(userId);
    if (this.members.get(workspaceId)!.has(userId)) throw qbError("User.AlreadyIn.Workspace");
    this.checkMemberRoles(user, user.userType, [roleId]);
    this.members.get(workspaceId)!.set(userId, { workspaceId, userId, roleIds: [roleId], works: 0 });
  }

  /**
   * AddWorkspaceUsers. Request-level problems throw (AddWorkspaceUsers documents `Workspace.Not.Exist` as HTTP 500);
   * per-user problems land in `failureDetail` keyed by user id. When every user fails nothing is applied.
   */
  addWorkspaceMembers(workspaceId: string, userIds: readonly string[], roleId: number): BatchOutcome {
    const ids = this.checkList("UserIds", userIds);
    this.getWorkspace(workspaceId, STATUS_500);
    if (workspaceRoleRank(roleId) === 0) throw qbError("User.RoleType.Valid");
    const ms = this.members.get(workspaceId)!;
    return this.runBatch(ids, (userId) => {
      const user = this.getUser(userId);
      if (ms.has(userId)) return FAILURE_DETAIL.alreadyMember;
      this.checkMemberRoles(user, user.userType, [roleId]);
      return () => ms.set(userId, { workspaceId, userId, roleIds: [roleId], works: 0 });
    });
  }

  /** UpdateWorkspaceUserRole: overwrite the member's roles (preset and/or custom). */
  setWorkspaceMemberRoles(workspaceId: string, userId: string, roleIds: readonly number[]): void {
    this.getWorkspace(workspaceId);
    const roles = unique(roleIds);
    if (roles.length === 0) throw qbError("System.Param.Empty", ["RoleIds"]);
    for (const id of roles) this.requireWorkspaceRole(id);
    const m = this.getMembership(workspaceId, userId);
    const user = this.getUser(userId);
    if (this.workspaces.get(workspaceId)!.ownerUserId === userId && !roles.includes(WS_ADMIN)) {
      throw qbError("Remove.AdminRoleOf.WorkspaceOwner");
    }
    this.checkMemberRoles(user, user.userType, roles);
    m.roleIds = roles;
  }

  /** UpdateWorkspaceUsersRole: batch overwrite with one preset role; same outcome rules as AddWorkspaceUsers. */
  setWorkspaceMembersRole(workspaceId: string, userIds: readonly string[], roleId: number): BatchOutcome {
    const ids = this.checkList("UserIds", userIds);
    const w = this.getWorkspace(workspaceId);
    if (workspaceRoleRank(roleId) === 0) throw qbError("User.RoleType.Valid");
    const ms = this.members.get(workspaceId)!;
    return this.runBatch(ids, (userId) => {
      const user = this.getUser(userId);
      const m = ms.get(userId);
      if (!m) return FAILURE_DETAIL.notMember;
      if (w.ownerUserId === userId && roleId !== WS_ADMIN) throw qbError("Remove.AdminRoleOf.WorkspaceOwner");
      this.checkMemberRoles(user, user.userType, [roleId]);
      return () => {
        m.roleIds = [roleId];
      };
    });
  }

  /** DeleteUserFromWorkspace; the member's works go to the workspace owner. */
  removeWorkspaceMember(workspaceId: string, userId: string): void {
    const w = this.getWorkspace(workspaceId);
    const m = this.getMembership(workspaceId, userId);
    if (w.ownerUserId === userId) throw qbError("CanNot.Remove.WorkspaceOwner");
    const ms = this.members.get(workspaceId)!;
    ms.get(w.ownerUserId)!.works += m.works;
    ms.delete(userId);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // roles

  organizationRoles(): Role[] {
    return [...this.orgRoles.values()];
  }

  organizationRole(roleId: number): Role {
    const r = this.orgRoles.get(roleId);
    if (!r) throw qbError("User.Role.NotExist", [roleId]);
    return r;
  }

  /** ListOrganizationRoleUsers: holders of an organization role, by nickname substring. */
  organizationRoleUsers(roleId: number, keyword?: string): User[] {
    this.organizationRole(roleId);
    return this.listUsers().filter((u) => u.roleIds.includes(roleId) && matchesKeyword(keyword, u.nickName));
  }

  /** ListWorkspaceRoles: workspace roles are organization-wide, the workspace id is only checked. */
  workspaceRoles(workspaceId?: string): Role[] {
    if (workspaceId !== undefined && !this.workspaces.has(workspaceId)) throw qbError("Invalid.Workspace");
    return [...this.wsRoles.values()];
  }

  workspaceRole(roleId: number): Role {
    const r = this.wsRoles.get(roleId);
    if (!r) throw qbError("User.Role.NotExist", [roleId]);
    return r;
  }

  /** ListWorkspaceRoleUsers: holders of a workspace role in one or all workspaces, by nickname substring. */
  workspaceRoleUsers(roleId: number, workspaceId?: string, keyword?: string): { user: User; workspace: Workspace }[] {
    if (workspaceId !== undefined && !this.workspaces.has(workspaceId)) throw qbError("Invalid.Workspace");
    this.workspaceRole(roleId);
    const out: { user: User; workspace: Workspace }[] = [];
    for (const w of this.workspaces.values()) {
      if (workspaceId !== undefined && w.workspaceId !== workspaceId) continue;
      for (const m of this.members.get(w.workspaceId)!.values()) {
        const user = this.users.get(m.userId)!;
        if (m.roleIds.includes(roleId) && matchesKeyword(keyword, user.nickName)) out.push({ user, workspace: w });
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // user groups

  getUserGroup(userGroupId: string): UserGroup {
    const g = this.groups.get(userGroupId);
    if (!g) throw qbError("Usergroup.Not.Exist");
    return g;
  }

  /** Group ids from the root down to `userGroupId` (the `IdentifiedPath` chain). */
  groupPath(userGroupId: string): string[] {
    const path: string[] = [];
    let id: string | undefined = userGroupId;
    // Bounded: a path longer than the group count means a cycle (only possible in a hand-written seed).
    while (id !== undefined && id !== ROOT_USER_GROUP_ID && path.length <= this.groups.size) {
      path.unshift(id);
      id = this.groups.get(id)?.parentUserGroupId;
    }
    return path;
  }

  createUserGroup(input: CreateUserGroupInput, callerUserId?: string): string {
    assertDisplayName("UserGroupName", input.userGroupName, USER_GROUP_NAME_MAX);
    if (input.userGroupDescription !== undefined) {
      assertMaxLength("UserGroupDescription", input.userGroupDescription, USER_GROUP_DESCRIPTION_MAX);
    }
    const explicitId = blankToUndefined(input.userGroupId);
    if (explicitId !== undefined) {
      if (explicitId === ROOT_USER_GROUP_ID || [...explicitId].length > USER_GROUP_ID_MAX) {
        throw qbError("Invalid.Parameter.Error", ["UserGroupId"]);
      }
      if (this.groups.has(explicitId)) throw qbError("Duplicate.UserGroup.Id", [explicitId]);
    }
    const parentId = input.parentUserGroupId;
    if (parentId !== ROOT_USER_GROUP_ID && !this.groups.has(parentId)) throw qbError("UserGroup.Parent.NotFound");
    if (this.groupPath(parentId).length + 1 > MAX_USER_GROUP_DEPTH) throw qbError("UserGroup.Layer.Limited");
    this.assertSiblingNameFree(parentId, input.userGroupName, undefined);
    const t = this.now();
    const id = explicitId ?? this.freshUuid((x) => this.groups.has(x));
    this.groups.set(id, {
      userGroupId: id,
      userGroupName: input.userGroupName,
      parentUserGroupId: parentId,
      userGroupDescription: input.userGroupDescription,
      createUserId: callerUserId,
      modifyUserId: callerUserId,
      createTime: t,
      modifiedTime: t,
    });
    this.groupMembers.set(id, new Set());
    return id;
  }

  updateUserGroup(userGroupId: string, patch: { userGroupName?: string; userGroupDescription?: string }, callerUserId?: string): void {
    if (userGroupId === ROOT_USER_GROUP_ID) throw qbError("UserGroup.Remove.RootNode");
    const g = this.getUserGroup(userGroupId);
    if (patch.userGroupName !== undefined) {
      assertDisplayName("UserGroupName", patch.userGroupName, USER_GROUP_NAME_MAX);
      this.assertSiblingNameFree(g.parentUserGroupId, patch.userGroupName, userGroupId);
    }
    if (patch.userGroupDescription !== undefined) {
      assertMaxLength("UserGroupDescription", patch.userGroupDescription, USER_GROUP_DESCRIPTION_MAX);
    }
    if (patch.userGroupName !== undefined) g.userGroupName = patch.userGroupName;
    if (patch.userGroupDescription !== undefined) g.userGroupDescription = patch.userGroupDescription;
    g.modifiedTime = this.now();
    if (callerUserId !== undefined) g.modifyUserId = callerUserId;
  }

  deleteUserGroup(userGroupId: string): void {
    if (userGroupId === ROOT_USER_GROUP_ID) throw qbError("UserGroup.Remove.RootNode");
    this.getUserGroup(userGroupId);
    if (this.childGroups(userGroupId).length > 0) throw qbError("UserGroup.Remove.WithChildren");
    this.groups.delete(userGroupId);
    this.groupMembers.delete(userGroupId);
  }

  childGroups(parentUserGroupId: string): UserGroup[] {
    if (parentUserGroupId !== ROOT_USER_GROUP_ID) this.getUserGroup(parentUserGroupId);
    return [...this.groups.values()].filter((g) => g.parentUserGroupId === parentUserGroupId);
  }

  /** GetUserGroupInfo: groups whose name contains the keyword. */
  searchUserGroups(keyword: string): UserGroup[] {
    return [...this.groups.values()].filter((g) => matchesKeyword(keyword, g.userGroupName));
  }

  /** ListByUserGroupId: the groups that exist, and the ids that do not. */
  userGroupsByIds(userGroupIds: readonly string[]): { found: UserGroup[]; failed: string[] } {
    const ids = this.checkList("UserGroupIds", userGroupIds);
    const found: UserGroup[] = [];
    const failed: string[] = [];
    for (const id of ids) {
      const g = this.groups.get(id);
      if (g) found.push(g);
      else failed.push(id);
    }
    return { found, failed };
  }

  /** AddUserGroupMember: all-or-nothing; unknown users fail the request with `Invalid.User`; re-adding is a no-op. */
  addUserGroupMembers(userGroupId: string, userIds: readonly string[]): void {
    const ids = this.checkList("UserIdList", userIds);
    this.getUserGroup(userGroupId);
    for (const id of ids) if (!this.users.has(id)) throw qbError("Invalid.User");
    const set = this.groupMembers.get(userGroupId)!;
    for (const id of ids) set.add(id);
  }

  /** AddUserGroupMembers: one user into many groups, all-or-nothing. */
  addUserToGroups(userId: string, userGroupIds: readonly string[]): void {
    const ids = unique(userGroupIds);
    if (ids.length === 0) throw qbError("System.Param.Empty", ["UserGroupIds"]);
    if (ids.length > ID_LIST_MAX) throw new QuickBIError("Invalid.Parameter", "The length of the parameter must not exceed 1000.");
    if (!this.users.has(userId)) throw qbError("Invalid.User");
    for (const id of ids) this.getUserGroup(id);
    for (const id of ids) this.groupMembers.get(id)!.add(userId);
  }

  /** DeleteUserGroupMember: removing a non-member is a no-op. */
  removeUserGroupMember(userGroupId: string, userId: string): void {
    this.getUserGroup(userGroupId);
    this.getUser(userId);
    this.groupMembers.get(userGroupId)!.delete(userId);
  }

  /** DeleteUserGroupMembers: one user out of many groups, all-or-nothing. */
  removeUserFromGroups(userId: string, userGroupIds: readonly string[]): void {
    const ids = this.checkList("UserGroupIds", userGroupIds);
    this.getUser(userId);
    for (const id of ids) if (!this.groups.has(id)) throw qbError("Usergroup.NotBelongTo.CurrentOrganization", [id]);
    for (const id of ids) this.groupMembers.get(id)!.delete(userId);
  }

  /** WithdrawAllUserGroups. */
  withdrawAllUserGroups(userId: string): void {
    this.getUser(userId);
    for (const set of this.groupMembers.values()) set.delete(userId);
  }

  /** QueryUserGroupMember: child groups first, then member users, filtered by a name substring. */
  userGroupMembers(userGroupId: string, keyword?: string): GroupMemberEntry[] {
    const parentName = userGroupId === ROOT_USER_GROUP_ID ? "" : this.getUserGroup(userGroupId).userGroupName;
    const groups = this.childGroups(userGroupId)
      .filter((g) => matchesKeyword(keyword, g.userGroupName))
      .map((g) => ({ id: g.userGroupId, name: g.userGroupName, isUserGroup: true, parentUserGroupId: userGroupId, parentUserGroupName: parentName }));
    const users = [...(this.groupMembers.get(userGroupId) ?? [])]
      .map((id) => this.users.get(id)!)
      .filter((u) => matchesKeyword(keyword, u.nickName, displayAccountName(u)))
      .map((u) => ({ id: u.userId, name: u.nickName, isUserGroup: false, parentUserGroupId: userGroupId, parentUserGroupName: parentName }));
    return [...groups, ...users];
  }

  /** ListUserGroupsByUserId. */
  userGroupsOfUser(userId: string): UserGroup[] {
    this.getUser(userId);
    return [...this.groupMembers.entries()].filter(([, set]) => set.has(userId)).map(([id]) => this.groups.get(id)!);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // rules

  private checkOrgRoles(nickName: string, roleIds: readonly number[], userType: UserType): void {
    if (roleIds.length === 0) throw qbError("User.OrganizationRole.NotExist", [nickName]);
    if (roleIds.length > MAX_ORG_ROLES) throw qbError("RoleCount.ExceedsLimit.Error");
    for (const id of roleIds) if (!this.orgRoles.has(id)) throw qbError("BindRole.NotExist.Error", [id]);
    const custom = roleIds.map((id) => this.orgRoles.get(id)!).filter((r) => !r.isSystemRole);
    if (userType === USER_TYPE.viewer) {
      if (custom.length > 0) throw qbError("Viewer.CannotHave.CustomRole");
      if (roleIds.includes(ORG_ADMIN) || roleIds.includes(ORG_PERMISSION_ADMIN)) {
        throw qbError("OrgAdminOrPermissionAdmin.CannotChangeTo.Viewer");
      }
    }
    if (userType === USER_TYPE.analyst && custom.some((r) => !r.analystAllowed)) throw qbError("UserAnalyst.NotSupport.ThisRole");
  }

  /** Whether a user of `userType` may hold `roleIds` in a workspace (§4.4). */
  private checkMemberRoles(user: User, userType: UserType, roleIds: readonly number[]): void {
    const roles = roleIds.map((id) => this.wsRoles.get(id)!);
    if (userType === USER_TYPE.viewer) {
      if (roles.some((r) => !r.isSystemRole)) throw qbError("Viewer.CannotHave.CustomRole");
      throw qbError("Viewer.AddInTo.Workspace", [user.nickName]);
    }
    if (userType === USER_TYPE.analyst) {
      if (roleIds.includes(WS_ADMIN) || roleIds.includes(WS_DEVELOPER)) throw qbError("AnalystUser.NotSupport.AdminOrDevRole");
      if (roles.some((r) => !r.isSystemRole && !r.analystAllowed)) throw qbError("UserAnalyst.NotSupport.ThisRole");
    }
  }

  /** Seat limits count active users; `newSeat` = the user takes a licence they did not hold (new or reactivated). */
  private checkSeats(userType: UserType, exceptUserId: string | undefined, newSeat: boolean): void {
    const active = [...this.users.values()].filter((u) => !u.isDeleted && u.userId !== exceptUserId);
    const limit =
      userType === USER_TYPE.developer ? this.limits.developers : userType === USER_TYPE.viewer ? this.limits.viewers : this.limits.analysts;
    if (limit !== undefined && active.filter((u) => u.userType === userType).length >= limit) {
      const code =
        userType === USER_TYPE.developer
          ? "Organization.Developers.ReachedTheUpperLimit"
          : userType === USER_TYPE.viewer
            ? "Organization.Viewers.ReachedTheUpperLimit"
            : "Organization.Analysts.ReachedTheUpperLimit";
      throw qbError(code, [limit]);
    }
    if (newSeat && this.limits.users !== undefined && active.length >= this.limits.users) {
      throw qbError("Instance.Over.MaxLicense");
    }
  }

  private requireWorkspaceRole(roleId: number): void {
    if (!this.wsRoles.has(roleId)) throw qbError("User.RoleType.Valid");
  }

  private assertSiblingNameFree(parentId: string, name: string, exceptId: string | undefined): void {
    for (const g of this.groups.values()) {
      if (g.parentUserGroupId === parentId && g.userGroupName === name && g.userGroupId !== exceptId) {
        throw qbError("Duplicate.UserGroupName.Error", [name]);
      }
    }
  }

  private membershipsOf(userId: string): Membership[] {
    return [...this.members.values()].flatMap((ms) => {
      const m = ms.get(userId);
      return m ? [m] : [];
    });
  }

  /** Deduplicates a list parameter and applies the empty / >1000 rules. */
  private checkList(param: string, ids: readonly string[]): string[] {
    const out = unique(ids.filter((id) => id !== ""));
    if (out.length === 0) throw qbError("System.Param.Empty", [param]);
    if (out.length > ID_LIST_MAX) throw qbError("Parameter.Length.Exceed", [param]);
    return out;
  }

  /**
   * Runs a per-user batch: `step` returns a FailureDetail string, throws a QuickBIError (reported as
   * `"<Code>: <Message>"`), or returns the mutation to apply. Mutations run only after every user was checked and
   * only if at least one succeeded, so the counts always match the state.
   */
  private runBatch(ids: readonly string[], step: (userId: string) => string | (() => void)): BatchOutcome {
    const failureDetail: Record<string, string> = {};
    const apply: (() => void)[] = [];
    for (const id of ids) {
      try {
        const r = step(id);
        if (typeof r === "string") failureDetail[id] = r;
        else apply.push(r);
      } catch (e) {
        if (!(e instanceof QuickBIError)) throw e;
        failureDetail[id] = failureDetailOf(e);
      }
    }
    const applied = apply.length > 0;
    if (applied) for (const a of apply) a();
    return { applied, total: ids.length, success: apply.length, failure: ids.length - apply.length, failureDetail };
  }

  private freshUserId(): string {
    // Bounded: a collision among 2^128 ids is practically impossible; the loop only guards a degenerate random().
    for (let i = 0; i < 100; i++) {
      const id = this.ids.userId();
      if (!this.users.has(id)) return id;
    }
    throw new Error("random source keeps producing the same user id");
  }

  private freshUuid(taken: (id: string) => boolean): string {
    for (let i = 0; i < 100; i++) {
      const id = this.ids.uuid();
      if (!taken(id)) return id;
    }
    throw new Error("random source keeps producing the same id");
  }

  private requireSeedUser(userId: string, what: string): void {
    if (!this.users.has(userId)) throw new Error(`seed: ${what} ${userId} is not a user`);
  }
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

function blankToUndefined(s: string | undefined): string | undefined {
  return s === undefined || s === "" ? undefined : s;
}

function asUserType(n: number): UserType {
  if (n !== 1 && n !== 2 && n !== 3) throw qbError("Invalid.Parameter.Error", ["UserType"]);
  return n;
}

/** The deprecated AdminUser/AuthAdminUser switches, applied to `current`; never leaves a user without a role. */
function rolesFromFlags(current: readonly number[], admin: boolean | undefined, authAdmin: boolean | undefined): number[] {
  let roles = [...current];
  const toggle = (id: number, on: boolean | undefined) => {
    if (on === true && !roles.includes(id)) roles.unshift(id);
    if (on === false) roles = roles.filter((r) => r !== id);
  };
  toggle(ORG_PERMISSION_ADMIN, authAdmin);
  toggle(ORG_ADMIN, admin);
  if (roles.length === 0) roles = [ORG_REGULAR_USER];
  return roles.slice(0, MAX_ORG_ROLES);
}

/** Preset roles first, most privileged first; then custom roles in the order given. */
function orderRoles(roleIds: readonly number[]): number[] {
  return [...roleIds].sort((a, b) => workspaceRoleRank(b) - workspaceRoleRank(a));
}

function presetRank(roleIds: readonly number[]): number {
  return Math.max(0, ...roleIds.map(workspaceRoleRank));
}

/** A RAM user's account name is `master:sub`; Quick BI reports only `sub` (Terraform suppresses that diff). */
export function displayAccountName(u: Pick<User, "accountName">): string | undefined {
  if (u.accountName === undefined) return undefined;
  const i = u.accountName.lastIndexOf(":");
  return i >= 0 ? u.accountName.slice(i + 1) : u.accountName;
}

function parentAccountOf(u: Pick<User, "accountName">): string | undefined {
  if (u.accountName === undefined) return undefined;
  const i = u.accountName.lastIndexOf(":");
  return i >= 0 ? u.accountName.slice(0, i) : undefined;
}

function sameAccount(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
