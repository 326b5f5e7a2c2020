/**
 * QuickBIUser: an organization user (AddUser / UpdateUser / DeleteUser). The resource ID is the Quick BI UserId.
 * The account (accountId / accountName) is the natural key and cannot be changed by UpdateUser, so changing it
 * replaces the user, deleting first; nickName, userType and roleIds are updated in place.
 */
import { isQuickBIApiError } from "../api/errors";
import { hiddenValue, SECRETS_KEY, URN_KEY, urnOf } from "../contract/hiddenInputs";
import { userTypeFromCode, userTypeToCode, type UserTypeName } from "../api/roles";
import type { OrgUser, UserPatch } from "../service";
import { accountNameMatches } from "../service/users";
import { checkFields, type CheckFailure, type FieldCheck } from "./checkFields";
import { AdoptRequiredError, GoneError, InvalidPropertiesError } from "./errors";
import { journalKey } from "./journal";
import { resourceLabel } from "./ownership";
import { checkResult, compact, parseOrThrow, readResult, sameSet, type Handler } from "./handler";
import type { MembershipContext } from "./membership";
import {
  ORG_ROLE_NAMES,
  UserInputsSchema,
  UserOutputsSchema,
  userShape,
  type UserInputs,
  type UserOutputs,
} from "./userSchema";

const RESOURCE = "QuickBIUser";
const PRIVILEGED_ORG_ROLES: ReadonlySet<number> = new Set([ORG_ROLE_NAMES.orgAdmin, ORG_ROLE_NAMES.permissionAdmin]);
const PRESET_ORG_ROLES: ReadonlySet<number> = new Set(Object.values(ORG_ROLE_NAMES));

/** Rules that involve more than one field and are visible in the inputs alone. */
export function userCrossChecks(fc: FieldCheck<typeof userShape>): CheckFailure[] {
  const out: CheckFailure[] = [];
  const v = fc.values;
  if (v.userType === "visitor" && v.roleIds !== undefined) {
    v.roleIds.forEach((id, i) => {
      if (PRIVILEGED_ORG_ROLES.has(id)) {
        out.push({
          property: `roleIds[${i}]`,
          reason: `a visitor cannot hold organization role ${id} (organization or permission admin; Quick BI refuses with OrgAdminOrPermissionAdmin.CannotChangeTo.Viewer); use userType developer or analyst, or drop the role`,
        });
      } else if (!PRESET_ORG_ROLES.has(id)) {
        out.push({
          property: `roleIds[${i}]`,
          reason: `a visitor cannot hold the custom organization role ${id} (Quick BI refuses with Viewer.CannotHave.CustomRole); use userType developer or analyst, or drop the role`,
        });
      }
    });
  }
  return out;
}

function userTypeName(code: number, fallback?: UserTypeName): UserTypeName {
  const name = userTypeFromCode(code) ?? fallback;
  if (name === undefined) {
    throw new InvalidPropertiesError(RESOURCE, [`Quick BI reported an undocumented UserType ${code}`]);
  }
  return name;
}

function outputsOf(
  u: OrgUser,
  declared: {
    accountId?: string | null;
    accountName?: string | null;
    userType?: UserTypeName;
    transferWorksTo?: string | null;
  },
  urn: string | undefined,
  secret: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  return compact({
    // Delete and read see only outputs: the URN tells its own user from one another resource has taken over, and
    // which inputs were secret keeps refresh and destroy from naming what the program hid.
    [URN_KEY]: urn,
    [SECRETS_KEY]: secret.size > 0 ? [...secret] : undefined,
    userId: u.userId,
    // Quick BI may omit AccountId (until the first login); keep what was declared then.
    accountId: u.accountId ?? declared.accountId ?? undefined,
    // Quick BI shows a RAM account as its sub-account part; keep the declared spelling when it names the same account.
    accountName:
      declared.accountName && accountNameMatches(declared.accountName, u.accountName ?? undefined)
        ? declared.accountName
        : (u.accountName ?? declared.accountName ?? undefined),
    nickName: u.nickName,
    userType: userTypeName(u.userType, declared.userType),
    roleIds: [...u.roleIds],
    transferWorksTo: declared.transferWorksTo ?? undefined,
  });
}

