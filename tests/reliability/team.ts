/**
 * The fault matrix' shared pieces: a "team" program built from a plain spec (so the expected Quick BI state can be
 * derived from the same spec), the audit that compares Quick BI (`/__emulator/state`) and the engine's state file with
 * that spec, and the figures read back from the emulator's call log.
 */
import * as quickbi from "pulumi-quickbi";
import { defaultSeed, type CallRecord, type Seed } from "pulumi-quickbi/emulator";
import type { ProgramFn } from "../../engine/program";
import type { State } from "../../engine/state";

export type UserTypeName = "developer" | "analyst" | "visitor";
const USER_TYPE_CODE: Record<UserTypeName, number> = { developer: 1, visitor: 2, analyst: 3 };
const WS_ROLE_ID = { admin: 25, developer: 26, analyst: 27, viewer: 30 } as const;
type WsRole = keyof typeof WS_ROLE_ID;

export interface UserSpec {
  /** Resource name suffix and the handle memberships use. */
  readonly key: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly nickName: string;
  readonly userType: UserTypeName;
}

export interface MembershipSpec {
  readonly name: string;
  readonly parentId: string;
  /** Keys of UserSpecs (their ids flow from the user resources) or Quick BI user ids of seed users. */
  readonly members: readonly string[];
  /** Single-user form (`userId`) instead of `userIds`. */
  readonly single?: boolean;
}

export interface TeamSpec {
  readonly users: readonly UserSpec[];
  readonly workspaces: readonly (MembershipSpec & { readonly role: WsRole })[];
  readonly groups: readonly MembershipSpec[];
  readonly adopt?: boolean;
}

/** Ids from the emulator's default seed. */
export const SEED = {
  pavel: "b2e1d3c4f5a6479807b1c2d3e4f5a602",
  fatima: "e5b4a6b7c8d94a2b3ae4f5a6b7c8d905",
  arjun: "a7b6c8d9eafb4c4d5ca6b7c8d9eafb07",
  victor: "b8c7d9eafb0c4d5e6db7c8d9eafb0c08",
  sales: "5f3e2c1a-8b7d-4e6f-9a0b-1c2d3e4f5a01",
  finance: "6a4f3d2b-9c8e-4f70-8b1c-2d3e4f5a6b02",
  sandbox: "7b5a4e3c-0d9f-4a81-9c2d-3e4f5a6b7c03",
  business: "ae8d7b6f-3a2c-4db4-8f5a-6b7c8d9eaf03",
  engineering: "8c6b5f4d-1e0a-4b92-8d3e-4f5a6b7c8d01",
} as const;

const SEED_USER_IDS = new Set((defaultSeed().users ?? []).map((u) => u.userId));

/**
 * A team of `n` new users (analysts) granted viewer on Sales as a list, a seed user granted analyst on Finance alone,
 * and the new users plus a seed user put into the Business group: every resource kind, both membership forms, and
 * ids that flow from one resource into another.
 */
export function team(prefix: string, n: number, opts: { adopt?: boolean } = {}): TeamSpec {
  const users = Array.from({ length: n }, (_, i) => ({
    key: `${prefix}${i}`,
    accountId: `uid-${prefix}-${i}`,
    accountName: `demo-corp@aliyun.com:${prefix}.${i}`,
    nickName: `${prefix} member ${i}`,
    userType: "analyst" as const,
  }));
  const keys = users.map((u) => u.key);
  return {
    users,
    workspaces: [
      { name: `${prefix}-sales`, parentId: SEED.sales, members: [...keys, SEED.pavel], role: "viewer" },
      { name: `${prefix}-finance`, parentId: SEED.finance, members: [SEED.fatima], role: "analyst", single: true },
    ],
    groups: [{ name: `${prefix}-business`, parentId: SEED.business, members: [...keys, SEED.pavel] }],
    adopt: opts.adopt,
  };
}

