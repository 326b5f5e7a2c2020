/**
 * `getUser({account})`: an organization user by Alibaba Cloud account name or UID (QueryUserInfoByAccount). RAM users
 * are found by their login prefix (`zhangsan` for `zhangsan@corp.onaliyun.com`); when two main accounts have a RAM user
 * with the same prefix Quick BI answers `AE0579100001`, and `parentAccountName` (the main account) picks one.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { QuickBICaller } from "../api/call";
import { isQuickBIApiError, isUserNotFound } from "../api/errors";
import { iterateUsers, queryUserInfoByAccount, type UserInfo } from "../api/operations";
import { userTypeFromCode } from "../api/roles";
import { parseArgs } from "./args";
import { closeMatches } from "./closeMatches";
import { lookupClient, type LookupOptions } from "./client";
import { LookupAmbiguousError, LookupNotFoundError, requestIdOf } from "./errors";

/** Quick BI's "duplicate users found with account name" answer. */
export const AMBIGUOUS_ACCOUNT_CODE = "AE0579100001";
/** How many users a not-found error scans for suggestions at most. */
const SUGGESTION_SCAN_LIMIT = 5000;

export const GetUserArgsSchema = z.object({
  /** Account name (`alice@corp.com`, a RAM user's `alice` or `alice@corp.onaliyun.com`) or the account UID. */
  account: z.string().trim().min(1, "set account: an Alibaba Cloud account name or UID"),
  /** The main account a RAM user belongs to; needed only when Quick BI reports the account name as ambiguous. */
  parentAccountName: z.string().trim().min(1).optional(),
});
export type GetUserArgs = z.input<typeof GetUserArgsSchema>;

export const UserLookupSchema = z.object({
  /** The Quick BI user id, what memberships take. */
  userId: z.string(),
  accountId: z.string().optional(),
  accountName: z.string().optional(),
  nickName: z.string(),
  /** Seat type; a code Quick BI has not documented stays a number. */
  userType: z.union([z.enum(["developer", "visitor", "analyst"]), z.number()]),
  roleIds: z.array(z.number()),
});
export type UserLookup = z.infer<typeof UserLookupSchema>;

function toLookup(u: UserInfo): UserLookup {
  return UserLookupSchema.parse({
    userId: u.UserId,
    accountId: u.AccountId || undefined,
    accountName: u.AccountName || undefined,
    nickName: u.NickName ?? "",
    userType: userTypeFromCode(u.UserType) ?? u.UserType,
    roleIds: u.RoleIdList ?? [],
  });
}

/** Users whose account name, nickname or UID contain `keyword` (bounded scan). */
async function similarUsers(
  c: QuickBICaller,
  keyword: string | undefined,
): Promise<{ account: string; nickName: string; accountId?: string }[]> {
  const out: { account: string; nickName: string; accountId?: string }[] = [];
  for await (const u of iterateUsers(c, { keyword })) {
    out.push({ account: u.AccountName ?? "", nickName: u.NickName ?? "", accountId: u.AccountId || undefined });
    if (out.length >= SUGGESTION_SCAN_LIMIT) break;
  }
  return out;
}

/** The organization user bound to `account`. */
export async function getUser(args: GetUserArgs, opts: LookupOptions = {}): Promise<UserLookup> {
  const { account, parentAccountName } = parseArgs("getUser", GetUserArgsSchema, args);
  const c = await lookupClient(opts);
  try {
    return toLookup(await queryUserInfoByAccount(c, { account, parentAccountName }));
  } catch (e) {
    if (isQuickBIApiError(e) && e.code === AMBIGUOUS_ACCOUNT_CODE) {
      const prefix = account.split("@")[0];
      const listed = await similarUsers(c, prefix);
      // Quick BI lists RAM users without their main account, so the UID is what tells them apart.
      const same = listed
        .filter((u) => u.account === account || u.account.split("@")[0] === prefix)
        .map((u) => `${u.account || "?"}${u.accountId ? ` (UID ${u.accountId})` : ""} "${u.nickName}"`);
      throw new LookupAmbiguousError(
        "user",
        account,
        same,
        parentAccountName
          ? `Even with parentAccountName ${JSON.stringify(parentAccountName)} Quick BI finds several; use the account UID instead.`
          : 'Pass parentAccountName (the main account the RAM user belongs to, e.g. "corp@aliyun.com") or look the user up by account UID.',
        e.code,
        e.requestId,
      );
    }
    if (!isUserNotFound(e)) throw e;
    const local = account.includes("@")
      ? account.slice(0, account.indexOf("@"))
      : account.includes(":")
        ? account.slice(account.lastIndexOf(":") + 1)
        : account;
    let pool = await similarUsers(c, local);
    if (pool.length === 0) pool = await similarUsers(c, undefined);
    const names = pool.flatMap((u) => [u.account, u.nickName]).filter((n) => n !== "");
    throw new LookupNotFoundError(
      "user",
      account,
      closeMatches(local, names),
      requestIdOf(e),
      "Users appear in Quick BI only once added to the organization (QuickBIUser) or after their first login.",
    );
  }
}

export function getUserOutput(
  args: { readonly account: pulumi.Input<string>; readonly parentAccountName?: pulumi.Input<string> },
  opts: LookupOptions = {},
): pulumi.Output<UserLookup> {
  return pulumi.output(args).apply((a) => getUser(a, opts));
}
