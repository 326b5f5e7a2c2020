/**
 * WorkspaceMembership end to end: a real program's registration, the real provider host, the emulator.
 */
import { WorkspaceMembership } from "pulumi-quickbi";
import { deleteUserFromWorkspace, updateWorkspaceUserRole } from "../../provider/api/operations";
import { InitFailedError, ProviderError } from "../../engine/host";
import { quirksUnderTest } from "../quirkMatrix/quirks";
import { DEMO_ACCESS_KEY, defaultSeed } from "pulumi-quickbi/emulator";
import {
  SEED,
  Tracked,
  callsSince,
  lastSeq,
  membersOf,
  plain,
  quickbiState,
  register,
  startHarness,
  stopHarness,
  type Harness,
} from "./harness";

/** A custom workspace role the seed adds (usable by analysts). */
const CUSTOM_ROLE = 1001;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    ...defaultSeed(),
    workspaceRoles: [{ roleId: CUSTOM_ROLE, roleName: "Report Builder", analystAllowed: true }],
  });
});
afterAll(async () => {
  await stopHarness(h);
});
beforeEach(() => h.emu.reset());

async function reg(args: ConstructorParameters<typeof WorkspaceMembership>[1]) {
  const regs = await register(() => {
    new WorkspaceMembership("team", args);
  }, h.config);
  return regs.get("team")!;
}

async function roles(workspaceId: string) {
  return membersOf(await quickbiState(h.emu), workspaceId);
}

test("list membership: create, refresh, drift, role update, add/remove users, replace, delete, delete-when-gone", async () => {
  const users = [SEED.pavel, SEED.fatima];
  const r1 = await reg({ workspaceId: SEED.sales, userIds: users, role: "viewer" });
  expect(r1.type).toBe("pulumi-nodejs:dynamic/quickbi:WorkspaceMembership");
  const t = new Tracked(h.host, r1);

  // create: one AddWorkspaceUsers call for the two users
  let seq = await lastSeq(h.emu);
  await t.create();
  expect(t.id).toMatch(new RegExp(`^${SEED.sales}:set-[0-9a-f]{8}$`));
  // Lean state: userRoles lists only members holding another role than roleId (none yet); the URN names it on delete.
  expect(plain(t.outputs)).toEqual({
    workspaceId: SEED.sales,
    userIds: users,
    role: "viewer",
    roleId: 30,
    __urn: r1.inputs.__urn,
  });
  expect(
    (await callsSince(h.emu, seq)).filter((c) => c.code === "OK" && c.action?.startsWith("Add")).map((c) => c.action),
  ).toEqual(["AddWorkspaceUsers"]);
  let ws = await roles(SEED.sales);
  expect(ws.get(SEED.pavel)).toEqual([30]);
  expect(ws.get(SEED.fatima)).toEqual([30]);

  // refresh without drift: same outputs, diff says nothing to do
  const before = plain(t.outputs);
  expect(await t.refresh()).toBe(true);
  expect(plain(t.outputs)).toEqual(before);
  expect((await t.diff(r1)).diff.changes).toBe("DIFF_NONE");

  // out-of-band: someone makes fatima an admin; refresh shows it, diff wants an update (not a replace)
  await updateWorkspaceUserRole(h.outOfBand, { workspaceId: SEED.sales, userId: SEED.fatima, roleIds: [25] });
  await t.refresh();
  expect(t.outputs.userRoles).toEqual({ [SEED.fatima]: 25 });
  const drift = await t.diff(r1);
  expect(drift.diff).toMatchObject({ changes: "DIFF_SOME", replaces: [] });
  expect(await t.up(r1)).toBe("update");
  expect((await roles(SEED.sales)).get(SEED.fatima)).toEqual([30]);

  // role change: in-place update through UpdateWorkspaceUsersRole
  const r2 = await reg({ workspaceId: SEED.sales, userIds: users, role: "developer" });
  const d2 = await t.diff(r2);
  expect(d2.diff.changes).toBe("DIFF_SOME");
  expect(d2.diff.replaces).toEqual([]);
  seq = await lastSeq(h.emu);
  const idBefore = t.id;
  expect(await t.up(r2)).toBe("update");
  expect(t.id).toBe(idBefore);
  const roleCalls = (await callsSince(h.emu, seq)).filter((c) => c.action === "UpdateWorkspaceUsersRole");
  expect(roleCalls).toHaveLength(1);
  expect(roleCalls[0].params).toMatchObject({ WorkspaceId: SEED.sales, RoleId: "26" });
  expect(roleCalls[0].params.UserIds.split(",").sort()).toEqual([...users].sort());
  ws = await roles(SEED.sales);
  expect(ws.get(SEED.pavel)).toEqual([26]);
  expect(ws.get(SEED.fatima)).toEqual([26]);

  // add one user and drop another: added / removed in place, ID unchanged
  const r3 = await reg({ workspaceId: SEED.sales, userIds: [SEED.pavel, SEED.dana], role: "developer" });
  expect(await t.up(r3)).toBe("update");
  expect(t.id).toBe(idBefore);
  ws = await roles(SEED.sales);
  expect(ws.get(SEED.dana)).toEqual([26]);
  expect(ws.has(SEED.fatima)).toBe(false);
  expect(t.outputs.userIds).toEqual([SEED.pavel, SEED.dana]);

  // out-of-band removal of one member: refresh reports the remaining one
  await deleteUserFromWorkspace(h.outOfBand, { workspaceId: SEED.sales, userId: SEED.dana });
  expect(await t.refresh()).toBe(true);
  expect(t.outputs.userIds).toEqual([SEED.pavel]);
  expect(t.inputs.userIds).toEqual([SEED.pavel]);
  // ...and the next up puts dana back
  expect(await t.up(r3)).toBe("update");
  expect((await roles(SEED.sales)).get(SEED.dana)).toEqual([26]);

  // new workspace: replace, delete before create
  const r4 = await reg({ workspaceId: SEED.sandbox, userIds: [SEED.pavel, SEED.diego], role: "developer" });
  const d4 = await t.diff(r4);
  expect(d4.diff).toMatchObject({ changes: "DIFF_SOME", replaces: ["workspaceId"], deleteBeforeReplace: true });
  seq = await lastSeq(h.emu);
  expect(await t.up(r4)).toBe("replace");
  const order = (await callsSince(h.emu, seq)).filter((c) => c.code === "OK").map((c) => c.action);
  expect(order.indexOf("DeleteUserFromWorkspace")).toBeLessThan(order.indexOf("AddWorkspaceUsers"));
  ws = await roles(SEED.sales);
  expect(ws.has(SEED.pavel)).toBe(false);
  expect(ws.has(SEED.dana)).toBe(false);
  ws = await roles(SEED.sandbox);
  expect(ws.get(SEED.pavel)).toEqual([26]);
  expect(ws.get(SEED.diego)).toEqual([26]);
  expect(t.id.startsWith(`${SEED.sandbox}:set-`)).toBe(true);

  // delete, then delete again when already gone
  await t.destroy();
  ws = await roles(SEED.sandbox);
  expect(ws.has(SEED.pavel)).toBe(false);
  await t.destroy();
  // all members gone → refresh drops it from state
  expect(await t.refresh()).toBe(false);
});

