import { qbError } from "./codes";
import { freshId, IdSource } from "./ids";
import { unique } from "./idLists";
import { matchesKeyword } from "./paging";
import { MAX_ORG_ROLES, RoleCatalog } from "./roleCatalog";
import { ORG_ADMIN, ORG_PERMISSION_ADMIN, ORG_REGULAR_USER } from "./roles";
import type { Seed } from "./seed";
import { Membership, USER_TYPE, User, UserType } from "./types";
import { assertDisplayName, assertMaxLength, blankToUndefined, NICKNAME_MAX } from "./validation";

/** AddUser.CopilotModules values ([GO] v2.15.0). */
export const COPILOT_MODULES: ReadonlySet<string> = new Set(["qreport", "qExploreNum", "smartQAskNum", "smartQDevNum"]);

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

type Limits = NonNullable<NonNullable<Seed["organization"]>["limits"]>;

export interface UserRules {
  limits: Limits;
  /** `OrganizationDeveloper.CanNotChangeTo.AnalystOrViewer` (seed `lockDeveloperType`). */
  lockDeveloperType: boolean;
  /** Quirk `legacy-accountname` (model/rules.ts): AccountName alone identifies a new user. */
  legacyAccountName: boolean;
}

/**
 * The organization's members: accounts, nicknames, user types (seats) and organization roles. A user's workspace
 * memberships live in `WorkspaceMembers`; the user-type rules that depend on them read them through `membershipsOf`.
 */
export class Users {
  private readonly users = new Map<string, User>();
  private owner?: string;

  constructor(
    private readonly roles: RoleCatalog,
    private readonly ids: IdSource,
    private readonly now: () => number,
    private readonly rules: UserRules,
    private readonly membershipsOf: (userId: string) => readonly Membership[],
  ) {}

