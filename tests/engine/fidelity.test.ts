/**
 * What the real engine does that a provider can notice, checked on the driver with the fixture provider through the
 * real host: check and diff one registration at a time, the step executor's workers holding the next check back,
 * PULUMI_PARALLEL(_DIFF), a second check before a replacement, deletes in the engine's layers, the checkpoint written
 * around every provider call, what a preview answers, refresh clearing initErrors, an unfinished delete-before-replace
 * and its cascade to dependents. The source each test mirrors is named in engine/.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Engine } from "../../engine/engine";
import { resolveParallel } from "../../engine/options";
import { loadState } from "../../engine/state";
import { UNKNOWN } from "../../engine/host";
import { CallRecord, Fixture, FixtureArgs } from "./fixtures/fileProvider";
import { Harness, harness, trace } from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => h.clearCalls());

let seq = 0;
function freshEngine(opts: Partial<ConstructorParameters<typeof Engine>[0]> = {}): Engine {
  return h.engine({ statePath: path.join(h.ws.dir, `fidelity-${++seq}.json`), ...opts });
}

const named =
  (prefix: string, n: number, extra: Partial<FixtureArgs> = {}) =>
  async () => {
    for (let i = 0; i < n; i++) new Fixture(`${prefix}${i}`, { key: `${prefix}${i}`, value: "v", ...extra });
  };

/** The calls of one kind, in the order they started. */
function calls(op: string): CallRecord[] {
  return h.calls().filter((c) => c.op === op && c.phase !== "end");
}

function overlapping(records: CallRecord[]): boolean {
  const sorted = [...records].sort((a, b) => a.t - b.t);
  return sorted.some((r, i) => i > 0 && r.t < sorted[i - 1].end!);
}

describe("the step generator: check and diff one registration at a time", () => {
  test("checks never overlap and come in registration order, however many workers there are", async () => {
    const report = await freshEngine({ parallel: "unbounded" }).up(named("sc", 6, { checkDelayMs: 60 }));
    expect(report.errors).toEqual([]);
    const checks = calls("check");
    expect(checks.map((c) => c.key)).toEqual(["sc0", "sc1", "sc2", "sc3", "sc4", "sc5"]);
    expect(overlapping(checks)).toBe(false);
  });

  test("diffs are inline too; with PULUMI_PARALLEL_DIFF they run on the workers and overlap", async () => {
    const program = named("sd", 5, { diffDelayMs: 150 });
    const serial = freshEngine({ parallel: "unbounded" });
    await serial.up(program);
    h.clearCalls();
    await serial.up(program);
    expect(overlapping(calls("diff"))).toBe(false);
    expect(calls("diff").map((c) => c.key)).toEqual(["sd0", "sd1", "sd2", "sd3", "sd4"]);

    const parallel = freshEngine({ parallel: "unbounded", parallelDiff: true });
    await parallel.up(program);
    h.clearCalls();
    const again = await parallel.up(program);
    expect(again.counts.same).toBe(5);
    expect(overlapping(calls("diff"))).toBe(true);
    // Checks stay inline.
    expect(overlapping(calls("check"))).toBe(false);
  });

  test("handing a step to a worker waits for a free one, and the next check waits with it", async () => {
    const report = await freshEngine({ parallel: 1 }).up(named("sw", 3, { delayMs: 300 }));
    expect(report.counts.create).toBe(3);
    const endOf = (key: string) => h.calls().find((c) => c.op === "create" && c.phase === "end" && c.key === key)!.t;
    const checkOf = (key: string) => calls("check").find((c) => c.key === key)!.t;
    // sw1 is checked while sw0 is created; its create waits for the one worker, and so does sw2's check.
    expect(checkOf("sw1")).toBeLessThan(endOf("sw0"));
    expect(checkOf("sw2")).toBeGreaterThanOrEqual(endOf("sw0"));
  });
});

test("parallelism as `pulumi up` resolves it: -p, else PULUMI_PARALLEL, else 4 × cores; 2147483647 is unbounded", () => {
  expect(resolveParallel(3, { PULUMI_PARALLEL: "12" })).toBe(3);
  expect(resolveParallel(undefined, { PULUMI_PARALLEL: "12" })).toBe(12);
  expect(resolveParallel(undefined, { PULUMI_PARALLEL: "0" })).toBe(resolveParallel(undefined, {}));
  expect(resolveParallel(undefined, { PULUMI_PARALLEL: "2147483647" })).toBe("unbounded");
  expect(resolveParallel(0, {})).toBe(1);
  expect(resolveParallel("unbounded", { PULUMI_PARALLEL: "4" })).toBe("unbounded");
});

