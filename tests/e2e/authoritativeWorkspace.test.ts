/**
 * WorkspaceMembers end to end: a real program's registration, the real provider host, the emulator. The lifecycle
 * (check, create, refresh with an out-of-band addition ⇒ drift, up removes it, update, delete, delete-when-gone), the
 * owner / provider-identity / last-admin guards, and detection of mixing with WorkspaceMembership.
 */
import { WorkspaceMembers, WorkspaceMembership } from "pulumi-quickbi";
import { addUserToWorkspace } from "../../provider/api/operations";
import { ProviderError, ProviderHost } from "../../engine/host";
import { actions as defaultActions } from "../../emulator/http/responses";
import { createWorkspace } from "../../engine/workspace";
import {
  DEMO_ACCESS_KEY,
  defaultSeed,
  startEmulator,
  type EmulatorActionHandler,
  type Seed,
} from "pulumi-quickbi/emulator";
import * as path from "node:path";
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

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await stopHarness(h);
});
beforeEach(() => h.emu.reset());

async function reg(name: string, args: ConstructorParameters<typeof WorkspaceMembers>[1], host = h) {
  const regs = await register(() => {
    new WorkspaceMembers(name, args);
  }, host.config);
  return regs.get(name)!;
}

async function roles(workspaceId: string) {
  return membersOf(await quickbiState(h.emu), workspaceId);
}

test("lifecycle: create takes over the workspace, refresh shows an out-of-band member, up removes it, update, delete", async () => {
  // Sales: owner (admin), diego (developer), anna (analyst).
  const r1 = await reg("sales", {
    workspaceId: SEED.sales,
    members: { [SEED.diego]: "admin", [SEED.fatima]: "viewer" },
  });
  expect(r1.type).toBe("pulumi-nodejs:dynamic/quickbi:WorkspaceMembers");
  // The URN the real engine assigns (it leaves the root stack's type out of top-level URNs, unlike this driver).
  const urn = "urn:pulumi:stack::project::pulumi-nodejs:dynamic/quickbi:WorkspaceMembers::sales";
  expect(r1.inputs.__urn).toBe(urn);
  const t = new Tracked(h.host, r1);

  const checked = await t.check();
  expect(checked.failures).toEqual([]);
  expect(checked.inputs.members).toEqual({ [SEED.diego]: "admin", [SEED.fatima]: "viewer" });

  await t.create();
  expect(t.id).toBe(SEED.sales);
  expect(plain(t.outputs)).toEqual({
    workspaceId: SEED.sales,
    members: { [SEED.diego]: "admin", [SEED.fatima]: "viewer" },
    ownerUserId: SEED.owner,
    protectedMembers: { [SEED.owner]: "admin" },
    __urn: urn,
  });
  let ws = await roles(SEED.sales);
  expect(Object.fromEntries(ws)).toEqual({ [SEED.owner]: [25], [SEED.diego]: [25], [SEED.fatima]: [30] });

  // refresh without drift
  expect(await t.refresh()).toBe(true);
  expect((await t.diff(r1)).diff.changes).toBe("DIFF_NONE");

  // a colleague adds pavel in the console: refresh shows him as drift, the next up removes him
  await addUserToWorkspace(h.outOfBand, { workspaceId: SEED.sales, userId: SEED.pavel, roleId: 27 });
  expect(await t.refresh()).toBe(true);
  expect(t.outputs.members).toEqual({ [SEED.diego]: "admin", [SEED.fatima]: "viewer", [SEED.pavel]: "analyst" });
  expect(t.inputs.members).toEqual({ [SEED.diego]: "admin", [SEED.fatima]: "viewer", [SEED.pavel]: "analyst" });
  expect((await t.diff(r1)).diff).toMatchObject({ changes: "DIFF_SOME", replaces: [] });
  const seq = await lastSeq(h.emu);
  expect(await t.up(r1)).toBe("update");
  expect(
    (await callsSince(h.emu, seq))
      .filter((c) => c.code === "OK" && c.action === "DeleteUserFromWorkspace")
      .map((c) => c.params.UserId),
  ).toEqual([SEED.pavel]);
  expect((await roles(SEED.sales)).has(SEED.pavel)).toBe(false);
  expect(t.outputs.members).toEqual({ [SEED.diego]: "admin", [SEED.fatima]: "viewer" });

  // update: a role change and an addition, in place
  const r2 = await reg("sales", {
    workspaceId: SEED.sales,
    members: { [SEED.diego]: "admin", [SEED.fatima]: "developer", [SEED.dana]: "viewer" },
  });
  expect(await t.up(r2)).toBe("update");
  ws = await roles(SEED.sales);
  expect(Object.fromEntries(ws)).toEqual({
    [SEED.owner]: [25],
    [SEED.diego]: [25],
    [SEED.fatima]: [26],
    [SEED.dana]: [30],
  });
  expect(t.id).toBe(SEED.sales);

  // delete: everyone it manages leaves; the owner stays
  await t.destroy();
  expect(Object.fromEntries(await roles(SEED.sales))).toEqual({ [SEED.owner]: [25] });
  // delete again when already gone
  await expect(t.destroy()).resolves.toBeUndefined();
});

