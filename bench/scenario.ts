/**
 * The bench's organization and program. N analyst-type users, 10 workspaces, 20 user groups. Every user is declared
 * twice in each form:
 * - one resource per user: a WorkspaceMembership (userId) in workspace i % 10 and a GroupMembership (userId) in group
 *   i % 20;
 * - list memberships: user i is also in workspace (i + 1) % 10 and group (i + 1) % 20 through WorkspaceMembership /
 *   GroupMembership resources with `userIds` lists of at most LIST_SIZE users.
 * Phases change the program: half the users' roles flip viewer → analyst (even users, and the lists holding them), then
 * 10% of the users (i % 10 === 9) are dropped everywhere, then everything is destroyed.
 */
import { DEMO_ACCESS_KEY, type SeedInput } from "../emulator";
import { GroupMembership, WorkspaceMembership } from "../provider";

export const WORKSPACES = 10;
export const GROUPS = 20;
/** Users per list-membership resource. */
export const LIST_SIZE = 50;

const OWNER = "0b0c0d0e0f1011121314151617181900";

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

export function userId(i: number): string {
  return `be0c${hex(i, 28)}`;
}
export function workspaceId(k: number): string {
  return `bench-ws-${hex(k, 4)}-0000-4000-8000-000000000000`;
}
export function groupId(g: number): string {
  return `bench-group-${hex(g, 4)}`;
}

export function benchSeed(users: number): SeedInput {
  return {
    organization: { organizationId: "be0c0000-0000-4000-8000-000000000001", ownerUserId: OWNER },
    accessKeys: [{ ...DEMO_ACCESS_KEY }],
    users: [
      { userId: OWNER, accountId: "2000000000000000", accountName: "bench@aliyun.com:owner", nickName: "Bench Owner", userType: 1, roleIds: [111111111] },
      ...Array.from({ length: users }, (_, i) => ({
        userId: userId(i),
        accountId: String(2000000000000001 + i),
        accountName: `bench@aliyun.com:user${i}`,
        nickName: `Bench User ${i}`,
        userType: 3,
        roleIds: [111111113],
      })),
    ],
    workspaces: Array.from({ length: WORKSPACES }, (_, k) => ({ workspaceId: workspaceId(k), workspaceName: `Bench Workspace ${k}`, ownerUserId: OWNER })),
    workspaceMembers: Array.from({ length: WORKSPACES }, (_, k) => ({ workspaceId: workspaceId(k), userId: OWNER, roleId: 25 })),
    userGroups: Array.from({ length: GROUPS }, (_, g) => ({ userGroupId: groupId(g), userGroupName: `Bench Group ${g}`, parentUserGroupId: "-1" })),
    userGroupMembers: [],
  };
}

export type Stage = "initial" | "roles-changed" | "removed";

export interface ScenarioShape {
  readonly users: number;
  readonly perUserWorkspace: number;
  readonly perUserGroup: number;
  readonly listWorkspace: number;
  readonly listGroup: number;
  readonly memberships: number;
}

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

export function shape(users: number): ScenarioShape {
  const ws = lists(users, WORKSPACES, true, "initial").size;
  const gr = lists(users, GROUPS, false, "initial").size;
  return { users, perUserWorkspace: users, perUserGroup: users, listWorkspace: ws, listGroup: gr, memberships: users * 4 };
}

/** The Pulumi program for a stage. */
export function program(users: number, stage: Stage): () => void {
  return () => {
    for (let i = 0; i < users; i++) {
      if (!present(i, stage)) continue;
      new WorkspaceMembership(`ws-u${i}`, { workspaceId: workspaceId(i % WORKSPACES), userId: userId(i), role: roleOf(i, stage) });
      new GroupMembership(`grp-u${i}`, { userGroupId: groupId(i % GROUPS), userId: userId(i) });
    }
    for (const [key, members] of lists(users, WORKSPACES, true, stage)) {
      const [parent, parity] = key.split("-").map(Number);
      if (members.length === 0) continue;
      // Even users' lists change role with them.
      const role = stage !== "initial" && parity === 0 ? "analyst" : "viewer";
      new WorkspaceMembership(`ws-list-${key}`, { workspaceId: workspaceId(parent), userIds: members, role });
    }
    for (const [key, members] of lists(users, GROUPS, false, stage)) {
      const [parent] = key.split("-").map(Number);
      if (members.length === 0) continue;
      new GroupMembership(`grp-list-${key}`, { userGroupId: groupId(parent), userIds: members });
    }
  };
}

/** The program for a stage as a plain function of (users, stage): what the engine loads in its program worker. */
export function declareStage(users: number, stage: Stage): void {
  program(users, stage)();
}
