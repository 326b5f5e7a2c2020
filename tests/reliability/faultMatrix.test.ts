/**
 * The fault matrix: a real program through the offline engine and the real dynamic-provider host, against the
 * emulator injecting faults. Every case ends with the same audit: Quick BI (`/__emulator/state`) holds exactly what the
 * program declares (nothing lost, nothing twice), the state file accounts for every object applied (no unrecorded
 * creates, no init errors or pending operations left) and a refresh finds no difference. The figures (faults injected,
 * calls resent, writes settled by a re-read) come from the emulator's call log; WRITE_FIGURES=1 writes them to figures.json.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  addUserGroupMember,
  deleteUserFromWorkspace,
  updateUser,
  updateWorkspaceUserRole,
} from "../../provider/api/operations";
import { Engine } from "../../engine/engine";
import { ProviderHost } from "../../engine/host";
import { createWorkspace, type Workspace } from "../../engine/workspace";
import { createClient, type QuickBIClient } from "../../provider/api/client";
import {
  DEMO_ACCESS_KEY,
  defaultSeed,
  startEmulator,
  type FaultSettingsInput,
  type RunningEmulator,
} from "pulumi-quickbi/emulator";
import { quirksUnderTest } from "../quirkMatrix/quirks";
import {
  SEED,
  audit,
  emptyAudit,
  figuresOf,
  isFaulted,
  landedWrites,
  programOf,
  resourceCount,
  team,
  type CaseFigures,
  type TeamSpec,
} from "./team";

const REPO = path.resolve(__dirname, "../..");
jest.setTimeout(60_000);

let emu: RunningEmulator;
let ws: Workspace;
let host: ProviderHost;
let outOfBand: QuickBIClient;
const figures: CaseFigures[] = [];

/**
 * One configuration for every case: the host is shared, and the dynamic-provider host configures each provider only
 * once per process (as under the CLI, where every operation gets a fresh host). Small backoffs and a high client pace
 * keep the matrix fast; the client timeout is below the emulator's slow answers.
 */
const BASE_CONFIG: Record<string, string> = {
  "quickbi:accessKeyId": DEMO_ACCESS_KEY.accessKeyId,
  "quickbi:accessKeySecret": DEMO_ACCESS_KEY.accessKeySecret,
  "quickbi:maxRetries": "8",
  "quickbi:retryBaseDelayMs": "50",
  "quickbi:retryMaxDelayMs": "500",
  "quickbi:maxQps": "40",
  "quickbi:timeoutMs": "800",
};
const NO_CREDENTIAL_ENV = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: undefined,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: undefined,
  QUICKBI_ENDPOINT: undefined,
};

beforeAll(async () => {
  if (!fs.existsSync(path.join(REPO, "bin/provider/runtime.js")))
    throw new Error("run `npm run build` first: the host loads the built package");
  emu = await startEmulator({ seed: defaultSeed(), randomSeed: 6, quirks: quirksUnderTest() });
  ws = await createWorkspace({ repoRoot: REPO });
  host = await ProviderHost.start({ cwd: ws.dir, env: NO_CREDENTIAL_ENV, callTimeoutMs: 60_000 });
  const cfg = config();
  outOfBand = await createClient({ get: (k) => cfg[k] }, {});
});
afterAll(async () => {
  await host?.stop();
  await emu?.stop();
  await ws?.cleanup();
  if (figures.length > 0) {
    const total = (
      k: "faultsInjected" | "resent" | "settledByReRead" | "lost" | "duplicated" | "unrecorded" | "apiCalls",
    ) => figures.reduce((n, f) => n + f[k], 0);
    const summary = {
      generatedBy: "tests/reliability/faultMatrix.test.ts",
      cases: figures.length,
      apiCalls: total("apiCalls"),
      faultsInjected: total("faultsInjected"),
      operationsRetried: total("resent") + total("settledByReRead"),
      callsResent: total("resent"),
      writesSettledByReRead: total("settledByReRead"),
      resourcesLost: total("lost"),
      resourcesDuplicated: total("duplicated"),
      changesUnrecorded: total("unrecorded"),
      interruptedCreatesAdopted: figures.reduce((n, f) => n + (f.interruptedCreatesAdopted ?? 0), 0),
      otherPerturbations: figures.reduce(
        (n, f) => n + Object.values(f.otherPerturbations ?? {}).reduce((a, b) => a + b, 0),
        0,
      ),
      perCase: figures,
    };
    // Only on request: the numbers move a little from run to run, and a test run should not dirty the checkout.
    if (process.env.WRITE_FIGURES === "1" && quirksUnderTest().length === 0)
      fs.writeFileSync(path.join(__dirname, "figures.json"), JSON.stringify(summary, null, 2) + "\n");
  }
});

