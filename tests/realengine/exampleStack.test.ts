/**
 * The example stack's whole life on the real Pulumi engine (the CLI through the Automation API, file backend,
 * passphrase secrets) against the emulator: the program and phases of `npm run demo` (examples/stack with
 * demo/phases.ts). Each test is one phase and builds on the previous one.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import quickbiAccess = require("../../examples/stack/index");
import { BREAK_GLASS, PHASE1, PHASE2, SEED_IDS, stackSettings } from "../../demo/phases";
import { createClient } from "../../provider/api/client";
import { deleteUserFromWorkspace, updateWorkspaceUserRole } from "../../provider/api/operations";
import { WORKSPACE_ROLES } from "../../provider/api/roles";
import { collectAccessReport } from "../../provider/report";
import type { CliStack } from "../../realengine";
import { DEMO_ACCESS_KEY, defaultSeed, startEmulator, type RunningEmulator } from "pulumi-quickbi/emulator";
import { accessView, lastSeq, openStack, stepsByResource, writesSince } from "./fixture";
import { describeWithCli } from "./withCli";

describeWithCli("the example stack's life on the real Pulumi engine", (cli) => {
  let emu: RunningEmulator;
  let stack: CliStack;
  let v1: ReturnType<typeof stackSettings>;
  let v2: ReturnType<typeof stackSettings>;
  let userIds: Record<string, string> = {};

  beforeAll(async () => {
    emu = await startEmulator({ seed: defaultSeed() });
    v1 = stackSettings(emu.url, PHASE1);
    v2 = stackSettings(emu.url, PHASE2);
    stack = await openStack(cli, quickbiAccess);
  }, 60_000);
  afterAll(async () => {
    await stack?.destroy().catch(() => undefined);
    await stack?.close();
    await emu?.stop();
  });

  const membersOf = (workspaceId: string) =>
    Object.fromEntries(
      emu
        .state()
        .workspaceMembers.filter((m) => m.workspaceId === workspaceId)
        .map((m) => [m.userId, m.roleId]),
    );

  test("preview of a new stack plans 8 creates and writes nothing to Quick BI", async () => {
    const seq = lastSeq(emu);
    const r = await stack.preview(v1);
    expect(r.errors).toEqual([]);
    expect(r.counts).toMatchObject({ create: 8, update: 0, replace: 0, delete: 0 });
    expect(writesSince(emu, seq)).toEqual([]);
  });

  test("up creates the 8 resources; Quick BI holds the declared access", async () => {
    const r = await stack.up(v1);
    expect(r.errors).toEqual([]);
    expect(r.counts.create).toBe(8);
    userIds = r.outputs.userIds as Record<string, string>;
    expect(Object.keys(userIds).sort()).toEqual(["lena", "nora", "omar"]);
    expect(membersOf(SEED_IDS.sales)).toMatchObject({
      [userIds.nora]: WORKSPACE_ROLES.analyst,
      [SEED_IDS.arjun]: WORKSPACE_ROLES.analyst,
      [userIds.lena]: WORKSPACE_ROLES.admin,
    });
    expect(membersOf(SEED_IDS.sandbox)).toMatchObject({
      [userIds.omar]: WORKSPACE_ROLES.developer,
      [SEED_IDS.diego]: WORKSPACE_ROLES.developer,
    });
  });

  test("each resource's source position in the checkpoint is the program's line that declared it, not this package", async () => {
    const exported = JSON.parse(await stack.exportCheckpoint()) as {
      deployment: { resources: { type: string; sourcePosition?: string; stackTrace?: unknown[] }[] };
    };
    const ours = exported.deployment.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/quickbi:"));
    expect(ours).toHaveLength(8);
    for (const r of ours) {
      expect([r.type, r.sourcePosition]).toEqual([
        r.type,
        expect.stringMatching(/examples\/stack\/index\.(ts|js)#\d+,\d+$/),
      ]);
      expect(JSON.stringify(r.stackTrace)).not.toMatch(/provider\/resources\//);
    }
  });

  test("a second up of the same program makes no write call: every resource is `same`", async () => {
    const seq = lastSeq(emu);
    const r = await stack.up(v1);
    expect(r.errors).toEqual([]);
    expect(Object.values(stepsByResource(r)).every((op) => op === "same")).toBe(true);
    expect(r.counts.same).toBe(8);
    expect(writesSince(emu, seq)).toEqual([]);
  });

  test("preview --diff of the staged change: `role` analyst → viewer is an update, not a replace; nothing is written", async () => {
    const seq = lastSeq(emu);
    const r = await stack.preview(v2, { diff: true });
    expect(r.errors).toEqual([]);
    expect(writesSince(emu, seq)).toEqual([]);
    expect(stepsByResource(r)).toMatchObject({
      "quickbi:WorkspaceMembership::team-sales-analysts": "update",
      "quickbi:WorkspaceMembership::grant-lena": "replace",
      "quickbi:QuickBIUser::priya": "create",
      "quickbi:QuickBIUser::omar": "delete",
    });
    // The CLI's own --diff text: the resource under `~` (update) with its role going old → new.
    const block = resourceBlock(r.stdout, "team-sales-analysts");
    expect(block).toMatch(/^\s*~ pulumi-nodejs:dynamic\/quickbi:WorkspaceMembership: \(update\)/m);
    expect(block).toMatch(/~ role\s*: "analyst" => "viewer"/);
    expect(block).not.toMatch(/\(replace\)|\+-/);
    // The same reading tells a replace: the grant moving to another workspace.
    expect(resourceBlock(r.stdout, "grant-lena")).toMatch(
      /^\s*\+-pulumi-nodejs:dynamic\/quickbi:WorkspaceMembership: \(replace\)[\s\S]*~ workspaceId: "5f3e2c1a-[^"]*" => "6a4f3d2b-/,
    );
  });

  test("the access report is under its resource in `pulumi preview` (and on stderr with --diff), and in its JSON file", async () => {
    const before = fs.existsSync(stack.reportFile) ? fs.readFileSync(stack.reportFile, "utf8").length : 0;
    const r = await stack.preview(v2);
    const text = r.stdout;
    // Attached to the resource through the engine's Log service: in the resource's own Diagnostics block, never
    // under the Stack with `[runtime]` (what `pulumi.log` inside a provider host gives).
    const diagnostics = text.slice(text.indexOf("Diagnostics:"));
    const own = diagnostics.slice(diagnostics.indexOf("WorkspaceMembership (team-sales-analysts):"));
    expect(own).toMatch(
      /^WorkspaceMembership \(team-sales-analysts\):\s*\n\s*access changes of WorkspaceMembership team-sales-analysts on workspace 5f3e2c1a-8b7d-4e6f-9a0b-1c2d3e4f5a01:/,
    );
    expect(text).not.toContain("[runtime]");
    // Users the program declares are named from their QuickBIUser; others by id at once, by name once the background
    // listing of the organization is in (check never waits for Quick BI).
    expect(own).toMatch(/~ Nora New \([0-9a-f]{32}\) analyst → viewer/);
    expect(own).toMatch(/~ (Arjun Analyst \()?a7b6c8d9eafb4c4d5ca6b7c8d9eafb07\)? analyst → viewer/);
    // The JSON file named by QUICKBI_ACCESS_REPORT_FILE, appended during this preview.
    const added = fs.readFileSync(stack.reportFile, "utf8").slice(before);
    const entries = collectAccessReport(
      added
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((message) => ({ severity: "debug" as const, message })),
    );
    const team = entries.find((e) => e.name === "team-sales-analysts");
    // User ids are generated, so both sides are sorted before comparing.
    expect(team?.changes.map((c) => [c.userId, c.from, c.to]).sort()).toEqual(
      [
        [SEED_IDS.arjun, "analyst", "viewer"],
        [userIds.nora, "analyst", "viewer"],
      ].sort(),
    );
    expect(team?.changes.find((c) => c.userId === userIds.nora)?.nickName).toBe("Nora New");

    // `preview --diff` prints diagnostics on stderr; each report line names its resource.
    const d = await stack.preview(v2, { diff: true });
    expect(d.stderr).toMatch(
      /access changes of WorkspaceMembership team-sales-analysts on workspace 5f3e2c1a-8b7d-4e6f-9a0b-1c2d3e4f5a01:/,
    );
  });

  test("up applies the change; the role changes in place with UpdateWorkspaceUsersRole, no member leaves and rejoins", async () => {
    const seq = lastSeq(emu);
    const r = await stack.up(v2);
    expect(r.errors).toEqual([]);
    expect(membersOf(SEED_IDS.sales)).toMatchObject({
      [userIds.nora]: WORKSPACE_ROLES.viewer,
      [SEED_IDS.arjun]: WORKSPACE_ROLES.viewer,
    });
    const writes = writesSince(emu, seq);
    const teamWrites = writes.filter(
      (w) => w.includes(`WorkspaceId=${SEED_IDS.sales}`) && (w.includes(userIds.nora) || w.includes(SEED_IDS.arjun)),
    );
    expect(teamWrites).toEqual([expect.stringMatching(/^UpdateWorkspaceUsersRole /)]);
  });

  test("the checkpoint holds no credential: backend files and `stack export` (no --show-secrets) lack the key secret; secret config and inputs stay encrypted", async () => {
    const secret = DEMO_ACCESS_KEY.accessKeySecret;
    const files = listFiles(stack.backendDir).concat(listFiles(stack.workspace.dir));
    expect(files.some((f) => f.includes(`${path.sep}.pulumi${path.sep}stacks${path.sep}`))).toBe(true);
    for (const f of files) {
      const text = fs.readFileSync(f, "latin1");
      expect([f, text.includes(secret)]).toEqual([f, false]);
      expect([f, text.includes(BREAK_GLASS.accountName)]).toEqual([f, false]);
    }
    const exported = await stack.exportCheckpoint();
    expect(exported).not.toContain(secret);
    expect(exported).not.toContain(BREAK_GLASS.accountName);
    // The break-glass user's identity is in state, as ciphertext.
    const resources = await stack.resources();
    const breakGlass = [...resources.values()].find((r) => r.name === "break-glass");
    expect(breakGlass?.secretInputs.sort()).toEqual(["accountId", "accountName", "nickName"]);
    expect(breakGlass?.secretOutputs).toEqual(expect.arrayContaining(["accountId", "accountName", "nickName"]));
    // Secret config is stored encrypted in the stack file (`secure:`).
    const stackFile = fs.readFileSync(path.join(stack.workspace.dir, "Pulumi.dev.yaml"), "utf8");
    expect(stackFile).toMatch(/quickbi:accessKeySecret:\s*\n\s*secure: /);
    expect(stackFile).not.toContain(secret);
  });

  test("drift made through the API: refresh reports it without writing, the next up repairs it", async () => {
    const client = await createClient({ get: (k: string) => v2.values[k] }, {});
    await updateWorkspaceUserRole(client, {
      workspaceId: SEED_IDS.sales,
      userId: userIds.nora,
      roleId: WORKSPACE_ROLES.analyst,
    });
    await deleteUserFromWorkspace(client, { workspaceId: SEED_IDS.finance, userId: userIds.lena });
    let seq = lastSeq(emu);
    const refresh = await stack.refresh(v2);
    expect(refresh.errors).toEqual([]);
    expect(writesSince(emu, seq)).toEqual([]);
    expect(stepsByResource(refresh)).toMatchObject({
      "quickbi:WorkspaceMembership::team-sales-analysts": "refresh-changed",
      "quickbi:WorkspaceMembership::grant-lena": "refresh-deleted",
    });
    expect(refresh.counts).toMatchObject({ "refresh-changed": 1, "refresh-deleted": 1 });

    const preview = await stack.preview(v2);
    expect(preview.counts).toMatchObject({ create: 1, update: 1, replace: 0, delete: 0 });
    seq = lastSeq(emu);
    const up = await stack.up(v2);
    expect(up.errors).toEqual([]);
    expect(membersOf(SEED_IDS.sales)[userIds.nora]).toBe(WORKSPACE_ROLES.viewer);
    expect(membersOf(SEED_IDS.finance)[userIds.lena]).toBe(WORKSPACE_ROLES.admin);
    expect(writesSince(emu, seq).length).toBe(2);
  });

  test("destroy deletes every resource and leaves Quick BI as the seed was", async () => {
    const r = await stack.destroy(v2);
    expect(r.errors).toEqual([]);
    expect(r.counts.delete).toBe(8);
    expect((await stack.resources()).size).toBe(0);
    const seed = await startEmulator({ seed: defaultSeed() });
    try {
      expect(accessView(emu.state())).toEqual(accessView(seed.state()));
    } finally {
      await seed.stop();
    }
  });
});

/** The lines of one resource in the CLI's --diff text: its header (`~ type: (update)`), [id], [urn], properties. */
function resourceBlock(stdout: string, name: string): string {
  const lines = stdout.split("\n");
  const header = /^\s*[~+\-]+\s*[\w:/-]+: \((\w|-)+\)$/;
  const urnLine = lines.findIndex((l) => l.trim().startsWith("[urn=") && l.trim().endsWith(`::${name}]`));
  if (urnLine < 0) return "";
  let start = urnLine;
  while (start > 0 && !header.test(lines[start])) start--;
  let end = urnLine + 1;
  while (end < lines.length && !header.test(lines[end]) && lines[end].trim() !== "") end++;
  return lines.slice(start, end).join("\n");
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "node_modules") out.push(...listFiles(p));
    } else if (e.isFile()) out.push(p);
  }
  return out;
}
