/**
 * AddUserGroupMembers / DeleteUserGroupMembers (one user, many groups) through the real client and the emulator:
 * shapes, the 1000-group limit handled by splitting, the documented codes with their RequestId, all-or-nothing calls,
 * and a lost answer settled by a re-read instead of a resend.
 */
import type { RunningEmulator, SeedInput } from "../../../emulator";
import { defaultSeed } from "../../../emulator";
import type { QuickBIClient } from "../../../provider/api/client";
import { QuickBIApiError } from "../../../provider/api/errors";
import {
  addUserGroupMembers,
  deleteUserGroupMembers,
  listUserGroupsByUserId,
  MAX_GROUPS_PER_CALL,
} from "../../../provider/api/operations";
import { clientFor, rejection, SEED, startApiEmulator } from "./helpers";

let emu: RunningEmulator;
let c: QuickBIClient;

beforeAll(async () => {
  emu = await startApiEmulator();
  c = await clientFor(emu);
});
afterAll(async () => {
  await emu.stop();
});
beforeEach(() => emu.reset(defaultSeed()));

const groupsOf = async (userId: string) =>
  (await listUserGroupsByUserId(c, { userId })).map((g) => g.UsergroupId).sort();

it("one user joins and leaves several groups, one call each way; duplicates are sent once", async () => {
  const before = await groupsOf(SEED.dana);
  emu.clearCalls();
  expect(
    await addUserGroupMembers(c, {
      userId: SEED.dana,
      userGroupIds: [SEED.business, SEED.dataPlatform, SEED.business],
    }),
  ).toBe(true);
  expect(await groupsOf(SEED.dana)).toEqual([...new Set([...before, SEED.business, SEED.dataPlatform])].sort());
  expect(await deleteUserGroupMembers(c, { userId: SEED.dana, userGroupIds: [SEED.business, SEED.dataPlatform] })).toBe(
    true,
  );
  expect(await groupsOf(SEED.dana)).toEqual(before.filter((g) => g !== SEED.business && g !== SEED.dataPlatform));
  const writes = emu.calls().filter((r) => r.action !== "ListUserGroupsByUserId");
  expect(writes.map((r) => [r.action, r.params.UserGroupIds])).toEqual([
    ["AddUserGroupMembers", `${SEED.business},${SEED.dataPlatform}`],
    ["DeleteUserGroupMembers", `${SEED.business},${SEED.dataPlatform}`],
  ]);
});

it("more than 1000 groups go in calls of at most 1000, and every group is joined and left", async () => {
  const seed: SeedInput = defaultSeed();
  const many = Array.from({ length: MAX_GROUPS_PER_CALL + 1 }, (_, i) => `bulk-${i}`);
  seed.userGroups = [
    ...(seed.userGroups ?? []),
    ...many.map((id) => ({ userGroupId: id, userGroupName: id, parentUserGroupId: "-1" })),
  ];
  emu.reset(seed);
  emu.clearCalls();
  expect(await addUserGroupMembers(c, { userId: SEED.victor, userGroupIds: many })).toBe(true);
  expect(emu.calls({ action: "AddUserGroupMembers" }).map((r) => r.params.UserGroupIds.split(",").length)).toEqual([
    1000, 1,
  ]);
  expect(
    emu.state().userGroupMembers.filter((m) => m.userId === SEED.victor && m.userGroupId.startsWith("bulk-")),
  ).toHaveLength(many.length);
  expect(await deleteUserGroupMembers(c, { userId: SEED.victor, userGroupIds: many })).toBe(true);
  expect(emu.calls({ action: "DeleteUserGroupMembers" }).map((r) => r.params.UserGroupIds.split(",").length)).toEqual([
    1000, 1,
  ]);
  expect(
    emu.state().userGroupMembers.filter((m) => m.userId === SEED.victor && m.userGroupId.startsWith("bulk-")),
  ).toEqual([]);
});

it("documented refusals arrive as QuickBIApiError with Code and RequestId, and a refused call changes nothing", async () => {
  const before = emu.state().userGroupMembers;
  const cases: [Promise<unknown>, string][] = [
    [
      addUserGroupMembers(c, { userId: "00000000000000000000000000000000", userGroupIds: [SEED.business] }),
      "Invalid.User",
    ],
    [
      addUserGroupMembers(c, { userId: SEED.dana, userGroupIds: [SEED.business, "no-such-group"] }),
      "Usergroup.Not.Exist",
    ],
    [
      deleteUserGroupMembers(c, { userId: SEED.dana, userGroupIds: [SEED.engineering, "no-such-group"] }),
      "Usergroup.NotBelongTo.CurrentOrganization",
    ],
    [
      deleteUserGroupMembers(c, { userId: "00000000000000000000000000000000", userGroupIds: [SEED.business] }),
      "User.Not.In.Organization",
    ],
  ];
  for (const [p, code] of cases) {
    const e = (await rejection(p)) as QuickBIApiError;
    expect(e).toBeInstanceOf(QuickBIApiError);
    expect([e.code, e.retryable]).toEqual([code, false]);
    expect(e.requestId).toMatch(/^[0-9A-F-]{36}$/);
  }
  expect(emu.state().userGroupMembers).toEqual(before);
});

it("a lost answer is settled by re-reading the user's groups, not by sending the write again", async () => {
  emu.setFaults({ rules: [{ failAfterApplyRate: 1, actions: ["AddUserGroupMembers"], times: 1 }] });
  emu.clearCalls();
  expect(await addUserGroupMembers(c, { userId: SEED.victor, userGroupIds: [SEED.business, SEED.dataPlatform] })).toBe(
    true,
  );
  expect(emu.calls().map((r) => [r.action, r.code])).toEqual([
    ["AddUserGroupMembers", "ConnectionReset"],
    ["ListUserGroupsByUserId", "OK"],
  ]);
});