function config(): Record<string, string> {
  return { "quickbi:endpoint": emu.url, ...BASE_CONFIG };
}

function engineFor(name: string): Engine {
  const statePath = path.join(ws.dir, `${name}.state.json`);
  fs.rmSync(statePath, { force: true });
  return new Engine({
    projectDir: ws.dir,
    statePath,
    // Each case is its own stack (as its own state file says): the shared host keeps one stack's claims apart from another's.
    stack: name.replace(/[^A-Za-z0-9-]+/g, "-"),
    config: config(),
    secretKeys: ["quickbi:accessKeySecret"],
    host,
  });
}

function lastSeq(): number {
  const all = emu.calls();
  return all.length ? all[all.length - 1].seq : 0;
}

/**
 * The audit every case ends with; records the case's figures. `extraUsers`: users the test itself created out of band.
 */
async function settle(
  name: string,
  spec: TeamSpec,
  engine: Engine,
  since: number,
  started: number,
  extra: {
    hostKills?: number;
    interruptedCreates?: number;
    extraUsers?: Set<string>;
    notFaults?: string[];
    otherPerturbations?: Record<string, number>;
  } = {},
): Promise<CaseFigures> {
  emu.setFaults({});
  const a = audit(spec, emu.state(), engine.readState(), extra.extraUsers);
  expect(a).toEqual({ lost: [], duplicated: [], unrecorded: [], wrong: [] });
  // The state file and Quick BI agree: a refresh finds nothing to change.
  const refresh = await engine.refresh();
  expect(refresh.errors).toEqual([]);
  expect(refresh.counts).toMatchObject({ read: resourceCount(spec), "refresh-changed": 0, "refresh-deleted": 0 });
  const f = figuresOf(name, emu.calls({ sinceSeq: since }), extra.notFaults);
  f.faultsInjected += extra.hostKills ?? 0;
  if (extra.hostKills) f.faultKinds["hostKilled"] = extra.hostKills;
  // Creates that landed in Quick BI while their answer died with the host: taken over (adopt) by the re-run.
  if (extra.interruptedCreates) f.interruptedCreatesAdopted = extra.interruptedCreates;
  if (extra.otherPerturbations) f.otherPerturbations = extra.otherPerturbations;
  f.lost = a.lost.length;
  f.duplicated = a.duplicated.length;
  f.unrecorded = a.unrecorded.length;
  f.durationMs = Date.now() - started;
  expect(emptyAudit(a)).toBe(true);
  figures.push(f);
  return f;
}

/** `drainMs`: wait for answers the emulator still holds back (slow faults) so the call log is complete. */
async function faultCase(name: string, spec: TeamSpec, faults: FaultSettingsInput, drainMs = 0): Promise<CaseFigures> {
  emu.reset();
  emu.setFaults({});
  const started = Date.now();
  const since = lastSeq();
  const engine = engineFor(name);
  emu.setFaults({ randomSeed: 6, ...faults });
  const up = await engine.up(programOf(spec));
  expect(up.errors).toEqual([]);
  expect(up.counts.create).toBe(resourceCount(spec));
  if (drainMs > 0) await new Promise((r) => setTimeout(r, drainMs));
  return settle(name, spec, engine, since, started);
}

test("throttling storm: a per-key QPS limit far below the client's pace, plus Throttling / Throttling.Api answers", async () => {
  const spec = team("storm", 4);
  const f = await faultCase("throttling storm", spec, {
    rules: [
      // A storm with a budget: 20 calls throttled, then the limit lifts (keeps the suite's run time bounded).
      { qps: 6, burst: 2, times: 20 },
      { errorRate: 1, errorCode: "Throttling.Api", actions: ["AddWorkspaceUsers", "AddUserGroupMember"], times: 2 },
      { errorRate: 0.3, errorCode: "Throttling", times: 6 },
    ],
  });
  expect(f.faultKinds.throttle).toBeGreaterThan(3);
  // Throttled calls were provably not applied, so each was sent again.
  expect(f.resent).toBe(f.faultsInjected);
});

