/**
 * The coalescing window: a batch is sent after a quiet gap with no new request, never later than the ceiling after
 * its first request, and at once when it is full. Fake timers: every time is exact.
 */
import { Coalescer } from "../../../provider/batching/coalescer";
import {
  beginEngineCall,
  engineBound,
  engineCallsInFlight,
  EXPECTED_TTL_MS,
  expectOperation,
  operationsAhead,
  FORGET_BOUND_MS,
  IDLE_EPOCH_MS,
  noteEngineCall,
  noteEngineStep,
  onEngineCall,
  PROBE_MIN_MS,
  runEngineCall,
  SPARSE_ARRIVAL_MS,
  STALL_MAX_IN_FLIGHT,
  STALL_SETTLE_MS,
  STREAM_GAP_FACTOR,
  STREAM_GAP_MIN_MS,
} from "../../../provider/batching/engineActivity";
import { BUSY_GAP_FACTOR, BUSY_IN_FLIGHT, QuietWindow } from "../../../provider/batching/quietWindow";
import { handler } from "../../../provider/runtime";

const timing = { quietMs: 20, maxWaitMs: 250 };

function recorder(maxBatchSize?: number, t: { quietMs: number; maxWaitMs: number } = timing) {
  const batches: { at: number; keys: number[] }[] = [];
  const start = Date.now();
  const c = new Coalescer<number, string>(
    async (keys) => {
      batches.push({ at: Date.now() - start, keys: [...keys] });
      return keys.map((k) => `v${k}`);
    },
    () => t,
    maxBatchSize,
  );
  return { c, batches };
}

/**
 * Teaches the engine activity "bounded" the way a bounded engine does: one operation waits in a window and nothing
 * else arrives for the probe. Returns as soon as that operation is answered, so the stream it began goes on.
 */
async function learnBounded(): Promise<void> {
  const { c } = recorder(undefined, { quietMs: 20, maxWaitMs: 5000 });
  let answered = false;
  const op = runEngineCall(() => c.load(-1)).then(() => (answered = true));
  while (!answered) await jest.advanceTimersByTimeAsync(1);
  await op;
  expect(engineBound()).toBe("bounded");
  // Idle long enough for a new stream of arrivals (the average gap starts afresh), far too short to forget the bound.
  await jest.advanceTimersByTimeAsync(IDLE_EPOCH_MS);
}

beforeEach(async () => {
  jest.useFakeTimers({ now: 1_000_000 });
  await learnBounded();
});
afterEach(() => jest.useRealTimers());

test("requests closer than the quiet gap share one batch, sent one gap after the last", async () => {
  const { c, batches } = recorder();
  const answers: Promise<string>[] = [];
  for (const [i, gap] of [0, 15, 15, 19, 10].entries()) {
    await jest.advanceTimersByTimeAsync(gap);
    answers.push(c.load(i));
  }
  // Arrivals at 0, 15, 30, 49, 59 ms: nothing is sent before 59 + 20.
  await jest.advanceTimersByTimeAsync(19);
  expect(batches).toEqual([]);
  await jest.advanceTimersByTimeAsync(1);
  expect(batches).toEqual([{ at: 79, keys: [0, 1, 2, 3, 4] }]);
  await expect(Promise.all(answers)).resolves.toEqual(["v0", "v1", "v2", "v3", "v4"]);
});

test("a gap longer than the quiet gap starts a new batch", async () => {
  const { c, batches } = recorder();
  const a = c.load(1);
  await jest.advanceTimersByTimeAsync(21);
  const b = c.load(2);
  await jest.advanceTimersByTimeAsync(20);
  await Promise.all([a, b]);
  expect(batches).toEqual([
    { at: 20, keys: [1] },
    { at: 41, keys: [2] },
  ]);
});

test("a steady stream is cut at the ceiling, counted from the batch's first request", async () => {
  const { c, batches } = recorder();
  const pending: Promise<string>[] = [];
  // One request every 10 ms for 400 ms: never quiet.
  for (let t = 0; t < 400; t += 10) {
    pending.push(c.load(t));
    await jest.advanceTimersByTimeAsync(10);
  }
  await jest.advanceTimersByTimeAsync(100);
  await Promise.all(pending);
  expect(batches[0].at).toBe(250);
  expect(batches[0].keys).toEqual(Array.from({ length: 25 }, (_, i) => i * 10));
  // The second batch opened at 250 ms; the stream stopped at 390 ms, so it went one quiet gap later.
  expect(batches[1]).toEqual({ at: 410, keys: Array.from({ length: 15 }, (_, i) => 250 + i * 10) });
  expect(batches).toHaveLength(2);
});