/** The Pulumi program the spec describes. */
export function programOf(spec: TeamSpec): ProgramFn {
  return () => {
    const ids = new Map<string, quickbi.QuickBIUser["userId"]>();
    for (const u of spec.users) {
      const user = new quickbi.QuickBIUser(`u-${u.key}`, {
        accountId: u.accountId,
        accountName: u.accountName,
        nickName: u.nickName,
        userType: u.userType,
        ...(spec.adopt ? { adopt: true } : {}),
      });
      ids.set(u.key, user.userId);
    }
    const ref = (m: string) => ids.get(m) ?? m;
    const adopt = spec.adopt ? { adopt: true } : {};
    for (const w of spec.workspaces) {
      const who = w.single ? { userId: ref(w.members[0]) } : { userIds: w.members.map(ref) };
      new quickbi.WorkspaceMembership(w.name, { workspaceId: w.parentId, role: w.role, ...who, ...adopt });
    }
    for (const g of spec.groups) {
      const who = g.single ? { userId: ref(g.members[0]) } : { userIds: g.members.map(ref) };
      new quickbi.GroupMembership(g.name, { userGroupId: g.parentId, ...who, ...adopt });
    }
    return { users: spec.users.length };
  };
}

export function resourceCount(spec: TeamSpec): number {
  return spec.users.length + spec.workspaces.length + spec.groups.length;
}

/** What the audit found; every list must be empty for a case to pass. */
export interface Audit {
  /** Declared objects missing from Quick BI or from the state file. */
  readonly lost: string[];
  /** Objects present more than once in Quick BI (a user per account, a membership row per user). */
  readonly duplicated: string[];
  /** Objects Quick BI holds that the state file does not account for (created but not recorded), or recorded wrong. */
  readonly unrecorded: string[];
  /** Present but not as declared (nickname, type, role). */
  readonly wrong: string[];
}

export function emptyAudit(a: Audit): boolean {
  return a.lost.length + a.duplicated.length + a.unrecorded.length + a.wrong.length === 0;
}

/**
 * Quick BI (the emulator's state) and the state file against the spec. `extraUsers` are users created out of band on
 * purpose (not the program's, so not expected in the state file).
 */
export function audit(spec: TeamSpec, qb: Seed, state: State, extraUsers: ReadonlySet<string> = new Set()): Audit {
  const lost: string[] = [];
  const duplicated: string[] = [];
  const unrecorded: string[] = [];
  const wrong: string[] = [];
  const active = qb.users.filter((u) => !u.isDeleted);
  const custom = state.resources.filter((r) => r.custom && !r.delete);
  const entries = (name: string) => custom.filter((r) => r.name === name);
  const userIdOf = new Map<string, string>();

  for (const u of spec.users) {
    const found = active.filter((x) => x.accountName === u.accountName);
    if (found.length === 0) lost.push(`user ${u.accountName} is not in Quick BI`);
    if (found.length > 1) duplicated.push(`user ${u.accountName} exists ${found.length} times`);
    const nick = active.filter((x) => x.nickName === u.nickName);
    if (nick.length > 1) duplicated.push(`nickname ${u.nickName} exists ${nick.length} times`);
    const f = found[0];
    if (f) {
      userIdOf.set(u.key, f.userId);
      if (f.nickName !== u.nickName) wrong.push(`user ${u.accountName} is named ${f.nickName}`);
      if (f.userType !== USER_TYPE_CODE[u.userType]) wrong.push(`user ${u.accountName} has type ${f.userType}`);
    }
    const e = entries(`u-${u.key}`);
    if (e.length !== 1) lost.push(`state holds ${e.length} entries for u-${u.key}`);
    else if (f && e[0].id !== f.userId)
      unrecorded.push(`state id of u-${u.key} is ${e[0].id}, Quick BI's user is ${f.userId}`);
  }
  const ref = (m: string) => userIdOf.get(m) ?? m;

  // Users Quick BI holds that neither the seed, the state file nor the test's own out-of-band changes explain.
  const recorded = new Set(custom.map((r) => r.id));
  for (const u of active) {
    if (!SEED_USER_IDS.has(u.userId) && !recorded.has(u.userId) && !extraUsers.has(u.userId)) {
      unrecorded.push(`Quick BI user ${u.userId} (${u.accountName}) is not in the state file`);
    }
  }

  for (const w of spec.workspaces) {
    const want = WS_ROLE_ID[w.role];
    for (const m of w.members.map(ref)) {
      const rows = qb.workspaceMembers.filter((r) => r.workspaceId === w.parentId && r.userId === m);
      if (rows.length === 0) lost.push(`${m} is not a member of workspace ${w.parentId}`);
      if (rows.length > 1) duplicated.push(`${m} is ${rows.length} times a member of workspace ${w.parentId}`);
      const roles = rows.flatMap((r) => [r.roleId, ...(r.roleIds ?? [])]);
      if (rows.length > 0 && !(roles.length === 1 && roles[0] === want))
        wrong.push(`${m} holds ${roles.join(",")} in ${w.parentId}, want ${want}`);
    }
    checkMembershipEntry(entries(w.name), w, ref, lost, unrecorded);
  }
  for (const g of spec.groups) {
    for (const m of g.members.map(ref)) {
      const rows = qb.userGroupMembers.filter((r) => r.userGroupId === g.parentId && r.userId === m);
      if (rows.length === 0) lost.push(`${m} is not in group ${g.parentId}`);
      if (rows.length > 1) duplicated.push(`${m} is ${rows.length} times in group ${g.parentId}`);
    }
    checkMembershipEntry(entries(g.name), g, ref, lost, unrecorded);
  }

  const declared = resourceCount(spec);
  if (custom.length !== declared)
    unrecorded.push(`state file holds ${custom.length} resources, the program declares ${declared}`);
  for (const r of custom)
    if (r.initErrors?.length) unrecorded.push(`${r.name} still has init errors: ${r.initErrors.join("; ")}`);
  if (state.pendingOperations.length > 0)
    unrecorded.push(`${state.pendingOperations.length} pending operations left in state`);
  return { lost, duplicated, unrecorded, wrong };
}

