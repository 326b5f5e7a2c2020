/**
 * An up of 240 one-user memberships on the real CLI, interrupted with SIGINT (Ctrl-C) mid-way. The CLI cancels
 * gracefully: it finishes the creates in flight, records them, releases the lock and exits. The next `pulumi up` is
 * all the recovery needed, and it converges.
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
  isAlive,
  killAll,
  program,
  startBigEmulator,
  upSummary,
  viewerMemberships,
} from "./interruptedUp";
import { describeWithCli } from "./withCli";

describeWithCli(`SIGINT in the middle of an up of ${MEMBERSHIPS} memberships on the real Pulumi CLI`, (cli) => {
  let emu: RunningEmulator;
  let stack: CliStack;
  let leftovers: number[] = [];

  beforeAll(async () => {
    emu = await startBigEmulator();
    stack = await openStack(cli, program, { project: "quickbi-interrupt" });
    await stack.configure(providerConfig(emu));
  }, 60_000);
  afterAll(async () => {
    killAll(leftovers);
    await stack?.close();
    await emu?.stop();
  });

  test("the CLI stops cleanly, the next up converges, destroy leaves nothing behind", async () => {
    const run = await interruptedUp(stack, emu, "SIGINT");
    leftovers = [run.cliPid, ...run.hostPids];
    expect(run.atSignal).toBeGreaterThanOrEqual(INTERRUPT_AFTER);
    expect(run.report.ok).toBe(false);
    // Not all of them: the signal really landed mid-up.
    expect(viewerMemberships(emu).length).toBeLessThan(MEMBERSHIPS);
    // Graceful: no provider host left running, no pending operation, no lock (the next up would say so).
    expect(run.hostPids.filter(isAlive)).toEqual([]);
    const facts = await checkpointFacts(stack);
    expect(facts.pendingOperations).toEqual([]);
    expect(facts.memberships).toBe(viewerMemberships(emu).length);

    const up = await stack.up();
    expect(upSummary(up)).toBe("ok: ");
    expect(up.counts.same).toBe(facts.memberships);
    expect(up.counts.create).toBe(MEMBERSHIPS - facts.memberships);
    await expectConverged(stack, emu);
    await expectDestroyedToSeed(stack, emu);
  }, 600_000);
});