test("moving to another workspace replaces, leaving the old one first", async () => {
  const t = new Tracked(
    h.host,
    await reg("moving", { workspaceId: SEED.finance, members: { [SEED.dana]: "admin", [SEED.fatima]: "viewer" } }),
  );
  await t.create();
  // Finance had arjun (viewer): taken over means removed.
  expect(Object.fromEntries(await roles(SEED.finance))).toEqual({ [SEED.dana]: [25], [SEED.fatima]: [30] });
  const r2 = await reg("moving", { workspaceId: SEED.sandbox, members: { [SEED.fatima]: "admin" } });
  expect((await t.diff(r2)).diff).toMatchObject({
    changes: "DIFF_SOME",
    replaces: ["workspaceId"],
    deleteBeforeReplace: true,
  });
  expect(await t.up(r2)).toBe("replace");
  // dana owns Finance: kept; fatima leaves Finance
  expect(Object.fromEntries(await roles(SEED.finance))).toEqual({ [SEED.dana]: [25] });
  expect(Object.fromEntries(await roles(SEED.sandbox))).toEqual({ [SEED.fatima]: [25] });
  expect(t.id).toBe(SEED.sandbox);
  await t.destroy();
});

test("guard: the owner is never demoted (check fails for a new resource, diff and update refuse for an existing one)", async () => {
  const bad = await reg("owner-demoted", {
    workspaceId: SEED.sales,
    members: { [SEED.owner]: "viewer", [SEED.diego]: "admin" },
  });
  const t = new Tracked(h.host, bad);
  const checked = await t.check();
  expect(checked.failures).toHaveLength(1);
  expect(checked.failures[0].property).toBe("members");
  expect(checked.failures[0].reason).toMatch(/workspace owner.*never demotes/);
  await expect(h.host.create(bad.urn, checked.inputs)).rejects.toThrow(/refused, nothing was changed/);

  const good = await reg("owner-demoted", {
    workspaceId: SEED.sales,
    members: { [SEED.owner]: "admin", [SEED.diego]: "viewer" },
  });
  const t2 = new Tracked(h.host, good);
  await t2.create();
  // declared owner is a managed member (not "protected") and stays admin
  expect(t2.outputs.members).toEqual({ [SEED.owner]: "admin", [SEED.diego]: "viewer" });
  const seq = await lastSeq(h.emu);
  await expect(t2.diff(bad)).rejects.toThrow(/never demotes the workspace owner/);
  await expect(h.host.update(bad.urn, t2.id, t2.outputs, (await t2.check(bad)).inputs, t2.inputs)).rejects.toThrow(
    ProviderError,
  );
  expect(
    (await callsSince(h.emu, seq)).filter((c) => c.code === "OK" && !/^(Query|List|Get)/.test(c.action ?? "")),
  ).toEqual([]);
  // deleting a resource that lists the owner leaves the owner in place
  await t2.destroy();
  expect(Object.fromEntries(await roles(SEED.sales))).toEqual({ [SEED.owner]: [25] });
});