test("loadAll puts every key in the same window", async () => {
  const { c, batches } = recorder();
  const all = c.loadAll([3, 4, 5]);
  await jest.advanceTimersByTimeAsync(20);
  await expect(all).resolves.toEqual(["v3", "v4", "v5"]);
  expect(batches).toEqual([{ at: 20, keys: [3, 4, 5] }]);
});

test("a full batch is sent at once; the next key opens a new window", async () => {
  const { c, batches } = recorder(3);
  const all = [c.load(1), c.load(2), c.load(3)];
  expect(batches).toEqual([]);
  all.push(c.load(4));
  await jest.advanceTimersByTimeAsync(0);
  expect(batches).toEqual([{ at: 0, keys: [1, 2, 3] }]);
  await jest.advanceTimersByTimeAsync(20);
  await Promise.all(all);
  expect(batches[1]).toEqual({ at: 20, keys: [4] });
});

test("an error for one key rejects only that caller", async () => {
  const c = new Coalescer<number, number>(
    async (keys) => keys.map((k) => (k < 0 ? new Error(`bad ${k}`) : k * 2)),
    () => timing,
  );
  const ok = expect(c.load(2)).resolves.toBe(4);
  const bad = expect(c.load(-1)).rejects.toThrow("bad -1");
  await jest.advanceTimersByTimeAsync(20);
  await ok;
  await bad;
});

test("flush sends the open batch now; a window with no batch ignores touch", async () => {
  const w = new QuietWindow(() => timing);
  const ran: number[] = [];
  w.touch();
  w.schedule(() => ran.push(Date.now()));
  w.flush();
  expect(ran).toHaveLength(1);
  await jest.advanceTimersByTimeAsync(500);
  expect(ran).toHaveLength(1);
});

describe("engine calls keep an open batch open", () => {
  /** The engine calls the host every `everyMs` for `forMs` (checks and diffs of other resources). */
  async function engineCalls(everyMs: number, forMs: number): Promise<void> {
    for (let t = 0; t < forMs; t += everyMs) {
      await jest.advanceTimersByTimeAsync(everyMs);
      noteEngineCall();
    }
  }

  test("calls for other resources push the quiet deadline; the batch goes one gap after the last of them", async () => {
    const { c, batches } = recorder();
    const a = c.load(1);
    // The batch's own keys stop at once; the engine keeps calling every 15 ms for 100 ms.
    await engineCalls(15, 100);
    expect(batches).toEqual([]);
    const b = c.load(2);
    await jest.advanceTimersByTimeAsync(20);
    await Promise.all([a, b]);
    expect(batches).toEqual([{ at: 125, keys: [1, 2] }]);
  });

  test("a never-quiet engine still cannot hold a batch past the ceiling", async () => {
    const { c, batches } = recorder();
    const a = c.load(1);
    await engineCalls(10, 400);
    await a;
    expect(batches).toEqual([{ at: 250, keys: [1] }]);
  });

  test("a sent batch stops listening: engine calls after it open nothing", async () => {
    const { c, batches } = recorder();
    const a = c.load(1);
    await jest.advanceTimersByTimeAsync(20);
    await a;
    for (let i = 0; i < 5; i++) noteEngineCall();
    await jest.advanceTimersByTimeAsync(500);
    expect(batches).toEqual([{ at: 20, keys: [1] }]);
  });
});

test("the engine's Quick BI operations count as engine activity; once the engine is bounded, check and diff do not", async () => {
  let calls = 0;
  const off = onEngineCall(() => calls++);
  const h = handler("groupMembership");
  // check and diff answer from memory and arrive one at a time between the others: they must not hold batches open.
  await h.check({}, { userGroupId: "g", userId: "u" });
  await h.diff("g:u", { userGroupId: "g", userId: "u", userIds: ["u"] }, { userGroupId: "g", userId: "u" });
  expect(calls).toBe(0);
  // delete of an empty state needs no Quick BI call, but is announced like every operation
  await h.delete("g", {});
  expect(calls).toBe(1);
  off();
  await h.delete("g", {});
  expect(calls).toBe(1);
});

