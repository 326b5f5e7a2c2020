/**
 * Which calls carry a set of (group, user) pairs. Quick BI adds or removes group members two ways: many users of one
 * group per call (AddUserGroupMember; removal has only the one-pair DeleteUserGroupMember) or many groups of one user
 * per call (AddUserGroupMembers / DeleteUserGroupMembers). Covering the pairs with the fewest such "stars" is a set
 * cover; the greedy choice (always the star covering most pairs left) is within a small factor of the minimum and
 * exact for the shapes a stack produces (one user in many groups, or many users in one group).
 */
export type Star =
  | { readonly by: "group"; readonly id: string; readonly others: string[] }
  | { readonly by: "user"; readonly id: string; readonly others: string[] };

export interface Pair {
  readonly group: string;
  readonly user: string;
}

/** `allow` says which star shapes may be used (removals of one group's many users have no batch call). */
export function starCover(
  pairs: readonly Pair[],
  allow: { byGroup: boolean; byUser: boolean } = { byGroup: true, byUser: true },
): Star[] {
  const byGroup = new Map<string, Set<string>>();
  const byUser = new Map<string, Set<string>>();
  for (const { group, user } of pairs) {
    (byGroup.get(group) ?? byGroup.set(group, new Set()).get(group)!).add(user);
    (byUser.get(user) ?? byUser.set(user, new Set()).get(user)!).add(group);
  }
  const stars: Star[] = [];
  const drop = (group: string, user: string) => {
    byGroup.get(group)?.delete(user);
    byUser.get(user)?.delete(group);
  };
  for (;;) {
    let best: { by: "group" | "user"; id: string; size: number } | undefined;
    if (allow.byGroup)
      for (const [g, us] of byGroup)
        if (us.size > 0 && (best === undefined || us.size > best.size)) best = { by: "group", id: g, size: us.size };
    if (allow.byUser)
      for (const [u, gs] of byUser)
        if (gs.size > 0 && (best === undefined || gs.size > best.size)) best = { by: "user", id: u, size: gs.size };
    if (best === undefined) break;
    if (best.by === "group") {
      const users = [...byGroup.get(best.id)!];
      stars.push({ by: "group", id: best.id, others: users });
      for (const u of users) drop(best.id, u);
    } else {
      const groups = [...byUser.get(best.id)!];
      stars.push({ by: "user", id: best.id, others: groups });
      for (const g of groups) drop(g, best.id);
    }
  }
  return stars;
}
