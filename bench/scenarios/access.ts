/**
 * The issue-15 scenario: N users, 10 workspaces, 20 user groups, every user declared twice in each form:
 * - one resource per user: a WorkspaceMembership (userId) in workspace i mod 10 and a GroupMembership (userId) in
 *   group i mod 20;
 * - list memberships: user i is also in workspace (i + 1) mod 10 and group (i + 1) mod 20 through WorkspaceMembership /
 *   GroupMembership resources with `userIds` lists of at most LIST_SIZE users.
 * Phases: create, a no-op refresh, half the users' roles viewer → analyst (even users, and the lists holding them),
 * 10% of the users (i mod 10 = 9) dropped everywhere, destroy.
 */
import { GROUPS, groupId, userId, WORKSPACES, workspaceId } from "../scenario";
import { groupKey, requireStage, ROLE_IDS, wsKey, type Access, type Scenario } from "./scenario";

/** Users per list-membership resource. */
export const LIST_SIZE = 50;

const STAGES = ["initial", "roles-changed", "removed"] as const;
type Stage = (typeof STAGES)[number];

/** Role of user i at a stage: viewer, and analyst for even users once roles changed. */
function roleOf(i: number, stage: Stage): "viewer" | "analyst" {
  return stage !== "initial" && i % 2 === 0 ? "analyst" : "viewer";
}

function present(i: number, stage: Stage): boolean {
  return stage !== "removed" || i % 10 !== 9;
}

/** Lists of (parent, role) → users, cut into LIST_SIZE pieces. Keys are stable across stages (names don't change). */
function lists(users: number, parents: number, withRole: boolean, stage: Stage): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < users; i++) {
    const parent = (i + 1) % parents;
    // With 10 workspaces a parent's users share one parity, so a role change flips whole lists; names stay stable.
    const parity = withRole ? i % 2 : 0;
    const slot = Math.floor(Math.floor(i / parents) / LIST_SIZE);
    const key = `${parent}-${parity}-${slot}`;
    if (!out.has(key)) out.set(key, []);
    if (present(i, stage)) out.get(key)!.push(userId(i));
  }
  return out;
}

export const access: Scenario = {
  name: "access",
  title: "one-user and list memberships in workspaces and groups (issue 15)",
  phases: [
    { name: "create", op: "up", stage: "initial" },
    { name: "refresh", op: "refresh", stage: "initial" },
    { name: "change-roles", op: "up", stage: "roles-changed" },
    { name: "remove-10pct", op: "up", stage: "removed" },
    { name: "destroy", op: "destroy", stage: undefined },
  ],
  declare(users, stageName, classes) {
    const stage = requireStage(STAGES, stageName);
    for (let i = 0; i < users; i++) {
      if (!present(i, stage)) continue;
      new classes.WorkspaceMembership(`ws-u${i}`, {
        workspaceId: workspaceId(i % WORKSPACES),
        userId: userId(i),
        role: roleOf(i, stage),
      });
      new classes.GroupMembership(`grp-u${i}`, { userGroupId: groupId(i % GROUPS), userId: userId(i) });
    }
    for (const [key, members] of lists(users, WORKSPACES, true, stage)) {
      const [parent, parity] = key.split("-").map(Number);
      if (members.length === 0) continue;
      // Even users' lists change role with them.
      const role = stage !== "initial" && parity === 0 ? "analyst" : "viewer";
      new classes.WorkspaceMembership(`ws-list-${key}`, { workspaceId: workspaceId(parent), userIds: members, role });
    }
    for (const [key, members] of lists(users, GROUPS, false, stage)) {
      const [parent] = key.split("-").map(Number);
      if (members.length === 0) continue;
      new classes.GroupMembership(`grp-list-${key}`, { userGroupId: groupId(parent), userIds: members });
    }
  },
  access(users, stageName) {
    const out: Access = new Map();
    if (stageName === undefined) return out;
    const stage = requireStage(STAGES, stageName);
    for (let i = 0; i < users; i++) {
      if (!present(i, stage)) continue;
      const role = ROLE_IDS[roleOf(i, stage)];
      out.set(wsKey(workspaceId(i % WORKSPACES), userId(i)), role);
      out.set(wsKey(workspaceId((i + 1) % WORKSPACES), userId(i)), role);
      out.set(groupKey(groupId(i % GROUPS), userId(i)), true);
      out.set(groupKey(groupId((i + 1) % GROUPS), userId(i)), true);
    }
    return out;
  },
  resources: (users) =>
    2 * users + lists(users, WORKSPACES, true, "initial").size + lists(users, GROUPS, false, "initial").size,
};
