import { qbError } from "./codes";
import { IdSource, RandomSource, seededRandom } from "./ids";
import { RoleCatalog } from "./roleCatalog";
import { DEFAULT_MODEL_RULES, ModelRules } from "./rules";
import { Seed, SeedInput, SeedSchema } from "./seed";
import {
  BatchOutcome,
  GroupMemberEntry,
  Membership,
  Role,
  User,
  UserGroup,
  Workspace,
  WorkspaceRoleOfUser,
} from "./types";
import { CreateUserGroupInput, UserGroups } from "./userGroups";
import { AddUserInput, UpdateUserInput, Users } from "./users";
import { WorkspaceMembers } from "./workspaceMembers";
import { CreateWorkspaceInput, Workspaces } from "./workspaces";

export { MAX_ORG_ROLES } from "./roleCatalog";
export { MAX_USER_GROUP_DEPTH, ROOT_USER_GROUP_ID, type CreateUserGroupInput } from "./userGroups";
export { COPILOT_MODULES, displayAccountName, type AddUserInput, type UpdateUserInput } from "./users";
export type { CreateWorkspaceInput } from "./workspaces";
export { DEFAULT_MODEL_RULES, type ModelRules } from "./rules";

export interface OrganizationOptions {
  /** Source of randomness for new ids; wins over `randomSeed`. */
  random?: RandomSource;
  /** Seed of the built-in PRNG, for reproducible ids. Without either option ids come from Math.random. */
  randomSeed?: number;
  /** Clock in ms since the epoch (JoinedDate, CreateTime...). */
  now?: () => number;
  /** Readings of the pages other than the default (the quirks that are rules). */
  rules?: Partial<ModelRules>;
}

/**
 * A Quick BI organization held in memory: users, workspaces, roles, memberships and user groups, with every
 * documented rule. Methods either apply completely or throw a `QuickBIError` and change nothing.
 *
 * The entities live in their own modules (users, workspaces, workspaceMembers, userGroups, roleCatalog); this class
 * composes them, owns the seed round trip and the id sequence, and runs the operations that span entities (DeleteUser).
 */
export class Organization {
  readonly organizationId: string;
  private readonly limits: NonNullable<NonNullable<Seed["organization"]>["limits"]>;
  private readonly lockDeveloperType: boolean;
  private readonly deleteRequiresLeavingWorkspaces: boolean;
  private readonly userGroupsSynchronized: boolean;
  /** Set when ids come from the built-in PRNG: then toSeed() records where the sequence stands. */
  private readonly randomSeed?: number;
  private randomDraws = 0;
  private readonly roles: RoleCatalog;
  private readonly users: Users;
  private readonly workspaces: Workspaces;
  private readonly members: WorkspaceMembers;
  private readonly groups: UserGroups;

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
    const ids = new IdSource(random);
    const now = options.now ?? Date.now;
    const t = now();
    this.organizationId = s.organization?.organizationId ?? ids.uuid();
    this.limits = s.organization?.limits ?? {};
    this.lockDeveloperType = s.organization?.lockDeveloperType ?? false;
    this.deleteRequiresLeavingWorkspaces = s.organization?.deleteRequiresLeavingWorkspaces ?? false;
    this.userGroupsSynchronized = s.organization?.userGroupsSynchronized ?? false;
    const rules: ModelRules = { ...DEFAULT_MODEL_RULES, ...options.rules };

