/**
 * WorkspaceMembership: the declared users hold one role in one workspace. A role change is an in-place update
 * (UpdateWorkspaceUsersRole / UpdateWorkspaceUserRole), never a replace; users added to or removed from the list are
 * added / removed; a new workspaceId (or switching between userId and userIds) replaces, deleting first because the
 * membership is a natural key.
 */
import { workspaceRoleFromId } from "../api/roles";
import type { MemberFailure } from "../service/outcome";
import { failures } from "../service/outcome";
import { checkFields } from "./checkFields";
import { AdoptRequiredError, MembershipWriteError, PartialApplyError } from "./errors";
import { checkResult, compact, parseOrThrow, readResult, sameSet, type Handler, type ServicesProvider } from "./handler";
import { parseMembershipId } from "./ids";
import { declaredUsers, memberFormChecks, membershipId, membershipReplaces } from "./members";
import {
  WorkspaceMembershipInputsSchema,
  WorkspaceMembershipOutputsSchema,
  workspaceMembershipShape,
  workspaceRoleId,
  type WorkspaceMembershipInputs,
  type WorkspaceMembershipOutputs,
  type WorkspaceRoleInput,
} from "./membershipSchema";

const RESOURCE = "WorkspaceMembership";

function roleName(roleId: number): string {
  const r = workspaceRoleFromId(roleId);
  return typeof r === "number" ? `custom role ${r}` : `${r} (${roleId})`;
}

/** Outputs for a set of members: `roles` is what each member holds now (only members appear). */
function outputsOf(
  workspaceId: string,
  form: { userId?: string | null },
  role: WorkspaceRoleInput | string,
  roleId: number,
  members: readonly string[],
  roles: ReadonlyMap<string, number>,
): Record<string, unknown> {
  return compact({
    workspaceId,
    userId: form.userId ?? undefined,
    userIds: [...members],
    role,
    roleId,
    userRoles: Object.fromEntries(members.map((u) => [u, roles.get(u) ?? roleId])),
  });
}

