/**
 * A create or update that applies part of a batch is recorded (the engine keeps the resource as the provider reported
 * it) and stays usable: the next refresh and destroy load the provider from what was recorded. The host records an
 * init-failed resource's properties as given, without adding `__provider` as it does for successful answers, so the
 * provider must carry it itself. For every membership resource, create and update, through the real host and the
 * offline engine; the real CLI does the same in tests/realengine/partialState.test.ts.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GroupMembers, GroupMembership, WorkspaceMembers, WorkspaceMembership } from "pulumi-quickbi";
import { Engine } from "../../engine/engine";
import { SEED, groupMembersOf, membersOf, quickbiState, startHarness, stopHarness, type Harness } from "../e2e/harness";

/** Victor is a visitor-seat user: Quick BI refuses him in any workspace. The ghost id is nobody. */
const GHOST = "ffffffffffffffffffffffffffffff01";

let h: Harness;
let dir: string;
beforeAll(async () => {
  h = await startHarness();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "qbi-partial-"));
});
afterAll(async () => {
  await stopHarness(h);
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => h.emu.reset());

type Program = (bad: boolean) => () => void;

const CASES: [string, Program, (s: Awaited<ReturnType<typeof quickbiState>>) => boolean][] = [
  [
    "WorkspaceMembership",
    (bad) => () => {
      new WorkspaceMembership("team", {
        workspaceId: SEED.sandbox,
        userIds: bad ? [SEED.pavel, SEED.victor] : [SEED.pavel],
        role: "viewer",
      });
    },
    (s) => membersOf(s, SEED.sandbox).has(SEED.pavel),
  ],
  [
    "GroupMembership",
    (bad) => () => {
      new GroupMembership("team", { userGroupId: SEED.engineering, userIds: bad ? [SEED.pavel, GHOST] : [SEED.pavel] });
    },
    (s) => groupMembersOf(s, SEED.engineering).has(SEED.pavel),
  ],
  [
    "WorkspaceMembers",
    (bad) => () => {
      new WorkspaceMembers("exact", {
        workspaceId: SEED.sandbox,
        members: { [SEED.fatima]: "admin", [SEED.pavel]: "viewer", ...(bad ? { [SEED.victor]: "viewer" } : {}) },
      });
    },
    (s) => membersOf(s, SEED.sandbox).has(SEED.pavel),
  ],
  [
    "GroupMembers",
    (bad) => () => {
      new GroupMembers("exact", {
        userGroupId: SEED.engineering,
        userIds: bad ? [SEED.dana, SEED.diego, SEED.pavel, GHOST] : [SEED.dana, SEED.diego, SEED.pavel],
      });
    },
    (s) => groupMembersOf(s, SEED.engineering).has(SEED.pavel),
  ],
];

function engine(name: string): Engine {
  // A fresh host for every operation, as the CLI starts one: refresh and destroy load the provider from state.
  return new Engine({
    projectDir: h.workspace.dir,
    statePath: path.join(dir, `${name}.json`),
    stack: name,
    config: h.config,
    secretKeys: ["quickbi:accessKeySecret"],
  });
}

async function refreshAndDestroy(e: Engine): Promise<void> {
  const refresh = await e.refresh();
  expect(refresh.errors).toEqual([]);
  const destroy = await e.destroy();
  expect(destroy.errors).toEqual([]);
  expect(e.readState().resources.filter((r) => r.custom)).toEqual([]);
}

test.each(CASES)(
  "%s: a partial create is recorded with what was applied; refresh and destroy work",
  async (kind, program, applied) => {
    const e = engine(`create-${kind}`);
    const up = await e.up(program(true));
    expect(up.errors.join("\n")).toMatch(/user change\(s\) failed|could not/);
    const recorded = e.readState().resources.find((r) => r.custom);
    expect(recorded?.id).toBeTruthy();
    expect(typeof recorded?.outputs.__provider).toBe("string");
    expect(applied(await quickbiState(h.emu))).toBe(true);
    await refreshAndDestroy(e);
    expect(applied(await quickbiState(h.emu))).toBe(false);
  },
);

test.each(CASES)(
  "%s: a partial update is recorded with what was applied; refresh and destroy work",
  async (kind, program, applied) => {
    const e = engine(`update-${kind}`);
    expect((await e.up(program(false))).errors).toEqual([]);
    const up = await e.up(program(true));
    expect(up.errors.join("\n")).toMatch(/user change\(s\) failed|could not/);
    expect(typeof e.readState().resources.find((r) => r.custom)?.outputs.__provider).toBe("string");
    await refreshAndDestroy(e);
    expect(applied(await quickbiState(h.emu))).toBe(false);
  },
);