    this.roles = new RoleCatalog(s);
    const userRules = {
      limits: this.limits,
      lockDeveloperType: this.lockDeveloperType,
      legacyAccountName: rules.legacyAccountName,
    };
    this.users = new Users(this.roles, ids, now, userRules, (userId) => this.members.membershipsOf(userId));
    this.workspaces = new Workspaces(this.users, ids, now, this.limits.workspaces);
    this.members = new WorkspaceMembers(this.users, this.workspaces, this.roles, rules.batchErrorsWholeRequest);
    this.groups = new UserGroups(this.users, ids, now, {
      synchronized: this.userGroupsSynchronized,
      organizationId: this.organizationId,
    });
    this.users.load(s, t);
    this.workspaces.load(s, t);
    this.members.load(s);
    this.groups.load(s, t);
  }

  static fromSeed(seed: Seed | SeedInput, options: OrganizationOptions = {}): Organization {
    return new Organization(seed, options);
  }

  /** The current state in seed form (without access keys): what `--state` files and `/__emulator/state` hold. */
  toSeed(): Omit<Seed, "accessKeys"> {
    return {
      organization: {
        organizationId: this.organizationId,
        ownerUserId: this.users.ownerUserId,
        ...(Object.keys(this.limits).length > 0 ? { limits: { ...this.limits } } : {}),
        ...(this.lockDeveloperType ? { lockDeveloperType: true } : {}),
        ...(this.deleteRequiresLeavingWorkspaces ? { deleteRequiresLeavingWorkspaces: true } : {}),
        ...(this.userGroupsSynchronized ? { userGroupsSynchronized: true } : {}),
        ...(this.randomSeed !== undefined ? { randomSeed: this.randomSeed, randomDraws: this.randomDraws } : {}),
      },
      users: this.users.toSeed(),
      workspaces: this.workspaces.toSeed(),
      workspaceMembers: this.members.toSeed(),
      ...this.groups.toSeed(),
      ...this.roles.toSeed(),
    };
  }

  // ---- caller and users -------------------------------------------------------------------------------------------

  get organizationOwnerUserId(): string | undefined {
    return this.users.ownerUserId;
  }

  authorizeCaller(callerUserId: string | undefined): void {
    this.users.authorizeCaller(callerUserId);
  }

  getUser(userId: string): User {
    return this.users.get(userId);
  }

  hasUser(userId: string): boolean {
    return this.users.has(userId);
  }

  listUsers(keyword?: string): User[] {
    return this.users.list(keyword);
  }

  findUserByAccount(account: string, parentAccountName?: string): User {
    return this.users.findByAccount(account, parentAccountName);
  }

  addUser(input: AddUserInput): User {
    return this.users.add(input);
  }

  updateUser(userId: string, patch: UpdateUserInput): void {
    this.users.update(userId, patch);
  }

  /** DeleteUser: the user's works are transferred, then their workspace and group memberships go with them. */
  deleteUser(userId: string, transferUserId?: string): void {
    const user = this.users.get(userId);
    if (userId === this.users.ownerUserId) throw qbError("CannotRemove.OrganizationOwner");
    if (this.workspaces.ownedBy(userId)) throw qbError("CanNot.Remove.WorkspaceOwner");
    if (this.deleteRequiresLeavingWorkspaces && this.members.membershipsOf(userId).length > 0) {
      throw qbError("Member.ExistInWorkspace.Error");
    }
    const depart = this.members.planDeparture(user, transferUserId);
    depart();
    this.groups.forget(userId);
    this.users.remove(userId);
  }

  // ---- workspaces and memberships ---------------------------------------------------------------------------------

  getWorkspace(workspaceId: string, httpStatus = 400): Workspace {
    return this.workspaces.get(workspaceId, httpStatus);
  }

  /** Workspaces by name substring; with `userId`, only those the user is a member of. */
  listWorkspaces(keyword?: string, userId?: string): Workspace[] {
    if (userId !== undefined) this.users.get(userId);
    return this.workspaces
      .list(keyword)
      .filter((w) => userId === undefined || this.members.isMember(w.workspaceId, userId));
  }

  createWorkspace(input: CreateWorkspaceInput): string {
    const w = this.workspaces.create(input);
    this.members.addOwner(w);
    return w.workspaceId;
  }

  listWorkspaceMembers(workspaceId: string, keyword?: string): { user: User; membership: Membership }[] {
    return this.members.list(workspaceId, keyword);
  }

  getMembership(workspaceId: string, userId: string): Membership {
    return this.members.get(workspaceId, userId);
  }

  presetRoleOf(workspaceId: string, userId: string): Role {
    return this.members.presetRoleOf(workspaceId, userId);
  }

  primaryRoleOf(m: Membership): Role {
    return this.members.primaryRoleOf(m);
  }

  workspaceRolesOfUser(userId: string): WorkspaceRoleOfUser[] {
    return this.members.rolesOfUser(userId);
  }

  addWorkspaceMember(workspaceId: string, userId: string, roleId: number): void {
    this.members.add(workspaceId, userId, roleId);
  }

  addWorkspaceMembers(workspaceId: string, userIds: readonly string[], roleId: number): BatchOutcome {
    return this.members.addMany(workspaceId, userIds, roleId);
  }

  setWorkspaceMemberRoles(workspaceId: string, userId: string, roleIds: readonly number[]): void {
    this.members.setRoles(workspaceId, userId, roleIds);
  }

  setWorkspaceMembersRole(workspaceId: string, userIds: readonly string[], roleId: number): BatchOutcome {
    return this.members.setRoleMany(workspaceId, userIds, roleId);
  }

  removeWorkspaceMember(workspaceId: string, userId: string): void {
    this.members.remove(workspaceId, userId);
  }

  // ---- roles ------------------------------------------------------------------------------------------------------

  organizationRoles(): Role[] {
    return this.roles.organizationRoles();
  }

  organizationRole(roleId: number): Role {
    return this.roles.organizationRole(roleId);
  }

  organizationRoleUsers(roleId: number, keyword?: string): User[] {
    return this.users.holdersOf(roleId, keyword);
  }

  /** ListWorkspaceRoles: workspace roles are organization-wide, the workspace id is only checked. */
  workspaceRoles(workspaceId?: string): Role[] {
    if (workspaceId !== undefined && !this.workspaces.has(workspaceId)) throw qbError("Invalid.Workspace");
    return this.roles.workspaceRoles();
  }

  workspaceRole(roleId: number): Role {
    return this.roles.workspaceRole(roleId);
  }

  workspaceRoleUsers(roleId: number, workspaceId?: string, keyword?: string): { user: User; workspace: Workspace }[] {
    return this.members.holdersOf(roleId, workspaceId, keyword);
  }

  // ---- user groups ------------------------------------------------------------------------------------------------

  getUserGroup(userGroupId: string): UserGroup {
    return this.groups.get(userGroupId);
  }

  groupPath(userGroupId: string): string[] {
    return this.groups.path(userGroupId);
  }

  createUserGroup(input: CreateUserGroupInput, callerUserId?: string): string {
    return this.groups.create(input, callerUserId);
  }

  updateUserGroup(
    userGroupId: string,
    patch: { userGroupName?: string; userGroupDescription?: string },
    callerUserId?: string,
  ): void {
    this.groups.update(userGroupId, patch, callerUserId);
  }

  deleteUserGroup(userGroupId: string): void {
    this.groups.delete(userGroupId);
  }

  childGroups(parentUserGroupId: string): UserGroup[] {
    return this.groups.children(parentUserGroupId);
  }

  searchUserGroups(keyword: string): UserGroup[] {
    return this.groups.search(keyword);
  }

  userGroupsByIds(userGroupIds: readonly string[]): { found: UserGroup[]; failed: string[] } {
    return this.groups.byIds(userGroupIds);
  }

  addUserGroupMembers(userGroupId: string, userIds: readonly string[]): void {
    this.groups.addMembers(userGroupId, userIds);
  }

  addUserToGroups(userId: string, userGroupIds: readonly string[]): void {
    this.groups.addUserToGroups(userId, userGroupIds);
  }

  removeUserGroupMember(userGroupId: string, userId: string): void {
    this.groups.removeMember(userGroupId, userId);
  }

  removeUserFromGroups(userId: string, userGroupIds: readonly string[]): void {
    this.groups.removeUserFromGroups(userId, userGroupIds);
  }

  withdrawAllUserGroups(userId: string): void {
    this.groups.withdrawAll(userId);
  }

  userGroupMembers(userGroupId: string, keyword?: string): GroupMemberEntry[] {
    return this.groups.entries(userGroupId, keyword);
  }

  userGroupsOfUser(userId: string): UserGroup[] {
    return this.groups.groupsOf(userId);
  }
}
