/**
 * WorkspaceMembers: the EXACT member → role map of one workspace. Whoever Quick BI lists and the program does not is
 * removed on the next update (after a refresh shows them as drift, or whenever the resource updates), except the
 * workspace owner and the provider's own identity, which the guards keep (see guards.ts). The resource ID is the
 * workspace id: one authoritative resource per workspace, and it must not be mixed with WorkspaceMembership on the same
 * workspace (accessClaims.ts detects that within a stack).
 */
import { z } from "zod";
import { isPresetWorkspaceRoleId, workspaceRoleFromId } from "../api/roles";
import { workspaceChanges, roleLabel } from "../report/changes";
import { emitAccessReport } from "../report/emit";
import { resourceRefOf, URN_KEY, type ResourceRef } from "../report/resourceRef";
import type { AccessReportEntry } from "../report/schema";
import type { Outcomes } from "../service";
import { failures, type MemberFailure } from "../service/outcome";
import { claim, release } from "./accessClaims";
import { checkFields, type CheckFailure } from "./checkFields";
import { GoneError, MembershipWriteError, PartialApplyError } from "./errors";
import { idField, userIdField } from "./fields";
import { AccessGuardError, planWorkspace, protectedUsers, type WorkspacePlan } from "./guards";
import { checkResult, compact, parseOrThrow, readResult, type Handler, type ServicesProvider } from "./handler";
import { workspaceRoleField, workspaceRoleId } from "./membershipSchema";

const RESOURCE = "WorkspaceMembers";
const TYPE = "WorkspaceMembers" as const;

/** Handler settings read at call time from the stack config / environment of the provider host. */
export interface AuthoritativeSettings {
  /** The Quick BI user id of the identity the access key belongs to (`quickbi:callerUserId`). */
  readonly callerUserId?: string;
}

const memberKey = userIdField("a Quick BI user id (getUser(...).userId or QuickBIUser.userId) as the key");

/** userId → role. Keys are checked like every user id; an empty map means "nobody but the guarded members". */
export const membersField = z
  .record(workspaceRoleField, { invalid_type_error: "must be an object mapping Quick BI user ids to roles" })
  .superRefine((m, ctx) => {
    for (const k of Object.keys(m)) {
      const r = memberKey.safeParse(k);
      if (!r.success || r.data !== k) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [k], message: `is not a valid user id key: ${r.success ? "remove the surrounding spaces" : r.error.issues[0]?.message}` });
      }
    }
  });

export const workspaceMembersShape = {
  workspaceId: idField("the workspace id (getWorkspace(...).workspaceId)"),
  members: membersField,
  [URN_KEY]: z.string().optional(),
};
export const WorkspaceMembersInputsSchema = z.object(workspaceMembersShape);

const roleOut = z.union([z.string(), z.number()]);
export const WorkspaceMembersOutputsSchema = z.object({
  workspaceId: z.string(),
  /** Everyone the resource manages, with the role Quick BI holds (after a refresh: including out-of-band members). */
  members: z.record(roleOut),
  ownerUserId: z.string().nullish(),
  /** Guarded members the program does not list, kept at their role. */
  protectedMembers: z.record(roleOut).nullish(),
  /** Kept in state so delete (which sees only outputs) can name the resource in the report. */
  [URN_KEY]: z.string().nullish(),
});
export type WorkspaceMembersOutputs = z.infer<typeof WorkspaceMembersOutputsSchema>;

function ids(members: Readonly<Record<string, string | number>>): Map<string, number> {
  return new Map(
    Object.entries(members).map(([u, r]) => [u, typeof r === "number" ? r : workspaceRoleId(workspaceRoleField.parse(r))]),
  );
}