describe("many engine calls under way stretch the quiet gap", () => {
  function underWay(n: number): () => void {
    const ends = Array.from({ length: n }, () => beginEngineCall());
    return () => ends.forEach((end) => end());
  }

  test(`with ${BUSY_IN_FLIGHT} calls under way the gap is ${BUSY_GAP_FACTOR}x; with one fewer it is not`, async () => {
    const busyGap = timing.quietMs * BUSY_GAP_FACTOR;
    const endBusy = underWay(BUSY_IN_FLIGHT);
    const { c, batches } = recorder();
    const a = c.load(1);
    // A pause longer than the plain gap, shorter than the stretched one, does not close the window.
    await jest.advanceTimersByTimeAsync(busyGap - 1);
    const b = c.load(2);
    await jest.advanceTimersByTimeAsync(busyGap - 1);
    expect(batches).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    await Promise.all([a, b]);
    expect(batches).toEqual([{ at: 2 * busyGap - 1, keys: [1, 2] }]);
    endBusy();

    const endSome = underWay(BUSY_IN_FLIGHT - 1);
    const d = c.load(3);
    await jest.advanceTimersByTimeAsync(timing.quietMs);
    await d;
    expect(batches[1]).toEqual({ at: 2 * busyGap - 1 + timing.quietMs, keys: [3] });
    endSome();
  });

  test("the stretched gap still ends at the ceiling", async () => {
    const end = underWay(BUSY_IN_FLIGHT);
    const { c, batches } = recorder();
    const pending: Promise<string>[] = [];
    for (let t = 0; t < 400; t += 50) {
      pending.push(c.load(t));
      await jest.advanceTimersByTimeAsync(50);
    }
    await jest.advanceTimersByTimeAsync(200);
    await Promise.all(pending);
    expect(batches[0]).toEqual({ at: timing.maxWaitMs, keys: [0, 50, 100, 150, 200] });
    end();
  });

  test("the runtime counts a call under way from its start until it settles, failed ones included", async () => {
    const before = engineCallsInFlight();
    // An unconfigured runtime fails the call (no services); it still counts until it settles.
    const call = handler("groupMembership").read("g:u", {});
    expect(engineCallsInFlight()).toBe(before + 1);
    await expect(call).rejects.toThrow();
    expect(engineCallsInFlight()).toBe(before);
  });
});