test("a replacement is checked again from scratch (no old inputs) before it is created", async () => {
  const engine = freshEngine();
  await engine.up(async () => {
    new Fixture("rc", { key: "rc-old", value: "v", dbr: true });
  });
  h.clearCalls();
  const report = await engine.up(async () => {
    new Fixture("rc", { key: "rc-new", value: "v", dbr: true });
  });
  expect(report.counts.replace).toBe(1);
  expect(trace(h.calls())).toEqual(["check:rc-new", "diff:rc-new", "check:rc-new", "delete:rc-old", "create:rc-new"]);
  const [first, second] = calls("check");
  expect(first.olds).toMatchObject({ key: "rc-old" });
  expect(second.olds).toEqual({});
});

test("deletes go in the engine's layers: an independent resource waits for the deepest layer", async () => {
  const engine = freshEngine({ parallel: "unbounded" });
  await engine.up(async () => {
    new Fixture("ly-a", { key: "ly-a", value: "v" });
    const b = new Fixture("ly-b", { key: "ly-b", value: "v" });
    new Fixture("ly-c", { key: "ly-c", value: "v", ref: b.computed, delayMs: 300 });
  });
  h.clearCalls();
  const report = await engine.destroy();
  expect(report.counts.delete).toBe(3);
  const starts = h.calls().filter((c) => c.op === "delete" && c.phase === "start");
  const endC = h.calls().find((c) => c.op === "delete" && c.phase === "end" && c.key === "ly-c")!.t;
  expect(starts[0].key).toBe("ly-c");
  // ly-a depends on nothing, yet its delete starts only once the layer of ly-c is done.
  expect(starts.find((c) => c.key === "ly-a")!.t).toBeGreaterThanOrEqual(endC);
});

test("the checkpoint is written around every provider call: the pending create before it, the result before the program hears", async () => {
  const engine = freshEngine();
  let inStateWhenAnswered: boolean | undefined;
  const report = await engine.up(async () => {
    const a = new Fixture("cp-a", { key: "cp-a", value: "v", stateFile: engine.statePath });
    a.computed.apply((v) => {
      if (v)
        inStateWhenAnswered =
          loadState(engine.statePath)?.resources.some((r) => r.name === "cp-a" && r.outputs.computed === v) ?? false;
    });
    new Fixture("cp-b", { key: "cp-b", value: "v", stateFile: engine.statePath, ref: a.computed });
  });
  expect(report.errors).toEqual([]);
  const seen = (key: string) =>
    h.calls().find((c) => c.op === "create" && c.phase === "start" && c.key === key)!.pendingSeen;
  expect(seen("cp-b")).toEqual([`create urn:pulumi:stack::project::pulumi-nodejs:dynamic/fixture:Fixture::cp-b`]);
  expect(inStateWhenAnswered).toBe(true);
});

describe("what a preview answers the program (the host does not support provider previews)", () => {
  test("a resource to create gives back its checked inputs: a dependent's check sees them, not unknowns", async () => {
    await freshEngine().preview(async () => {
      const a = new Fixture("pa", { key: "pa", value: "v1" });
      new Fixture("pb", { key: "pb", value: "v", ref: a.value });
      new Fixture("pc", { key: "pc", value: "v", ref: a.computed });
    });
    const news = (key: string) => calls("check").find((c) => c.key === key)!.news!;
    expect(news("pb").ref).toBe("v1");
    expect(news("pc").ref).toBe(UNKNOWN);
  });

  test("a resource to update keeps its id", async () => {
    const engine = freshEngine();
    await engine.up(async () => {
      new Fixture("pu", { key: "pu", value: "v1" });
    });
    const id = loadState(engine.statePath)!.resources.find((r) => r.name === "pu")!.id;
    h.clearCalls();
    await engine.preview(async () => {
      const u = new Fixture("pu", { key: "pu", value: "v2" });
      new Fixture("pd", { key: "pd", value: "v", ref: u.id });
    });
    expect(calls("check").find((c) => c.key === "pd")!.news!.ref).toBe(id);
  });
});

