/**
 * The example stack: Quick BI access for an analytics organization, declared from stack config.
 *
 * - `users`:  QuickBIUser per person this stack onboards (seat type, optional organization roles);
 * - `teams`:  one WorkspaceMembership per team: a list of users holding one role in one workspace;
 * - `grants`: single-user WorkspaceMemberships (e.g. the one admin of a workspace);
 * - `groups`: one GroupMembership per user group;
 * - `breakGlass` (secret): an emergency organization admin whose identity stays secret.
 * Workspaces, groups and existing users are referred to by name and looked up in Quick BI (getWorkspace,
 * getUserGroup, getUser), so the stack file reads like the console. See config.ts for the keys and
 * Pulumi.dev.yaml.example for a complete stack file.
 *
 * The module exports one async function (Pulumi calls it and uses its result as the stack outputs), so the same
 * program can be run again with other config, which is what `npm run demo` does between phases.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  getUserGroupOutput,
  getUserOutput,
  getWorkspaceOutput,
  GroupMembership,
  QuickBIUser,
  WorkspaceMembership,
} from "pulumi-quickbi";
import { QUICKBI_USER_ID, readBreakGlass, readStackConfig } from "./config";

/** One lookup per distinct name, however many teams mention it. */
function memo<T>(fn: (key: string) => T): (key: string) => T {
  const seen = new Map<string, T>();
  return (key) => {
    let v = seen.get(key);
    if (v === undefined) {
      v = fn(key);
      seen.set(key, v);
    }
    return v;
  };
}

async function quickbiAccess() {
  const config = readStackConfig();

  const users: Record<string, QuickBIUser> = {};
  for (const [key, u] of Object.entries(config.users)) {
    users[key] = new QuickBIUser(key, {
      accountId: u.accountId,
      accountName: u.accountName,
      nickName: u.nickName,
      userType: u.userType,
      roleIds: u.roleIds,
    });
  }

  const workspaceByName = memo((name: string) => getWorkspaceOutput({ name }).workspaceId);
  const groupByName = memo((name: string) => getUserGroupOutput({ name }).userGroupId);
  const userByAccount = memo((account: string) => getUserOutput({ account }).userId);

  const workspaceId = (w: { workspace?: string; workspaceId?: string }): pulumi.Input<string> =>
    w.workspaceId ?? workspaceByName(w.workspace as string);

  /** A stack user's id (an Output, so memberships wait for the user), a user id as given, or an account looked up. */
  const userId = (ref: string): pulumi.Input<string> => {
    const managed = users[ref];
    if (managed !== undefined) return managed.userId;
    return QUICKBI_USER_ID.test(ref) ? ref : userByAccount(ref);
  };

  const teams: Record<string, WorkspaceMembership> = {};
  for (const [name, team] of Object.entries(config.teams)) {
    teams[name] = new WorkspaceMembership(`team-${name}`, {
      workspaceId: workspaceId(team),
      role: team.role,
      userIds: team.members.map(userId),
    });
  }

  const grants: Record<string, WorkspaceMembership> = {};
  for (const [name, grant] of Object.entries(config.grants)) {
    grants[name] = new WorkspaceMembership(`grant-${name}`, {
      workspaceId: workspaceId(grant),
      role: grant.role,
      userId: userId(grant.user),
    });
  }

  const groups: Record<string, GroupMembership> = {};
  for (const [name, group] of Object.entries(config.groups)) {
    groups[name] = new GroupMembership(`group-${name}`, {
      userGroupId: group.userGroupId ?? groupByName(group.group as string),
      userIds: group.members.map(userId),
    });
  }

  const breakGlass = readBreakGlass();
  const breakGlassUser =
    breakGlass &&
    new QuickBIUser("break-glass", {
      accountId: breakGlass.accountId,
      accountName: breakGlass.accountName,
      nickName: breakGlass.nickName,
      userType: "developer",
      roleIds: ["orgAdmin"],
    });

  return {
    /** user key → Quick BI UserId */
    userIds: pulumi.output(Object.fromEntries(Object.entries(users).map(([k, u]) => [k, u.userId]))),
    /** team → who holds which role where */
    teams: pulumi.output(
      Object.fromEntries(
        Object.entries(teams).map(([k, m]) => [
          k,
          { workspaceId: m.workspaceId, role: m.role, members: m.userIds, membershipId: m.id },
        ]),
      ),
    ),
    grants: pulumi.output(
      Object.fromEntries(
        Object.entries(grants).map(([k, m]) => [k, { workspaceId: m.workspaceId, role: m.role, userId: m.userId }]),
      ),
    ),
    groups: pulumi.output(
      Object.fromEntries(
        Object.entries(groups).map(([k, g]) => [k, { userGroupId: g.userGroupId, members: g.userIds }]),
      ),
    ),
    /** Secret: derived from secret config. */
    breakGlassAccount: breakGlass?.accountName,
    breakGlassUserId: breakGlassUser?.userId,
  };
}

export = quickbiAccess;