test("guard: the provider's own identity (quickbi:callerUserId) is kept when unlisted and never demoted", async () => {
  const config = { ...h.config, "quickbi:callerUserId": SEED.diego };
  const host = await ProviderHost.start({
    cwd: h.workspace.dir,
    env: { ALIBABA_CLOUD_ACCESS_KEY_ID: undefined, ALIBABA_CLOUD_ACCESS_KEY_SECRET: undefined },
    callTimeoutMs: 60_000,
  });
  try {
    await host.configure(config);
    // diego (developer in Sales) is not listed: kept, reported as protected
    const t = new Tracked(host, await reg("self", { workspaceId: SEED.sales, members: { [SEED.fatima]: "viewer" } }));
    await t.create();
    expect(t.outputs.protectedMembers).toEqual({ [SEED.owner]: "admin", [SEED.diego]: "developer" });
    expect(Object.fromEntries(await roles(SEED.sales))).toEqual({
      [SEED.owner]: [25],
      [SEED.diego]: [26],
      [SEED.fatima]: [30],
    });
    // listing diego with a lower role is refused
    const demote = await reg("self", {
      workspaceId: SEED.sales,
      members: { [SEED.fatima]: "viewer", [SEED.diego]: "viewer" },
    });
    await expect(t.diff(demote)).rejects.toThrow(/provider identity.*never demotes/);
    // a promotion is fine
    expect(
      await t.up(
        await reg("self", { workspaceId: SEED.sales, members: { [SEED.fatima]: "viewer", [SEED.diego]: "admin" } }),
      ),
    ).toBe("update");
    expect((await roles(SEED.sales)).get(SEED.diego)).toEqual([25]);
    await t.destroy();
    // diego is the provider's identity: the delete leaves him
    expect((await roles(SEED.sales)).get(SEED.diego)).toEqual([25]);
  } finally {
    await host.stop();
  }
});

test("guard: a change that would leave the workspace without an admin is refused (owner not reported by Quick BI)", async () => {
  // Quick BI documents Owner as optional; without it only the last-admin guard stands between a program and a
  // workspace nobody administers.
  const hideOwner: EmulatorActionHandler = (org, params, ctx) => {
    const r = defaultActions.QueryOrganizationWorkspaceList(org, params, ctx) as { Data: Record<string, unknown>[] };
    return { ...r, Data: r.Data.map(({ Owner: _o, OwnerAccountName: _n, ...w }) => w) };
  };
  const emu = await startEmulator({ seed: defaultSeed(), actions: { QueryOrganizationWorkspaceList: hideOwner } });
  const workspace = await createWorkspace({ repoRoot: path.resolve(__dirname, "../..") });
  const host = await ProviderHost.start({
    cwd: workspace.dir,
    env: { ALIBABA_CLOUD_ACCESS_KEY_ID: undefined, ALIBABA_CLOUD_ACCESS_KEY_SECRET: undefined },
    callTimeoutMs: 60_000,
  });
  try {
    const config = { ...h.config, "quickbi:endpoint": emu.url, "quickbi:accessKeyId": DEMO_ACCESS_KEY.accessKeyId };
    await host.configure(config);
    const r = await reg(
      "no-admin",
      { workspaceId: SEED.finance, members: { [SEED.arjun]: "viewer" } },
      { ...h, config },
    );
    const t = new Tracked(host, r);
    const checked = await t.check();
    expect(checked.failures.map((f) => f.reason).join("\n")).toMatch(/without an admin/);
    await expect(host.create(r.urn, checked.inputs)).rejects.toThrow(/without an admin/);
    const state = (await (await fetch(`${emu.url}/__emulator/state`)).json()) as Seed;
    expect(Object.fromEntries(membersOf(state, SEED.finance))).toEqual({ [SEED.dana]: [25], [SEED.arjun]: [30] });
  } finally {
    await host.stop();
    await emu.stop();
    await workspace.cleanup();
  }
});

/** Claims live as long as the provider process (one operation with the CLI): a fresh host per mixing scenario. */
async function withFreshHost(fn: (host: ProviderHost) => Promise<void>): Promise<void> {
  const host = await ProviderHost.start({
    cwd: h.workspace.dir,
    env: { ALIBABA_CLOUD_ACCESS_KEY_ID: undefined, ALIBABA_CLOUD_ACCESS_KEY_SECRET: undefined },
    callTimeoutMs: 60_000,
  });
  try {
    await host.configure(h.config);
    await fn(host);
  } finally {
    await host.stop();
  }
}

