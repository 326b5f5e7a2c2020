/**
 * GroupMembers: the EXACT list of users directly in one user group (child groups are not touched). Users Quick BI
 * lists and the program does not are removed on the next update, except the provider's own identity
 * (`quickbi:callerUserId`), which is kept. The resource ID is the user group id; it must not be mixed with
 * GroupMembership on the same group (accessClaims.ts detects that within a stack).
 */
import { z } from "zod";
import { groupChanges } from "../report/changes";
import { emitAccessReport } from "../report/emit";
import { resourceRefOf, URN_KEY, type ResourceRef } from "../report/resourceRef";
import type { AccessReportEntry } from "../report/schema";
import { failures } from "../service/outcome";
import { claim, release } from "./accessClaims";
import { checkFields } from "./checkFields";
import { GoneError, MembershipWriteError, PartialApplyError } from "./errors";
import { idField, MAX_USERS_PER_RESOURCE, userIdField } from "./fields";
import { compact, checkResult, parseOrThrow, readResult, type Handler, type ServicesProvider } from "./handler";
import type { AuthoritativeSettings } from "./workspaceMembers";

const RESOURCE = "GroupMembers";
const TYPE = "GroupMembers" as const;

/** Like the additive list, but empty is allowed: "this group has no direct members". */
export const exactUserIdsField = z
  .array(userIdField(), { invalid_type_error: "must be a list of Quick BI user ids" })
  .max(MAX_USERS_PER_RESOURCE, `must name at most ${MAX_USERS_PER_RESOURCE} users`)
  .superRefine((ids, ctx) => {
    const first = new Map<string, number>();
    ids.forEach((id, i) => {
      const at = first.get(id);
      if (at === undefined) first.set(id, i);
      else ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i], message: `repeats the user id "${id}" already listed at index ${at}` });
    });
  });

export const groupMembersShape = {
  userGroupId: idField("the user group id (getUserGroup(...).userGroupId)"),
  userIds: exactUserIdsField,
  [URN_KEY]: z.string().optional(),
};
export const GroupMembersInputsSchema = z.object(groupMembersShape);

export const GroupMembersOutputsSchema = z.object({
  userGroupId: z.string(),
  /** Everyone the resource manages (after a refresh: including users added out of band). */
  userIds: z.array(z.string()),
  /** The provider's identity, kept although the program does not list it. */
  protectedUserIds: z.array(z.string()).nullish(),
  [URN_KEY]: z.string().nullish(),
});
export type GroupMembersOutputs = z.infer<typeof GroupMembersOutputsSchema>;

function parseOutputs(props: unknown): GroupMembersOutputs | undefined {
  const bag = props !== null && typeof props === "object" ? (props as Record<string, unknown>) : {};
  const r = GroupMembersOutputsSchema.safeParse(Object.fromEntries(Object.entries(bag).filter(([, v]) => v !== null)));
  return r.success ? r.data : undefined;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  return sa.size === new Set(b).size && b.every((x) => sa.has(x));
}

interface GroupPlan {
  readonly before: ReadonlySet<string>;
  readonly after: ReadonlySet<string>;
  readonly kept: readonly string[];
}

