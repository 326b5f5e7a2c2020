/**
 * Request coalescing, end to end: real programs, the offline engine driver, the real dynamic-provider host (one for the
 * file, so its coalescers are shared as in a `pulumi up`), the emulator. Each resource must get its own outcome,
 * nothing may be applied twice, and a failed batch must never mark an unapplied user as done.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GroupMembership, WorkspaceMembership } from "pulumi-quickbi";
import {
  DEMO_ACCESS_KEY,
  defaultSeed,
  startEmulator,
  type CallRecord,
  type RunningEmulator,
} from "pulumi-quickbi/emulator";
import { Engine } from "../../../engine/engine";
import type { RunReport } from "../../../engine/report";
import { ProviderHost } from "../../../engine/host";
import { createWorkspace, type Workspace } from "../../../engine/workspace";

const REPO = path.resolve(__dirname, "../../..");

const U = {
  pavel: "b2e1d3c4f5a6479807b1c2d3e4f5a602",
  dana: "c3d2e4f5a6b7480918c2d3e4f5a6b703",
  diego: "d4c3f5a6b7c8491a29d3e4f5a6b7c804",
  fatima: "e5b4a6b7c8d94a2b3ae4f5a6b7c8d905",
  anna: "f6a5b7c8d9ea4b3c4bf5a6b7c8d9ea06",
  arjun: "a7b6c8d9eafb4c4d5ca6b7c8d9eafb07",
  /** Viewer-type organization user: may not join a workspace (Viewer.AddInTo.Workspace). */
  victor: "b8c7d9eafb0c4d5e6db7c8d9eafb0c08",
  /** Not in the organization. */
  ghost: "0123456789abcdef0123456789abcdef",
} as const;
const SALES = "5f3e2c1a-8b7d-4e6f-9a0b-1c2d3e4f5a01";
const FINANCE = "6a4f3d2b-9c8e-4f70-8b1c-2d3e4f5a6b02";
const ENGINEERING = "8c6b5f4d-1e0a-4b92-8d3e-4f5a6b7c8d01";

/** Credentials and knobs come from stack config only. */
const HOST_ENV = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: undefined,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: undefined,
  QUICKBI_ENDPOINT: undefined,
  QUICKBI_COALESCE: undefined,
};

let emu: RunningEmulator;
let ws: Workspace;
let host: ProviderHost;
let config: Record<string, string>;
let stateDir: string;

beforeAll(async () => {
  if (!fs.existsSync(path.join(REPO, "bin/provider/runtime.js"))) throw new Error("run `npm run build` first");
  // Quick BI answers in tens of milliseconds. With an instant emulator, a create would be answered before the engine's
  // next check came back (the engine checks one resource at a time, 3-10 ms apart here under the CLI as under the
  // driver), so the provider would send each user alone and the merging this file is about would not happen.
  emu = await startEmulator({ seed: defaultSeed(), randomSeed: 7, latencyMs: 60 });
  ws = await createWorkspace({ repoRoot: REPO });
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "qbi-coalescing-"));
  config = {
    "quickbi:endpoint": emu.url,
    "quickbi:accessKeyId": DEMO_ACCESS_KEY.accessKeyId,
    "quickbi:accessKeySecret": DEMO_ACCESS_KEY.accessKeySecret,
    "quickbi:maxRetries": "2",
    "quickbi:coalesce": "true",
    // A generous quiet gap: this suite is about correctness, and a loaded CI machine spreads arrivals.
    "quickbi:batchWindowMs": "150",
  };
  host = await ProviderHost.start({
    cwd: ws.dir,
    env: HOST_ENV,
    callTimeoutMs: 60_000,
  });
});

afterAll(async () => {
  await host?.stop();
  await emu?.stop();
  await ws?.cleanup();
  if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
});

let n = 0;
/**
 * `--parallel` high enough that every resource of a test is under way before the first failure stops the up (there is
 * no --continue-on-error): each resource must report its own outcome.
 */
function engine(opts: { ownHost?: boolean } = {}): Engine {
  return new Engine({
    projectDir: ws.dir,
    statePath: path.join(stateDir, `state-${++n}.json`),
    config,
    secretKeys: ["quickbi:accessKeySecret"],
    ...(opts.ownHost ? { hostEnv: HOST_ENV } : { host }),
    parallel: "unbounded",
  });
}

beforeEach(() => {
  emu.reset();
  emu.setFaults({});
});

function membersOf(workspaceId: string): Map<string, number> {
  return new Map(
    emu
      .state()
      .workspaceMembers.filter((m) => m.workspaceId === workspaceId)
      .map((m) => [m.userId, m.roleId]),
  );
}

function usersOf(c: CallRecord): string[] {
  return (c.params.UserIds ?? c.params.UserIdList ?? c.params.UserId ?? "").split(",").filter(Boolean);
}