test("refresh reads each resource, then asks its diff the other way round: olds what was read, news the inputs before", async () => {
  const engine = freshEngine();
  await engine.up(async () => {
    new Fixture("rd", { key: "rd", value: "v" });
  });
  const state = loadState(engine.statePath)!;
  const id = state.resources.find((r) => r.name === "rd")!.id;
  const file = path.join(h.store, "objects", `${id}.json`);
  fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, "utf8")), value: "drifted" }));
  h.clearCalls();
  const report = await engine.refresh();
  expect(report.counts["refresh-changed"]).toBe(1);
  expect(trace(h.calls())).toEqual(["read:rd", "diff:rd"]);
  const diff = calls("diff")[0];
  expect(diff.olds).toMatchObject({ value: "drifted" });
  expect(diff.news).toMatchObject({ value: "v" });
});

test("refresh clears initErrors the read does not report again, so the next up has nothing to finish", async () => {
  const engine = freshEngine();
  await engine.up(async () => {
    new Fixture("ri", { key: "ri", value: "v", failApply: "init" });
  });
  expect(loadState(engine.statePath)!.resources.find((r) => r.name === "ri")!.initErrors).toEqual([
    "second half failed",
  ]);
  const refreshed = await engine.refresh();
  expect(refreshed.errors).toEqual([]);
  expect(loadState(engine.statePath)!.resources.find((r) => r.name === "ri")!.initErrors).toBeUndefined();
  h.clearCalls();
  const up = await engine.up(async () => {
    new Fixture("ri", { key: "ri", value: "v", failApply: "init" });
  });
  expect(up.counts).toMatchObject({ same: 1, update: 0 });
});

test("a delete-before-replace whose create failed keeps the old entry pending replacement; the next up creates without deleting", async () => {
  const engine = freshEngine();
  await engine.up(async () => {
    new Fixture("pr", { key: "pr-old", value: "v", dbr: true });
  });
  const failed = await engine.up(async () => {
    new Fixture("pr", { key: "pr-new", value: "v", dbr: true, failApply: "error" });
  });
  expect(failed.ok).toBe(false);
  expect(loadState(engine.statePath)!.resources.find((r) => r.name === "pr")).toMatchObject({
    pendingReplacement: true,
  });
  h.clearCalls();
  const next = await engine.up(async () => {
    new Fixture("pr", { key: "pr-new", value: "v", dbr: true });
  });
  expect(next.errors).toEqual([]);
  expect(trace(h.calls())).toEqual(["check:pr-new", "diff:pr-new", "check:pr-new", "create:pr-new"]);
  expect(
    loadState(engine.statePath)!
      .resources.filter((r) => r.name === "pr")
      .map((r) => r.pendingReplacement),
  ).toEqual([undefined]);
});

test("a delete-before-replace first deletes the dependents it would replace (asked through their diff), then recreates them", async () => {
  const engine = freshEngine();
  const program = (key: string) => async () => {
    const parent = new Fixture("cas-p", { key, value: "v", dbr: true });
    new Fixture("cas-d", { key: "cas-d", value: "v", ref: parent.key, replaceOnRef: true, dbr: true });
    new Fixture("cas-x", { key: "cas-x", value: "v", ref: parent.value });
  };
  await engine.up(program("cas-p1"));
  h.clearCalls();
  const report = await engine.up(program("cas-p2"));
  expect(report.errors).toEqual([]);
  expect(report.counts).toMatchObject({ replace: 2, same: 1 });
  const t = trace(h.calls());
  const of = (...keys: string[]) => t.filter((c) => keys.includes(c.slice(c.indexOf(":") + 1)));
  expect(of("cas-p1", "cas-p2")).toEqual([
    "check:cas-p2",
    "diff:cas-p2",
    "check:cas-p2",
    "delete:cas-p1",
    "create:cas-p2",
  ]);
  // cas-d's ref comes from cas-p's key: its diff, given that input as unknown, says replace, so it goes first; once
  // cas-p is back, cas-d is checked afresh and created, no diff. cas-x's ref comes from the value: not replaced.
  expect(of("cas-d")).toEqual(["diff:cas-d", "delete:cas-d", "check:cas-d", "create:cas-d"]);
  expect(of("cas-x")).toEqual(["diff:cas-x", "check:cas-x", "diff:cas-x"]);
  // The dependents' diffs come inside cas-p's planning (before its delete), and cas-d goes before cas-p.
  expect(t.indexOf("diff:cas-d")).toBeLessThan(t.indexOf("delete:cas-d"));
  expect(t.indexOf("diff:cas-x")).toBeLessThan(t.indexOf("delete:cas-d"));
  expect(t.indexOf("delete:cas-d")).toBeLessThan(t.indexOf("delete:cas-p1"));
  const cascade = calls("diff").find((c) => c.key === "cas-d")!;
  expect(cascade.news!.ref).toBe(UNKNOWN);
});
