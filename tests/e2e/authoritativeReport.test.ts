/**
 * The access report through the offline engine: a program that names workspaces, users and groups (lookups), mixes
 * authoritative and additive resources (on different targets), and is previewed then applied. The JSON summary the
 * preview logs must be exactly what the apply then does to Quick BI (emulator state before vs after), and the words
 * the CLI would show must name people by nickname.
 */
import * as os from "node:os";
import * as path from "node:path";
import * as fs from "node:fs";
import {
  collectAccessReport,
  formatAccessReportMarkdown,
  getUser,
  getUserGroup,
  getWorkspace,
  getWorkspaceOutput,
  GroupMembers,
  GroupMembership,
  WorkspaceMembers,
  WorkspaceMembership,
  type AccessReport,
} from "pulumi-quickbi";
import { addUserToWorkspace } from "../../provider/api/operations";
import { Engine } from "../../engine/engine";
import type { Seed } from "pulumi-quickbi/emulator";
import { SEED, quickbiState, startHarness, stopHarness, type Harness } from "./harness";

let h: Harness;
let engine: Engine;
let dir: string;
beforeAll(async () => {
  h = await startHarness();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "qbi-report-"));
  engine = new Engine({
    projectDir: h.workspace.dir,
    statePath: path.join(dir, "state.json"),
    config: h.config,
    secretKeys: ["quickbi:accessKeySecret"],
    host: h.host,
  });
});
afterAll(async () => {
  await stopHarness(h);
  fs.rmSync(dir, { recursive: true, force: true });
});

function program(v: 1 | 2 | 3) {
  return async () => {
    // Names, not ids: every id below comes from a lookup.
    const sales = await getWorkspace({ name: "Sales Analytics" });
    const finance = getWorkspaceOutput({ name: v === 3 ? "Data Platform Sandbox" : "Finance" });
    const [diego, fatima, dana, pavel] = await Promise.all(
      ["diego.dev", "fatima.data", "dana.dev", "pavel.perm"].map(
        async (account) => (await getUser({ account })).userId,
      ),
    );
    const eng = await getUserGroup({ name: "Engineering" });
    const biz = await getUserGroup({ name: "Business" });
    new WorkspaceMembers("sales-exact", {
      workspaceId: sales.workspaceId,
      members:
        v === 1
          ? { [diego]: "developer", [fatima]: "viewer" }
          : { [diego]: "viewer", [fatima]: "viewer", [dana]: "analyst" },
    });
    new WorkspaceMembership("finance-readers", {
      workspaceId: finance.workspaceId,
      userIds: v === 1 ? [pavel, fatima] : v === 2 ? [fatima, diego] : [diego, pavel],
      role: v === 1 ? "viewer" : "analyst",
    });
    new GroupMembers("eng-exact", { userGroupId: eng.userGroupId, userIds: v === 1 ? [dana, diego] : [dana, fatima] });
    new GroupMembership("biz-extra", { userGroupId: biz.userGroupId, userIds: v === 1 ? [pavel] : [pavel, dana] });
  };
}

type Actual = Map<string, Map<string, { from?: string; to?: string }>>;
const LABEL: Record<number, string> = { 25: "admin", 26: "developer", 27: "analyst", 30: "viewer" };

/** What changed in Quick BI between two states, per workspace / user group. */
function actualChanges(before: Seed, after: Seed): Actual {
  const out: Actual = new Map();
  const put = (target: string, userId: string, c: { from?: string; to?: string }) => {
    const m = out.get(target) ?? new Map();
    m.set(userId, c);
    out.set(target, m);
  };
  const ws = (s: Seed) =>
    new Map(s.workspaceMembers.map((m) => [`${m.workspaceId}/${m.userId}`, LABEL[m.roleId] ?? `role ${m.roleId}`]));
  const [a, b] = [ws(before), ws(after)];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const [target, userId] = k.split("/");
    if (a.get(k) !== b.get(k))
      put(target, userId, { ...(a.has(k) ? { from: a.get(k) } : {}), ...(b.has(k) ? { to: b.get(k) } : {}) });
  }
  const gm = (s: Seed) => new Set(s.userGroupMembers.map((m) => `${m.userGroupId}/${m.userId}`));
  const [ga, gb] = [gm(before), gm(after)];
  for (const k of new Set([...ga, ...gb])) {
    const [target, userId] = k.split("/");
    if (ga.has(k) !== gb.has(k)) put(target, userId, ga.has(k) ? { from: "member" } : { to: "member" });
  }
  return out;
}