/** How many state-changing add calls carried each user. */
function appliedAdds(calls: readonly CallRecord[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of calls) {
    if (!c.mutated || !["AddWorkspaceUsers", "AddUserToWorkspace", "AddUserGroupMember"].includes(c.action ?? ""))
      continue;
    for (const u of usersOf(c))
      out.set(
        `${c.action === "AddUserGroupMember" ? c.params.UserGroupId : c.params.WorkspaceId}/${u}`,
        (out.get(`${c.action === "AddUserGroupMember" ? c.params.UserGroupId : c.params.WorkspaceId}/${u}`) ?? 0) + 1,
      );
  }
  return out;
}

function failedSteps(r: RunReport): Map<string, string> {
  return new Map(r.steps.filter((s) => s.error !== undefined).map((s) => [s.name, s.error as string]));
}

function lastSeq(): number {
  const all = emu.calls();
  return all.length > 0 ? all[all.length - 1].seq : 0;
}

test("one merged batch, but each resource gets its own success or failure with its own code", async () => {
  const since = lastSeq();
  const wsUsers = ["pavel", "diego", "fatima", "anna", "victor", "ghost"] as const;
  const groupUsers = ["pavel", "fatima", "arjun", "ghost"] as const;
  const report = await engine().up(() => {
    for (const u of wsUsers) new WorkspaceMembership(`ws-${u}`, { workspaceId: FINANCE, userId: U[u], role: "viewer" });
    for (const u of groupUsers) new GroupMembership(`grp-${u}`, { userGroupId: ENGINEERING, userId: U[u] });
  });

  const failed = failedSteps(report);
  expect([...failed.keys()].sort()).toEqual(["grp-ghost", "ws-ghost", "ws-victor"]);
  expect(failed.get("ws-victor")).toContain("Viewer.AddInTo.Workspace");
  expect(failed.get("ws-ghost")).toContain("User.Not.In.Organization");
  expect(failed.get("grp-ghost")).toContain("Invalid.User");
  expect(report.counts.create).toBe(wsUsers.length + groupUsers.length - 3);

  const finance = membersOf(FINANCE);
  for (const u of ["pavel", "diego", "fatima", "anna"] as const) expect(finance.get(U[u])).toBe(30);
  expect(finance.has(U.victor)).toBe(false);
  expect(finance.has(U.ghost)).toBe(false);
  const engineering = new Set(
    emu
      .state()
      .userGroupMembers.filter((m) => m.userGroupId === ENGINEERING)
      .map((m) => m.userId),
  );
  for (const u of ["pavel", "fatima", "arjun"] as const) expect(engineering.has(U[u])).toBe(true);
  expect(engineering.has(U.ghost)).toBe(false);

  const calls = emu.calls({ sinceSeq: since });
  // Coalesced: users of different resources travelled in one request...
  const wsBatches = calls.filter((c) => c.action === "AddWorkspaceUsers");
  expect(Math.max(...wsBatches.map((c) => usersOf(c).length))).toBeGreaterThan(1);
  expect(calls.filter((c) => c.action === "AddUserToWorkspace").length).toBeLessThan(wsUsers.length);
  // ...and nothing was applied twice.
  for (const [key, times] of appliedAdds(calls)) expect([key, times]).toEqual([key, 1]);
});

test("a batch that keeps failing (503) marks nobody as done; the next up converges without applying anyone twice", async () => {
  emu.setFaults({
    rules: [{ errorRate: 1, errorCode: "ServiceUnavailable", actions: ["AddWorkspaceUsers", "AddUserToWorkspace"] }],
  });
  const e = engine();
  const users = ["pavel", "dana", "fatima", "arjun"] as const;
  const program = () => {
    for (const u of users) new WorkspaceMembership(`ws-${u}`, { workspaceId: SALES, userId: U[u], role: "analyst" });
  };
  const since = lastSeq();
  const first = await e.up(program);
  expect(first.ok).toBe(false);
  expect([...failedSteps(first).keys()].sort()).toEqual(users.map((u) => `ws-${u}`).sort());
  for (const err of failedSteps(first).values()) expect(err).toContain("ServiceUnavailable");
  // Not a partial create: nothing of these resources is in state, and Quick BI holds none of them.
  expect(e.readState().resources.filter((r) => r.name.startsWith("ws-"))).toEqual([]);
  const sales = membersOf(SALES);
  for (const u of users) expect(sales.has(U[u])).toBe(false);

  emu.setFaults({});
  const second = await e.up(program);
  expect(second.ok).toBe(true);
  const after = membersOf(SALES);
  for (const u of users) expect(after.get(U[u])).toBe(27);
  for (const [key, times] of appliedAdds(emu.calls({ sinceSeq: since }))) expect([key, times]).toEqual([key, 1]);
});