function sameRoles(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

function named(m: ReadonlyMap<string, number>): Record<string, string | number> {
  return Object.fromEntries([...m].map(([u, r]) => [u, workspaceRoleFromId(r)]));
}

function parseOutputs(props: unknown): WorkspaceMembersOutputs | undefined {
  const bag = props !== null && typeof props === "object" ? (props as Record<string, unknown>) : {};
  const r = WorkspaceMembersOutputsSchema.safeParse(Object.fromEntries(Object.entries(bag).filter(([, v]) => v !== null)));
  return r.success ? r.data : undefined;
}

export function createWorkspaceMembersHandler(services: ServicesProvider, settings: () => AuthoritativeSettings): Handler {
  /** Every member and the role it holds; `undefined` when the workspace does not exist. */
  async function observe(workspaceId: string, declared: ReadonlyMap<string, number>): Promise<{ roles: Map<string, number>; ownerUserId?: string } | undefined> {
    const svc = services();
    const roster = await svc.directory.workspaceMembers(workspaceId);
    if (roster === undefined) return undefined;
    const roles = new Map<string, number>();
    // Members without a preset role, or declared with a custom one, need the per-user role listing.
    const slow = new Map<number | undefined, string[]>();
    for (const m of roster.values()) {
      const want = declared.get(m.userId);
      const wantCustom = want !== undefined && !isPresetWorkspaceRoleId(want);
      if (m.presetRoleId !== undefined && !wantCustom) roles.set(m.userId, m.presetRoleId);
      else slow.set(wantCustom ? want : undefined, [...(slow.get(wantCustom ? want : undefined) ?? []), m.userId]);
    }
    for (const [prefer, users] of slow) {
      for (const [u, r] of (await svc.workspaceMembers.getRoles(workspaceId, users, prefer)) ?? []) roles.set(u, r);
    }
    const info = await svc.directory.workspace(workspaceId);
    return { roles, ownerUserId: info?.ownerUserId };
  }

  async function plan(workspaceId: string, declared: ReadonlyMap<string, number>) {
    const seen = await observe(workspaceId, declared);
    if (seen === undefined) return undefined;
    const guarded = protectedUsers(seen.ownerUserId, settings().callerUserId);
    return { ...planWorkspace(workspaceId, declared, seen.roles, guarded), ownerUserId: seen.ownerUserId };
  }

  function entry(ref: ResourceRef, operation: AccessReportEntry["operation"], workspaceId: string, p: WorkspacePlan | undefined): AccessReportEntry {
    return compact({
      resource: ref.urn ?? `${TYPE} ${workspaceId}`,
      type: TYPE,
      name: ref.name,
      operation,
      workspaceId,
      changes: p ? workspaceChanges(p.before, p.after) : [],
      unknown: p ? undefined : true,
      kept: p && p.kept.length > 0 ? p.kept.map((k) => ({ userId: k.userId, role: roleLabel(k.roleId), reason: k.reason })) : undefined,
    }) as AccessReportEntry;
  }

  /** Reporting is best effort: a failed read must not fail a preview; the apply reads again and decides. */
  async function report(ref: ResourceRef, operation: AccessReportEntry["operation"], workspaceId: string, p: WorkspacePlan | undefined): Promise<void> {
    try {
      await emitAccessReport(entry(ref, operation, workspaceId, p), ref, services().directory);
    } catch {
      // The report is informational; the deployment's own result is what counts.
    }
  }

  function outputsOf(
    workspaceId: string,
    after: ReadonlyMap<string, number>,
    kept: ReadonlySet<string>,
    ownerUserId: string | undefined,
    urn: string | undefined,
  ) {
    const managed = new Map([...after].filter(([u]) => !kept.has(u)));
    const prot = new Map([...after].filter(([u]) => kept.has(u)));
    return compact({ workspaceId, members: named(managed), ownerUserId, protectedMembers: named(prot), [URN_KEY]: urn });
  }

  /** Adds, re-roles, then removes (so an admin exists throughout); returns what Quick BI holds afterwards. */
  async function converge(
    id: string,
    workspaceId: string,
    declared: ReadonlyMap<string, number>,
    urn: string | undefined,
    missing: () => Error = () => new GoneError(`${RESOURCE} ${id}`, `workspace ${workspaceId}`),
  ) {
    const p = await plan(workspaceId, declared);
    if (p === undefined) throw missing();
    if (p.violations.length > 0) throw new AccessGuardError(`${RESOURCE} ${id}`, p.violations);
    const svc = services().workspaceMembers;
    const adds = new Map<number, string[]>();
    const sets = new Map<number, string[]>();
    for (const [u, r] of p.after) {
      const now = p.before.get(u);
      const bucket = now === undefined ? adds : now !== r ? sets : undefined;
      bucket?.set(r, [...(bucket.get(r) ?? []), u]);
    }
    const removed = [...p.before.keys()].filter((u) => !p.after.has(u));
    const outcomes: Outcomes[] = [];
    for (const [r, users] of adds) outcomes.push(await svc.addMembers(workspaceId, r, users));
    for (const [r, users] of sets) outcomes.push(await svc.setRole(workspaceId, r, users));
    const removeOut = await svc.removeMembers(workspaceId, removed);
    outcomes.push(removeOut);
    const result = new Map(p.after);
    for (const out of outcomes) {
      for (const [u, o] of out) {
        if (o.ok) continue;
        const was = p.before.get(u);
        if (was === undefined) result.delete(u);
        else result.set(u, was);
      }
    }
    const failed: MemberFailure[] = outcomes.flatMap((o) => failures(o));
    const applied = outcomes.reduce((n, o) => n + [...o.values()].filter((x) => x.ok).length, 0);
    const kept = new Set(p.kept.map((k) => k.userId));
    return { outs: outputsOf(workspaceId, result, kept, p.ownerUserId, urn), failed, applied };
  }

  function finish(id: string, r: Awaited<ReturnType<typeof converge>>, verb: string) {
    if (r.failed.length === 0) return r.outs;
    if (r.applied === 0) throw new MembershipWriteError(`${RESOURCE} ${id}`, verb, r.failed);
    throw new PartialApplyError(id, r.outs, r.failed, `${RESOURCE} ${id}: ${r.failed.length} member change(s) failed`);
  }

  return {
    async check(olds, news) {
      const result = checkResult(workspaceMembersShape, news, (fc) => {
        const ref = resourceRefOf(news);
        if (fc.values.workspaceId === undefined) return [];
        return claim(ref.urn, "authoritative", { kind: "workspace", id: fc.values.workspaceId }, "workspaceId");
      });
      const isNew = olds === null || typeof olds !== "object" || Object.keys(olds).length === 0;
      if (!isNew || (result.failures ?? []).length > 0) return result;
      // A new resource gets no diff: its preview report (and the guards) come from here.
      const fc = checkFields(workspaceMembersShape, news);
      const ref = resourceRefOf(news);
      const workspaceId = fc.values.workspaceId;
      if (workspaceId === undefined || fc.values.members === undefined) {
        await report(ref, "create", workspaceId ?? "(unknown)", undefined);
        return result;
      }
      // A failed read only costs the preview its report: create reads again and decides.
      const p = await plan(workspaceId, ids(fc.values.members)).catch(() => null);
      if (p === null) return result;
      if (p === undefined) {
        const reason = `workspace ${workspaceId} does not exist in the Quick BI organization; look workspaces up by name with getWorkspace`;
        return { ...result, failures: [{ property: "workspaceId", reason }] };
      }
      const failuresOut: CheckFailure[] = p.violations.map((reason) => ({ property: "members", reason }));
      if (failuresOut.length > 0) return { ...result, failures: failuresOut };
      await report(ref, "create", workspaceId, p);
      return result;
    },

    async diff(_id, olds, news) {
      const old = parseOutputs(olds);
      if (old === undefined) return { changes: true };
      const fc = checkFields(workspaceMembersShape, news);
      const ref = resourceRefOf(news);
      const newWs = fc.values.workspaceId;
      if (fc.unknown.has("workspaceId") || (newWs !== undefined && newWs !== old.workspaceId)) {
        // Leaving the old workspace removes everyone this resource managed there, except whom the guards protect.
        const guarded = protectedUsers(old.ownerUserId ?? undefined, settings().callerUserId);
        const leave = new Map([...ids(old.members)].filter(([u]) => !guarded.has(u)));
        await report(ref, "delete", old.workspaceId, { before: leave, after: new Map(), kept: [], violations: [] });
        const p = newWs !== undefined && fc.values.members ? await plan(newWs, ids(fc.values.members)).catch(() => undefined) : undefined;
        if (p && p.violations.length > 0) throw new AccessGuardError(`${RESOURCE} ${ref.name ?? old.workspaceId}`, p.violations);
        await report(ref, "create", newWs ?? "(unknown)", p);
        return { changes: true, replaces: ["workspaceId"], deleteBeforeReplace: true };
      }
      if (fc.unknown.has("members") || fc.values.members === undefined) {
        await report(ref, "update", old.workspaceId, undefined);
        return { changes: true };
      }
      const declared = ids(fc.values.members);
      if (sameRoles(declared, ids(old.members))) return { changes: false };
      const p = await plan(old.workspaceId, declared).catch(() => undefined);
      if (p && p.violations.length > 0) throw new AccessGuardError(`${RESOURCE} ${ref.name ?? old.workspaceId}`, p.violations);
      if (p) await report(ref, "update", old.workspaceId, p);
      return { changes: true };
    },

    async create(inputs) {
      const want = parseOrThrow(RESOURCE, "inputs", WorkspaceMembersInputsSchema, inputs);
      const id = want.workspaceId;
      const r = await converge(
        id,
        want.workspaceId,
        ids(want.members),
        want[URN_KEY],
        () => new Error(`${RESOURCE}: workspace ${id} does not exist in the Quick BI organization; look workspaces up by name with getWorkspace`),
      );
      return { id, outs: finish(id, r, `set the members of workspace ${id}`) };
    },

    async read(id, props) {
      const prev = parseOutputs(props);
      const workspaceId = prev?.workspaceId ?? id;
      const declared = ids(prev?.members ?? {});
      const seen = await observe(workspaceId, declared);
      if (seen === undefined) return {};
      const guarded = protectedUsers(seen.ownerUserId, settings().callerUserId);
      const kept = new Set([...guarded.keys()].filter((u) => seen.roles.has(u) && !declared.has(u)));
      const urn = prev?.[URN_KEY] ?? undefined;
      const outs = outputsOf(workspaceId, seen.roles, kept, seen.ownerUserId, urn);
      return readResult(id, props, outs, () => compact({ workspaceId, members: outs.members, [URN_KEY]: urn }));
    },

    async update(id, _olds, news) {
      const want = parseOrThrow(RESOURCE, "inputs", WorkspaceMembersInputsSchema, news);
      return { outs: finish(id, await converge(id, want.workspaceId, ids(want.members), want[URN_KEY]), "update") };
    },

    async delete(id, props) {
      const prev = parseOutputs(props);
      const workspaceId = prev?.workspaceId ?? id;
      const ref = resourceRefOf(props);
      const seen = await observe(workspaceId, new Map());
      if (seen === undefined) return release(ref.urn);
      const guarded = protectedUsers(seen.ownerUserId, settings().callerUserId);
      const managed = Object.keys(prev?.members ?? {}).filter((u) => seen.roles.has(u) && !guarded.has(u));
      const after = new Map([...seen.roles].filter(([u]) => !managed.includes(u)));
      if (managed.length > 0 && ![...after.values()].includes(25)) {
        throw new AccessGuardError(`${RESOURCE} ${id}`, [
          `removing its members would leave workspace ${workspaceId} without an admin. Add an admin outside this ` +
            `resource first, or keep the members with the resource option \`retainOnDelete: true\`.`,
        ]);
      }
      await report(ref, "delete", workspaceId, { before: seen.roles, after, kept: [], violations: [] });
      const failed = failures(await services().workspaceMembers.removeMembers(workspaceId, managed));
      if (failed.length > 0) throw new MembershipWriteError(`${RESOURCE} ${id}`, `remove from workspace ${workspaceId}`, failed);
      release(ref.urn);
    },
  };
}
