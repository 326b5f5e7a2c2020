/**
 * The coalescing window counts every call the engine makes to the provider host, through the real host: on a large
 * `up`, updates reach the host one by one as their diffs come back, with other resources' checks and diffs in
 * between. Two role changes in one workspace that arrive a second apart share one read and one
 * UpdateWorkspaceUsersRole while the engine keeps calling; with the host idle in between, each goes alone.
 *
 * The quiet gap is 500 ms here and the engine "streams" a check every 50 ms, so the outcome does not hang on a few
 * milliseconds of scheduling.
 */
import { WorkspaceMembership } from "pulumi-quickbi";
import { SEED, Tracked, callsSince, lastSeq, membersOf, quickbiState, register, startHarness, stopHarness, type Harness } from "./harness";

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

/** Engine calls for other work (the checks of a stack that is still being walked) until `ms` have passed. */
async function engineBusyFor(other: Tracked, ms: number): Promise<number> {
  const until = Date.now() + ms;
  let calls = 0;
  while (Date.now() < until) {
    await other.check();
    calls++;
    await sleep(50);
  }
  return calls;
}

async function roleChanges(since: number) {
  const calls = (await callsSince(h.emu, since)).filter((c) => c.code === "OK");
  return {
    updates: calls.filter((c) => c.action === "UpdateWorkspaceUsersRole").map((c) => c.params.UserIds.split(",").sort()),
    reads: calls.filter((c) => c.action === "QueryWorkspaceUserList" || c.action === "QueryUserRoleInfoInWorkspace").length,
  };
}

test("while the engine keeps calling, a role change waits for the next one: one read, one UpdateWorkspaceUsersRole", async () => {
  const { a, b, aNext, bNext } = await twoViewers();
  const bystander = new Tracked(h.host, a.reg);
  const seq = await lastSeq(h.emu);

  const first = a.up(aNext);
  const busyCalls = await engineBusyFor(bystander, 2 * QUIET_MS + 500);
  const second = b.up(bNext);
  await expect(Promise.all([first, second])).resolves.toEqual(["update", "update"]);

  expect(busyCalls).toBeGreaterThan(10);
  const { updates, reads } = await roleChanges(seq);
  expect(updates).toEqual([[SEED.fatima, SEED.pavel].sort()]);
  expect(reads).toBe(1);
  const ws = membersOf(await quickbiState(h.emu), SEED.sales);
  expect([ws.get(SEED.pavel), ws.get(SEED.fatima)]).toEqual([[27], [27]]);
});

test("with the host idle in between, each role change goes alone after one quiet gap", async () => {
  const { a, b, aNext, bNext } = await twoViewers();
  const seq = await lastSeq(h.emu);

  const first = a.up(aNext);
  await sleep(3 * QUIET_MS + 500);
  const second = b.up(bNext);
  await expect(Promise.all([first, second])).resolves.toEqual(["update", "update"]);

  const { updates, reads } = await roleChanges(seq);
  expect(updates).toEqual([[SEED.pavel], [SEED.fatima]]);
  expect(reads).toBe(2);
});