// The engine checks one resource at a time, so which resources' users share a batch depends on timing (the first
// create often goes alone). These two tests are about what happens to one cut batch, so its users are declared in one
// resource: its batch exists under any engine. Each runs on a host of its own, as the CLI starts one per operation: the
// shared host remembers which resource of this file's other stacks holds which user.
test("an answer lost after part of the batch landed: only the users not yet applied are sent again", async () => {
  // The first AddWorkspaceUsers is applied, then its connection is cut (the client never sees the answer).
  emu.setFaults({ rules: [{ failAfterApplyRate: 1, actions: ["AddWorkspaceUsers"], times: 1 }] });
  const since = lastSeq();
  const users = ["pavel", "fatima", "anna", "victor"] as const;
  const report = await engine({ ownHost: true }).up(() => {
    new WorkspaceMembership("team", { workspaceId: FINANCE, userIds: users.map((u) => U[u]), role: "viewer" });
  });
  const failed = failedSteps(report);
  expect([...failed.keys()]).toEqual(["team"]);
  expect(failed.get("team")).toContain("Viewer.AddInTo.Workspace");

  const batches = emu.calls({ sinceSeq: since }).filter((c) => c.action === "AddWorkspaceUsers");
  expect(batches[0].code).toBe("ConnectionReset");
  expect(usersOf(batches[0]).sort()).toEqual(users.map((u) => U[u]).sort());
  // The re-read showed pavel, fatima and anna applied: the retry carried victor alone.
  expect(batches.slice(1).map(usersOf)).toEqual([[U.victor]]);
  const finance = membersOf(FINANCE);
  for (const u of ["pavel", "fatima", "anna"] as const) expect(finance.get(U[u])).toBe(30);
  for (const [key, times] of appliedAdds(emu.calls({ sinceSeq: since }))) expect([key, times]).toEqual([key, 1]);
});

test("a connection reset before processing: the whole batch is re-sent once, each user applied once", async () => {
  emu.setFaults({ rules: [{ resetRate: 1, actions: ["AddWorkspaceUsers"], times: 1 }] });
  const since = lastSeq();
  const users = ["pavel", "fatima", "anna"] as const;
  const report = await engine({ ownHost: true }).up(() => {
    new WorkspaceMembership("team", { workspaceId: FINANCE, userIds: users.map((u) => U[u]), role: "viewer" });
  });
  expect(report.ok).toBe(true);
  const batches = emu.calls({ sinceSeq: since }).filter((c) => c.action === "AddWorkspaceUsers");
  expect(batches.map((c) => c.mutated)).toEqual([false, true]);
  expect(usersOf(batches[1]).sort()).toEqual(users.map((u) => U[u]).sort());
  for (const [key, times] of appliedAdds(emu.calls({ sinceSeq: since }))) expect([key, times]).toEqual([key, 1]);
});

test("refresh of many memberships reads each workspace once, not once per membership", async () => {
  const e = engine();
  const users = ["pavel", "diego", "fatima", "anna"] as const;
  const up = await e.up(() => {
    for (const u of users) new WorkspaceMembership(`ws-${u}`, { workspaceId: FINANCE, userId: U[u], role: "viewer" });
  });
  expect(up.ok).toBe(true);
  const since = lastSeq();
  const refresh = await e.refresh();
  expect(refresh.ok).toBe(true);
  expect(refresh.counts.read).toBe(users.length);
  const reads = emu.calls({ sinceSeq: since });
  expect(reads.filter((c) => c.action === "QueryUserRoleInfoInWorkspace")).toHaveLength(0);
  expect(reads.filter((c) => c.action === "QueryWorkspaceUserList")).toHaveLength(1);
});

test("quickbi:coalesce=false is the baseline: one call per membership", async () => {
  const off = new Engine({
    projectDir: ws.dir,
    statePath: path.join(stateDir, "baseline.json"),
    config: { ...config, "quickbi:coalesce": "false" },
    secretKeys: ["quickbi:accessKeySecret"],
  });
  const since = lastSeq();
  const users = ["pavel", "fatima", "anna"] as const;
  const report = await off.up(() => {
    new WorkspaceMembership("team", { workspaceId: FINANCE, userIds: users.map((u) => U[u]), role: "viewer" });
  });
  expect(report.ok).toBe(true);
  const calls = emu.calls({ sinceSeq: since });
  expect(calls.filter((c) => c.action === "AddWorkspaceUsers")).toHaveLength(0);
  expect(
    calls
      .filter((c) => c.action === "AddUserToWorkspace")
      .map((c) => c.params.UserId)
      .sort(),
  ).toEqual(users.map((u) => U[u]).sort());
  // Writes go first in both modes: Quick BI's answer says who was a member already, so nobody is read before.
  expect(calls.filter((c) => c.action === "QueryUserRoleInfoInWorkspace")).toHaveLength(0);
});