/** The UpdateUser fields that differ between what Quick BI holds and what the program wants. */
function patchFor(current: OrgUser, want: UserInputs): UserPatch | undefined {
  const patch: { nickName?: string; userType?: ReturnType<typeof userTypeToCode>; roleIds?: number[] } = {};
  if (current.nickName !== want.nickName) patch.nickName = want.nickName;
  const wantType = userTypeToCode(want.userType);
  if (current.userType !== wantType) patch.userType = wantType;
  if (want.roleIds !== undefined && !sameSet(current.roleIds, want.roleIds)) patch.roleIds = [...new Set(want.roleIds)];
  return Object.keys(patch).length > 0 ? patch : undefined;
}

/** Which of the user's identifying inputs the program passed as secrets (the hidden `__secrets` input). */
function secretFields(props: unknown): ReadonlySet<string> {
  const v = hiddenValue(props, SECRETS_KEY);
  return new Set(Array.isArray(v) ? v.filter((k): k is string => typeof k === "string") : []);
}

/** The existing user in words, without what the program declared secret. */
function describe(u: OrgUser, secret: ReadonlySet<string>): string {
  const account =
    secret.has("accountName") || secret.has("accountId")
      ? "[secret]"
      : JSON.stringify(u.accountName ?? u.accountId ?? "?");
  const nick = secret.has("nickName") ? "[secret]" : JSON.stringify(u.nickName);
  return `user ${u.userId} (account ${account}, nickName ${nick})`;
}

/** The account a QuickBIUser claims within the stack (as declared: accountId first). */
function accountOf(v: { accountId?: string | null; accountName?: string | null }): string | undefined {
  return v.accountId ?? v.accountName ?? undefined;
}

