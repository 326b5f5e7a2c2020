/**
 * The coalescing window counts the engine's Quick BI operations (create, read, update, delete) reaching the provider
 * host, through the real host: on a large `up`, updates reach the host one by one as their diffs come back. Two role
 * changes in one workspace that arrive a second apart share one UpdateWorkspaceUsersRole while the engine keeps
 * sending operations; checks and diffs, which the engine sends one at a time and which never call Quick BI, do not
 * hold a batch open once the engine is known to be bounded (the two creates just before, alone in the host for a
 * whole probe, teach that): with only those in between, each role change goes alone. A role change needs no read
 * first. (An engine still unknown or unbounded is in tests/provider/batching/window.test.ts.)
 *
 * The quiet gap is 500 ms here and the engine "streams" a call every 50 ms, so the outcome does not hang on a few
 * milliseconds of scheduling.
 */
import { QuickBIUser, WorkspaceMembership } from "pulumi-quickbi";
import {
  SEED,
  Tracked,
  callsSince,
  lastSeq,
  membersOf,
  quickbiState,
  register,
  startHarness,
  stopHarness,
  type Harness,
} from "./harness";

const QUIET_MS = 500;

let h: Harness;
beforeAll(async () => {
  h = await startHarness(undefined, { "quickbi:batchWindowMs": String(QUIET_MS) });
});
afterAll(async () => {
  await stopHarness(h);
});
beforeEach(() => h.emu.reset());

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Two single-user memberships in Sales Analytics, created as viewers; returns them with their analyst registrations. */
async function twoViewers(): Promise<{ a: Tracked; b: Tracked; aNext: Tracked["reg"]; bNext: Tracked["reg"] }> {
  const program = (role: "viewer" | "analyst") => () => {
    new WorkspaceMembership("pavel-sales", { workspaceId: SEED.sales, userId: SEED.pavel, role });
    new WorkspaceMembership("fatima-sales", { workspaceId: SEED.sales, userId: SEED.fatima, role });
  };
  const first = await register(program("viewer"), h.config);
  const next = await register(program("analyst"), h.config);
  const a = new Tracked(h.host, first.get("pavel-sales")!);
  const b = new Tracked(h.host, first.get("fatima-sales")!);
  await Promise.all([a.create(), b.create()]);
  return { a, b, aNext: next.get("pavel-sales")!, bNext: next.get("fatima-sales")! };
}

/**
 * Engine calls for other work until `ms` have passed: refresh reads (`read`, sent without waiting for the previous
 * one, as the engine does), or the checks of a stack being walked (one at a time). `done` settles the reads.
 */
async function engineBusyFor(
  other: Tracked,
  ms: number,
  call: "read" | "check",
): Promise<{ calls: number; done: Promise<unknown> }> {
  const until = Date.now() + ms;
  const pending: Promise<unknown>[] = [];
  let calls = 0;
  while (Date.now() < until) {
    if (call === "read") pending.push(other.host.read(other.urn, other.id, other.outputs, other.inputs));
    else await other.check();
    calls++;
    await sleep(50);
  }
  return { calls, done: Promise.all(pending) };
}

async function roleChanges(since: number) {
  const calls = (await callsSince(h.emu, since)).filter((c) => c.code === "OK");
  return {
    updates: calls
      .filter((c) => c.action === "UpdateWorkspaceUsersRole")
      .map((c) => c.params.UserIds.split(",").sort()),
    reads: calls.filter((c) => c.action === "QueryWorkspaceUserList" || c.action === "QueryUserRoleInfoInWorkspace")
      .length,
  };
}

test("while other operations are under way, a role change waits for the next one: one UpdateWorkspaceUsersRole", async () => {
  const { a, b, aNext, bNext } = await twoViewers();
  // Another resource's deletes keep arriving and take a while in Quick BI, in calls no window coalesces (DeleteUser):
  // the engine is busy with more than what waits in windows, so the window stays open for more.
  const ghost = "ffffffffffffffffffffffffffff0001";
  const reg = (
    await register(() => {
      new QuickBIUser("bystander", { accountId: "2000000000000099", nickName: "Bystander", userType: "analyst" });
    }, h.config)
  ).get("bystander")!;
  const gone = { ...reg.inputs, userId: ghost, userType: "analyst", roleIds: [] };
  h.emu.setFaults({ rules: [{ actions: ["DeleteUser"], slowRate: 1, slowMs: 300 }] });
  const seq = await lastSeq(h.emu);

  // The deletes are under way before the role change arrives: it is never the only operation in the host, so the
  // stall rule (every operation under way waiting in a window) cannot send it alone.
  let underWay = 0;
  const deleteGhost = () => {
    underWay++;
    return h.host.delete(reg.urn, ghost, gone, reg.inputs).finally(() => underWay--);
  };
  const deletes: Promise<unknown>[] = [deleteGhost()];
  await sleep(20);
  const first = a.up(aNext);
  const until = Date.now() + 2 * QUIET_MS + 500;
  while (Date.now() < until) {
    // At most 12 under way: with more than 16 operations at once the host would rightly take this for an unbounded
    // engine (and keep that for the next test).
    if (underWay < 12) deletes.push(deleteGhost());
    await sleep(50);
  }
  const second = b.up(bNext);
  await expect(Promise.all([first, second])).resolves.toEqual(["update", "update"]);
  await Promise.all(deletes);
  h.emu.setFaults({});

  expect(deletes.length).toBeGreaterThan(10);
  const { updates } = await roleChanges(seq);
  expect(updates).toEqual([[SEED.fatima, SEED.pavel].sort()]);
  const salesReads = (await callsSince(h.emu, seq)).filter(
    (c) => c.params.WorkspaceId === SEED.sales && /^(Query|List)/.test(c.action ?? ""),
  );
  expect(salesReads).toEqual([]);
  const ws = membersOf(await quickbiState(h.emu), SEED.sales);
  expect([ws.get(SEED.pavel), ws.get(SEED.fatima)]).toEqual([[27], [27]]);
});

test("with only checks in between, each role change goes alone, with no read", async () => {
  const { a, b, aNext, bNext } = await twoViewers();
  const seq = await lastSeq(h.emu);

  const first = a.up(aNext);
  const checks = await engineBusyFor(new Tracked(h.host, a.reg), 2 * QUIET_MS + 500, "check");
  const second = b.up(bNext);
  await expect(Promise.all([first, second])).resolves.toEqual(["update", "update"]);

  expect(checks.calls).toBeGreaterThan(10);
  const { updates, reads } = await roleChanges(seq);
  expect(updates).toEqual([[SEED.pavel], [SEED.fatima]]);
  expect(reads).toBe(0);
});