function checkMembershipEntry(
  e: State["resources"],
  m: MembershipSpec,
  ref: (k: string) => string,
  lost: string[],
  unrecorded: string[],
): void {
  if (e.length !== 1) {
    lost.push(`state holds ${e.length} entries for ${m.name}`);
    return;
  }
  if (!e[0].id.startsWith(`${m.parentId}:`)) unrecorded.push(`${m.name} has id ${e[0].id}`);
  const outs = e[0].outputs.userIds;
  const want = m.members.map(ref).sort();
  if (!Array.isArray(outs) || JSON.stringify([...(outs as string[])].sort()) !== JSON.stringify(want)) {
    unrecorded.push(`${m.name} records users ${JSON.stringify(outs)}, Quick BI should hold ${JSON.stringify(want)}`);
  }
}

/** A call that an injected fault made fail, stall or lose its answer (latency alone is not a failure). */
export function isFaulted(c: CallRecord, notFaults: readonly string[] = []): boolean {
  return c.faults.some((f) => !f.startsWith("latency:") && !notFaults.includes(f));
}

export interface CaseFigures {
  readonly name: string;
  readonly apiCalls: number;
  /** Calls an injected fault failed, stalled or cut (plus host kills, added by the case). */
  faultsInjected: number;
  readonly faultKinds: Record<string, number>;
  /** Faulted calls that were sent again (same action, same parameters). */
  readonly resent: number;
  /** Faulted writes that had landed and were settled by a re-read instead of being sent again. */
  readonly settledByReRead: number;
  lost: number;
  duplicated: number;
  unrecorded: number;
  durationMs: number;
  interruptedCreatesAdopted?: number;
  /** Perturbations that are not emulator faults: out-of-band changes, users Quick BI refuses in a batch. */
  otherPerturbations?: Record<string, number>;
  /** Memberships written, and the write calls that carried them (fewer calls = merged). */
  coalescing?: { memberships: number; writeCalls: number };
}

/** `notFaults`: injected behaviours a case uses as a tool (e.g. slow answers to widen a window), not as the fault. */
export function figuresOf(name: string, calls: readonly CallRecord[], notFaults: readonly string[] = []): CaseFigures {
  const faultKinds: Record<string, number> = {};
  let faulted = 0;
  let resent = 0;
  let settled = 0;
  calls.forEach((c, i) => {
    if (!isFaulted(c, notFaults)) return;
    faulted++;
    for (const f of c.faults) {
      if (f.startsWith("latency:") || notFaults.includes(f)) continue;
      faultKinds[f] = (faultKinds[f] ?? 0) + 1;
    }
    const key = JSON.stringify(c.params);
    const again = calls.slice(i + 1).some((d) => d.action === c.action && JSON.stringify(d.params) === key);
    if (again) resent++;
    else if (c.mutated) settled++;
  });
  return {
    name,
    apiCalls: calls.length,
    faultsInjected: faulted,
    faultKinds,
    resent,
    settledByReRead: settled,
    lost: 0,
    duplicated: 0,
    unrecorded: 0,
    durationMs: 0,
  };
}

/** Writes that landed (mutated) per action: used to prove a write was not applied twice. */
export function landedWrites(calls: readonly CallRecord[], action: string): CallRecord[] {
  return calls.filter((c) => c.action === action && c.mutated);
}