test("single user with a custom role: AddUserToWorkspace, then UpdateWorkspaceUserRole in place", async () => {
  const r1 = await reg({ workspaceId: SEED.finance, userId: SEED.pavel, role: CUSTOM_ROLE });
  const t = new Tracked(h.host, r1);
  let seq = await lastSeq(h.emu);
  await t.create();
  expect(t.id).toBe(`${SEED.finance}:${SEED.pavel}`);
  expect(plain(t.outputs)).toEqual({
    workspaceId: SEED.finance,
    userId: SEED.pavel,
    userIds: [SEED.pavel],
    role: CUSTOM_ROLE,
    roleId: CUSTOM_ROLE,
    __urn: r1.inputs.__urn,
  });
  expect((await callsSince(h.emu, seq)).filter((c) => c.code === "OK").map((c) => c.action)).toContain(
    "AddUserToWorkspace",
  );
  expect((await roles(SEED.finance)).get(SEED.pavel)).toEqual([CUSTOM_ROLE]);

  expect(await t.refresh()).toBe(true);
  expect((await t.diff(r1)).diff.changes).toBe("DIFF_NONE");

  // custom → preset and back: always an update, never a replace
  const r2 = await reg({ workspaceId: SEED.finance, userId: SEED.pavel, role: "analyst" });
  seq = await lastSeq(h.emu);
  expect(await t.up(r2)).toBe("update");
  expect((await callsSince(h.emu, seq)).filter((c) => c.code === "OK").map((c) => c.action)).toContain(
    "UpdateWorkspaceUsersRole",
  );
  expect((await roles(SEED.finance)).get(SEED.pavel)).toEqual([27]);
  seq = await lastSeq(h.emu);
  expect(await t.up(r1)).toBe("update");
  const custom = (await callsSince(h.emu, seq)).filter(
    (c) => c.action === "UpdateWorkspaceUserRole" && c.code === "OK",
  );
  expect(custom.map((c) => c.params.RoleIds)).toEqual([String(CUSTOM_ROLE)]);
  expect((await roles(SEED.finance)).get(SEED.pavel)).toEqual([CUSTOM_ROLE]);

  // removed out of band: destroy with the stale state succeeds, and a refresh drops it from state
  await deleteUserFromWorkspace(h.outOfBand, { workspaceId: SEED.finance, userId: SEED.pavel });
  await expect(t.destroy()).resolves.toBeUndefined();
  expect(await t.refresh()).toBe(false);
});