test("mixing with WorkspaceMembership on the same workspace fails the second check, naming both", () =>
  withFreshHost(async (host) => {
    const regs = await register(() => {
      new WorkspaceMembers("exact-finance", { workspaceId: SEED.finance, members: { [SEED.dana]: "admin" } });
      new WorkspaceMembership("extra-finance", { workspaceId: SEED.finance, userId: SEED.pavel, role: "viewer" });
      new WorkspaceMembership("extra-sandbox", { workspaceId: SEED.sandbox, userId: SEED.pavel, role: "viewer" });
    }, h.config);
    const exact = await host.check(regs.get("exact-finance")!.urn, {}, regs.get("exact-finance")!.inputs);
    expect(exact.failures).toEqual([]);
    const extra = await host.check(regs.get("extra-finance")!.urn, {}, regs.get("extra-finance")!.inputs);
    expect(extra.failures).toHaveLength(1);
    expect(extra.failures[0].reason).toMatch(
      /managed authoritatively by WorkspaceMembers "exact-finance" and additively by WorkspaceMembership "extra-finance"/,
    );
    // another workspace is fine
    expect((await host.check(regs.get("extra-sandbox")!.urn, {}, regs.get("extra-sandbox")!.inputs)).failures).toEqual(
      [],
    );
    // two authoritative resources on one workspace conflict too
    const twin = (
      await register(() => {
        new WorkspaceMembers("exact-finance-2", { workspaceId: SEED.finance, members: { [SEED.dana]: "admin" } });
      }, h.config)
    ).get("exact-finance-2")!;
    expect((await host.check(twin.urn, {}, twin.inputs)).failures[0].reason).toMatch(
      /already manages the exact members/,
    );
  }));

test("check reports every input problem", async () => {
  const bad = await reg("bad", { workspaceId: "", members: { "a b": "owner" } as never });
  const r = await h.host.check(bad.urn, {}, bad.inputs);
  const props = r.failures.map((f) => f.property).sort();
  expect(props).toEqual(expect.arrayContaining(["workspaceId"]));
  expect(r.failures.map((f) => f.reason).join("\n")).toMatch(/members/);
});

test("check of a new resource on a workspace that does not exist fails on workspaceId", async () => {
  const r = await reg("nowhere", { workspaceId: "no-such-workspace", members: { [SEED.dana]: "admin" } });
  const checked = await h.host.check(r.urn, {}, r.inputs);
  expect(checked.failures).toEqual([
    { property: "workspaceId", reason: expect.stringMatching(/does not exist.*getWorkspace/) },
  ]);
});

test("the serialized provider of both authoritative resources is the small shim (no config, no client)", async () => {
  const { GroupMembers } = await import("pulumi-quickbi");
  const regs = await register(() => {
    new WorkspaceMembers("shim-ws", { workspaceId: SEED.sales, members: {} });
    new GroupMembers("shim-grp", { userGroupId: SEED.business, userIds: [] });
  }, h.config);
  for (const r of regs.values()) {
    const text = String(r.inputs.__provider);
    expect(text.length).toBeLessThan(4096);
    expect(new Set([...text.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]))).toEqual(
      new Set(["pulumi-quickbi/runtime"]),
    );
    expect(text).not.toContain(DEMO_ACCESS_KEY.accessKeySecret);
    expect(text).not.toContain(h.emu.url);
  }
});

test("a members map built from lookup Outputs (ids known only inside apply)", async () => {
  const { getUserOutput, getWorkspaceOutput } = await import("pulumi-quickbi");
  const { all } = await import("@pulumi/pulumi");
  const r = (
    await register(() => {
      const dana = getUserOutput({ account: "dana.dev" }).userId;
      const pavel = getUserOutput({ account: "1000000000000002" }).userId;
      new WorkspaceMembers("from-outputs", {
        workspaceId: getWorkspaceOutput({ name: "Finance" }).workspaceId,
        members: all([dana, pavel]).apply(([d, p]) => ({ [d]: "admin", [p]: "analyst" }) as const),
      });
    }, h.config)
  ).get("from-outputs")!;
  expect(r.inputs.members).toEqual({ [SEED.dana]: "admin", [SEED.pavel]: "analyst" });
  const t = new Tracked(h.host, r);
  await t.create();
  expect(Object.fromEntries(await roles(SEED.finance))).toEqual({ [SEED.dana]: [25], [SEED.pavel]: [27] });
  await t.destroy();
});