describe("the engine's bound is learned from what arrives", () => {
  /** A ceiling far beyond the probe, as the default 5 s is. */
  const long = { quietMs: 20, maxWaitMs: 5000 };

  /** The host idle past FORGET_BOUND_MS, so the next operation learns afresh. */
  async function newStream(): Promise<void> {
    await jest.advanceTimersByTimeAsync(FORGET_BOUND_MS);
  }

  test(`at first, a stall waits ${PROBE_MIN_MS} ms with nothing arriving, then the windows go and the engine is bounded`, async () => {
    await newStream();
    const { c, batches } = recorder(undefined, long);
    const ops = [1, 2, 3].map((k) => runEngineCall(() => c.load(k)));
    expect(engineBound()).toBe("unknown");
    // The plain quiet gap (20 ms) and the settle time have passed long before: the probe holds the window.
    await jest.advanceTimersByTimeAsync(PROBE_MIN_MS - 1);
    expect(batches).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([{ at: PROBE_MIN_MS, keys: [1, 2, 3] }]);
    await Promise.all(ops);
    expect(engineBound()).toBe("bounded");
  });

  test("at first, checks and diffs arriving mean the engine is still stepping: the window waits for them", async () => {
    await newStream();
    const { c, batches } = recorder(undefined, long);
    const first = runEngineCall(() => c.load(1));
    // Checks and diffs of other resources every 40 ms for 200 ms: longer than the probe, so counted for nothing they
    // would have let the stall end.
    for (let t = 0; t < 200; t += 40) {
      await jest.advanceTimersByTimeAsync(40);
      noteEngineStep();
    }
    expect(batches).toEqual([]);
    const second = runEngineCall(() => c.load(2));
    // Then nothing arrives: the stall goes after the probe (at least PROBE_MIN_MS, longer after the 200 ms gap).
    const stalled = Date.now();
    while (batches.length === 0) await jest.advanceTimersByTimeAsync(1);
    await Promise.all([first, second]);
    expect(batches).toEqual([{ at: expect.any(Number), keys: [1, 2] }]);
    expect(Date.now() - stalled).toBeGreaterThanOrEqual(PROBE_MIN_MS);
    expect(engineBound()).toBe("bounded");
  });

  test(`more than ${STALL_MAX_IN_FLIGHT} operations under way: unbounded; the window stays open while operations arrive, past the ceiling`, async () => {
    await newStream();
    const { c, batches } = recorder(undefined, { quietMs: 20, maxWaitMs: 2500 });
    // One operation every 100 ms (the pace of the CLI's checkpoint writes on a large stack), none answered: 3 s, far
    // past the window's 2.5 s ceiling (which holds until the engine is known to be unbounded, from the 17th on) and its
    // 20 ms quiet gap, never as long as the probe.
    const ops: Promise<string>[] = [];
    for (let k = 0; k < 30; k++) {
      ops.push(runEngineCall(() => c.load(k)));
      expect([k, batches.length, engineBound()]).toEqual([k, 0, k < STALL_MAX_IN_FLIGHT ? "unknown" : "unbounded"]);
      await jest.advanceTimersByTimeAsync(100);
    }
    expect(batches).toEqual([]);
    // The stream stops: the window goes once STREAM_GAP_FACTOR average gaps have passed with nothing arriving.
    let waited = 0;
    while (batches.length === 0) {
      await jest.advanceTimersByTimeAsync(10);
      waited += 10;
    }
    // One pace already passed inside the loop; the gap is STREAM_GAP_FACTOR average gaps (about 100 ms each), or
    // STREAM_GAP_MIN_MS if longer.
    expect(waited + 100).toBe(Math.max(STREAM_GAP_MIN_MS, STREAM_GAP_FACTOR * 100));
    expect(batches).toHaveLength(1);
    expect(batches[0].keys).toHaveLength(ops.length);
    await Promise.all(ops);
  });

  test(`checks and diffs announcing more than ${STALL_MAX_IN_FLIGHT} operations not sent yet: unbounded, before any arrives`, async () => {
    await newStream();
    // A bounded engine steps only as fast as its workers take the steps: a few announced, each soon sent.
    for (let k = 0; k < 40; k++) {
      expectOperation(`urn:bounded:${k}`);
      if (k >= 8) await runEngineCall(async () => undefined, `urn:bounded:${k - 8}`);
    }
    expect(operationsAhead()).toBe(8);
    expect(engineBound()).toBe("unknown");
    // An unbounded engine checks every registration while the operations follow at the checkpoint's pace.
    for (let k = 0; k < STALL_MAX_IN_FLIGHT - 8; k++) expectOperation(`urn:ahead:${k}`);
    expect(engineBound()).toBe("unknown");
    expectOperation("urn:ahead:last");
    expect(engineBound()).toBe("unbounded");
  });

  test("an announced operation that never comes stops counting", async () => {
    await newStream();
    for (let k = 0; k < 10; k++) expectOperation(`urn:lost:${k}`);
    await jest.advanceTimersByTimeAsync(EXPECTED_TTL_MS + 1);
    for (let k = 0; k < 10; k++) expectOperation(`urn:next:${k}`);
    expect(operationsAhead()).toBe(10);
    expect(engineBound()).toBe("unknown");
  });

  test(`idle moments keep what was learned; ${FORGET_BOUND_MS / 1000} s of idle forget it`, async () => {
    expect(engineBound()).toBe("bounded");
    // Idle for a new epoch of listings, not long enough to forget: a stall goes at once (after the settle time).
    await jest.advanceTimersByTimeAsync(IDLE_EPOCH_MS);
    const { c: early, batches } = recorder();
    const first = runEngineCall(() => early.load(1));
    await jest.advanceTimersByTimeAsync(STALL_SETTLE_MS);
    expect(batches).toHaveLength(1);
    await first;
    expect(engineBound()).toBe("bounded");
    await newStream();
    const { c } = recorder(undefined, long);
    const op = runEngineCall(() => c.load(1));
    expect(engineBound()).toBe("unknown");
    await jest.advanceTimersByTimeAsync(PROBE_MIN_MS);
    await op;
    expect(engineBound()).toBe("bounded");
  });
});

