/**
 * The typed operations read every quirk's wire shape as the default one (emulator/README.md, "What the pages leave
 * open"), through the real client and the real emulator: the same typed answer, and a whole-request batch failure
 * settled per user.
 */
import type { RunningEmulator } from "../../../emulator";
import type { QuickBIClient } from "../../../provider/api/client";
import { QuickBIApiError } from "../../../provider/api/errors";
import * as ops from "../../../provider/api/operations";
import { clientFor, rejection, SEED, startApiEmulator } from "./helpers";

const GHOST = "00000000000000000000000000000000";
const PAVEL = "b2e1d3c4f5a6479807b1c2d3e4f5a602";
const OLIVIA = "a1f0c2d3e4b5468796a0b1c2d3e4f501";
const code = (detail: string | undefined) => detail?.split(":")[0];

async function withQuirk<T>(
  quirk: string | undefined,
  fn: (c: QuickBIClient, emu: RunningEmulator) => Promise<T>,
): Promise<T> {
  const emu = await startApiEmulator(quirk ? { quirks: [quirk] } : {});
  try {
    return await fn(await clientFor(emu), emu);
  } finally {
    await emu.stop();
  }
}

const membersOf = (emu: RunningEmulator, workspaceId: string) =>
  new Map(
    emu
      .state()
      .workspaceMembers.filter((m) => m.workspaceId === workspaceId)
      .map((m) => [m.userId, m.roleId]),
  );

describe("string-booleans", () => {
  it("Success and boolean Results as strings read as booleans", async () => {
    await withQuirk("string-booleans", async (c) => {
      expect(await ops.addUserToWorkspace(c, { workspaceId: SEED.sales, userId: SEED.dana, roleId: 30 })).toBe(true);
      const batch = await ops.addWorkspaceUsers(c, { workspaceId: SEED.sales, userIds: [SEED.diego], roleId: 30 });
      // "Success":"false": the documented nothing-persisted answer, read as such.
      expect(batch).toMatchObject({ requestSucceeded: false, failure: 1 });
      expect((await ops.queryUserInfoByUserId(c, { userId: SEED.dana })).AdminUser).toBe(false);
    });
  });
});

describe("failure-detail-as-string and failure-detail-literal-key", () => {
  it("a FailureDetail sent as JSON text is the same map", async () => {
    const results = await Promise.all(
      [undefined, "failure-detail-as-string"].map((q) =>
        withQuirk(q, (c) =>
          ops.addWorkspaceUsers(c, {
            workspaceId: SEED.sales,
            userIds: [SEED.dana, SEED.victor, SEED.diego],
            roleId: 30,
          }),
        ),
      ),
    );
    expect(results[1]!.failureDetail).toEqual(results[0]!.failureDetail);
    expect(Object.keys(results[1]!.failureDetail).sort()).toEqual([SEED.diego, SEED.victor].sort());
  });

  it("non-members under the literal key notExsistUserIds keep the counts and the reason", async () => {
    await withQuirk("failure-detail-literal-key", async (c) => {
      const r = await ops.updateWorkspaceUsersRole(c, {
        workspaceId: SEED.sales,
        userIds: [SEED.anna, SEED.dana, PAVEL],
        roleId: 30,
      });
      expect(r).toMatchObject({ total: 3, success: 1, failure: 2, requestSucceeded: true });
      expect(r.failureDetail).toEqual({
        notExsistUserIds: "AE0150010004: The user is not a member of the group workspace.",
      });
    });
  });
});

describe("errors-http-500", () => {
  it("a business error answered 500 is classified by its Code: not retried, not 'may have been applied'", async () => {
    await withQuirk("errors-http-500", async (c, emu) => {
      const e = (await rejection(
        ops.addUserToWorkspace(c, { workspaceId: SEED.sales, userId: SEED.victor, roleId: 30 }),
      )) as QuickBIApiError;
      expect(e).toBeInstanceOf(QuickBIApiError);
      expect([e.code, e.httpStatus, e.retryable, e.outcomeUnknown, e.attempts]).toEqual([
        "Viewer.AddInTo.Workspace",
        500,
        false,
        false,
        1,
      ]);
      // One call, and no verify read: a refusal is not an unknown outcome.
      expect(emu.calls().map((r) => r.action)).toEqual(["AddUserToWorkspace"]);
    });
  });
});

