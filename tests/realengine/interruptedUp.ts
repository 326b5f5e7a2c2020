/**
 * An `up` of many one-user memberships on the real CLI, interrupted mid-way by a signal to the CLI process, and the
 * checks that the stack converges afterwards. Shared by the SIGINT and SIGKILL suites.
 */
import { execFileSync } from "node:child_process";
import pidtree from "pidtree";
import { WorkspaceMembership } from "pulumi-quickbi";
import { benchSeed, userId, workspaceId, WORKSPACES } from "../../bench/scenario";
import type { CliRunReport, CliStack } from "../../realengine";
import { startEmulator, type RunningEmulator } from "pulumi-quickbi/emulator";

export const MEMBERSHIPS = 240;
/** How many memberships exist in Quick BI when the signal is sent: well inside the up. */
export const INTERRUPT_AFTER = 40;
const VIEWER = 30;

export function startBigEmulator(): Promise<RunningEmulator> {
  // A little latency per call stretches the up, so the signal lands while creates are in flight.
  return startEmulator({ seed: benchSeed(MEMBERSHIPS), latencyMs: 20 });
}

/** One WorkspaceMembership per user: user i is a viewer of workspace i % 10. */
export async function program(): Promise<Record<string, unknown>> {
  for (let i = 0; i < MEMBERSHIPS; i++) {
    new WorkspaceMembership(`m-${i}`, { workspaceId: workspaceId(i % WORKSPACES), role: "viewer", userId: userId(i) });
  }
  return {};
}

/** `workspace|user` of every declared membership. */
export function declared(): string[] {
  return Array.from({ length: MEMBERSHIPS }, (_, i) => `${workspaceId(i % WORKSPACES)}|${userId(i)}`).sort();
}

/** Viewer memberships in Quick BI (the seed holds only the owner, as admin, in each workspace). */
export function viewerMemberships(emu: RunningEmulator): string[] {
  return emu
    .state()
    .workspaceMembers.filter((m) => m.roleId === VIEWER)
    .map((m) => `${m.workspaceId}|${m.userId}`)
    .sort();
}

function commandOf(pid: number): string {
  try {
    return execFileSync("ps", ["-o", "args=", "-p", String(pid)], { encoding: "utf8" }).trim();
  } catch {
    return "";
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface Interrupted {
  report: CliRunReport;
  /** The CLI's pid and the processes it had started (the dynamic-provider host) when the signal was sent. */
  cliPid: number;
  hostPids: number[];
  /** Memberships in Quick BI when the signal was sent. */
  atSignal: number;
}

/**
 * Starts `up`, waits until INTERRUPT_AFTER memberships exist, then sends `signal` to the CLI process: SIGINT through
 * the Automation API's own cancellation (it signals the CLI), SIGKILL straight to the CLI's pid, found among this
 * process's children by its command line.
 */
export async function interruptedUp(
  stack: CliStack,
  emu: RunningEmulator,
  signal: "SIGINT" | "SIGKILL",
): Promise<Interrupted> {
  const abort = new AbortController();
  const up = stack.up(undefined, { signal: abort.signal });
  const deadline = Date.now() + 240_000;
  while (viewerMemberships(emu).length < INTERRUPT_AFTER) {
    if (Date.now() > deadline) throw new Error(`the up never reached ${INTERRUPT_AFTER} memberships`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const atSignal = viewerMemberships(emu).length;
  const children = await pidtree(process.pid);
  const cliPid = children.find(
    (pid) => / up --yes .*--stack /.test(commandOf(pid)) && commandOf(pid).startsWith(stack.cliDir),
  );
  if (cliPid === undefined)
    throw new Error(`no \`pulumi up\` among this process's descendants (${children.join(", ")})`);
  const hostPids = await pidtree(cliPid);
  if (signal === "SIGINT") abort.abort();
  else process.kill(cliPid, "SIGKILL");
  const report = await up;
  return { report, cliPid, hostPids, atSignal };
}

/** Waits until Quick BI has had no API call for `quietMs` (an orphaned provider host may still be finishing writes). */
export async function untilQuiet(emu: RunningEmulator, quietMs = 3_000, maxMs = 60_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    const last = emu.calls().at(-1);
    const idle = last ? Date.now() - Date.parse(last.timestamp) - last.durationMs : Infinity;
    if (idle >= quietMs || Date.now() - start > maxMs) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function killAll(pids: number[]): void {
  for (const pid of pids) if (isAlive(pid)) process.kill(pid, "SIGKILL");
}

export interface CheckpointFacts {
  pendingOperations: { type: string; urn: string }[];
  memberships: number;
}

export async function checkpointFacts(stack: CliStack): Promise<CheckpointFacts> {
  const exported = JSON.parse(await stack.exportCheckpoint()) as {
    deployment?: { resources?: { type: string }[]; pending_operations?: { type: string; resource: { urn: string } }[] };
  };
  return {
    pendingOperations: (exported.deployment?.pending_operations ?? []).map((o) => ({
      type: o.type,
      urn: o.resource.urn,
    })),
    memberships: (exported.deployment?.resources ?? []).filter((r) => r.type.endsWith(":WorkspaceMembership")).length,
  };
}

/**
 * The up converged: every declared membership exists once in Quick BI, nothing else was added, state holds one
 * resource per membership with the id Quick BI's pair gives, and a refresh finds nothing to change.
 */
export async function expectConverged(stack: CliStack, emu: RunningEmulator): Promise<void> {
  const pairs = emu.state().workspaceMembers.map((m) => `${m.workspaceId}|${m.userId}`);
  expect(new Set(pairs).size).toBe(pairs.length);
  expect(viewerMemberships(emu)).toEqual(declared());
  const others = emu.state().workspaceMembers.filter((m) => m.roleId !== VIEWER);
  expect(others.map((m) => m.roleId)).toEqual(Array.from({ length: WORKSPACES }, () => 25));
  const resources = [...(await stack.resources()).values()];
  expect(resources.length).toBe(MEMBERSHIPS);
  expect(resources.map((r) => r.id.replace(":", "|")).sort()).toEqual(declared());
  const refresh = await stack.refresh();
  expect(refresh.errors).toEqual([]);
  expect(refresh.counts).toMatchObject({ read: MEMBERSHIPS, "refresh-changed": 0, "refresh-deleted": 0 });
}

/** After destroy only the seed remains: no membership was left behind unmanaged. */
export async function expectDestroyedToSeed(stack: CliStack, emu: RunningEmulator): Promise<void> {
  const r = await stack.destroy();
  expect(r.errors).toEqual([]);
  expect(viewerMemberships(emu)).toEqual([]);
}

export function upSummary(r: CliRunReport): string {
  return `${r.ok ? "ok" : "failed"}: ${r.errors
    .map((e) => e.split("\n")[0])
    .slice(0, 3)
    .join(" | ")}`;
}