test("bursts of ServiceUnavailable / InternalError on every write and on reads", async () => {
  const spec = team("burst", 4);
  const f = await faultCase("5xx bursts", spec, {
    rules: [
      { errorRate: 1, errorCode: "ServiceUnavailable", actions: ["AddUser"], times: 3 },
      { errorRate: 1, errorCode: "InternalError", actions: ["AddWorkspaceUsers", "AddUserToWorkspace"], times: 2 },
      { errorRate: 1, errorCode: "ServiceUnavailable", actions: ["AddUserGroupMember"], times: 2 },
      { errorRate: 0.25, times: 8 },
    ],
  });
  expect(f.faultsInjected).toBeGreaterThanOrEqual(7);
  // A 5xx before processing: the write did not land, the re-read says so and the write is sent again.
  const calls = emu.calls();
  expect(landedWrites(calls.slice(-f.apiCalls), "AddUser")).toHaveLength(spec.users.length);
});

test("slow responses past the client timeout: writes land, the client times out, re-reads instead of resending", async () => {
  const spec = team("slow", 3);
  const since = lastSeq();
  const f = await faultCase(
    "slow past timeout",
    spec,
    {
      rules: [
        { slowRate: 1, slowMs: 1_500, actions: ["AddUser"], times: 2 },
        {
          slowRate: 1,
          slowMs: 1_500,
          actions: ["AddWorkspaceUsers", "AddUserToWorkspace", "AddUserGroupMember"],
          times: 2,
        },
      ],
    },
    1_600,
  );
  expect(f.faultKinds.slow).toBe(4);
  const calls = emu.calls({ sinceSeq: since });
  // Every AddUser landed exactly once: the two that timed out were settled by the re-read, not sent again.
  expect(landedWrites(calls, "AddUser")).toHaveLength(spec.users.length);
  // The client gave up on all four after quickbi:timeoutMs; each was settled by its re-read, none was sent again.
  expect(f.settledByReRead).toBe(4);
  expect(f.resent).toBe(0);
});

test("connection resets before processing and after applying (the answer is lost)", async () => {
  const spec = team("reset", 4);
  const since = lastSeq();
  const f = await faultCase("connection resets", spec, {
    rules: [
      { resetRate: 1, actions: ["AddUser", "AddWorkspaceUsers"], times: 3 },
      { failAfterApplyRate: 1, actions: ["AddUser", "AddUserGroupMember", "AddUserToWorkspace"], times: 3 },
      { resetRate: 0.2, times: 5 },
    ],
  });
  expect(f.faultKinds.reset).toBeGreaterThanOrEqual(3);
  expect(f.faultKinds.failAfterApply).toBe(3);
  const calls = emu.calls({ sinceSeq: since });
  expect(landedWrites(calls, "AddUser")).toHaveLength(spec.users.length);
  expect(calls.filter((c) => c.action === "AddUser" && isFaulted(c) && c.mutated).length).toBeGreaterThanOrEqual(1);
});

test("coalesced batches under faults: many single memberships merged into shared calls, each still converges", async () => {
  const users = team("merge", 5).users;
  const seedMembers = [SEED.pavel, SEED.arjun];
  const spec: TeamSpec = {
    users,
    // One resource per user, all in the same workspace and group: the provider merges their writes.
    workspaces: [...users.map((u) => u.key), ...seedMembers].map((m, i) => ({
      name: `merge-ws-${i}`,
      parentId: SEED.sandbox,
      members: [m],
      role: "viewer" as const,
      single: true,
    })),
    groups: users.map((u, i) => ({
      name: `merge-grp-${i}`,
      parentId: SEED.engineering,
      members: [u.key],
      single: true,
    })),
  };
  const since = lastSeq();
  const f = await faultCase("coalesced batches", spec, {
    rules: [
      {
        errorRate: 1,
        errorCode: "ServiceUnavailable",
        actions: ["AddWorkspaceUsers", "AddUserToWorkspace", "AddUserGroupMember"],
        times: 2,
      },
      { failAfterApplyRate: 1, actions: ["AddWorkspaceUsers", "AddUserToWorkspace", "AddUserGroupMember"], times: 2 },
      {
        resetRate: 1,
        actions: ["QueryWorkspaceUserList", "QueryUserGroupMember", "QueryUserRoleInfoInWorkspace"],
        times: 2,
      },
    ],
  });
  expect(f.faultsInjected).toBe(6);
  const writes = emu
    .calls({ sinceSeq: since })
    .filter(
      (c) => ["AddWorkspaceUsers", "AddUserToWorkspace", "AddUserGroupMember"].includes(c.action ?? "") && c.mutated,
    );
  // However the writes were merged, no membership was written twice.
  const written = writes.flatMap((c) =>
    (c.params.UserIds ?? c.params.UserIdList ?? c.params.UserId ?? "")
      .split(",")
      .map((u) => `${c.action === "AddUserGroupMember" ? "g" : "w"}:${u}`),
  );
  expect(new Set(written).size).toBe(written.length);
  expect(written).toHaveLength(spec.workspaces.length + spec.groups.length);
  f.coalescing = { memberships: written.length, writeCalls: writes.length };
});