describe("batch-all-failed-success-true", () => {
  it("every user failing under Success:true reads as per-user failures, nothing applied", async () => {
    await withQuirk("batch-all-failed-success-true", async (c, emu) => {
      const r = await ops.addWorkspaceUsers(c, {
        workspaceId: SEED.sales,
        userIds: [SEED.diego, SEED.victor],
        roleId: 30,
      });
      expect(r).toMatchObject({ requestSucceeded: true, total: 2, success: 0, failure: 2 });
      expect(membersOf(emu, SEED.sales).get(SEED.diego)).toBe(26);
    });
  });
});

describe("batch-errors-whole-request", () => {
  it("AddWorkspaceUsers: each user gets its own outcome, the others are applied, few extra calls", async () => {
    await withQuirk("batch-errors-whole-request", async (c, emu) => {
      const users = [SEED.dana, SEED.victor, PAVEL, GHOST, SEED.diego];
      const r = await ops.addWorkspaceUsers(c, { workspaceId: SEED.sales, userIds: users, roleId: 30 });
      expect(r).toMatchObject({ total: 5, success: 2, failure: 3, requestSucceeded: true });
      expect(Object.fromEntries(Object.entries(r.failureDetail).map(([k, v]) => [k, code(v)]))).toEqual({
        [SEED.victor]: "Viewer.AddInTo.Workspace",
        [GHOST]: "User.Not.In.Organization",
        [SEED.diego]: "User.AlreadyIn.Workspace",
      });
      const members = membersOf(emu, SEED.sales);
      expect([members.get(SEED.dana), members.get(PAVEL), members.get(SEED.diego)]).toEqual([30, 30, 26]);
      // One user listing and one roster answer every round; each round sets aside the users it names.
      const actions = emu.calls().map((x) => x.action);
      expect(actions.filter((a) => a === "QueryUserList")).toHaveLength(1);
      expect(actions.filter((a) => a === "QueryWorkspaceUserList")).toHaveLength(1);
      expect(actions.filter((a) => a === "AddWorkspaceUsers")).toHaveLength(4);
    });
  });

  it("UpdateWorkspaceUsersRole: a non-member and the owner are set aside, the member's role changes", async () => {
    await withQuirk("batch-errors-whole-request", async (c, emu) => {
      const r = await ops.updateWorkspaceUsersRole(c, {
        workspaceId: SEED.sales,
        userIds: [SEED.anna, SEED.dana, OLIVIA],
        roleId: 30,
      });
      expect(r).toMatchObject({ total: 3, success: 1, failure: 2 });
      expect(code(r.failureDetail[SEED.dana])).toBe("User.NotIn.Workspace");
      expect(code(r.failureDetail[OLIVIA])).toBe("Remove.AdminRoleOf.WorkspaceOwner");
      expect(membersOf(emu, SEED.sales).get(SEED.anna)).toBe(30);
    });
  });

  it("a request-level error (unknown workspace) still fails the call as a whole", async () => {
    await withQuirk("batch-errors-whole-request", async (c) => {
      const e = (await rejection(
        ops.addWorkspaceUsers(c, { workspaceId: "no-such-ws", userIds: [SEED.dana], roleId: 30 }),
      )) as QuickBIApiError;
      expect(e.code).toBe("Workspace.Not.Exist");
    });
  });
});

describe("HTTP 431", () => {
  it("headers too large (a huge query string) is a refusal: not retried, status and code kept", async () => {
    await withQuirk(undefined, async (c, emu) => {
      const e = (await rejection(ops.queryUserInfoByUserId(c, { userId: "x".repeat(300_000) }))) as QuickBIApiError;
      expect([e.code, e.httpStatus, e.retryable, e.attempts]).toEqual(["RequestHeaderFieldsTooLarge", 431, false, 1]);
      expect(emu.calls()).toEqual([]);
    });
  });
});
