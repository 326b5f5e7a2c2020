/**
 * The coalesced services against the emulator over real HTTP, without the engine: which calls a window turns into,
 * and that every caller's answer equals what the uncoalesced service answers.
 */
import { startEmulator, type RunningEmulator } from "../../../emulator";
import type { QuickBIClient } from "../../../provider/api/client";
import { createCoalescedGroupMemberService } from "../../../provider/batching/groupMembers";
import { createCoalescedUserService } from "../../../provider/batching/users";
import { createCoalescedWorkspaceMemberService } from "../../../provider/batching/workspaceMembers";
import { createDirectServices } from "../../../provider/service";
import { benchSeed, groupId, userId, workspaceId } from "../../../bench/scenario";
import { clientFor } from "../api/helpers";

const timing = () => ({ quietMs: 30, maxWaitMs: 1000 });
let emu: RunningEmulator;
let c: QuickBIClient;

beforeAll(async () => {
  emu = await startEmulator({ seed: benchSeed(1200), randomSeed: 3 });
  c = await clientFor(emu);
});
afterAll(async () => {
  await emu?.stop();
});
beforeEach(() => {
  emu.reset();
  emu.clearCalls();
});

function actions(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of emu.calls()) out[r.action ?? ""] = (out[r.action ?? ""] ?? 0) + 1;
  return out;
}

function services() {
  const direct = createDirectServices(c);
  const coalesced = {
    users: createCoalescedUserService(direct.users, timing),
    workspaceMembers: createCoalescedWorkspaceMemberService(direct.workspaceMembers, timing),
    groupMembers: createCoalescedGroupMemberService(direct.groupMembers, timing),
  };
  return { direct, coalesced };
}

test("many concurrent user reads: one paged QueryUserList; answers equal single reads; unknown ids are absent", async () => {
  const { direct, coalesced } = services();
  const ids = [...Array.from({ length: 30 }, (_, i) => userId(i * 37)), "ffffffffffffffffffffffffffffffff"];
  const got = await Promise.all(ids.map((id) => coalesced.users.get(id)));
  // 1201 users: two pages of 1000; the unknown id is then read on its own.
  expect(actions()).toEqual({ QueryUserList: 2, QueryUserInfoByUserId: 1 });
  expect(got[ids.length - 1]).toBeUndefined();
  emu.clearCalls();
  const one = await Promise.all(ids.slice(0, 3).map((id) => direct.users.get(id)));
  expect(got.slice(0, 3)).toEqual(one);
  expect(got.slice(0, 30).every((u) => u !== undefined)).toBe(true);
});

test("a few concurrent user reads stay single reads", async () => {
  const { coalesced } = services();
  await Promise.all([userId(1), userId(2), userId(3)].map((id) => coalesced.users.get(id)));
  expect(actions()).toEqual({ QueryUserInfoByUserId: 3 });
});

test("200 memberships added by 200 callers in 2 workspaces: two AddWorkspaceUsers and two listings", async () => {
  const { coalesced } = services();
  const calls = Array.from({ length: 200 }, async (_, i) => {
    const ws = workspaceId(i % 2);
    const roles = await coalesced.workspaceMembers.getRoles(ws, [userId(i)], 30);
    expect(roles?.has(userId(i))).toBe(false);
    return coalesced.workspaceMembers.addMembers(ws, 30, [userId(i)]);
  });
  const outcomes = await Promise.all(calls);
  expect(outcomes.every((o) => o.size === 1 && [...o.values()][0].ok)).toBe(true);
  expect(actions()).toEqual({ QueryWorkspaceUserList: 2, AddWorkspaceUsers: 2 });
  // Role change of all of them: one UpdateWorkspaceUsersRole per workspace.
  emu.clearCalls();
  const set = await Promise.all(
    Array.from({ length: 200 }, (_, i) => coalesced.workspaceMembers.setRole(workspaceId(i % 2), 27, [userId(i)])),
  );
  expect(set.every((o) => [...o.values()][0].ok)).toBe(true);
  expect(actions()).toEqual({ UpdateWorkspaceUsersRole: 2 });
  const owner = emu.state().organization?.ownerUserId;
  const state = emu.state().workspaceMembers.filter((m) => m.userId !== owner);
  expect(state).toHaveLength(200);
  expect(state.every((m) => m.roleId === 27)).toBe(true);
});