export function createGroupMembersHandler(services: ServicesProvider, settings: () => AuthoritativeSettings): Handler {
  async function plan(userGroupId: string, declared: readonly string[]): Promise<GroupPlan | undefined> {
    const roster = await services().directory.groupMembers(userGroupId);
    if (roster === undefined) return undefined;
    const before = new Set(roster.keys());
    const caller = settings().callerUserId;
    const kept = caller && before.has(caller) && !declared.includes(caller) ? [caller] : [];
    return { before, after: new Set([...declared, ...kept]), kept };
  }

  function entry(ref: ResourceRef, operation: AccessReportEntry["operation"], userGroupId: string, p: GroupPlan | undefined): AccessReportEntry {
    return compact({
      resource: ref.urn ?? `${TYPE} ${userGroupId}`,
      type: TYPE,
      name: ref.name,
      operation,
      userGroupId,
      changes: p ? groupChanges(p.before, p.after) : [],
      unknown: p ? undefined : true,
      kept: p && p.kept.length > 0 ? p.kept.map((userId) => ({ userId, role: "member", reason: "provider identity" as const })) : undefined,
    }) as AccessReportEntry;
  }

  async function report(ref: ResourceRef, operation: AccessReportEntry["operation"], userGroupId: string, p: GroupPlan | undefined): Promise<void> {
    try {
      await emitAccessReport(entry(ref, operation, userGroupId, p), ref, services().directory);
    } catch {
      // Informational only.
    }
  }

  async function converge(id: string, userGroupId: string, declared: readonly string[], urn: string | undefined, missing: () => Error) {
    const p = await plan(userGroupId, declared);
    if (p === undefined) throw missing();
    const svc = services().groupMembers;
    const removed = [...p.before].filter((u) => !p.after.has(u));
    const removeOut = await svc.removeMembers(userGroupId, removed);
    const addOut = await svc.addMembers(userGroupId, [...p.after].filter((u) => !p.before.has(u)));
    const members = [...p.after].filter((u) => p.before.has(u) || addOut.get(u)?.ok === true);
    const stillThere = removed.filter((u) => removeOut.get(u)?.ok === false);
    const userIds = [...members.filter((u) => !p.kept.includes(u)), ...stillThere];
    const failed = [...failures(removeOut), ...failures(addOut)];
    const applied = [...removeOut.values(), ...addOut.values()].filter((o) => o.ok).length;
    const outs = compact({ userGroupId, userIds, protectedUserIds: [...p.kept], [URN_KEY]: urn });
    if (failed.length === 0) return outs;
    if (applied === 0) throw new MembershipWriteError(`${RESOURCE} ${id}`, `set the members of user group ${userGroupId}`, failed);
    throw new PartialApplyError(id, outs, failed, `${RESOURCE} ${id}: ${failed.length} member change(s) failed`);
  }

  return {
    async check(olds, news) {
      const result = checkResult(groupMembersShape, news, (fc) =>
        fc.values.userGroupId === undefined
          ? []
          : claim(resourceRefOf(news).urn, "authoritative", { kind: "user group", id: fc.values.userGroupId }, "userGroupId"),
      );
      const isNew = olds === null || typeof olds !== "object" || Object.keys(olds).length === 0;
      if (!isNew || (result.failures ?? []).length > 0) return result;
      const fc = checkFields(groupMembersShape, news);
      const ref = resourceRefOf(news);
      const gid = fc.values.userGroupId;
      if (gid === undefined || fc.values.userIds === undefined) {
        await report(ref, "create", gid ?? "(unknown)", undefined);
        return result;
      }
      // A failed read only costs the preview its report: create reads again and decides.
      const p = await plan(gid, fc.values.userIds).catch(() => null);
      if (p === undefined) {
        const reason = `user group ${gid} does not exist in the Quick BI organization; look groups up by name with getUserGroup`;
        return { ...result, failures: [{ property: "userGroupId", reason }] };
      }
      if (p !== null) await report(ref, "create", gid, p);
      return result;
    },

    async diff(_id, olds, news) {
      const old = parseOutputs(olds);
      if (old === undefined) return { changes: true };
      const fc = checkFields(groupMembersShape, news);
      const ref = resourceRefOf(news);
      const gid = fc.values.userGroupId;
      if (fc.unknown.has("userGroupId") || (gid !== undefined && gid !== old.userGroupId)) {
        const caller = settings().callerUserId;
        await report(ref, "delete", old.userGroupId, { before: new Set(old.userIds.filter((u) => u !== caller)), after: new Set(), kept: [] });
        const p = gid !== undefined && fc.values.userIds ? await plan(gid, fc.values.userIds).catch(() => undefined) : undefined;
        await report(ref, "create", gid ?? "(unknown)", p);
        return { changes: true, replaces: ["userGroupId"], deleteBeforeReplace: true };
      }
      if (fc.unknown.has("userIds") || fc.values.userIds === undefined) {
        await report(ref, "update", old.userGroupId, undefined);
        return { changes: true };
      }
      if (sameSet(fc.values.userIds, old.userIds)) return { changes: false };
      const p = await plan(old.userGroupId, fc.values.userIds).catch(() => undefined);
      if (p) await report(ref, "update", old.userGroupId, p);
      return { changes: true };
    },

    async create(inputs) {
      const want = parseOrThrow(RESOURCE, "inputs", GroupMembersInputsSchema, inputs);
      const id = want.userGroupId;
      const outs = await converge(id, id, want.userIds, want[URN_KEY], () =>
        new Error(`${RESOURCE}: user group ${id} does not exist in the Quick BI organization; look groups up by name with getUserGroup`),
      );
      return { id, outs };
    },

    async read(id, props) {
      const prev = parseOutputs(props);
      const userGroupId = prev?.userGroupId ?? id;
      const roster = await services().directory.groupMembers(userGroupId);
      if (roster === undefined) return {};
      const declared = new Set(prev?.userIds ?? []);
      const caller = settings().callerUserId;
      const kept = caller && roster.has(caller) && !declared.has(caller) ? [caller] : [];
      const userIds = [...roster.keys()].filter((u) => !kept.includes(u));
      // Keep the state's order for users still there, then newcomers, so a refresh without drift changes nothing.
      const ordered = [...(prev?.userIds ?? []).filter((u) => userIds.includes(u)), ...userIds.filter((u) => !declared.has(u))];
      const urn = prev?.[URN_KEY] ?? undefined;
      const outs = compact({ userGroupId, userIds: ordered, protectedUserIds: kept, [URN_KEY]: urn });
      return readResult(id, props, outs, () => compact({ userGroupId, userIds: ordered, [URN_KEY]: urn }));
    },

    async update(id, _olds, news) {
      const want = parseOrThrow(RESOURCE, "inputs", GroupMembersInputsSchema, news);
      const outs = await converge(id, want.userGroupId, want.userIds, want[URN_KEY], () => new GoneError(`${RESOURCE} ${id}`, `user group ${want.userGroupId}`));
      return { outs };
    },

    async delete(id, props) {
      const prev = parseOutputs(props);
      const userGroupId = prev?.userGroupId ?? id;
      const ref = resourceRefOf(props);
      const roster = await services().directory.groupMembers(userGroupId);
      if (roster === undefined) return release(ref.urn);
      const caller = settings().callerUserId;
      const managed = (prev?.userIds ?? []).filter((u) => roster.has(u) && u !== caller);
      const before = new Set(roster.keys());
      await report(ref, "delete", userGroupId, { before, after: new Set([...before].filter((u) => !managed.includes(u))), kept: [] });
      const failed = failures(await services().groupMembers.removeMembers(userGroupId, managed));
      if (failed.length > 0) throw new MembershipWriteError(`${RESOURCE} ${id}`, `remove from user group ${userGroupId}`, failed);
      release(ref.urn);
    },
  };
}