  load(seed: Seed, loadedAt: number): void {
    for (const u of seed.users) {
      if (this.users.has(u.userId)) throw new Error(`seed: duplicate user ${u.userId}`);
      for (const id of u.roleIds)
        if (!this.roles.hasOrganizationRole(id)) throw new Error(`seed: user ${u.userId} has unknown org role ${id}`);
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
        joinedDate: u.joinedDate ?? loadedAt,
      });
    }
    this.owner =
      seed.organization?.ownerUserId ?? [...this.users.values()].find((u) => u.roleIds.includes(ORG_ADMIN))?.userId;
    if (this.owner !== undefined && !this.users.has(this.owner)) {
      throw new Error(`seed: organization owner ${this.owner} is not a user`);
    }
  }

  toSeed(): Seed["users"] {
    return [...this.users.values()].map((u) => ({
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
    }));
  }

  /** Seed references (owners, members) must name a user. */
  requireSeedUser(userId: string, what: string): void {
    if (!this.users.has(userId)) throw new Error(`seed: ${what} ${userId} is not a user`);
  }

  get ownerUserId(): string | undefined {
    return this.owner;
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

  get(userId: string): User {
    const u = this.users.get(userId);
    if (!u) throw qbError("User.Not.In.Organization");
    return u;
  }

  has(userId: string): boolean {
    return this.users.has(userId);
  }

  /** Users in join order, optionally filtered by a substring of account name or nickname. */
  list(keyword?: string): User[] {
    return [...this.users.values()].filter((u) =>
      matchesKeyword(keyword, u.nickName, displayAccountName(u), u.accountId),
    );
  }

  /** ListOrganizationRoleUsers: holders of an organization role, by nickname substring. */
  holdersOf(roleId: number, keyword?: string): User[] {
    this.roles.organizationRole(roleId);
    return this.list().filter((u) => u.roleIds.includes(roleId) && matchesKeyword(keyword, u.nickName));
  }

  /** QueryUserInfoByAccount: `account` is an account id, an account name, or a RAM user's login prefix. */
  findByAccount(account: string, parentAccountName?: string): User {
    const prefix =
      account.includes("@") && account.includes(".onaliyun.com") ? account.slice(0, account.indexOf("@")) : account;
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

  add(input: AddUserInput): User {
    const accountId = blankToUndefined(input.accountId);
    const accountName = blankToUndefined(input.accountName);
    // "Quick BI versions released after 2024-12-31 require AccountId" (AddUser page).
    if (accountId === undefined && (accountName === undefined || !this.rules.legacyAccountName)) {
      throw qbError("System.Param.Empty", ["AccountId"]);
    }
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
    this.roles.checkOrgRoles(input.nickName, roleIds, userType, input.roleIds?.length);
    this.checkAccountFree(accountId, accountName);
    if ([...this.users.values()].some((u) => u.nickName === input.nickName))
      throw qbError("NickName.AlreadyIn.Organization");
    this.checkSeats(userType, undefined, true);
    const user: User = {
      userId: freshId(
        () => this.ids.userId(),
        (id) => this.users.has(id),
      ),
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

  update(userId: string, patch: UpdateUserInput): void {
    const user = this.get(userId);
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
    const listed = patch.roleIds?.length ?? roleIds.length;
    const isDeleted = patch.isDeleted ?? user.isDeleted;
    const isOwner = userId === this.owner;
    if (isOwner && !roleIds.includes(ORG_ADMIN)) throw qbError("Fobbiden.Action");
    if (isOwner && isDeleted) throw qbError("CannotRemove.OrganizationOwner");

    if (userType !== user.userType) this.checkTypeChange(user, userType, roleIds);
    this.roles.checkOrgRoles(nickName, roleIds, userType, listed);
    const reactivated = user.isDeleted && !isDeleted;
    if ((userType !== user.userType || reactivated) && !isDeleted) this.checkSeats(userType, userId, reactivated);

    user.nickName = nickName;
    user.userType = userType;
    user.roleIds = roleIds;
    user.isDeleted = isDeleted;
  }

  /** Only the record: DeleteUser's transfers and cascades are the organization's (they span entities). */
  remove(userId: string): void {
    this.users.delete(userId);
  }

  /**
   * The account must be new to the organization: `User.AlreadyIn.Organization`, or `DirtyData.Duplicate.User` when
   * the organization already holds it twice (only a seed can make that happen: AddUser refuses duplicates).
   */
  private checkAccountFree(accountId: string | undefined, accountName: string | undefined): void {
    const all = [...this.users.values()];
    const byId = accountId === undefined ? [] : all.filter((u) => u.accountId === accountId);
    const byName =
      accountName === undefined
        ? []
        : all.filter((u) => u.accountName !== undefined && sameAccount(u.accountName, accountName));
    if (byId.length > 1) throw qbError("DirtyData.Duplicate.User", [accountId!]);
    if (byName.length > 1) throw qbError("DirtyData.Duplicate.User", [accountName!]);
    if (byId.length + byName.length > 0) throw qbError("User.AlreadyIn.Organization");
  }

  private checkTypeChange(user: User, userType: UserType, roleIds: readonly number[]): void {
    if (this.rules.lockDeveloperType && user.userType === USER_TYPE.developer) {
      throw qbError("OrganizationDeveloper.CanNotChangeTo.AnalystOrViewer");
    }
    if (userType === USER_TYPE.viewer) {
      if (roleIds.includes(ORG_ADMIN) || roleIds.includes(ORG_PERMISSION_ADMIN)) {
        throw qbError("OrgAdminOrPermissionAdmin.CannotChangeTo.Viewer");
      }
      if (this.membershipsOf(user.userId).length > 0) throw qbError("ChangeTo.Viewer.Error");
    }
    if (userType === USER_TYPE.analyst) {
      for (const m of this.membershipsOf(user.userId)) this.roles.checkMemberRoles(user, userType, m.roleIds);
    }
  }

  /** Seat limits count active users; `newSeat` = the user takes a licence they did not hold (new or reactivated). */
  private checkSeats(userType: UserType, exceptUserId: string | undefined, newSeat: boolean): void {
    const { limits } = this.rules;
    const active = [...this.users.values()].filter((u) => !u.isDeleted && u.userId !== exceptUserId);
    const limit =
      userType === USER_TYPE.developer
        ? limits.developers
        : userType === USER_TYPE.viewer
          ? limits.viewers
          : limits.analysts;
    if (limit !== undefined && active.filter((u) => u.userType === userType).length >= limit) {
      const code =
        userType === USER_TYPE.developer
          ? "Organization.Developers.ReachedTheUpperLimit"
          : userType === USER_TYPE.viewer
            ? "Organization.Viewers.ReachedTheUpperLimit"
            : "Organization.Analysts.ReachedTheUpperLimit";
      throw qbError(code, [limit]);
    }
    if (newSeat && limits.users !== undefined && active.length >= limits.users) {
      throw qbError("Instance.Over.MaxLicense");
    }
  }
}

function asUserType(n: number): UserType {
  if (n !== 1 && n !== 2 && n !== 3) throw qbError("Invalid.Parameter.Error", ["UserType"]);
  return n;
}

/** The deprecated AdminUser/AuthAdminUser switches, applied to `current`; never leaves a user without a role. */
function rolesFromFlags(
  current: readonly number[],
  admin: boolean | undefined,
  authAdmin: boolean | undefined,
): number[] {
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