test("adopt: an existing member is refused without adopt (naming it), and taken over and converged with it", async () => {
  // diego is a developer of Sales in the seed
  const t = new Tracked(h.host, await reg({ workspaceId: SEED.sales, userId: SEED.diego, role: "viewer" }));
  const err = await t.create().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  expect(err).not.toBeInstanceOf(InitFailedError);
  expect((err as Error).message).toContain(
    `user ${SEED.diego} is already a member of workspace ${SEED.sales} as developer (26)`,
  );
  expect((err as Error).message).toContain("adopt: true");
  expect((await roles(SEED.sales)).get(SEED.diego)).toEqual([26]);

  const adopted = new Tracked(
    h.host,
    await reg({ workspaceId: SEED.sales, userId: SEED.diego, role: "viewer", adopt: true }),
  );
  await adopted.create();
  expect(adopted.id).toBe(`${SEED.sales}:${SEED.diego}`);
  expect((await roles(SEED.sales)).get(SEED.diego)).toEqual([30]);
  expect(adopted.outputs.roleId).toBe(30);
  expect(adopted.outputs.userRoles).toBeUndefined();
  // adopt is not a change once adopted
  expect(
    (await adopted.diff(await reg({ workspaceId: SEED.sales, userId: SEED.diego, role: "viewer" }))).diff.changes,
  ).toBe("DIFF_NONE");
});

test("an API error reaches the gRPC error with its Quick BI code and RequestId, and creates nothing", async () => {
  // victor is a viewer-type user: Quick BI refuses him in any workspace
  const t = new Tracked(h.host, await reg({ workspaceId: SEED.sales, userId: SEED.victor, role: "viewer" }));
  const seq = await lastSeq(h.emu);
  const err = await t.create().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  expect(err).not.toBeInstanceOf(InitFailedError);
  const refused = (await callsSince(h.emu, seq)).find((c) => c.action === "AddUserToWorkspace");
  expect(refused?.code).toBe("Viewer.AddInTo.Workspace");
  expect((err as Error).message).toContain("Viewer.AddInTo.Workspace");
  expect((err as Error).message).toContain(`RequestId ${refused!.requestId}`);
  expect((await roles(SEED.sales)).has(SEED.victor)).toBe(false);

  // an analyst-type user cannot be a workspace admin: the API's rule, mapped through
  const a = new Tracked(h.host, await reg({ workspaceId: SEED.finance, userId: SEED.anna, role: "admin" }));
  await expect(a.create()).rejects.toThrow(/AnalystUser\.NotSupport\.AdminOrDevRole/);
});

test("a batch that half-succeeds is a partial create carrying what was applied; the next up finishes it", async () => {
  const r = await reg({ workspaceId: SEED.sales, userIds: [SEED.pavel, SEED.victor], role: "viewer" });
  const t = new Tracked(h.host, r);
  const err = await t.create().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InitFailedError);
  const init = err as InitFailedError;
  expect(init.id).toMatch(new RegExp(`^${SEED.sales}:set-`));
  expect(plain(init.properties)).toMatchObject({ userIds: [SEED.pavel], roleId: 30 });
  // The host adds __provider to successful answers only: without it the recorded resource could never be refreshed
  // or deleted again.
  expect(init.properties.__provider).toBe(r.inputs.__provider);
  expect(init.reasons).toEqual([
    expect.stringMatching(new RegExp(`^${SEED.victor}: Viewer\\.AddInTo\\.Workspace: .*RequestId`)),
  ]);
  expect(init.message).toContain(`${SEED.victor}: Viewer.AddInTo.Workspace`);
  let ws = await roles(SEED.sales);
  expect(ws.get(SEED.pavel)).toEqual([30]);
  expect(ws.has(SEED.victor)).toBe(false);

  // the diff of the recorded partial state against the program shows the missing user
  expect((await t.diff(r)).diff).toMatchObject({ changes: "DIFF_SOME", replaces: [] });
  // fix the cause out of band (victor becomes a developer-type user), then up again
  await h.outOfBand.call("UpdateUser", { UserId: SEED.victor, UserType: 1 }, { idempotent: true });
  expect(await t.up(r, true)).toBe("update");
  ws = await roles(SEED.sales);
  expect(ws.get(SEED.victor)).toEqual([30]);
  expect(t.outputs.userIds).toEqual([SEED.pavel, SEED.victor]);
});