export function createUserHandler(ctx: MembershipContext): Handler {
  const services = ctx.services;

  /** Names the access report may show for this user (never a secret one). */
  function learn(u: OrgUser, props: unknown): void {
    if (secretFields(props).has("nickName")) ctx.names.markSecret(u.userId);
    else ctx.names.remember([[u.userId, u.nickName]]);
  }

  async function converge(userId: string, current: OrgUser, want: UserInputs): Promise<OrgUser> {
    const patch = patchFor(current, want);
    if (patch === undefined) return current;
    await services().users.update(userId, patch);
    return (await services().users.get(userId)) ?? { ...current, ...patch, roleIds: patch.roleIds ?? current.roleIds };
  }

  return {
    async check(_olds, news) {
      return checkResult(userShape, news, (fc) => {
        const out = userCrossChecks(fc);
        const account = accountOf(fc.values);
        if (out.length === 0 && account !== undefined)
          out.push(
            ...ctx.ownership.claimAccount(urnOf(news), account, fc.values.accountId ? "accountId" : "accountName"),
          );
        return out;
      });
    },

    async diff(_id, olds, news) {
      ctx.journal.known(urnOf(news));
      const o = UserOutputsSchema.safeParse(olds);
      // State we cannot read: let update converge it rather than guess at a replace.
      if (!o.success) return { changes: true };
      const old = o.data;
      // Before any membership of this user reports (the engine diffs the user before the resources using its id):
      // the report may name the user — unless the program made the nickname secret.
      if (secretFields(news).has("nickName")) ctx.names.markSecret(old.userId);
      else ctx.names.remember([[old.userId, old.nickName]]);
      ctx.ownership.ownUser(urnOf(news), old.userId);
      const fc = checkFields(userShape, news);
      const n = fc.values;
      const replaces: string[] = [];
      const updates: string[] = [];
      for (const k of ["accountId", "accountName"] as const) if (fc.unknown.has(k)) replaces.push(k);
      if (n.accountId !== undefined && old.accountId && n.accountId !== old.accountId) replaces.push("accountId");
      if (n.accountName !== undefined && old.accountName && !accountNameMatches(n.accountName, old.accountName)) {
        replaces.push("accountName");
      }
      for (const k of ["nickName", "userType", "roleIds", "transferWorksTo"] as const)
        if (fc.unknown.has(k)) updates.push(k);
      if (n.nickName !== undefined && n.nickName !== old.nickName) updates.push("nickName");
      if (n.userType !== undefined && n.userType !== old.userType) updates.push("userType");
      if (n.roleIds !== undefined && !sameSet(n.roleIds, old.roleIds)) updates.push("roleIds");
      // transferWorksTo changes nothing in Quick BI, but delete only sees outputs: a state-only update records it.
      if (!fc.unknown.has("transferWorksTo") && (n.transferWorksTo ?? null) !== (old.transferWorksTo ?? null)) {
        updates.push("transferWorksTo");
      }
      if (replaces.length > 0) {
        ctx.ownership.replacing(urnOf(news));
        return { changes: true, replaces: [...new Set(replaces)], deleteBeforeReplace: true };
      }
      return { changes: updates.length > 0 };
    },

    async create(inputs) {
      const want = parseOrThrow(RESOURCE, "inputs", UserInputsSchema, inputs);
      const svc = services().users;
      const secret = secretFields(inputs);
      const urn = urnOf(inputs);
      const account = accountOf(want);
      // Taken over: with `adopt`, or when an earlier, interrupted run of this resource set out to create it.
      const takeOver =
        want.adopt === true || (account !== undefined && ctx.journal.ours(urn, journalKey.account(account)));
      const existing = await svc.findByAccount({ accountId: want.accountId, accountName: want.accountName });
      if (existing !== undefined) {
        if (!takeOver) {
          if (account !== undefined) ctx.journal.refused(urn, [journalKey.account(account)]);
          throw new AdoptRequiredError(RESOURCE, [describe(existing, secret)]);
        }
        const adopted = await converge(existing.userId, existing, want);
        ctx.ownership.ownUser(urn, adopted.userId);
        learn(adopted, inputs);
        return { id: adopted.userId, outs: outputsOf(adopted, want, urn, secret) };
      }
      if (account !== undefined) ctx.journal.intend(urn, [journalKey.account(account)]);
      let created: OrgUser;
      try {
        created = await svc.create({
          accountId: want.accountId,
          accountName: want.accountName,
          nickName: want.nickName,
          userType: userTypeToCode(want.userType),
          roleIds: want.roleIds,
        });
      } catch (e) {
        // The account exists but the lookup could not see it (e.g. a RAM name Quick BI stores differently).
        if (isQuickBIApiError(e) && e.code === "User.AlreadyIn.Organization" && !takeOver) {
          const account =
            secret.has("accountName") || secret.has("accountId")
              ? "[secret]"
              : JSON.stringify(want.accountName ?? want.accountId ?? "");
          throw new AdoptRequiredError(RESOURCE, [`a user with account ${account}`], e.code);
        }
        throw e;
      }
      ctx.ownership.ownUser(urn, created.userId);
      learn(created, inputs);
      return { id: created.userId, outs: outputsOf(created, want, urn, secret) };
    },

    async read(id, props) {
      ctx.journal.known(urnOf(props));
      const old = UserOutputsSchema.partial().safeParse(props ?? {});
      const prev: Partial<UserOutputs> = old.success ? old.data : {};
      const current = await services().users.get(id);
      if (current === undefined) return {};
      learn(current, props);
      const outs = outputsOf(
        current,
        {
          accountId: prev.accountId,
          accountName: prev.accountName,
          userType: prev.userType,
          transferWorksTo: prev.transferWorksTo,
        },
        urnOf(props),
        secretFields(props),
      );
      // The account is the identity and cannot drift; the rest is reported as Quick BI holds it.
      return readResult(id, props, outs, () =>
        compact({
          accountId: prev.accountId ?? undefined,
          accountName: prev.accountName ?? undefined,
          nickName: outs.nickName,
          userType: outs.userType,
          roleIds: outs.roleIds,
          transferWorksTo: prev.transferWorksTo ?? undefined,
        }),
      );
    },

    async update(id, _olds, news) {
      ctx.journal.known(urnOf(news));
      const want = parseOrThrow(RESOURCE, "inputs", UserInputsSchema, news);
      const current = await services().users.get(id);
      if (current === undefined) throw new GoneError(RESOURCE, `user ${id}`);
      const after = await converge(id, current, want);
      learn(after, news);
      return { outs: outputsOf(after, want, urnOf(news), secretFields(news)) };
    },

    async delete(id, props) {
      ctx.journal.known(urnOf(props));
      const old = UserOutputsSchema.partial().safeParse(props ?? {});
      const prev = old.success ? old.data : {};
      // Another resource of the stack took this user over (a rename with adopt): it stays, only this record goes.
      const owner = ctx.ownership.userOwner(urnOf(props), id, accountOf(prev));
      if (owner !== undefined) {
        ctx
          .reporter()
          .message(
            "info",
            `QuickBIUser ${id}: not deleted from Quick BI: ${resourceLabel(owner)} now manages this user`,
            urnOf(props),
          );
        ctx.ownership.deleted(urnOf(props));
        return;
      }
      await services().users.remove(id, prev.transferWorksTo ?? undefined);
      ctx.ownership.deleted(urnOf(props));
    },
  };
}
