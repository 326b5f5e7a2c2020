/** GroupMembership end to end: a real program's registration, the real provider host, the emulator. */
import { GroupMembership } from "pulumi-quickbi";
import { InitFailedError, ProviderError } from "../../engine/host";
import { quirksUnderTest } from "../quirkMatrix/quirks";
import { deleteUserGroupMember } from "../../provider/api/operations";
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

async function reg(args: ConstructorParameters<typeof GroupMembership>[1]) {
  return (
    await register(() => {
      new GroupMembership("members", args);
    }, h.config)
  ).get("members")!;
}

async function members(userGroupId: string) {
  return groupMembersOf(await quickbiState(h.emu), userGroupId);
}

test("list membership: create, refresh, drift, add/remove users, replace, delete, delete-when-gone", async () => {
  const r1 = await reg({ userGroupId: SEED.engineering, userIds: [SEED.pavel, SEED.fatima] });
  expect(r1.type).toBe("pulumi-nodejs:dynamic/quickbi:GroupMembership");
  const t = new Tracked(h.host, r1);
  let seq = await lastSeq(h.emu);
  await t.create();
  const adds = (await callsSince(h.emu, seq)).filter((c) => c.action === "AddUserGroupMember");
  expect(adds.map((c) => c.params.UserIdList)).toEqual([`${SEED.pavel},${SEED.fatima}`]);
  expect(t.id).toMatch(new RegExp(`^${SEED.engineering}:set-[0-9a-f]{8}$`));
  expect(plain(t.outputs)).toEqual({
    userGroupId: SEED.engineering,
    userIds: [SEED.pavel, SEED.fatima],
    __urn: t.inputs.__urn,
  });
  expect(await members(SEED.engineering)).toEqual(new Set([SEED.dana, SEED.diego, SEED.pavel, SEED.fatima]));

  expect(await t.refresh()).toBe(true);
  expect((await t.diff(r1)).diff.changes).toBe("DIFF_NONE");

  // removed out of band: refresh reports the rest, up adds the user back
  await deleteUserGroupMember(h.outOfBand, { userGroupId: SEED.engineering, userId: SEED.fatima });
  await t.refresh();
  expect(t.outputs.userIds).toEqual([SEED.pavel]);
  expect(t.inputs.userIds).toEqual([SEED.pavel]);
  expect(await t.up(r1)).toBe("update");
  expect((await members(SEED.engineering)).has(SEED.fatima)).toBe(true);

  // list edits update in place; users not managed by this resource are left alone
  const id = t.id;
  const r2 = await reg({ userGroupId: SEED.engineering, userIds: [SEED.fatima, SEED.arjun] });
  expect(await t.up(r2)).toBe("update");
  expect(t.id).toBe(id);
  expect(await members(SEED.engineering)).toEqual(new Set([SEED.dana, SEED.diego, SEED.fatima, SEED.arjun]));

  // a new group replaces, deleting first
  const r3 = await reg({ userGroupId: SEED.business, userIds: [SEED.fatima, SEED.arjun] });
  expect((await t.diff(r3)).diff).toMatchObject({ replaces: ["userGroupId"], deleteBeforeReplace: true });
  seq = await lastSeq(h.emu);
  expect(await t.up(r3)).toBe("replace");
  const order = (await callsSince(h.emu, seq)).filter((c) => c.code === "OK").map((c) => c.action);
  expect(order.lastIndexOf("DeleteUserGroupMember")).toBeLessThan(order.indexOf("AddUserGroupMember"));
  expect(await members(SEED.engineering)).toEqual(new Set([SEED.dana, SEED.diego]));
  expect(await members(SEED.business)).toEqual(new Set([SEED.anna, SEED.victor, SEED.fatima, SEED.arjun]));

  await t.destroy();
  expect(await members(SEED.business)).toEqual(new Set([SEED.anna, SEED.victor]));
  await expect(t.destroy()).resolves.toBeUndefined();
  expect(await t.refresh()).toBe(false);
});

test("adopt: an existing member is refused without adopt, taken over with it", async () => {
  const t = new Tracked(h.host, await reg({ userGroupId: SEED.engineering, userId: SEED.dana }));
  const err = await t.create().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  expect(err).not.toBeInstanceOf(InitFailedError);
  expect((err as Error).message).toMatch(/already a member of user group .*adopt: true/);
  const adopted = new Tracked(h.host, await reg({ userGroupId: SEED.engineering, userId: SEED.dana, adopt: true }));
  await adopted.create();
  expect(adopted.id).toBe(`${SEED.engineering}:${SEED.dana}`);
  // deleting the adopted membership removes it
  await adopted.destroy();
  expect((await members(SEED.engineering)).has(SEED.dana)).toBe(false);
});

test("an unknown user in the list: partial create naming the user, its code and RequestId; the rest is applied", async () => {
  const ghost = "0123456789abcdef0123456789abcdef";
  const t = new Tracked(h.host, await reg({ userGroupId: SEED.business, userIds: [SEED.pavel, ghost] }));
  const err = await t.create().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InitFailedError);
  const init = err as InitFailedError;
  expect(plain(init.properties)).toEqual({
    userGroupId: SEED.business,
    userIds: [SEED.pavel],
    __urn: expect.stringMatching(/::members$/),
  });
  // What the host records for a partial create carries __provider: later refreshes and deletes can load the provider.
  expect(typeof init.properties.__provider).toBe("string");
  expect(init.reasons).toEqual([
    expect.stringMatching(new RegExp(`^${ghost}: Invalid\\.User: .*\\(RequestId [0-9A-F-]+\\)$`)),
  ]);
  expect((await members(SEED.business)).has(SEED.pavel)).toBe(true);
});

test("an unknown group: a plain error with Usergroup.Not.Exist and its RequestId, nothing recorded", async () => {
  const t = new Tracked(h.host, await reg({ userGroupId: "no-such-group", userId: SEED.pavel }));
  const seq = await lastSeq(h.emu);
  const err = await t.create().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  expect(err).not.toBeInstanceOf(InitFailedError);
  const refused = (await callsSince(h.emu, seq)).find((c) => c.action === "AddUserGroupMember");
  expect(refused?.code).toBe("Usergroup.Not.Exist");
  expect((err as Error).message).toContain(`RequestId ${refused!.requestId}`);
});

test("the emulator answered every call under this jest project's quirks (the quirk matrix, jest.config.js)", () => {
  const seen = new Set(h.emu.calls().map((c) => c.quirks.join(",")));
  expect([...seen]).toEqual([quirksUnderTest().join(",")]);
});
