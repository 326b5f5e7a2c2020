/** Organization users: AddUser, UpdateUser, DeleteUser, QueryUserInfoByUserId, QueryUserInfoByAccount, QueryUserList. */
import { z } from "zod";
import type { QuickBICaller, Verify, WriteOptions } from "../call";
import { isUserNotFound } from "../errors";
import type { UserTypeCode } from "../roles";
import { absentOn, invoke, joinIds } from "./invoke";
import { pages } from "./paging";
import { bool, boolResult, idString, int, opt, page, type Page } from "./shapes";

export const AddUserResultSchema = z.object({
  UserId: idString,
  AccountName: opt(z.string()),
  NickName: opt(z.string()),
  UserType: opt(int),
  AdminUser: opt(bool),
  AuthAdminUser: opt(bool),
  RoleIdList: opt(z.array(int)),
});
export type AddUserResult = z.infer<typeof AddUserResultSchema>;

export const UserInfoSchema = z.object({
  UserId: idString,
  AccountId: opt(idString),
  AccountName: opt(z.string()),
  NickName: opt(z.string()),
  Email: opt(z.string()),
  Phone: opt(z.string()),
  UserType: int,
  AdminUser: opt(bool),
  AuthAdminUser: opt(bool),
  RoleIdList: opt(z.array(int)),
});
export type UserInfo = z.infer<typeof UserInfoSchema>;

export const UserListItemSchema = UserInfoSchema.omit({ Email: true, Phone: true }).extend({
  IsDeleted: opt(bool),
  JoinedDate: opt(int),
  LastLoginTime: opt(int),
});
export type UserListItem = z.infer<typeof UserListItemSchema>;
export const UserListPageSchema = page(UserListItemSchema);
export type UserListPage = Page<UserListItem>;

export interface AddUserParams {
  /** Alibaba Cloud account UID. At least one of accountId / accountName. */
  readonly accountId?: string;
  /** Account name; RAM users as `master:sub`. */
  readonly accountName?: string;
  readonly nickName: string;
  readonly userType: UserTypeCode;
  /** Organization role ids, at most 3. Sent in the form body, as the Quick BI SDK does. */
  readonly roleIds?: readonly number[];
  /** Deprecated by Quick BI; ignored by it when roleIds is given. */
  readonly adminUser?: boolean;
  readonly authAdminUser?: boolean;
}

/** The `Account` value QueryUserInfoByAccount expects for what AddUser was given. */
export function accountLookupKey(p: Pick<AddUserParams, "accountId" | "accountName">): string | undefined {
  if (p.accountId) return p.accountId;
  if (!p.accountName) return undefined;
  // RAM users are looked up by the sub-account prefix only (`master:zhangsan@x.onaliyun.com` -> `zhangsan`).
  const sub = p.accountName.includes(":") ? p.accountName.slice(p.accountName.lastIndexOf(":") + 1) : p.accountName;
  return p.accountName.includes(":") ? sub.split("@")[0] : sub;
}

export async function addUser(c: QuickBICaller, p: AddUserParams, opts: WriteOptions = {}): Promise<AddUserResult> {
  const action = "AddUser";
  const body: Record<string, string> = {};
  if (p.roleIds !== undefined) body.RoleIds = joinIds(action, "RoleIds", p.roleIds);
  const verify: Verify =
    opts.verify ??
    (async () => {
      const account = accountLookupKey(p);
      if (account === undefined) return "not-applied";
      const found = await absentOn(() => queryUserInfoByAccount(c, { account }), isUserNotFound);
      // A user with this account and our nickname is what our lost AddUser would have created.
      if (found && found.NickName === p.nickName) {
        return { status: "applied", result: { ...found } };
      }
      return "not-applied";
    });
  return invoke(
    c,
    action,
    {
      AccountId: p.accountId,
      AccountName: p.accountName,
      NickName: p.nickName,
      UserType: p.userType,
      AdminUser: p.adminUser,
      AuthAdminUser: p.authAdminUser,
    },
    { idempotent: false, body: Object.keys(body).length > 0 ? body : undefined, verify },
    AddUserResultSchema,
  );
}

export interface UpdateUserParams {
  readonly userId: string;
  readonly userType?: UserTypeCode;
  readonly nickName?: string;
  readonly roleIds?: readonly number[];
  readonly adminUser?: boolean;
  readonly authAdminUser?: boolean;
  /** true = deactivate the user, false = activate. */
  readonly isDeleted?: boolean;
}

/** Overwrites the given fields, so repeating it is harmless: treated as idempotent. */
export async function updateUser(c: QuickBICaller, p: UpdateUserParams): Promise<boolean> {
  const action = "UpdateUser";
  return invoke(
    c,
    action,
    {
      UserId: p.userId,
      UserType: p.userType,
      NickName: p.nickName,
      RoleIds: p.roleIds === undefined ? undefined : joinIds(action, "RoleIds", p.roleIds),
      AdminUser: p.adminUser,
      AuthAdminUser: p.authAdminUser,
      IsDeleted: p.isDeleted,
    },
    { idempotent: true },
    boolResult,
  );
}

export interface DeleteUserParams {
  readonly userId: string;
  /** Successor for the deleted user's works. */
  readonly transferUserId?: string;
}

export async function deleteUser(c: QuickBICaller, p: DeleteUserParams, opts: WriteOptions = {}): Promise<boolean> {
  const verify: Verify =
    opts.verify ??
    (async () => {
      const still = await absentOn(() => queryUserInfoByUserId(c, { userId: p.userId }), isUserNotFound);
      return still === undefined ? "applied" : "not-applied";
    });
  return invoke(
    c,
    "DeleteUser",
    { UserId: p.userId, TransferUserId: p.transferUserId },
    { idempotent: false, verify },
    boolResult,
  );
}

export async function queryUserInfoByUserId(c: QuickBICaller, p: { readonly userId: string }): Promise<UserInfo> {
  return invoke(c, "QueryUserInfoByUserId", { UserId: p.userId }, { idempotent: true }, UserInfoSchema);
}

export interface QueryUserInfoByAccountParams {
  /** Root account name, RAM user prefix (`zhangsan` for `zhangsan@x.onaliyun.com`) or UID. */
  readonly account: string;
  readonly parentAccountName?: string;
}

export async function queryUserInfoByAccount(c: QuickBICaller, p: QueryUserInfoByAccountParams): Promise<UserInfo> {
  return invoke(
    c,
    "QueryUserInfoByAccount",
    { Account: p.account, ParentAccountName: p.parentAccountName },
    { idempotent: true },
    UserInfoSchema,
  );
}

export interface ListParams {
  readonly keyword?: string;
  /** 1-based. */
  readonly pageNum?: number;
  /** ≤ 1000. */
  readonly pageSize?: number;
}

export async function queryUserList(c: QuickBICaller, p: ListParams = {}): Promise<UserListPage> {
  return invoke(
    c,
    "QueryUserList",
    { Keyword: p.keyword, PageNum: p.pageNum, PageSize: p.pageSize },
    { idempotent: true, method: "GET" },
    UserListPageSchema,
  );
}

export function iterateUsers(c: QuickBICaller, p: { readonly keyword?: string } = {}): AsyncGenerator<UserListItem> {
  return pages((pageNum, pageSize) => queryUserList(c, { keyword: p.keyword, pageNum, pageSize }));
}

export async function listAllUsers(c: QuickBICaller, p: { readonly keyword?: string } = {}): Promise<UserListItem[]> {
  const out: UserListItem[] = [];
  for await (const u of iterateUsers(c, p)) out.push(u);
  return out;
}
