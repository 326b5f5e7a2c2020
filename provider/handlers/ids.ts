/**
 * Resource IDs of memberships. A single-user membership is identified by its natural key `<parent>:<userId>` (like
 * github_team_membership), so it can be found again from the ID alone. A list membership gets
 * `<parent>:set-<8 hex>`, the hash of its sorted INITIAL user ids: it stays the same when users are later added or
 * removed (the ID of a Pulumi resource cannot change without a replace).
 */
import { createHash } from "node:crypto";

const SET_PREFIX = "set-";

export type MembershipId =
  | { readonly kind: "single"; readonly parentId: string; readonly userId: string }
  | { readonly kind: "set"; readonly parentId: string; readonly hash: string };

export function setHash(userIds: readonly string[]): string {
  const sorted = [...new Set(userIds)].sort();
  return createHash("sha256").update(sorted.join(",")).digest("hex").slice(0, 8);
}

export function singleMembershipId(parentId: string, userId: string): string {
  return `${parentId}:${userId}`;
}

export function setMembershipId(parentId: string, userIds: readonly string[]): string {
  return `${parentId}:${SET_PREFIX}${setHash(userIds)}`;
}

/** Splits at the LAST ':' (user ids never contain one; a caller-chosen user group id might). */
export function parseMembershipId(id: string): MembershipId | undefined {
  const at = id.lastIndexOf(":");
  if (at <= 0 || at === id.length - 1) return undefined;
  const parentId = id.slice(0, at);
  const tail = id.slice(at + 1);
  if (tail.startsWith(SET_PREFIX) && /^[0-9a-f]{8}$/.test(tail.slice(SET_PREFIX.length))) {
    return { kind: "set", parentId, hash: tail.slice(SET_PREFIX.length) };
  }
  return { kind: "single", parentId, userId: tail };
}
