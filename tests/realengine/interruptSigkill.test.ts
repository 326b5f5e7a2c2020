/**
 * An up of 240 one-user memberships on the real CLI, killed with SIGKILL mid-way (a CI runner killed, a laptop
 * crashing). The CLI leaves the stack lock, the creates in flight as pending operations, and its dynamic-provider
 * host orphaned (it finishes the writes it had started). Pulumi's documented recovery: `pulumi cancel` for the lock,
 * `pulumi refresh --clear-pending-creates` for the pending creates (the CLI refuses to guess whether they happened),
 * then `pulumi up`, which must converge: every declared membership once in Quick BI, nothing undeclared, state and
 * Quick BI agreeing.
 *
 * A membership whose create was pending but landed in Quick BI is recognised as the resource's own from the
 * provider's journal of interrupted creates (provider/handlers/journal.ts) and taken over, so that `up` converges
 * without `adopt`.
 */
import type { CliStack } from "../../realengine";
import type { RunningEmulator } from "pulumi-quickbi/emulator";
import { openStack, providerConfig } from "./fixture";
import {
  INTERRUPT_AFTER,
  MEMBERSHIPS,
  checkpointFacts,
  expectConverged,
  expectDestroyedToSeed,
  interruptedUp,
  killAll,
  program,
  startBigEmulator,
  untilQuiet,
  upSummary,
  viewerMemberships,
} from "./interruptedUp";
import { describeWithCli } from "./withCli";

describeWithCli(`SIGKILL in the middle of an up of ${MEMBERSHIPS} memberships on the real Pulumi CLI`, (cli) => {
  let emu: RunningEmulator;
  let stack: CliStack;
  let leftovers: number[] = [];

  beforeAll(async () => {
    emu = await startBigEmulator();
    stack = await openStack(cli, program, { project: "quickbi-interrupt" });
    await stack.configure(providerConfig(emu));
  }, 60_000);
  afterAll(async () => {
    // The orphaned provider host outlives the killed CLI: end it (and anything else the CLI had started).
    killAll(leftovers);
    await stack?.close();
    await emu?.stop();
  });

  test("after cancel, refresh --clear-pending-creates and up, the stack converges and destroy leaves nothing behind", async () => {
    const run = await interruptedUp(stack, emu, "SIGKILL");
    leftovers = [run.cliPid, ...run.hostPids];
    expect(run.atSignal).toBeGreaterThanOrEqual(INTERRUPT_AFTER);
    expect(run.report.ok).toBe(false);
    // The orphaned host finishes the writes it had started; wait for Quick BI to go quiet, then end it.
    await untilQuiet(emu);
    killAll(run.hostPids);
    expect(viewerMemberships(emu).length).toBeLessThan(MEMBERSHIPS);

    // What the CLI left: the lock (the next up refuses: "the stack is currently locked ... `pulumi cancel`").
    const locked = await stack.up();
    expect(locked.errors.join("\n")).toMatch(/the stack is currently locked[\s\S]*pulumi cancel/);
    const cancel = await stack.cli(["cancel", "--yes", "--stack", "dev"]);
    expect(cancel.code).toBe(0);

    // The creates that were in flight are pending operations; refresh cannot know whether they happened.
    const facts = await checkpointFacts(stack);
    expect(facts.pendingOperations.length).toBeGreaterThan(0);
    expect(new Set(facts.pendingOperations.map((o) => o.type))).toEqual(new Set(["creating"]));
    const refresh = await stack.refresh(undefined, { clearPendingCreates: true });
    expect(refresh.errors).toEqual([]);
    expect((await checkpointFacts(stack)).pendingOperations).toEqual([]);

    const up = await stack.up();
    expect(upSummary(up)).toBe("ok: ");
    await expectConverged(stack, emu);
    await expectDestroyedToSeed(stack, emu);
  }, 600_000);
});
