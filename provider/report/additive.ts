/**
 * The access report and the mixing claims for the ADDITIVE membership resources (WorkspaceMembership,
 * GroupMembership), added around their handlers in the runtime so the handlers themselves stay unchanged. The engine
 * calls `check` then `diff` for an existing resource and only `check` for a new one during a preview, so:
 * - check of a new resource reports its additions (with `adopt`, current roles are read so takeovers show as `~`);
 * - diff of an existing resource that changes reports from its state (outputs) to the program's inputs;
 * - delete reports the removals when it runs (a preview does not call the provider for deletions).
 */
import { workspaceRoleId as roleIdOf } from "../handlers/membershipSchema";
import { claim, release, type ClaimTarget } from "../handlers/accessClaims";
import { checkFields } from "../handlers/checkFields";
import type { Handler, ServicesProvider } from "../handlers/handler";
import {
  GroupMembershipOutputsSchema,
  groupMembershipShape,
  WorkspaceMembershipOutputsSchema,
  workspaceMembershipShape,
} from "../handlers/membershipSchema";
import { containsUnknown } from "../handlers/unknown";
import { groupChanges, workspaceChanges } from "./changes";
import { emitAccessReport } from "./emit";
import { resourceRefOf, type ResourceRef } from "./resourceRef";
import type { AccessReportEntry } from "./schema";

export type AdditiveKind = "workspaceMembership" | "groupMembership";

const TYPES = { workspaceMembership: "WorkspaceMembership", groupMembership: "GroupMembership" } as const;

function bag(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== null)) : {};
}

function usersOf(v: { userId?: string | null; userIds?: readonly string[] | null }): string[] {
  return v.userId ? [v.userId] : [...new Set(v.userIds ?? [])];
}

interface Target {
  readonly id: string | undefined;
  readonly known: boolean;
}

