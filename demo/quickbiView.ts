/**
 * What Quick BI holds, read from the emulator's introspection endpoint (`GET /__emulator/state`) and shaped for a
 * reader: who is in which workspace with which role, who is in which group, and what changed since the last look.
 */
import { SeedSchema, type Seed } from "../emulator/model/seed";
import { WORKSPACE_ROLES } from "../provider/api/roles";

export interface QuickBIView {
  /** Active users: userId → nickName (deleted-flagged users are left out). */
  users: Map<string, { nickName: string; userType: number }>;
  workspaces: Map<string, string>;
  groups: Map<string, string>;
  /** `${workspaceId}|${userId}` → role id */
  memberships: Map<string, number>;
  /** `${userGroupId}|${userId}` */
  groupMembers: Set<string>;
}

const ROLE_NAMES = new Map<number, string>(Object.entries(WORKSPACE_ROLES).map(([name, id]) => [id, name]));
const USER_TYPE_NAMES = new Map<number, string>([
  [1, "developer"],
  [2, "visitor"],
  [3, "analyst"],
]);

export function roleName(roleId: number): string {
  return ROLE_NAMES.get(roleId) ?? `role ${roleId}`;
}

export async function fetchQuickBIState(url: string): Promise<Seed> {
  const res = await fetch(`${url}/__emulator/state`);
  if (!res.ok) throw new Error(`GET ${url}/__emulator/state answered HTTP ${res.status}`);
  return SeedSchema.parse(await res.json());
}

export function viewOf(seed: Seed): QuickBIView {
  return {
    users: new Map(
      seed.users.filter((u) => !u.isDeleted).map((u) => [u.userId, { nickName: u.nickName, userType: u.userType }]),
    ),
    workspaces: new Map(seed.workspaces.map((w) => [w.workspaceId, w.workspaceName])),
    groups: new Map(seed.userGroups.map((g) => [g.userGroupId, g.userGroupName])),
    memberships: new Map(seed.workspaceMembers.map((m) => [`${m.workspaceId}|${m.userId}`, m.roleId])),
    groupMembers: new Set(seed.userGroupMembers.map((m) => `${m.userGroupId}|${m.userId}`)),
  };
}

/** Names for ids, for messages: users, workspaces and groups of the current and earlier views. */
export class Names {
  private readonly names = new Map<string, string>();
  remember(view: QuickBIView): void {
    for (const [id, u] of view.users) this.names.set(id, u.nickName);
    for (const [id, n] of view.workspaces) this.names.set(id, n);
    for (const [id, n] of view.groups) this.names.set(id, n);
  }
  of(id: string): string {
    return this.names.get(id) ?? id;
  }
}

/** The table printed after each step. `baseline` marks (with *) what was not there when the demo started. */
export function renderView(view: QuickBIView, baseline: QuickBIView): string[] {
  const name = (id: string) => view.users.get(id)?.nickName ?? id;
  const mark = (id: string, isNew: boolean) => `${name(id)}${isNew ? "*" : ""}`;
  const rows: string[][] = [["Workspace", "Role", "Members"]];
  for (const [wsId, wsName] of view.workspaces) {
    const byRole = new Map<number, string[]>();
    for (const [key, roleId] of view.memberships) {
      const [w, u] = key.split("|");
      if (w !== wsId) continue;
      const list = byRole.get(roleId) ?? [];
      list.push(mark(u, baseline.memberships.get(key) !== roleId));
      byRole.set(roleId, list);
    }
    const roles = [...byRole.keys()].sort((a, b) => a - b);
    roles.forEach((roleId, i) =>
      rows.push([i === 0 ? wsName : "", roleName(roleId), (byRole.get(roleId) ?? []).join(", ")]),
    );
  }
  rows.push(["", "", ""]);
  rows.push(["User group", "", "Members"]);
  for (const [gId, gName] of view.groups) {
    const members = [...view.groupMembers]
      .filter((k) => k.startsWith(`${gId}|`))
      .map((k) => mark(k.slice(gId.length + 1), !baseline.groupMembers.has(k)));
    rows.push([gName, "", members.join(", ") || "(none)"]);
  }
  const added = [...view.users.keys()].filter((id) => !baseline.users.has(id));
  const widths = [0, 1].map((c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = rows.map((r) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}`.trimEnd());
  lines.push(
    `Users: ${view.users.size} active` +
      (added.length > 0 ? `, ${added.length} added since the start: ${added.map((id) => name(id)).join(", ")}` : ""),
  );
  lines.push("* = not there when the demo started");
  return lines;
}

/** What changed in Quick BI between two views, one line per fact, worded for people. */
export function describeChanges(before: QuickBIView, after: QuickBIView, names: Names): string[] {
  const out: string[] = [];
  const typeName = (t: number) => USER_TYPE_NAMES.get(t) ?? `type ${t}`;
  for (const [id, u] of after.users)
    if (!before.users.has(id)) out.push(`+ user ${u.nickName} (${typeName(u.userType)})`);
  for (const [id, u] of before.users) if (!after.users.has(id)) out.push(`- user ${u.nickName}`);
  for (const [id, u] of after.users) {
    const old = before.users.get(id);
    if (old && old.userType !== u.userType)
      out.push(`~ user ${u.nickName}: ${typeName(old.userType)} → ${typeName(u.userType)}`);
  }
  const split = (key: string) => key.split("|") as [string, string];
  for (const [key, roleId] of after.memberships) {
    const [w, u] = split(key);
    const old = before.memberships.get(key);
    if (old === undefined) out.push(`+ ${names.of(u)} joined ${names.of(w)} as ${roleName(roleId)}`);
    else if (old !== roleId) out.push(`~ ${names.of(u)} in ${names.of(w)}: ${roleName(old)} → ${roleName(roleId)}`);
  }
  for (const [key, roleId] of before.memberships) {
    const [w, u] = split(key);
    if (!after.memberships.has(key)) out.push(`- ${names.of(u)} left ${names.of(w)} (was ${roleName(roleId)})`);
  }
  for (const key of after.groupMembers) {
    const [g, u] = split(key);
    if (!before.groupMembers.has(key)) out.push(`+ ${names.of(u)} joined group ${names.of(g)}`);
  }
  for (const key of before.groupMembers) {
    const [g, u] = split(key);
    if (!after.groupMembers.has(key)) out.push(`- ${names.of(u)} left group ${names.of(g)}`);
  }
  return out;
}

/** Memberships and group members as comparable sorted lists (to check that destroy restored the start). */
export function accessFingerprint(view: QuickBIView): {
  memberships: string[];
  groupMembers: string[];
  users: string[];
} {
  return {
    memberships: [...view.memberships].map(([k, r]) => `${k}=${r}`).sort(),
    groupMembers: [...view.groupMembers].sort(),
    users: [...view.users.keys()].sort(),
  };
}
