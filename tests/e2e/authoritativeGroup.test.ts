/**
 * GroupMembers end to end: lifecycle with drift from an out-of-band addition, the provider-identity guard, an empty
 * group, a deleted group, and detection of mixing with GroupMembership.
 */
import { GroupMembers, GroupMembership } from "pulumi-quickbi";
import { addUserGroupMember, deleteUserGroup } from "../../provider/api/operations";
import { ProviderHost } from "../../engine/host";
import {
  SEED,
  Tracked,
  callsSince,
  groupMembersOf,
  lastSeq,
  plain,
  quickbiState,
  register,
  startHarness,
  stopHarness,
  type Harness,
} from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await stopHarness(h);
});
beforeEach(() => h.emu.reset());

async function reg(name: string, args: ConstructorParameters<typeof GroupMembers>[1]) {
  return (
    await register(() => {
      new GroupMembers(name, args);
    }, h.config)
  ).get(name)!;
}

async function members(userGroupId: string) {
  return groupMembersOf(await quickbiState(h.emu), userGroupId);
}

test("lifecycle: create sets the exact list, refresh shows an out-of-band member, up removes it, update, delete", async () => {
  // Engineering: dana, diego (+ the child group Data Platform, which is not touched).
  const r1 = await reg("eng", { userGroupId: SEED.engineering, userIds: [SEED.dana, SEED.fatima] });
  expect(r1.type).toBe("pulumi-nodejs:dynamic/quickbi:GroupMembers");
  const t = new Tracked(h.host, r1);
  await t.create();
  expect(t.id).toBe(SEED.engineering);
  expect(plain(t.outputs)).toMatchObject({
    userGroupId: SEED.engineering,
    userIds: [SEED.dana, SEED.fatima],
    protectedUserIds: [],
  });
  expect(await members(SEED.engineering)).toEqual(new Set([SEED.dana, SEED.fatima]));

  expect(await t.refresh()).toBe(true);
  expect((await t.diff(r1)).diff.changes).toBe("DIFF_NONE");

  await addUserGroupMember(h.outOfBand, { userGroupId: SEED.engineering, userIds: [SEED.pavel] });
  expect(await t.refresh()).toBe(true);
  expect(t.outputs.userIds).toEqual([SEED.dana, SEED.fatima, SEED.pavel]);
  expect((await t.diff(r1)).diff.changes).toBe("DIFF_SOME");
  const seq = await lastSeq(h.emu);
  expect(await t.up(r1)).toBe("update");
  expect(
    (await callsSince(h.emu, seq))
      .filter((c) => c.code === "OK" && c.action === "DeleteUserGroupMember")
      .map((c) => c.params.UserId),
  ).toEqual([SEED.pavel]);
  expect(await members(SEED.engineering)).toEqual(new Set([SEED.dana, SEED.fatima]));

  // update: swap a member
  const r2 = await reg("eng", { userGroupId: SEED.engineering, userIds: [SEED.fatima, SEED.anna] });
  expect(await t.up(r2)).toBe("update");
  expect(await members(SEED.engineering)).toEqual(new Set([SEED.fatima, SEED.anna]));
  // the child group is still a child
  const state = await quickbiState(h.emu);
  expect(state.userGroups.find((g) => g.userGroupName === "Data Platform")?.parentUserGroupId).toBe(SEED.engineering);

  // an empty list empties the group
  expect(await t.up(await reg("eng", { userGroupId: SEED.engineering, userIds: [] }))).toBe("update");
  expect(await members(SEED.engineering)).toEqual(new Set());

  await t.up(r2);
  await t.destroy();
  expect(await members(SEED.engineering)).toEqual(new Set());
  await expect(t.destroy()).resolves.toBeUndefined();
});

test("a deleted group: refresh drops the resource, delete succeeds", async () => {
  const t = new Tracked(h.host, await reg("biz", { userGroupId: SEED.business, userIds: [SEED.anna] }));
  await t.create();
  expect(await members(SEED.business)).toEqual(new Set([SEED.anna]));
  await deleteUserGroup(h.outOfBand, { userGroupId: SEED.business });
  await expect(t.destroy()).resolves.toBeUndefined();
  expect(await t.refresh()).toBe(false);
});

test("guard: the provider's own identity is kept in the group when unlisted", async () => {
  const host = await ProviderHost.start({
    cwd: h.workspace.dir,
    env: { ALIBABA_CLOUD_ACCESS_KEY_ID: undefined, ALIBABA_CLOUD_ACCESS_KEY_SECRET: undefined },
    callTimeoutMs: 60_000,
  });
  try {
    await host.configure({ ...h.config, "quickbi:callerUserId": SEED.diego });
    const t = new Tracked(host, await reg("eng-self", { userGroupId: SEED.engineering, userIds: [SEED.fatima] }));
    await t.create();
    expect(t.outputs.protectedUserIds).toEqual([SEED.diego]);
    expect(t.outputs.userIds).toEqual([SEED.fatima]);
    expect(await members(SEED.engineering)).toEqual(new Set([SEED.diego, SEED.fatima]));
    await t.destroy();
    expect(await members(SEED.engineering)).toEqual(new Set([SEED.diego]));
  } finally {
    await host.stop();
  }
});

test("mixing with GroupMembership on the same group fails the second check", async () => {
  // Claims live as long as the provider process (one operation with the CLI): a fresh host for this scenario.
  const host = await ProviderHost.start({
    cwd: h.workspace.dir,
    env: { ALIBABA_CLOUD_ACCESS_KEY_ID: undefined, ALIBABA_CLOUD_ACCESS_KEY_SECRET: undefined },
    callTimeoutMs: 60_000,
  });
  await host.configure(h.config);
  try {
    const regs = await register(() => {
      new GroupMembership("extra-biz", { userGroupId: SEED.business, userId: SEED.pavel });
      new GroupMembers("exact-biz", { userGroupId: SEED.business, userIds: [SEED.anna] });
    }, h.config);
    expect((await host.check(regs.get("extra-biz")!.urn, {}, regs.get("extra-biz")!.inputs)).failures).toEqual([]);
    const exact = await host.check(regs.get("exact-biz")!.urn, {}, regs.get("exact-biz")!.inputs);
    expect(exact.failures).toHaveLength(1);
    expect(exact.failures[0].property).toBe("userGroupId");
    expect(exact.failures[0].reason).toMatch(
      /user group .* is managed authoritatively by GroupMembers "exact-biz" and additively by GroupMembership "extra-biz"/,
    );
  } finally {
    await host.stop();
  }
});

test("check of a new resource on a group that does not exist fails on userGroupId", async () => {
  const r = await reg("nowhere", { userGroupId: "no-such-group", userIds: [SEED.dana] });
  const checked = await h.host.check(r.urn, {}, r.inputs);
  expect(checked.failures).toEqual([
    { property: "userGroupId", reason: expect.stringMatching(/does not exist.*getUserGroup/) },
  ]);
});