export function withAccessReport(kind: AdditiveKind, inner: Handler, services: ServicesProvider): Handler {
  const type = TYPES[kind];
  const parentKey = kind === "workspaceMembership" ? "workspaceId" : "userGroupId";
  const claimKind: ClaimTarget["kind"] = kind === "workspaceMembership" ? "workspace" : "user group";
  /**
   * Outputs of these resources do not carry `__urn`, so delete learns the URN from an earlier diff in this process
   * (a replace diffs, then deletes): its entry then has the same key as the diff's and is not counted twice.
   */
  const urnById = new Map<string, ResourceRef>();

  function entry(ref: ResourceRef, id: string | undefined, operation: AccessReportEntry["operation"], parent: string, changes: AccessReportEntry["changes"] | undefined): AccessReportEntry {
    const base = {
      resource: ref.urn ?? `${type} ${id ?? `(new) on ${parent}`}`,
      type,
      ...(ref.name !== undefined ? { name: ref.name } : {}),
      operation,
      [parentKey]: parent,
      changes: changes ?? [],
    };
    return (changes === undefined ? { ...base, unknown: true } : base) as AccessReportEntry;
  }

  async function report(e: AccessReportEntry, ref: ResourceRef): Promise<void> {
    try {
      await emitAccessReport(e, ref, services().directory);
    } catch {
      // Informational only: never fail a deployment because a report could not be produced.
    }
  }

  /** What a create grants: every declared user, or, with adopt, the difference from what they hold now. */
  async function createChanges(news: unknown): Promise<{ parent: Target; changes?: AccessReportEntry["changes"] }> {
    if (kind === "workspaceMembership") {
      const fc = checkFields(workspaceMembershipShape, news);
      const v = fc.values;
      const parent = { id: v.workspaceId, known: !fc.unknown.has("workspaceId") };
      if (!parent.known || v.role === undefined || fc.unknown.has("userIds") || fc.unknown.has("userId") || fc.unknown.has("role")) return { parent };
      const users = usersOf(v);
      const roleId = roleIdOf(v.role);
      let before = new Map<string, number>();
      if (v.adopt && v.workspaceId) before = (await services().workspaceMembers.getRoles(v.workspaceId, users, roleId).catch(() => undefined)) ?? before;
      return { parent, changes: workspaceChanges(before, new Map([...before, ...users.map((u) => [u, roleId] as const)])) };
    }
    const fc = checkFields(groupMembershipShape, news);
    const v = fc.values;
    const parent = { id: v.userGroupId, known: !fc.unknown.has("userGroupId") };
    if (!parent.known || fc.unknown.has("userIds") || fc.unknown.has("userId")) return { parent };
    const users = usersOf(v);
    let before = new Set<string>();
    if (v.adopt && v.userGroupId) {
      const now = (await services().groupMembers.getMembers(v.userGroupId).catch(() => undefined)) ?? new Set<string>();
      before = new Set(users.filter((u) => now.has(u)));
    }
    return { parent, changes: groupChanges(before, new Set([...before, ...users])) };
  }

  /** Old state → new inputs; `removed` is the entry for the old parent when the resource is replaced. */
  function updateChanges(olds: unknown, news: unknown, replacing: boolean): { old?: { parent: string; changes: AccessReportEntry["changes"] }; now: { parent: Target; changes?: AccessReportEntry["changes"] } } | undefined {
    if (kind === "workspaceMembership") {
      const o = WorkspaceMembershipOutputsSchema.safeParse(bag(olds));
      if (!o.success) return undefined;
      const before = new Map(o.data.userIds.map((u) => [u, o.data.userRoles[u] ?? o.data.roleId] as const));
      const fc = checkFields(workspaceMembershipShape, news);
      const v = fc.values;
      const parent = { id: v.workspaceId ?? o.data.workspaceId, known: !fc.unknown.has("workspaceId") };
      const unknown = !parent.known || v.role === undefined || containsUnknown(bag(news).userIds) || containsUnknown(bag(news).userId) || fc.unknown.has("role");
      const after = unknown ? undefined : new Map(usersOf(v).map((u) => [u, roleIdOf(v.role!)] as const));
      if (replacing) {
        return { old: { parent: o.data.workspaceId, changes: workspaceChanges(before, new Map()) }, now: { parent, changes: after && workspaceChanges(new Map(), after) } };
      }
      return { now: { parent, changes: after && workspaceChanges(before, after) } };
    }
    const o = GroupMembershipOutputsSchema.safeParse(bag(olds));
    if (!o.success) return undefined;
    const before = new Set(o.data.userIds);
    const fc = checkFields(groupMembershipShape, news);
    const v = fc.values;
    const parent = { id: v.userGroupId ?? o.data.userGroupId, known: !fc.unknown.has("userGroupId") };
    const unknown = !parent.known || fc.unknown.has("userIds") || fc.unknown.has("userId");
    const after = unknown ? undefined : new Set(usersOf(v));
    if (replacing) {
      return { old: { parent: o.data.userGroupId, changes: groupChanges(before, new Set()) }, now: { parent, changes: after && groupChanges(new Set(), after) } };
    }
    return { now: { parent, changes: after && groupChanges(before, after) } };
  }

  return {
    ...inner,

    async check(olds, news) {
      const result = await inner.check(olds, news);
      if ((result.failures ?? []).length > 0) return result;
      const ref = resourceRefOf(news);
      const parent = bag(result.inputs)[parentKey];
      if (typeof parent === "string" && !containsUnknown(parent)) {
        const conflicts = claim(ref.urn, "additive", { kind: claimKind, id: parent } as ClaimTarget, parentKey);
        if (conflicts.length > 0) return { ...result, failures: conflicts };
      }
      const isNew = Object.keys(bag(olds)).length === 0;
      if (isNew) {
        const c = await createChanges(news).catch(() => undefined);
        if (c) await report(entry(ref, undefined, "create", c.parent.known ? (c.parent.id ?? "(unknown)") : "(unknown)", c.changes), ref);
      }
      return result;
    },

    async diff(id, olds, news) {
      const result = await inner.diff(id, olds, news);
      const ref = resourceRefOf(news);
      if (ref.urn !== undefined) urnById.set(id, ref);
      if (result.changes !== true) return result;
      const c = updateChanges(olds, news, (result.replaces ?? []).length > 0);
      if (c?.old) await report(entry(ref, id, "delete", c.old.parent, c.old.changes), ref);
      if (c) await report(entry(ref, id, c.old ? "create" : "update", c.now.parent.known ? (c.now.parent.id ?? "(unknown)") : "(unknown)", c.now.changes), ref);
      return result;
    },

    async delete(id, props) {
      const own = resourceRefOf(props);
      const ref = own.urn !== undefined ? own : (urnById.get(id) ?? own);
      const c = updateChanges(props, {}, true);
      await inner.delete(id, props);
      if (c?.old) await report(entry(ref, id, "delete", c.old.parent, c.old.changes), ref);
      release(ref.urn);
    },
  };
}