test("an update that half-succeeds records what was applied (partial update); a retry that applies nothing is a plain error", async () => {
  const t = new Tracked(h.host, await reg({ workspaceId: SEED.sales, userIds: [SEED.pavel], role: "viewer" }));
  await t.create();
  const grown = await reg({ workspaceId: SEED.sales, userIds: [SEED.pavel, SEED.victor, SEED.dana], role: "viewer" });
  const err = await t.up(grown).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InitFailedError);
  expect((err as InitFailedError).id).toBe(t.id);
  expect(t.outputs.userIds).toEqual([SEED.pavel, SEED.dana]);
  expect((err as Error).message).toContain(`${SEED.victor}: Viewer.AddInTo.Workspace`);
  const ws = await roles(SEED.sales);
  expect(ws.get(SEED.dana)).toEqual([30]);
  expect(ws.has(SEED.victor)).toBe(false);

  const again = await t.up(grown, true).catch((e: unknown) => e);
  expect(again).toBeInstanceOf(ProviderError);
  expect(again).not.toBeInstanceOf(InitFailedError);
  expect((again as Error).message).toMatch(
    /could not update 1 user:\n  - b8c7\w+: Viewer\.AddInTo\.Workspace: .*\(AddUserToWorkspace, RequestId [0-9A-F-]+\)/,
  );
});

test("no credential or config value appears in __provider, outputs or the host's stderr", async () => {
  const t = new Tracked(h.host, await reg({ workspaceId: SEED.sales, userIds: [SEED.pavel], role: "viewer" }));
  await t.create();
  await t.refresh();
  // A failing delete (the owner cannot leave their workspace): the host prints the error and its stack to stderr.
  const owner = new Tracked(
    h.host,
    await reg({ workspaceId: SEED.sales, userId: SEED.owner, role: "admin", adopt: true }),
  );
  await owner.create();
  await expect(owner.destroy()).rejects.toThrow(/CanNot\.Remove\.WorkspaceOwner: .*RequestId/);
  await h.host.settleLogs();
  expect(h.host.stderr).toContain("CanNot.Remove.WorkspaceOwner");
  const texts = [String(t.reg.inputs.__provider), JSON.stringify(t.outputs), JSON.stringify(t.inputs), h.host.stderr];
  for (const text of texts) {
    expect(text).not.toContain(DEMO_ACCESS_KEY.accessKeySecret);
    expect(text).not.toContain(DEMO_ACCESS_KEY.accessKeyId);
    expect(text).not.toContain(String(h.emu.port));
  }
});

test("the emulator answered every call under this jest project's quirks (the quirk matrix, jest.config.js)", () => {
  const seen = new Set(h.emu.calls().map((c) => c.quirks.join(",")));
  expect([...seen]).toEqual([quirksUnderTest().join(",")]);
});

test("list form: a user another stack added first (AddWorkspaceUsers answers AE0150010001) gets the adopt hint too", async () => {
  // diego is a developer of Sales in the seed: for this stack he is someone else's member.
  const t = new Tracked(
    h.host,
    await reg({ workspaceId: SEED.sales, userIds: [SEED.pavel, SEED.diego], role: "viewer" }),
  );
  const seq = await lastSeq(h.emu);
  const err = await t.create().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InitFailedError);
  expect((await callsSince(h.emu, seq)).some((c) => c.action === "AddWorkspaceUsers")).toBe(true);
  expect((err as Error).message).toContain(
    `user ${SEED.diego} is already a member of workspace ${SEED.sales} as developer (26); to manage it here, set \`adopt: true\``,
  );
  // pavel got in and is recorded; diego was left as he was.
  expect((err as InitFailedError).properties.userIds).toEqual([SEED.pavel]);
  expect((await roles(SEED.sales)).get(SEED.diego)).toEqual([26]);
  await t.destroy();
});
