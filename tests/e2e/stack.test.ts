/**
 * A whole program through the offline engine (engine/engine.ts): a user whose id flows into a workspace membership
 * and a group membership, previewed with unknowns, deployed, changed, refreshed and destroyed against the emulator.
 */
import * as pulumi from "pulumi-quickbi";
import { Engine } from "../../engine/engine";
import { SEED, groupMembersOf, membersOf, quickbiState, startHarness, stopHarness, type Harness } from "./harness";

let h: Harness;
/** Reuses the harness' host (saves a host start per operation). */
let engine: Engine;
/** Starts its own host, as the CLI does: destroy then runs from the state file in a fresh process. */
let fresh: Engine;
beforeAll(async () => {
  h = await startHarness();
  const options = { projectDir: h.workspace.dir, config: h.config, secretKeys: ["quickbi:accessKeySecret"] };
  engine = new Engine({ ...options, host: h.host });
  fresh = new Engine(options);
});
afterAll(async () => {
  await stopHarness(h);
});

function program(role: "viewer" | "analyst") {
  return () => {
    const nora = new pulumi.QuickBIUser("nora", {
      accountId: "2000000000000001",
      accountName: "demo-corp@aliyun.com:nora.new",
      nickName: "Nora New",
      userType: "analyst",
    });
    new pulumi.WorkspaceMembership("nora-sales", { workspaceId: SEED.sales, userId: nora.userId, role });
    new pulumi.GroupMembership("business", { userGroupId: SEED.business, userIds: [nora.userId, SEED.pavel] });
    return { noraId: nora.userId };
  };
}

test("preview, up, up again, change, refresh, destroy", async () => {
  const preview = await engine.preview(program("viewer"));
  expect(preview.errors).toEqual([]);
  expect(preview.counts.create).toBe(3);
  expect((await quickbiState(h.emu)).users.some((u) => u.nickName === "Nora New")).toBe(false);

  const up = await engine.up(program("viewer"));
  expect(up.errors).toEqual([]);
  expect(up.counts.create).toBe(3);
  const noraId = String(up.outputs.noraId);
  let state = await quickbiState(h.emu);
  expect(state.users.find((u) => u.userId === noraId)).toMatchObject({ nickName: "Nora New", userType: 3 });
  expect(membersOf(state, SEED.sales).get(noraId)).toEqual([30]);
  expect(groupMembersOf(state, SEED.business)).toEqual(new Set([SEED.anna, SEED.victor, noraId, SEED.pavel]));

  const again = await engine.up(program("viewer"));
  expect(again.errors).toEqual([]);
  expect(again.counts.same).toBe(3);

  const planned = await engine.preview(program("analyst"));
  expect(planned.errors).toEqual([]);
  expect(planned.counts).toMatchObject({ update: 1, same: 2, replace: 0 });

  const change = await engine.up(program("analyst"));
  expect(change.errors).toEqual([]);
  expect(change.counts).toMatchObject({ update: 1, same: 2, replace: 0 });
  expect(membersOf(await quickbiState(h.emu), SEED.sales).get(noraId)).toEqual([27]);

  const refresh = await engine.refresh();
  expect(refresh.errors).toEqual([]);
  expect(refresh.counts["refresh-changed"] + refresh.counts["refresh-deleted"]).toBe(0);

  const destroy = await fresh.destroy();
  expect(destroy.errors).toEqual([]);
  expect(destroy.counts.delete).toBe(3);
  state = await quickbiState(h.emu);
  expect(state.users.some((u) => u.userId === noraId)).toBe(false);
  expect(membersOf(state, SEED.sales).has(noraId)).toBe(false);
  expect(groupMembersOf(state, SEED.business)).toEqual(new Set([SEED.anna, SEED.victor]));
});