function reported(report: AccessReport): Actual {
  const out: Actual = new Map();
  for (const e of report) {
    const target = e.workspaceId ?? e.userGroupId!;
    const m = out.get(target) ?? new Map();
    for (const c of e.changes) m.set(c.userId, { ...(c.from ? { from: c.from } : {}), ...(c.to ? { to: c.to } : {}) });
    if (m.size > 0) out.set(target, m);
  }
  return out;
}

async function previewThenUp(v: 1 | 2 | 3) {
  const preview = await engine.preview(program(v));
  expect(preview.errors).toEqual([]);
  const report = collectAccessReport(preview.logs);
  const before = await quickbiState(h.emu);
  const up = await engine.up(program(v));
  expect(up.errors).toEqual([]);
  const after = await quickbiState(h.emu);
  return { preview, report, up, before, after };
}

test("the preview's access report is what the apply does", async () => {
  // First deployment: creates only (the engine calls check, not diff, for new resources).
  const first = await previewThenUp(1);
  expect(reported(first.report)).toEqual(actualChanges(first.before, first.after));
  expect(reported(first.report).get(SEED.sales)).toEqual(
    new Map([
      [SEED.fatima, { to: "viewer" }],
      [SEED.anna, { from: "analyst" }],
    ]),
  );
  const salesEntry = first.report.find((e) => e.type === "WorkspaceMembers")!;
  expect(salesEntry).toMatchObject({ name: "sales-exact", operation: "create", workspaceId: SEED.sales });
  expect(salesEntry.kept).toEqual([
    { userId: SEED.owner, nickName: "Olivia Owner", role: "admin", reason: "workspace owner" },
  ]);
  // eng-exact declares exactly the current members: nothing to report
  expect(first.report.some((e) => e.name === "eng-exact")).toBe(false);
  // the apply reports what its preview reported. Names come from memory (check never waits for Quick BI): the
  // preview's first entries may show ids only, while the listing started in the background fills the names in.
  const inOrder = (r: AccessReport) =>
    [...r]
      .map((e) => ({ ...e, changes: e.changes.map(({ nickName: _n, ...c }) => c) }))
      .sort((a, b) =>
        `${a.resource} ${a.workspaceId ?? a.userGroupId}`.localeCompare(
          `${b.resource} ${b.workspaceId ?? b.userGroupId}`,
        ),
      );
  expect(inOrder(collectAccessReport(first.up.logs))).toEqual(inOrder(first.report));
  // by then the names are known: the up's entries name everyone
  expect(
    collectAccessReport(first.up.logs)
      .flatMap((e) => e.changes)
      .every((c) => c.nickName !== undefined),
  ).toBe(true);

  // A colleague adds arjun to Sales in the console; refresh records the drift.
  await addUserToWorkspace(h.outOfBand, { workspaceId: SEED.sales, userId: SEED.arjun, roleId: 30 });
  const refresh = await engine.refresh();
  expect(refresh.errors).toEqual([]);

  // Second deployment: updates of every kind, and the out-of-band member goes.
  const second = await previewThenUp(2);
  expect(reported(second.report)).toEqual(actualChanges(second.before, second.after));
  expect(reported(second.report).get(SEED.sales)).toEqual(
    new Map([
      [SEED.dana, { to: "analyst" }],
      [SEED.diego, { from: "developer", to: "viewer" }],
      [SEED.arjun, { from: "viewer" }],
    ]),
  );
  expect(reported(second.report).get(SEED.finance)).toEqual(
    new Map([
      [SEED.diego, { to: "analyst" }],
      [SEED.fatima, { from: "viewer", to: "analyst" }],
      [SEED.pavel, { from: "viewer" }],
    ]),
  );

  // The words `pulumi preview` shows, by nickname, under the resource.
  const info = second.preview.logs
    .filter((l) => l.severity === "info")
    .map((l) => l.message)
    .join("\n");
  expect(info).toContain(`+ Dana Developer (${SEED.dana}) analyst`);
  expect(info).toContain(`~ Diego Developer (${SEED.diego}) developer → viewer`);
  expect(info).toContain(`- Arjun Analyst (${SEED.arjun})`);
  expect(info).toContain(`+ Fatima Data (${SEED.fatima})`);
  expect(second.preview.logs.find((l) => l.message.includes("sales-exact"))?.urn).toBe(
    "urn:pulumi:stack::project::pulumi-nodejs:dynamic/quickbi:WorkspaceMembers::sales-exact",
  );
  const md = formatAccessReportMarkdown(second.report);
  expect(md).toContain("**sales-exact**");
  expect(md).toContain("`~ Diego Developer");

  // Third deployment: finance-readers moves to another workspace (a replace: removals there, additions here), and
  // the up's own report (diff, then delete of the old copy) still counts each person once.
  const third = await previewThenUp(3);
  expect(third.up.counts.replace).toBe(1);
  expect(reported(third.report)).toEqual(actualChanges(third.before, third.after));
  expect(reported(third.report).get(SEED.finance)).toEqual(
    new Map([
      [SEED.fatima, { from: "analyst" }],
      [SEED.diego, { from: "analyst" }],
    ]),
  );
  expect(reported(third.report).get(SEED.sandbox)).toEqual(
    new Map([
      [SEED.diego, { to: "analyst" }],
      [SEED.pavel, { to: "analyst" }],
    ]),
  );
  expect(reported(collectAccessReport(third.up.logs))).toEqual(reported(third.report));
  // one entry per resource and target, although the old copy's delete reported its removals again
  const keys = (r: AccessReport) => r.map((e) => `${e.resource} ${e.workspaceId ?? e.userGroupId}`).sort();
  expect(keys(collectAccessReport(third.up.logs))).toEqual(keys(third.report));

  // Destroy: the provider is called for deletions only when they run, so their removals are reported by `destroy`.
  const before = await quickbiState(h.emu);
  const destroy = await engine.destroy();
  expect(destroy.errors).toEqual([]);
  const after = await quickbiState(h.emu);
  expect(reported(collectAccessReport(destroy.logs))).toEqual(actualChanges(before, after));
});

test("inputs unknown during preview: the entry says the change is known only at apply", async () => {
  const { QuickBIUser } = await import("pulumi-quickbi");
  const e = new Engine({
    projectDir: h.workspace.dir,
    statePath: path.join(dir, "unknown.json"),
    config: h.config,
    secretKeys: ["quickbi:accessKeySecret"],
    host: h.host,
  });
  const preview = await e.preview(() => {
    const nora = new QuickBIUser("nora", {
      accountId: "2000000000000001",
      accountName: "demo-corp@aliyun.com:nora.new",
      nickName: "Nora New",
      userType: "analyst",
    });
    new GroupMembership("nora-biz", { userGroupId: SEED.business, userIds: [nora.userId, SEED.pavel] });
  });
  expect(preview.errors).toEqual([]);
  const report = collectAccessReport(preview.logs);
  expect(report).toEqual([
    expect.objectContaining({ name: "nora-biz", userGroupId: SEED.business, unknown: true, changes: [] }),
  ]);
  expect(preview.logs.map((l) => l.message).join("\n")).toMatch(
    /GroupMembership nora-biz on user group .*: known only at apply/,
  );
});