test("provider host killed in the middle of a batch apply; `up` re-run converges and duplicates nothing", async () => {
  emu.reset();
  emu.setFaults({});
  const started = Date.now();
  const since = lastSeq();
  const spec = team("kill", 6);
  const engine = engineFor("host killed");
  // Writes take a while to answer, so the host dies with some of them applied in Quick BI but not yet answered.
  emu.setFaults({
    rules: [
      {
        slowRate: 1,
        slowMs: 300,
        actions: ["AddUser", "AddWorkspaceUsers", "AddUserToWorkspace", "AddUserGroupMember"],
      },
    ],
  });
  const inQuickBI = () => emu.state().users.filter((u) => u.accountName?.includes("kill.")).length;
  const inStateFile = () => engine.readState().resources.filter((r) => r.custom && r.name.startsWith("u-kill")).length;
  let killedAt: { quickbi: number; stateFile: number } | undefined;
  // Its own host (as the CLI launches one), two steps at a time: some users complete, some are in flight, some wait.
  const killer = new Engine({
    ...engine.options,
    host: undefined,
    hostEnv: NO_CREDENTIAL_ENV,
    callTimeoutMs: 60_000,
    parallel: 2,
    onHostStarted: (h) => {
      const timer = setInterval(() => {
        const q = inQuickBI();
        const f = inStateFile();
        if (f >= 2 && q > f) {
          clearInterval(timer);
          killedAt = { quickbi: q, stateFile: f };
          void h.kill("SIGKILL");
        }
      }, 5);
      timer.unref();
    },
  });
  const first = await killer.up(programOf(spec));
  expect(killedAt).toBeDefined();
  const interrupted = inQuickBI() - inStateFile();
  expect(interrupted).toBeGreaterThanOrEqual(1);
  expect(first.ok).toBe(false);
  // What completed before the kill is in the state file (each step is checkpointed as it completes).
  expect(inStateFile()).toBeGreaterThanOrEqual(2);
  expect(inStateFile()).toBeLessThan(spec.users.length);
  emu.setFaults({});

  // Re-run the same program (no adopt). A create that had landed in Quick BI but whose answer died with the host is
  // recognised from the journal of interrupted creates (handlers/journal.ts: the killed host noted what it set out to
  // create) and taken over; nothing is created twice and nothing else fails.
  const second = await engine.up(programOf(spec));
  expect(second.errors).toEqual([]);
  const qb = emu.state();
  for (const u of spec.users) expect(qb.users.filter((x) => x.accountName === u.accountName).length).toBe(1);
  const adopted = spec;
  // The slow answers only open the window for the kill; the fault under test is the kill.
  const f = await settle("host killed mid-apply", adopted, engine, since, started, {
    hostKills: 1,
    interruptedCreates: interrupted,
    notFaults: ["slow"],
  });
  // Every user was added exactly once over the three runs.
  expect(landedWrites(emu.calls({ sinceSeq: since }), "AddUser")).toHaveLength(spec.users.length);
  expect(f.faultsInjected).toBe(1);
});

test("a batch that half-succeeds is recorded as a partial create, and the next up finishes it", async () => {
  emu.reset();
  emu.setFaults({});
  const started = Date.now();
  const since = lastSeq();
  // Victor is a viewer-type user: Quick BI refuses him in a workspace (Viewer.AddInTo.Workspace), the others get in.
  const base = team("half", 3);
  const spec: TeamSpec = {
    ...base,
    workspaces: [{ ...base.workspaces[0], members: [...base.workspaces[0].members, SEED.victor] }, base.workspaces[1]],
  };
  const engine = engineFor("half-succeeding batch");
  const first = await engine.up(programOf(spec));
  expect(first.ok).toBe(false);
  expect(first.errors.join("\n")).toContain("Viewer.AddInTo.Workspace");
  expect(first.errors.join("\n")).toMatch(/RequestId [0-9A-F-]{36}/);
  const partial = engine.readState().resources.find((r) => r.name === "half-sales");
  expect(partial?.initErrors?.length).toBeGreaterThan(0);
  expect(partial?.id).toMatch(new RegExp(`^${SEED.sales}:set-`));
  // The members that did get in are recorded (and are in Quick BI).
  const recorded = partial?.outputs.userIds as string[];
  expect(recorded).not.toContain(SEED.victor);
  expect(recorded.length).toBeGreaterThan(0);
  for (const id of recorded)
    expect(emu.state().workspaceMembers.some((m) => m.workspaceId === SEED.sales && m.userId === id)).toBe(true);

  // Fix the cause (Victor gets an analyst seat) and run up again: the partial create is continued, not redone.
  await updateUser(outOfBand, { userId: SEED.victor, userType: 3 });
  const second = await engine.up(programOf(spec));
  expect(second.errors).toEqual([]);
  expect(second.counts.update).toBeGreaterThanOrEqual(1);
  await settle("half-succeeding batch", spec, engine, since, started, {
    otherPerturbations: { "user refused in a batch (Viewer.AddInTo.Workspace)": 1, "out-of-band fix (UpdateUser)": 1 },
  });
});

