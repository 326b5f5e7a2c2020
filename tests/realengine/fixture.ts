/**
 * Shared pieces of the real-engine suites: a stack on the real CLI against an emulator, the emulator's write calls,
 * and Quick BI's state named by accounts and names instead of ids (created users get new ids in every run, so two
 * runs are compared by what a person would read).
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as vm from "node:vm";
import { CliStack, type CliLocation, type InlineProgram, type StackConfig } from "../../realengine";
import type { RunReport, StepOp } from "../../engine/report";
import { DEMO_ACCESS_KEY, type RunningEmulator, type Seed } from "pulumi-quickbi/emulator";

export const REPO = path.resolve(__dirname, "../..");

export function requireBuilt(): void {
  if (!fs.existsSync(path.join(REPO, "bin/provider/runtime.js"))) {
    throw new Error(
      "bin/provider/runtime.js is missing: run `npm run build` first (the provider host loads the built package)",
    );
  }
}

export function openStack(
  cli: CliLocation,
  program: InlineProgram,
  opts: { project?: string; stack?: string; env?: Record<string, string> } = {},
): Promise<CliStack> {
  requireBuilt();
  return CliStack.create({
    cliDir: cli.dir,
    program,
    project: opts.project ?? "quickbi-access",
    stack: opts.stack ?? "dev",
    passphrase: crypto.randomBytes(12).toString("base64url"),
    ...(opts.env ? { env: opts.env } : {}),
  });
}

/** The provider's config for an emulator; the access key secret is secret config. */
export function providerConfig(emu: RunningEmulator, extra: Record<string, string> = {}): StackConfig {
  return {
    values: {
      "quickbi:endpoint": emu.url,
      "quickbi:accessKeyId": DEMO_ACCESS_KEY.accessKeyId,
      "quickbi:accessKeySecret": DEMO_ACCESS_KEY.accessKeySecret,
      ...extra,
    },
    secretKeys: ["quickbi:accessKeySecret"],
  };
}

export function lastSeq(emu: RunningEmulator): number {
  return emu.calls().at(-1)?.seq ?? 0;
}

/** API calls since `seq` that changed Quick BI, as `Action Param=value ...`. */
export function writesSince(emu: RunningEmulator, seq: number): string[] {
  return emu
    .calls({ sinceSeq: seq })
    .filter((c) => c.mutated)
    .map(
      (c) =>
        `${c.action} ${Object.entries(c.params)
          .map(([k, v]) => `${k}=${v}`)
          .join(" ")}`,
    );
}

export function actionsSince(emu: RunningEmulator, seq: number): string[] {
  return emu
    .calls({ sinceSeq: seq })
    .filter((c) => c.mutated)
    .map((c) => c.action ?? "?");
}

/** Steps by resource (`type::name`, the URN's tail, short for reading; both engines give the same URNs here). */
export function stepsByResource(report: RunReport): Record<string, StepOp | `${StepOp} FAILED`> {
  const out: Record<string, StepOp | `${StepOp} FAILED`> = {};
  for (const s of report.steps) {
    const key = `${s.type.replace(/^pulumi-nodejs:dynamic\//, "")}::${s.name}`;
    out[key] = s.error ? `${s.op} FAILED` : s.op;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

export interface AccessView {
  /** `account nick=… type=… roles=…` of every active user. */
  users: string[];
  /** `workspace name | account = role ids`. */
  memberships: string[];
  /** `group name | account`. */
  groupMembers: string[];
}

/** Quick BI's state with ids replaced by account names and workspace / group names. */
export function accessView(state: Seed): AccessView {
  const account = new Map(state.users.map((u) => [u.userId, u.accountName ?? u.accountId ?? u.userId]));
  const ws = new Map(state.workspaces.map((w) => [w.workspaceId, w.workspaceName]));
  const groups = new Map(state.userGroups.map((g) => [g.userGroupId, g.userGroupName]));
  const who = (id: string) => account.get(id) ?? `unknown user ${id}`;
  return {
    users: state.users
      .filter((u) => !u.isDeleted)
      .map((u) => `${who(u.userId)} nick=${u.nickName} type=${u.userType} roles=${[...u.roleIds].sort().join(",")}`)
      .sort(),
    memberships: state.workspaceMembers
      .map(
        (m) =>
          `${ws.get(m.workspaceId) ?? m.workspaceId} | ${who(m.userId)} = ${[m.roleId, ...(m.roleIds ?? [])].join(",")}`,
      )
      .sort(),
    groupMembers: state.userGroupMembers
      .map((m) => `${groups.get(m.userGroupId) ?? m.userGroupId} | ${who(m.userId)}`)
      .sort(),
  };
}

/**
 * Runs an operation that the engine fails while the inline program is still registering. The engine then shuts the
 * resource monitor down and the program's pending calls reject ("Resource monitor is terminating", "resource monitor shut down"). In a plain Node
 * process the Automation API's own process handlers collect those (the demo survives them; checked by hand), but
 * under jest its handlers sit on the sandbox's copy of `process` while jest's own, on the real process, would fail
 * the test. So for this operation, and a moment after for late callbacks, only those rejections are kept from jest.
 */
export async function failingOperation<T>(work: () => Promise<T>): Promise<T> {
  // The real process object: code run in this context (outside jest's sandbox) sees it as `process`.
  const real = vm.runInThisContext("process") as NodeJS.Process;
  const events = ["uncaughtException", "unhandledRejection"] as const;
  type Listener = (...args: unknown[]) => void;
  const saved = events.map((event) => ({
    event,
    listeners: real.listeners(event as "uncaughtException") as Listener[],
  }));
  const filters = saved.map(({ event, listeners }) => {
    const filter: Listener = (err, ...rest) => {
      if (/resource monitor (shut down|is terminating)/i.test(String(err instanceof Error ? err.message : err))) return;
      for (const l of listeners) l.call(real, err, ...rest);
    };
    real.removeAllListeners(event);
    real.on(event as "uncaughtException", filter);
    return { event, filter };
  });
  try {
    return await work();
  } finally {
    await new Promise((r) => setTimeout(r, 1000));
    for (const { event, filter } of filters) real.off(event as "uncaughtException", filter);
    for (const { event, listeners } of saved) for (const l of listeners) real.on(event as "uncaughtException", l);
  }
}
