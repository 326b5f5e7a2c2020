/** What WorkspaceMembership and GroupMembership share: the single/list forms and their resource IDs. */
import { duplicates, type CheckFailure } from "./checkFields";
import { setMembershipId, singleMembershipId } from "./ids";
import { UNKNOWN } from "./unknown";

export interface MemberForm {
  readonly userId?: string | null;
  readonly userIds?: readonly string[] | null;
}

/** The users a membership declares, in the program's order, without duplicates. */
export function declaredUsers(m: MemberForm): string[] {
  if (m.userId) return [m.userId];
  return [...new Set(m.userIds ?? [])];
}

export function membershipId(parentId: string, m: MemberForm): string {
  return m.userId ? singleMembershipId(parentId, m.userId) : setMembershipId(parentId, declaredUsers(m));
}

/**
 * Exactly one of userId / userIds (either may be unknown during preview, which counts as set); and a user listed twice
 * is reported even when other entries of the list are not known yet (the field's own check skips such a list).
 */
export function memberFormChecks(fc: {
  readonly present: ReadonlySet<string>;
  readonly unknown: ReadonlySet<string>;
  readonly raw: Readonly<Record<string, unknown>>;
}): CheckFailure[] {
  const single = fc.present.has("userId");
  const list = fc.present.has("userIds");
  if (single && list) {
    return [
      {
        property: "userIds",
        reason:
          "set either userId (one user) or userIds (a list), not both; put the single user into userIds or drop userIds",
      },
    ];
  }
  if (!single && !list) {
    return [{ property: "userIds", reason: "set userId (one Quick BI user id) or userIds (a list of them)" }];
  }
  return fc.unknown.has("userIds") ? knownDuplicates(fc.raw.userIds) : [];
}

/** Duplicates among the known entries of a list that also holds unknown ones (the list's schema did not run). */
export function knownDuplicates(raw: unknown): CheckFailure[] {
  if (!Array.isArray(raw)) return [];
  const knownIds = raw
    .map((v, i) => ({ v, i }))
    .filter((x): x is { v: string; i: number } => typeof x.v === "string" && x.v !== UNKNOWN);
  const dups = duplicates(knownIds.map((x) => x.v.trim()));
  return dups.map((d) => ({
    property: `userIds[${knownIds[d.index].i}]`,
    reason: `repeats the user id "${d.value}" already listed at index ${knownIds[d.firstIndex].i}; remove the duplicate`,
  }));
}

/**
 * What forces a membership to be replaced (delete first: the ID is a natural key): a different container (workspace
 * or group, also when not known yet), switching between the single and the list form, or another single user.
 */
export function membershipReplaces(
  container: string,
  now: {
    readonly containerId?: string;
    readonly userId?: string | null;
    readonly unknown: ReadonlySet<string>;
    readonly present: ReadonlySet<string>;
  },
  old: { readonly containerId: string; readonly userId?: string | null },
): string[] {
  const replaces: string[] = [];
  if (now.unknown.has(container) || (now.containerId !== undefined && now.containerId !== old.containerId))
    replaces.push(container);
  const wasSingle = old.userId !== undefined && old.userId !== null;
  if (now.present.has("userId") !== wasSingle) replaces.push(wasSingle ? "userId" : "userIds");
  else if (wasSingle && (now.unknown.has("userId") || (now.userId !== undefined && now.userId !== old.userId)))
    replaces.push("userId");
  return replaces;
}

/**
 * A recorded `userIds` that holds exactly `userId` (the single-user form's state), `userId` being a real id (not
 * the preview's unknown sentinel, which the full diff treats as a change).
 */
export function onlyUser(userIds: unknown, userId: string): boolean {
  return userId !== UNKNOWN && Array.isArray(userIds) && userIds.length === 1 && userIds[0] === userId;
}

/**
 * Inputs that declare again, in the single-user form and known (not the preview's sentinel), the container and the
 * user a one-user state records: the part of the diff shortcut both membership kinds share.
 */
export function redeclaresOneUser(
  news: Readonly<Record<string, unknown>>,
  state: { readonly userId?: string | null },
  containerKey: "workspaceId" | "userGroupId",
  container: string,
): boolean {
  return (
    news.userId === state.userId && news.userIds == null && news[containerKey] === container && container !== UNKNOWN
  );
}