export function createWorkspaceMembershipHandler(services: ServicesProvider): Handler {
  /**
   * Brings Quick BI to `want` for the users in `want`, removing `removed`. `known` are the users this resource
   * already managed (they need no adopt). Returns the outputs for what holds afterwards, and the failures.
   */
  async function converge(
    id: string,
    want: WorkspaceMembershipInputs,
    known: ReadonlySet<string>,
    removed: readonly string[],
  ): Promise<{ outs: Record<string, unknown>; failed: MemberFailure[]; applied: number }> {
    const svc = services().workspaceMembers;
    const users = declaredUsers(want);
    const roleId = workspaceRoleId(want.role);
    // A missing workspace shows up below as each write's Workspace.Not.Exist, with its RequestId.
    const current = (await svc.getRoles(want.workspaceId, users, roleId)) ?? new Map<string, number>();
    const foreign = users.filter((u) => current.has(u) && !known.has(u));
    if (foreign.length > 0 && !want.adopt) {
      throw new AdoptRequiredError(
        `${RESOURCE} ${id}`,
        foreign.map((u) => `user ${u} is already a member of workspace ${want.workspaceId} as ${roleName(current.get(u) ?? 0)}`),
      );
    }
    const toAdd = users.filter((u) => !current.has(u));
    const toSet = users.filter((u) => current.has(u) && current.get(u) !== roleId);
    const removeOut = await svc.removeMembers(want.workspaceId, removed);
    const addOut = await svc.addMembers(want.workspaceId, roleId, toAdd);
    const setOut = await svc.setRole(want.workspaceId, roleId, toSet);

    const roles = new Map(current);
    for (const [u, o] of addOut) if (o.ok) roles.set(u, roleId);
    for (const [u, o] of setOut) if (o.ok) roles.set(u, roleId);
    // Users whose removal failed stay listed, so the next update retries removing them.
    const stillThere = removed.filter((u) => removeOut.get(u)?.ok === false);
    const members = [...users.filter((u) => roles.has(u)), ...stillThere];
    const failed = [...failures(removeOut), ...failures(addOut), ...failures(setOut)];
    const applied = [...removeOut.values(), ...addOut.values(), ...setOut.values()].filter((o) => o.ok).length;
    return { outs: outputsOf(want.workspaceId, want, want.role, roleId, members, roles), failed, applied };
  }

  return {
    async check(_olds, news) {
      return checkResult(workspaceMembershipShape, news, (fc) => memberFormChecks(fc.present));
    },

    async diff(_id, olds, news) {
      const o = WorkspaceMembershipOutputsSchema.safeParse(olds);
      if (!o.success) return { changes: true };
      const old = o.data;
      const fc = checkFields(workspaceMembershipShape, news);
      const n = fc.values;
      const replaces = membershipReplaces(
        "workspaceId",
        { containerId: n.workspaceId, userId: n.userId, unknown: fc.unknown, present: fc.present },
        { containerId: old.workspaceId, userId: old.userId },
      );
      if (replaces.length > 0) return { changes: true, replaces, deleteBeforeReplace: true };

      if (fc.unknown.has("role") || fc.unknown.has("userIds")) return { changes: true };
      const users = declaredUsers(n);
      if (!n.userId && !sameSet(users, old.userIds)) return { changes: true };
      if (n.role === undefined) return { changes: true };
      const roleId = workspaceRoleId(n.role);
      // Compare with what each member was observed to hold, so one drifted user in a list is corrected.
      const drifted = roleId !== old.roleId || users.some((u) => (old.userRoles[u] ?? old.roleId) !== roleId);
      return { changes: drifted };
    },

    async create(inputs) {
      const want = parseOrThrow(RESOURCE, "inputs", WorkspaceMembershipInputsSchema, inputs);
      const id = membershipId(want.workspaceId, want);
      const { outs, failed, applied } = await converge(id, want, new Set(), []);
      if (failed.length === 0) return { id, outs };
      // Nothing changed in Quick BI: a plain error, so no resource is recorded and the next up starts afresh.
      if (applied === 0) {
        throw new MembershipWriteError(`${RESOURCE} ${id}`, `add to workspace ${want.workspaceId}`, failed);
      }
      throw new PartialApplyError(id, outs, failed, `${RESOURCE} ${id}: ${failed.length} of ${declaredUsers(want).length} users could not be granted ${roleName(workspaceRoleId(want.role))}`);
    },

    async read(id, props) {
      const parsed = WorkspaceMembershipOutputsSchema.partial().safeParse(props ?? {});
      const prev: Partial<WorkspaceMembershipOutputs> = parsed.success ? parsed.data : {};
      const fromId = parseMembershipId(id);
      const workspaceId = prev.workspaceId ?? fromId?.parentId;
      const users = prev.userIds ?? (fromId?.kind === "single" ? [fromId.userId] : []);
      if (workspaceId === undefined || users.length === 0) return {};
      const single = prev.userId ?? (fromId?.kind === "single" ? fromId.userId : undefined);
      const current = await services().workspaceMembers.getRoles(workspaceId, users, prev.roleId);
      if (current === undefined) return {};
      const members = users.filter((u) => current.has(u));
      if (members.length === 0) return {};
      // When every member holds the same role, that role is what the program should now say (drift shows as a change).
      const held = [...new Set(members.map((u) => current.get(u) as number))];
      const roleId = held.length === 1 ? held[0] : (prev.roleId ?? held[0]);
      const role = roleId === prev.roleId && prev.role !== undefined ? prev.role : workspaceRoleFromId(roleId);
      const outs = outputsOf(workspaceId, { userId: single }, role, roleId, members, current);
      return readResult(id, props, outs, () =>
        compact({ workspaceId, userId: single ?? undefined, userIds: single ? undefined : members, role }),
      );
    },

    async update(id, olds, news) {
      const want = parseOrThrow(RESOURCE, "inputs", WorkspaceMembershipInputsSchema, news);
      const parsed = WorkspaceMembershipOutputsSchema.partial().safeParse(olds ?? {});
      const prevUsers = parsed.success ? (parsed.data.userIds ?? []) : [];
      const users = declaredUsers(want);
      const removed = prevUsers.filter((u) => !users.includes(u));
      const { outs, failed, applied } = await converge(id, want, new Set(prevUsers), removed);
      if (failed.length === 0) return { outs };
      if (applied === 0) throw new MembershipWriteError(`${RESOURCE} ${id}`, "update", failed);
      throw new PartialApplyError(id, outs, failed, `${RESOURCE} ${id}: ${failed.length} user change(s) failed`);
    },

    async delete(id, props) {
      const parsed = WorkspaceMembershipOutputsSchema.partial().safeParse(props ?? {});
      const fromId = parseMembershipId(id);
      const workspaceId = (parsed.success ? parsed.data.workspaceId : undefined) ?? fromId?.parentId;
      const users = (parsed.success ? parsed.data.userIds : undefined) ?? (fromId?.kind === "single" ? [fromId.userId] : []);
      if (workspaceId === undefined || users.length === 0) return;
      const failed = failures(await services().workspaceMembers.removeMembers(workspaceId, users));
      if (failed.length > 0) throw new MembershipWriteError(`${RESOURCE} ${id}`, `remove from workspace ${workspaceId}`, failed);
    },
  };
}