test("1200 users into one group: two AddUserGroupMember calls (1000 per call) and one shared roster read", async () => {
  const { coalesced } = services();
  const g = groupId(0);
  const results = await Promise.all(
    Array.from({ length: 1200 }, async (_, i) => {
      const now = await coalesced.groupMembers.getMembers(g);
      expect(now?.has(userId(i))).toBe(false);
      return coalesced.groupMembers.addMembers(g, [userId(i)]);
    }),
  );
  expect(results.every((o) => [...o.values()][0].ok)).toBe(true);
  expect(actions()).toEqual({ QueryUserGroupMember: 1, AddUserGroupMember: 2 });
  expect(emu.state().userGroupMembers.filter((m) => m.userGroupId === g)).toHaveLength(1200);
});

test("group add refused for unknown users: the list is split until only they fail", async () => {
  const { coalesced } = services();
  const g = groupId(1);
  const ghosts = ["0000000000000000000000000000dead", "0000000000000000000000000000beef"];
  const good = Array.from({ length: 30 }, (_, i) => userId(i));
  const all = [...good.slice(0, 15), ghosts[0], ...good.slice(15), ghosts[1]];
  const out = new Map(
    (await Promise.all(all.map((u) => coalesced.groupMembers.addMembers(g, [u])))).flatMap((m) => [...m]),
  );
  for (const u of good) expect(out.get(u)).toEqual({ ok: true });
  for (const u of ghosts) expect(out.get(u)).toMatchObject({ ok: false, code: "Invalid.User" });
  const members = new Set(
    emu
      .state()
      .userGroupMembers.filter((m) => m.userGroupId === g)
      .map((m) => m.userId),
  );
  expect(good.every((u) => members.has(u))).toBe(true);
  // Splitting costs O(k log n) calls, not one per user.
  expect(actions().AddUserGroupMember).toBeLessThanOrEqual(1 + 2 * ghosts.length * Math.ceil(Math.log2(all.length)));
});

test("one user joining five groups in a window: one AddUserGroupMembers; leaving them: one DeleteUserGroupMembers", async () => {
  const { coalesced } = services();
  const groups = [2, 3, 4, 5, 6].map(groupId);
  const u = userId(7);
  const added = await Promise.all(groups.map((g) => coalesced.groupMembers.addMembers(g, [u])));
  expect(added.every((o) => o.get(u)?.ok === true)).toBe(true);
  expect(actions()).toEqual({ AddUserGroupMembers: 1 });
  expect(
    emu
      .state()
      .userGroupMembers.filter((m) => m.userId === u)
      .map((m) => m.userGroupId)
      .sort(),
  ).toEqual([...groups].sort());
  emu.clearCalls();
  const removed = await Promise.all(groups.map((g) => coalesced.groupMembers.removeMembers(g, [u])));
  expect(removed.every((o) => o.get(u)?.ok === true)).toBe(true);
  expect(actions()).toEqual({ DeleteUserGroupMembers: 1 });
  expect(emu.state().userGroupMembers.filter((m) => m.userId === u)).toEqual([]);
});

test("a user joining groups one of which does not exist: the others are joined, the missing one gets its own code", async () => {
  const { coalesced } = services();
  const groups = [groupId(8), "bench-group-missing", groupId(9)];
  const u = userId(11);
  const out = await Promise.all(groups.map((g) => coalesced.groupMembers.addMembers(g, [u])));
  expect(out[0].get(u)).toEqual({ ok: true });
  expect(out[2].get(u)).toEqual({ ok: true });
  expect(out[1].get(u)).toMatchObject({ ok: false, code: "Usergroup.Not.Exist" });
});

test("a read of a workspace that does not exist answers undefined to every caller", async () => {
  const { coalesced } = services();
  const r = await Promise.all(
    [userId(1), userId(2)].map((u) => coalesced.workspaceMembers.getRoles("no-such-workspace", [u])),
  );
  expect(r).toEqual([undefined, undefined]);
});
