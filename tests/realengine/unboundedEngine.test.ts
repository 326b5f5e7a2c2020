/**
 * On the real Pulumi engine at unbounded parallelism (PULUMI_PARALLEL=2147483647, what `--parallel` above 16 also
 * gives): the provider learns that the engine is unbounded and holds the one-user memberships' writes for the whole
 * phase, so 40 one-user memberships in 4 workspaces are added, and their roles changed, in about one batch call per
 * workspace (docs/scale.md, "Bounded or unbounded: learned from what arrives"). The offline driver's tests cover the
 * rules; this one shows the real engine's pace is read right.
 */
import { WorkspaceMembership } from "pulumi-quickbi";
import { startEmulator, type RunningEmulator } from "pulumi-quickbi/emulator";
import { benchSeed, userId, workspaceId } from "../../bench/scenario";
import type { CliStack } from "../../realengine";
import { lastSeq, openStack, providerConfig } from "./fixture";
import { describeWithCli } from "./withCli";

const USERS = 40;
const WORKSPACES = 4;
/** The issue-18 target: at most 1.5 × the lower bound (one batch call per workspace). */
const MAX_CALLS = Math.floor(1.5 * WORKSPACES);

describeWithCli("one-user memberships on an unbounded real engine are written in one batch per workspace", (cli) => {
  let emu: RunningEmulator;
  let stack: CliStack;
  let role: "viewer" | "analyst" = "viewer";

  beforeAll(async () => {
    emu = await startEmulator({ seed: benchSeed(USERS), randomSeed: 11 });
    const program = async () => {
      for (let i = 0; i < USERS; i++)
        new WorkspaceMembership(`m-${i}`, { workspaceId: workspaceId(i % WORKSPACES), userId: userId(i), role });
    };
    stack = await openStack(cli, program, { project: "quickbi-unbounded", env: { PULUMI_PARALLEL: "2147483647" } });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await emu?.stop();
  });

  const declared = new Set(Array.from({ length: USERS }, (_, i) => userId(i)));
  /** How many of the declared users hold `roleId` in their workspace. */
  const membersWith = (roleId: number): number =>
    emu.state().workspaceMembers.filter((m) => declared.has(m.userId) && m.roleId === roleId).length;

  const actionsSince = (seq: number): string[] =>
    emu
      .calls({ sinceSeq: seq })
      .map((c) => c.action ?? "")
      .filter((a) => a !== "QueryUserList");

  test("create: the adds go as batches, at most 1.5 per workspace", async () => {
    const seq = lastSeq(emu);
    const up = await stack.up(providerConfig(emu));
    expect(up.errors).toEqual([]);
    expect(membersWith(30)).toBe(USERS);
    const adds = actionsSince(seq).filter((a) => a === "AddWorkspaceUsers" || a === "AddUserToWorkspace");
    expect(adds.length).toBeGreaterThanOrEqual(WORKSPACES);
    expect(adds.length).toBeLessThanOrEqual(MAX_CALLS);
    expect(actionsSince(seq)).not.toContain("QueryUserRoleInfoInWorkspace");
  }, 300_000);

  test("role change: in place, at most 1.5 batch calls per workspace", async () => {
    role = "analyst";
    const seq = lastSeq(emu);
    const up = await stack.up(providerConfig(emu));
    expect(up.errors).toEqual([]);
    expect(membersWith(27)).toBe(USERS);
    const writes = actionsSince(seq).filter(
      (a) => a.startsWith("Update") || a.startsWith("Add") || a.startsWith("Delete"),
    );
    expect(writes.every((a) => a === "UpdateWorkspaceUsersRole" || a === "UpdateWorkspaceUserRole")).toBe(true);
    expect(writes.length).toBeLessThanOrEqual(MAX_CALLS);
  }, 300_000);
});
