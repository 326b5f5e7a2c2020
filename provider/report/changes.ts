/** Who gains, loses or changes access between two membership states: the core every report entry is made of. */
import { workspaceRoleFromId } from "../api/roles";
import type { AccessChange } from "./schema";

export const GROUP_MEMBER = "member";

/** `viewer` for preset roles, `role 1001` for custom ones. */
export function roleLabel(roleId: number): string {
  const r = workspaceRoleFromId(roleId);
  return typeof r === "number" ? `role ${r}` : r;
}

/** userId → role id before and after; users absent from `after` lose access. Sorted: additions, changes, removals. */
export function workspaceChanges(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
): AccessChange[] {
  const added: AccessChange[] = [];
  const changed: AccessChange[] = [];
  const removed: AccessChange[] = [];
  for (const [userId, to] of after) {
    const from = before.get(userId);
    if (from === undefined) added.push({ userId, to: roleLabel(to) });
    else if (from !== to) changed.push({ userId, from: roleLabel(from), to: roleLabel(to) });
  }
  for (const [userId, from] of before) if (!after.has(userId)) removed.push({ userId, from: roleLabel(from) });
  return [...added, ...changed, ...removed];
}

export function groupChanges(before: ReadonlySet<string>, after: ReadonlySet<string>): AccessChange[] {
  const added = [...after].filter((u) => !before.has(u)).map((userId) => ({ userId, to: GROUP_MEMBER }));
  const removed = [...before].filter((u) => !after.has(u)).map((userId) => ({ userId, from: GROUP_MEMBER }));
  return [...added, ...removed];
}
