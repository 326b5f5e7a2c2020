/** Organization users, one user at a time, as the QuickBIUser handler needs them. */
import type { QuickBICaller } from "../api/call";
import { isUserNotFound } from "../api/errors";
import {
  accountLookupKey,
  addUser,
  deleteUser,
  iterateUsers,
  queryUserInfoByAccount,
  queryUserInfoByUserId,
  updateUser,
  type UserInfo,
  type UserListItem,
} from "../api/operations";
import type { UserTypeCode } from "../api/roles";

export interface OrgUser {
  readonly userId: string;
  readonly accountId?: string;
  readonly accountName?: string;
  readonly nickName: string;
  readonly userType: number;
  readonly roleIds: readonly number[];
}

export interface NewUser {
  readonly accountId?: string;
  readonly accountName?: string;
  readonly nickName: string;
  readonly userType: UserTypeCode;
  readonly roleIds?: readonly number[];
}

export interface UserPatch {
  readonly nickName?: string;
  readonly userType?: UserTypeCode;
  readonly roleIds?: readonly number[];
}

export interface UserService {
  get(userId: string): Promise<OrgUser | undefined>;
  /** Every organization user (one paged QueryUserList). */
  list(): Promise<OrgUser[]>;
  /** The organization user bound to this Alibaba Cloud account, if any. */
  findByAccount(account: { readonly accountId?: string; readonly accountName?: string }): Promise<OrgUser | undefined>;
  create(user: NewUser): Promise<OrgUser>;
  update(userId: string, patch: UserPatch): Promise<void>;
  /** "absent" when the user was already gone (deleting twice is not an error). */
  remove(userId: string, transferWorksTo?: string): Promise<"deleted" | "absent">;
}

export function toOrgUser(u: UserInfo | UserListItem): OrgUser {
  return {
    userId: u.UserId,
    accountId: u.AccountId || undefined,
    accountName: u.AccountName || undefined,
    nickName: u.NickName ?? "",
    userType: u.UserType,
    roleIds: u.RoleIdList ?? [],
  };
}

/**
 * Quick BI returns a RAM user's account name without the `master:` prefix and sometimes without `@domain`, so an
 * account name matches when it equals the declared one or its sub-account part.
 */
export function accountNameMatches(declared: string, observed: string | undefined): boolean {
  if (observed === undefined || observed === "") return false;
  if (declared === observed) return true;
  const sub = declared.includes(":") ? declared.slice(declared.lastIndexOf(":") + 1) : declared;
  return sub === observed || sub.split("@")[0] === observed;
}

export function createUserService(c: QuickBICaller): UserService {
  async function get(userId: string): Promise<OrgUser | undefined> {
    try {
      return toOrgUser(await queryUserInfoByUserId(c, { userId }));
    } catch (e) {
      if (isUserNotFound(e)) return undefined;
      throw e;
    }
  }

  async function findByAccount(account: { accountId?: string; accountName?: string }): Promise<OrgUser | undefined> {
    const key = accountLookupKey(account);
    if (key === undefined) return undefined;
    const matches = (u: OrgUser): boolean =>
      (account.accountId !== undefined && u.accountId === account.accountId) ||
      (account.accountName !== undefined && accountNameMatches(account.accountName, u.accountName));
    try {
      const u = toOrgUser(await queryUserInfoByAccount(c, { account: key }));
      if (matches(u)) return u;
    } catch (e) {
      if (!isUserNotFound(e)) throw e;
    }
    // QueryUserInfoByAccount only knows accounts that logged in once (AccountId) or exact names; the list search is
    // the slower but complete fallback.
    for await (const item of iterateUsers(c, { keyword: key })) {
      const u = toOrgUser(item);
      if (matches(u)) return u;
    }
    return undefined;
  }

  return {
    get,
    findByAccount,
    async list(): Promise<OrgUser[]> {
      const out: OrgUser[] = [];
      for await (const u of iterateUsers(c)) out.push(toOrgUser(u));
      return out;
    },
    async create(user: NewUser): Promise<OrgUser> {
      const added = await addUser(c, {
        accountId: user.accountId,
        accountName: user.accountName,
        nickName: user.nickName,
        userType: user.userType,
        roleIds: user.roleIds,
      });
      // AddUser's Result lacks AccountId; read the user back for complete outputs.
      const full = await get(added.UserId);
      return (
        full ?? {
          userId: added.UserId,
          accountId: user.accountId,
          accountName: added.AccountName ?? user.accountName,
          nickName: added.NickName ?? user.nickName,
          userType: added.UserType ?? user.userType,
          roleIds: added.RoleIdList ?? user.roleIds ?? [],
        }
      );
    },
    async update(userId: string, patch: UserPatch): Promise<void> {
      await updateUser(c, { userId, nickName: patch.nickName, userType: patch.userType, roleIds: patch.roleIds });
    },
    async remove(userId: string, transferWorksTo?: string): Promise<"deleted" | "absent"> {
      try {
        await deleteUser(c, { userId, transferUserId: transferWorksTo });
        return "deleted";
      } catch (e) {
        if (isUserNotFound(e)) return "absent";
        throw e;
      }
    },
  };
}