describe("a bounded engine is not kept waiting", () => {
  /** A quiet gap well apart from the stall rule's settle time, so the two are told apart. */
  const slow = { quietMs: 100, maxWaitMs: 1000 };

  test(`once every operation under way waits in a window, the window goes after ${STALL_SETTLE_MS} ms, not the quiet gap`, async () => {
    const { c, batches } = recorder(undefined, slow);
    // Three operations, as an engine with --parallel 3 sends them, each waiting on the window.
    const ops = [1, 2, 3].map((k) => runEngineCall(() => c.load(k)));
    await jest.advanceTimersByTimeAsync(STALL_SETTLE_MS - 1);
    expect(batches).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([{ at: STALL_SETTLE_MS, keys: [1, 2, 3] }]);
    await expect(Promise.all(ops)).resolves.toEqual(["v1", "v2", "v3"]);
  });

  test("an operation still busy elsewhere (not in a window) keeps the quiet gap", async () => {
    const { c, batches } = recorder(undefined, slow);
    let release!: () => void;
    const busy = runEngineCall(() => new Promise<void>((r) => (release = r)));
    const op = runEngineCall(() => c.load(1));
    await jest.advanceTimersByTimeAsync(slow.quietMs - 1);
    expect(batches).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([{ at: slow.quietMs, keys: [1] }]);
    await op;
    release();
    await busy;
  });

  test("an operation run as never waiting in a window (a membership's read) counts as under way but never as waiting", async () => {
    const { c, batches } = recorder(undefined, slow);
    const before = engineCallsInFlight();
    // Outside the AsyncLocalStorage, the window cannot tell that this operation waits on it: no stall, the quiet gap.
    const op = runEngineCall(() => c.load(1), undefined, { waitsInWindows: false });
    expect(engineCallsInFlight()).toBe(before + 1);
    await jest.advanceTimersByTimeAsync(STALL_SETTLE_MS);
    expect(batches).toEqual([]);
    await jest.advanceTimersByTimeAsync(slow.quietMs - STALL_SETTLE_MS);
    expect(batches).toEqual([{ at: slow.quietMs, keys: [1] }]);
    await expect(op).resolves.toBe("v1");
    expect(engineCallsInFlight()).toBe(before);
  });

  test(`more than ${STALL_MAX_IN_FLIGHT} operations under way overrule a learned bound: the stall rule stops`, async () => {
    const { c, batches } = recorder(undefined, slow);
    const ops = Array.from({ length: STALL_MAX_IN_FLIGHT + 1 }, (_, k) => runEngineCall(() => c.load(k)));
    expect(engineBound()).toBe("unbounded");
    // Neither the settle time nor the plain quiet gap sends it: an unbounded stream's gap is STREAM_GAP_FACTOR times
    // it, or STREAM_GAP_MIN_MS if longer.
    await jest.advanceTimersByTimeAsync(Math.max(STREAM_GAP_MIN_MS, STREAM_GAP_FACTOR * slow.quietMs) - 1);
    expect(batches).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(batches).toHaveLength(1);
    await Promise.all(ops);
  });

  test("once the engine is bounded, checks and diffs do not hold a window open", async () => {
    const { c, batches } = recorder(undefined, slow);
    let release!: () => void;
    const busy = runEngineCall(() => new Promise<void>((r) => (release = r)));
    const op = runEngineCall(() => c.load(1));
    for (let t = 0; t < slow.quietMs; t += 10) {
      await jest.advanceTimersByTimeAsync(10);
      noteEngineStep();
    }
    expect(batches).toEqual([{ at: slow.quietMs, keys: [1] }]);
    await op;
    release();
    await busy;
  });

  test(`operations arriving further apart than ${SPARSE_ARRIVAL_MS} ms on average go as soon as they wait`, async () => {
    const start = Date.now();
    const { c, batches } = recorder(undefined, slow);
    const waits: number[] = [];
    // One operation at a time, 100 ms apart, as the CLI sends them on a large stack.
    for (let k = 0; k < 10; k++) {
      const sent = Date.now();
      const op = runEngineCall(() => c.load(k));
      while (batches.length <= k) await jest.advanceTimersByTimeAsync(1);
      waits.push(batches[k].at - (sent - start));
      await op;
      await jest.advanceTimersByTimeAsync(100 - (Date.now() - sent));
    }
    // A stream starts dense (the settle wait); once the average gap is sparse, nothing waits.
    expect(waits[0]).toBe(STALL_SETTLE_MS);
    expect(waits.slice(-3)).toEqual([0, 0, 0]);
    expect(batches.every((b) => b.keys.length === 1)).toBe(true);
  });

  test("operations arriving close together keep the settle wait, and share the window", async () => {
    const { c, batches } = recorder(undefined, slow);
    const ops: Promise<string>[] = [];
    for (let k = 0; k < 4; k++) {
      ops.push(runEngineCall(() => c.load(k)));
      await jest.advanceTimersByTimeAsync(5);
    }
    await jest.advanceTimersByTimeAsync(STALL_SETTLE_MS);
    expect(batches).toEqual([{ at: 15 + STALL_SETTLE_MS, keys: [0, 1, 2, 3] }]);
    await Promise.all(ops);
  });
});
