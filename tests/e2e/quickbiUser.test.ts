/** QuickBIUser end to end: a real program's registration, the real provider host, the emulator. */
import { QuickBIUser } from "pulumi-quickbi";
import { InitFailedError, ProviderError } from "../../engine/host";
import { DEMO_ACCESS_KEY } from "pulumi-quickbi/emulator";
import {
  SEED,
  Tracked,
  callsSince,
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

const MASTER = "demo-corp@aliyun.com";

async function reg(args: ConstructorParameters<typeof QuickBIUser>[1]) {
  return (
    await register(() => {
      new QuickBIUser("person", args);
    }, h.config)
  ).get("person")!;
}

async function userInState(userId: string) {
  return (await quickbiState(h.emu)).users.find((u) => u.userId === userId);
}

async function okActions(since: number): Promise<(string | null)[]> {
  return (await callsSince(h.emu, since)).filter((c) => c.code === "OK").map((c) => c.action);
}

test("create, refresh, drift, in-place updates, state-only transferWorksTo, replace, delete with transfer, delete-when-gone", async () => {
  const args = {
    accountId: "2100000000000001",
    accountName: `${MASTER}:nina.new`,
    nickName: "Nina New",
    userType: "analyst" as const,
    roleIds: ["member" as const],
  };
  const r1 = await reg(args);
  expect(r1.type).toBe("pulumi-nodejs:dynamic/quickbi:QuickBIUser");
  const t = new Tracked(h.host, r1);

  let seq = await lastSeq(h.emu);
  await t.create();
  const addUser = (await callsSince(h.emu, seq)).find((c) => c.action === "AddUser");
  expect(addUser?.params).toMatchObject({
    AccountId: "2100000000000001",
    AccountName: `${MASTER}:nina.new`,
    NickName: "Nina New",
    UserType: "3",
    RoleIds: "111111113",
  });
  expect(addUser?.params).not.toHaveProperty("AdminUser");
  expect(t.id).toMatch(/^[0-9a-f]{32}$/);
  expect(plain(t.outputs)).toEqual({
    userId: t.id,
    accountId: "2100000000000001",
    accountName: `${MASTER}:nina.new`,
    nickName: "Nina New",
    userType: "analyst",
    roleIds: [111111113],
    // delete sees only outputs: the URN tells its own user from one another resource has taken over
    __urn: r1.inputs.__urn,
  });
  expect(await userInState(t.id)).toMatchObject({
    accountName: `${MASTER}:nina.new`,
    nickName: "Nina New",
    userType: 3,
    roleIds: [111111113],
  });

  // refresh without drift
  const before = plain(t.outputs);
  expect(await t.refresh()).toBe(true);
  expect(plain(t.outputs)).toEqual(before);
  expect((await t.diff(r1)).diff.changes).toBe("DIFF_NONE");

  // out-of-band rename: refresh reports it as output AND input; the next up puts it back in place
  await h.outOfBand.call("UpdateUser", { UserId: t.id, NickName: "Nina Renamed" }, { idempotent: true });
  await t.refresh();
  expect(t.outputs.nickName).toBe("Nina Renamed");
  expect(t.inputs.nickName).toBe("Nina Renamed");
  expect((await t.diff(r1)).diff).toMatchObject({ changes: "DIFF_SOME", replaces: [] });
  expect(await t.up(r1)).toBe("update");
  expect((await userInState(t.id))?.nickName).toBe("Nina New");

  // roles and type: updated in place with UpdateUser (RoleIds, never AdminUser/AuthAdminUser)
  const r2 = await reg({ ...args, userType: "developer", roleIds: ["orgAdmin", "member"] });
  seq = await lastSeq(h.emu);
  const id = t.id;
  expect(await t.up(r2)).toBe("update");
  expect(t.id).toBe(id);
  const upd = (await callsSince(h.emu, seq)).find((c) => c.action === "UpdateUser");
  expect(upd?.params).toMatchObject({ UserId: id, UserType: "1", RoleIds: "111111111,111111113" });
  expect(upd?.params).not.toHaveProperty("AdminUser");
  expect(await userInState(id)).toMatchObject({ userType: 1, roleIds: expect.arrayContaining([111111111, 111111113]) });
  expect(t.outputs).toMatchObject({ userType: "developer", roleIds: expect.arrayContaining([111111111, 111111113]) });

  // transferWorksTo: an update that only records it (no Quick BI write)
  const r3 = await reg({
    ...args,
    userType: "developer",
    roleIds: ["orgAdmin", "member"],
    transferWorksTo: SEED.owner,
  });
  expect((await t.diff(r3)).diff).toMatchObject({ changes: "DIFF_SOME", replaces: [] });
  seq = await lastSeq(h.emu);
  expect(await t.up(r3)).toBe("update");
  expect((await callsSince(h.emu, seq)).filter((c) => c.action === "UpdateUser")).toEqual([]);
  expect(t.outputs.transferWorksTo).toBe(SEED.owner);

  // a new account replaces the user, deleting first (the account is the natural key)
  const r4 = await reg({
    ...args,
    accountName: `${MASTER}:nina.other`,
    userType: "developer",
    roleIds: ["orgAdmin", "member"],
    transferWorksTo: SEED.owner,
  });
  expect((await t.diff(r4)).diff).toMatchObject({
    changes: "DIFF_SOME",
    replaces: ["accountName"],
    deleteBeforeReplace: true,
  });
  seq = await lastSeq(h.emu);
  expect(await t.up(r4)).toBe("replace");
  const order = await okActions(seq);
  expect(order.indexOf("DeleteUser")).toBeLessThan(order.indexOf("AddUser"));
  const del = (await callsSince(h.emu, seq)).find((c) => c.action === "DeleteUser");
  expect(del?.params).toEqual({ UserId: id, TransferUserId: SEED.owner });
  expect(await userInState(id)).toBeUndefined();
  expect(t.id).not.toBe(id);
  expect(await userInState(t.id)).toMatchObject({ accountName: `${MASTER}:nina.other` });

  // delete, and delete again when already gone
  await t.destroy();
  expect(await userInState(t.id)).toBeUndefined();
  await expect(t.destroy()).resolves.toBeUndefined();
  expect(await t.refresh()).toBe(false);
});

test("adopt: an existing account is refused without adopt (naming it), and taken over and converged with it", async () => {
  // dana exists in the seed as account demo-corp@aliyun.com:dana.dev, nickname "Dana Developer"
  const args = {
    accountId: "1000000000000003",
    accountName: `${MASTER}:dana.dev`,
    nickName: "Dana D",
    userType: "developer" as const,
    roleIds: ["permissionAdmin" as const],
  };
  const t = new Tracked(h.host, await reg(args));
  const seq = await lastSeq(h.emu);
  const err = await t.create().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  expect(err).not.toBeInstanceOf(InitFailedError);
  expect((err as Error).message).toContain(`user ${SEED.dana}`);
  expect((err as Error).message).toContain("adopt: true");
  expect(await okActions(seq)).not.toContain("AddUser");
  expect(await userInState(SEED.dana)).toMatchObject({ nickName: "Dana Developer", roleIds: [111111113] });

  const adopted = new Tracked(h.host, await reg({ ...args, adopt: true }));
  await adopted.create();
  expect(adopted.id).toBe(SEED.dana);
  expect(await userInState(SEED.dana)).toMatchObject({ nickName: "Dana D", roleIds: [111111112] });
  expect(plain(adopted.outputs)).toMatchObject({
    userId: SEED.dana,
    nickName: "Dana D",
    roleIds: [111111112],
    accountName: `${MASTER}:dana.dev`,
  });
});

test("API errors reach the gRPC error with the Quick BI code and RequestId", async () => {
  // nicknames are unique in the organization
  const t = new Tracked(
    h.host,
    await reg({
      accountId: "2100000000000002",
      accountName: `${MASTER}:copycat`,
      nickName: "Dana Developer",
      userType: "developer",
    }),
  );
  const seq = await lastSeq(h.emu);
  const err = await t.create().catch((e: unknown) => e);
  const refused = (await callsSince(h.emu, seq)).find((c) => c.action === "AddUser");
  expect(refused?.code).toBe("NickName.AlreadyIn.Organization");
  expect(err).toBeInstanceOf(ProviderError);
  expect(err).not.toBeInstanceOf(InitFailedError);
  expect((err as Error).message).toContain("NickName.AlreadyIn.Organization");
  expect((err as Error).message).toContain(`RequestId ${refused!.requestId}`);
  expect((await quickbiState(h.emu)).users.some((u) => u.accountName === `${MASTER}:copycat`)).toBe(false);
});

test("check failures come back through the host, every one of them", async () => {
  const r = await reg({
    nickName: "bad!",
    userType: "boss" as never,
    roleIds: ["orgAdmin", "orgAdmin", "member", 5],
  } as never);
  const checked = await h.host.check(r.urn, {}, r.inputs);
  expect(checked.failures.map((f) => f.property).sort()).toEqual(
    ["accountId", "nickName", "roleIds", "roleIds[1]", "userType"].sort(),
  );
});

test("no credential appears in __provider, outputs or the host's stderr", async () => {
  const t = new Tracked(h.host, await reg({ accountId: "2000000000000042", nickName: "Quiet", userType: "visitor" }));
  await t.create();
  await t.refresh();
  for (const text of [
    String(t.reg.inputs.__provider),
    JSON.stringify(t.outputs),
    JSON.stringify(t.inputs),
    h.host.stderr,
  ]) {
    expect(text).not.toContain(DEMO_ACCESS_KEY.accessKeySecret);
    expect(text).not.toContain(DEMO_ACCESS_KEY.accessKeyId);
  }
});