test("out-of-band changes between preview and apply: the apply re-reads and converges what it touches", async () => {
  emu.reset();
  emu.setFaults({});
  const started = Date.now();
  const since = lastSeq();
  const engine = engineFor("out-of-band");
  const v1 = team("oob", 3);
  expect((await engine.up(programOf(v1))).errors).toEqual([]);
  // v2: nicknames change, one user dropped, Sales role becomes analyst, Arjun joins the group.
  const v2: TeamSpec = {
    users: v1.users.slice(0, 2).map((u) => ({ ...u, nickName: `${u.nickName} v2` })),
    workspaces: [
      { ...v1.workspaces[0], members: [v1.users[0].key, v1.users[1].key, SEED.pavel], role: "analyst" },
      v1.workspaces[1],
    ],
    groups: [{ ...v1.groups[0], members: [v1.users[0].key, v1.users[1].key, SEED.pavel, SEED.arjun] }],
  };
  const preview = await engine.preview(programOf(v2));
  expect(preview.errors).toEqual([]);
  expect(preview.counts).toMatchObject({ update: 4, delete: 1 });

  // A colleague changes things in the console after the preview.
  const state = engine.readState();
  const idOf = (name: string) => state.resources.find((r) => r.name === name)!.id;
  const u0 = idOf("u-oob0");
  const u1 = idOf("u-oob1");
  const u2 = idOf("u-oob2");
  await updateUser(outOfBand, { userId: u0, nickName: "renamed in the console" }); // the program renames it too
  await deleteUserFromWorkspace(outOfBand, { workspaceId: SEED.sales, userId: u1 }); // removed from the membership being updated
  await updateWorkspaceUserRole(outOfBand, { workspaceId: SEED.sales, userId: SEED.pavel, roleIds: [25] }); // made admin
  await deleteUserFromWorkspace(outOfBand, { workspaceId: SEED.sales, userId: u2 }); // the user v2 drops anyway
  await addUserGroupMember(outOfBand, { userGroupId: SEED.business, userIds: [SEED.arjun] }); // joins the group v2 extends

  const up = await engine.up(programOf(v2));
  // Arjun was put into the group behind the program's back: the group update refuses to take him over silently and
  // names him; every other change of the plan was applied against what Quick BI held at apply time.
  expect(up.errors).toHaveLength(1);
  expect(up.errors[0]).toContain(`${SEED.arjun} is already a member of user group ${SEED.business}`);
  expect(up.errors[0]).toContain("adopt: true");
  expect(up.counts.update).toBe(3);
  const adopted = { ...v2, adopt: true };
  expect((await engine.up(programOf(adopted))).errors).toEqual([]);
  await settle("out-of-band between preview and apply", adopted, engine, since, started, {
    otherPerturbations: { "out-of-band change": 5 },
  });
});

test("every action the provider called is in the permission table (docs/configuration.md)", () => {
  const doc = fs.readFileSync(path.join(REPO, "docs/configuration.md"), "utf8");
  const documented = new Set([...doc.matchAll(/quickbi-public:([A-Za-z]+)/g)].map((m) => m[1]));
  const called = new Set(
    emu
      .calls()
      .map((c) => c.action)
      .filter((a): a is string => a !== null),
  );
  expect(called.size).toBeGreaterThan(5);
  expect([...called].filter((a) => !documented.has(a)).sort()).toEqual([]);
});

test("the emulator answered every call under this jest project's quirks (the quirk matrix, jest.config.js)", () => {
  expect([...new Set(emu.calls().map((c) => c.quirks.join(",")))]).toEqual([quirksUnderTest().join(",")]);
});
