/**
 * Refresh listings: one listing of a target serves the reads of one stream of engine operations. The stream survives
 * the moments a bounded engine leaves the host idle between rounds; a longer idle (a new operation) ends it.
 */
import { IDLE_EPOCH_MS, runEngineCall } from "../../../provider/batching/engineActivity";
import { Snapshots } from "../../../provider/batching/snapshots";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function counted(): { load: () => Promise<string>; calls: () => number } {
  let n = 0;
  return { load: async () => `listing ${++n}`, calls: () => n };
}

test("rounds of reads a few milliseconds apart share one listing", async () => {
  const snaps = new Snapshots<string>();
  const l = counted();
  for (let round = 0; round < 5; round++) {
    // Eight reads at once, answered together, then a short pause before the engine sends the next eight.
    await Promise.all(Array.from({ length: 8 }, () => runEngineCall(() => snaps.get("ws-1", l.load))));
    await sleep(10);
  }
  expect(l.calls()).toBe(1);
});

test("after the host was idle for longer than IDLE_EPOCH_MS, the next read lists again", async () => {
  const snaps = new Snapshots<string>();
  const l = counted();
  await runEngineCall(() => snaps.get("ws-1", l.load));
  await sleep(IDLE_EPOCH_MS + 50);
  expect(await runEngineCall(() => snaps.get("ws-1", l.load))).toBe("listing 2");
  expect(l.calls()).toBe(2);
});

test("a write to the target drops its listing; other targets keep theirs", async () => {
  const snaps = new Snapshots<string>();
  const a = counted();
  const b = counted();
  await runEngineCall(async () => {
    await snaps.get("ws-1", a.load);
    await snaps.get("ws-2", b.load);
    snaps.invalidate("ws-1");
    await snaps.get("ws-1", a.load);
    await snaps.get("ws-2", b.load);
  });
  expect([a.calls(), b.calls()]).toEqual([2, 1]);
});

test("a listing older than its maximum age is taken again, and a failed one is not kept", async () => {
  const snaps = new Snapshots<string>(20);
  const l = counted();
  await runEngineCall(async () => {
    await snaps.get("ws-1", l.load);
    await sleep(40);
    await snaps.get("ws-1", l.load);
    await expect(snaps.get("ws-2", () => Promise.reject(new Error("reset")))).rejects.toThrow("reset");
    expect(await snaps.get("ws-2", l.load)).toBe("listing 3");
  });
});
