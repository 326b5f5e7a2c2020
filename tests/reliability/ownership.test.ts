/**
 * One live resource of a stack owns a membership or a user (provider/handlers/ownership.ts), through the real
 * dynamic-provider host and the offline engine:
 * - a rename with `adopt: true` (the new resource takes the object over, the old one is deleted): the object stays;
 * - a user moved from one list membership to another in one `up`: never removed on the way;
 * - two resources granting the same membership: refused at preview, naming both, whatever the parallelism.
 */
import * as path from "node:path";
import * as fs from "node:fs";
import * as os from "node:os";
import { QuickBIUser, WorkspaceMembership } from "pulumi-quickbi";
import { Engine } from "../../engine/engine";
import {
  SEED,
  callsSince,
  lastSeq,
  membersOf,
  quickbiState,
  startHarness,
  stopHarness,
  type Harness,
} from "../e2e/harness";

let h: Harness;
let dir: string;
beforeAll(async () => {
  h = await startHarness();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "qbi-ownership-"));
});
afterAll(async () => {
  await stopHarness(h);
  fs.rmSync(dir, { recursive: true, force: true });
});

function engine(name: string, parallel?: number): Engine {
  return new Engine({
    projectDir: h.workspace.dir,
    statePath: path.join(dir, `${name}.json`),
    stack: name,
    config: h.config,
    secretKeys: ["quickbi:accessKeySecret"],
    ...(parallel !== undefined ? { parallel } : {}),
  });
}

const NORA = {
  accountId: "2000000000000071",
  accountName: "demo-corp@aliyun.com:nora.owned",
  nickName: "Nora Owned",
  userType: "analyst" as const,
};

test("a rename with adopt keeps the user and the membership: the old resource's delete leaves what the new one owns", async () => {
  const e = engine("rename");
  const first = await e.up(() => {
    const nora = new QuickBIUser("nora", NORA);
    new WorkspaceMembership("nora-sales", { workspaceId: SEED.sales, userId: nora.userId, role: "viewer" });
    return { id: nora.userId };
  });
  expect(first.errors).toEqual([]);
  const noraId = String(first.outputs.id);
  const seq = await lastSeq(h.emu);

  const renamed = () => {
    const nora = new QuickBIUser("nora-renamed", { ...NORA, adopt: true });
    new WorkspaceMembership("nora-sales-renamed", {
      workspaceId: SEED.sales,
      userId: nora.userId,
      role: "viewer",
      adopt: true,
    });
    return { id: nora.userId };
  };
  const second = await e.up(renamed);
  expect(second.errors).toEqual([]);
  expect(second.counts).toMatchObject({ create: 2, delete: 2 });
  expect(second.outputs.id).toBe(noraId);
  // Quick BI still has both; nothing was deleted or re-added.
  const qb = await quickbiState(h.emu);
  expect(qb.users.some((u) => u.userId === noraId)).toBe(true);
  expect(membersOf(qb, SEED.sales).get(noraId)).toEqual([30]);
  const writes = (await callsSince(h.emu, seq)).filter((c) => c.code === "OK" && /^(Delete|Add)/.test(c.action ?? ""));
  expect(writes.map((c) => c.action)).toEqual([]);
  // The old resources' deletes say why they left the objects in place.
  expect(second.logs.map((l) => l.message).join("\n")).toMatch(
    /not deleted from Quick BI: QuickBIUser "nora-renamed" now manages this user/,
  );

  // State and Quick BI agree: the next up changes nothing, and destroy removes what the stack owns.
  const third = await e.up(renamed);
  expect(third.counts).toMatchObject({ same: 2 });
  expect((await e.destroy()).errors).toEqual([]);
  expect((await quickbiState(h.emu)).users.some((u) => u.userId === noraId)).toBe(false);
});

test("a user moved from one list membership to another in one up is never removed on the way", async () => {
  const e = engine("move");
  const v1 = await e.up(() => {
    new WorkspaceMembership("team-a", { workspaceId: SEED.finance, userIds: [SEED.pavel, SEED.diego], role: "viewer" });
  });
  expect(v1.errors).toEqual([]);
  const seq = await lastSeq(h.emu);
  const v2 = await e.up(() => {
    new WorkspaceMembership("team-a", { workspaceId: SEED.finance, userIds: [SEED.pavel], role: "viewer" });
    // Taking diego over from team-a: adopt, as for any membership that exists already.
    new WorkspaceMembership("team-b", {
      workspaceId: SEED.finance,
      userIds: [SEED.diego],
      role: "viewer",
      adopt: true,
    });
  });
  expect(v2.errors).toEqual([]);
  const removals = (await callsSince(h.emu, seq)).filter(
    (c) => c.action === "DeleteUserFromWorkspace" && c.params.UserId === SEED.diego,
  );
  expect(removals).toEqual([]);
  expect(membersOf(await quickbiState(h.emu), SEED.finance).get(SEED.diego)).toEqual([30]);
  expect((await e.destroy()).errors).toEqual([]);
});

test.each([undefined, 1])(
  "two resources granting the same membership are refused at preview, naming both (parallel %s)",
  async (parallel) => {
    const e = engine(`overlap-${parallel ?? "default"}`, parallel);
    const program = () => {
      new WorkspaceMembership("readers", {
        workspaceId: SEED.sandbox,
        userIds: [SEED.pavel, SEED.arjun],
        role: "viewer",
      });
      new WorkspaceMembership("pavel-reader", { workspaceId: SEED.sandbox, userId: SEED.pavel, role: "viewer" });
    };
    const seq = await lastSeq(h.emu);
    const preview = await e.preview(program);
    const text = preview.errors.join("\n");
    expect(text).toMatch(/pavel-reader/);
    expect(text).toMatch(
      /WorkspaceMembership "readers" already grants user b2e1d3c4f5a6479807b1c2d3e4f5a602 on workspace 7b5a4e3c-0d9f-4a81-9c2d-3e4f5a6b7c03/,
    );
    expect((await callsSince(h.emu, seq)).filter((c) => c.mutated)).toEqual([]);
    // An up is refused the same way, whatever the scheduling: the second resource never exists; pavel is granted once.
    const up = await e.up(program);
    expect(up.errors.join("\n")).toMatch(/already grants user/);
    expect(
      e
        .readState()
        .resources.map((r) => r.name)
        .filter((n) => n.includes("reader")),
    ).not.toContain("pavel-reader");
    const grants = (await callsSince(h.emu, seq)).filter(
      (c) =>
        c.code === "OK" &&
        /^Add/.test(c.action ?? "") &&
        `${c.params.UserId ?? ""},${c.params.UserIds ?? ""}`.includes(SEED.pavel),
    );
    expect(grants.length).toBeLessThanOrEqual(1);
    expect((await e.destroy()).errors).toEqual([]);
  },
);
