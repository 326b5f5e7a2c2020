import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Engine } from "../../engine/engine";
import { UNKNOWN } from "../../engine/host";
import { loadState } from "../../engine/state";
import { Fixture, FixtureArgs } from "./fixtures/fileProvider";
import { Harness, harness, maxInflight, trace } from "./helpers";

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
  return h.engine({ statePath: path.join(h.ws.dir, `state-${++seq}.json`), ...opts });
}

const urnOf = (name: string) => `urn:pulumi:stack::project::pulumi-nodejs:dynamic/fixture:Fixture::${name}`;

describe("up: create, same, update, replace, delete in the engine's order", () => {
  test("a new resource is checked with empty olds and then created; outputs reach dependents", async () => {
    const engine = freshEngine();
    const report = await engine.up(async () => {
      const a = new Fixture("a1", { key: "a1", value: "v1" });
      const b = new Fixture("b1", { key: "b1", value: "v1", ref: a.computed });
      return { b: b.computed, ref: b.ref };
    });
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.counts.create).toBe(2);
    const calls = h.calls();
    expect(trace(calls)).toEqual(["check:a1", "create:a1", "check:b1", "create:b1"]);
    expect(calls[0].olds).toEqual({});
    // b got a's REAL output, not a mock or an unknown
    const bCheck = calls.find((c) => c.op === "check" && c.key === "b1")!;
    expect(bCheck.news!.ref).toBe("out-a1-v1");
    expect(report.outputs).toEqual({ b: "out-b1-v1", ref: "out-a1-v1" });
    const state = loadState(engine.statePath)!;
    const b = state.resources.find((r) => r.name === "b1")!;
    expect(b.dependencies).toEqual([urnOf("a1")]);
    expect(b.outputs.computed).toBe("out-b1-v1");
    expect(typeof b.inputs.__provider).toBe("string");
    expect(state.resources.map((r) => r.type)).toEqual([
      "pulumi:pulumi:Stack",
      "pulumi-nodejs:dynamic/fixture:Fixture",
      "pulumi-nodejs:dynamic/fixture:Fixture",
    ]);
  });

  test("existing: Check(old inputs) → Diff(old outputs) → same / update", async () => {
    const engine = freshEngine();
    const prog = (value: string) => async () => {
      new Fixture("s1", { key: "s1", value });
    };
    await engine.up(prog("v1"));
    h.clearCalls();
    const same = await engine.up(prog("v1"));
    expect(same.counts).toMatchObject({ same: 1, create: 0, update: 0 });
    const calls = h.calls();
    expect(trace(calls)).toEqual(["check:s1", "diff:s1"]);
    expect(calls[0].olds).toMatchObject({ key: "s1", value: "v1" });
    // diff's olds are the OUTPUTS in state (computed only exists there)
    expect(calls[1].olds).toMatchObject({ computed: "out-s1-v1" });

    h.clearCalls();
    const upd = await engine.up(prog("v2"));
    expect(upd.counts).toMatchObject({ update: 1, same: 0 });
    expect(trace(h.calls())).toEqual(["check:s1", "diff:s1", "update:s1"]);
    const entry = loadState(engine.statePath)!.resources.find((r) => r.name === "s1")!;
    expect(entry.outputs.computed).toBe("out-s1-v2");
  });

  test("replace is create-before-delete by default, delete-before-replace when the provider asks", async () => {
    const engine = freshEngine();
    await engine.up(async () => {
      new Fixture("r1", { key: "r1-old", value: "v" });
      new Fixture("r2", { key: "r2-old", value: "v", dbr: true });
    });
    const before = Object.keys(h.objects());
    h.clearCalls();
    const report = await engine.up(async () => {
      new Fixture("r1", { key: "r1-new", value: "v" });
      new Fixture("r2", { key: "r2-new", value: "v", dbr: true });
    });
    expect(report.errors).toEqual([]);
    expect(report.counts).toMatchObject({ replace: 2, delete: 0, create: 0 });
    const t = trace(h.calls());
    // the delete of a create-before-delete replacement happens after the program, i.e. after the create
    expect(t.indexOf("create:r1-new")).toBeLessThan(t.indexOf("delete:r1-old"));
    expect(t.indexOf("delete:r2-old")).toBeLessThan(t.indexOf("create:r2-new"));
    const r2 = report.steps.find((s) => s.name === "r2")!;
    expect(r2.detail).toContain("delete-before-replace");
    const after = h.objects();
    for (const id of before) if (id.startsWith("r1-old") || id.startsWith("r2-old")) expect(after[id]).toBeUndefined();
    const state = loadState(engine.statePath)!;
    expect(
      state.resources
        .filter((r) => r.custom)
        .map((r) => r.outputs.key)
        .sort(),
    ).toEqual(["r1-new", "r2-new"]);
    expect(state.resources.some((r) => r.delete)).toBe(false);
  });

  test("resources dropped from the program are deleted after it, dependents first", async () => {
    const engine = freshEngine();
    await engine.up(async () => {
      const a = new Fixture("d-a", { key: "d-a", value: "v" });
      const b = new Fixture("d-b", { key: "d-b", value: "v", ref: a.computed, delayMs: 150 });
      new Fixture("d-c", { key: "d-c", value: "v", ref: b.computed });
      new Fixture("d-keep", { key: "d-keep", value: "v" });
    });
    h.clearCalls();
    const report = await engine.up(async () => {
      new Fixture("d-keep", { key: "d-keep", value: "v" });
    });
    expect(report.counts).toMatchObject({ delete: 3, same: 1 });
    const starts = h.calls().filter((c) => c.op === "delete" && c.phase === "start");
    const ends = h.calls().filter((c) => c.op === "delete" && c.phase === "end");
    const startOf = (k: string) => starts.findIndex((c) => c.key === k);
    expect(starts.map((c) => c.key)).toEqual(["d-c", "d-b", "d-a"]);
    // d-a's delete starts only after d-b's (slow) delete ended
    const endB = ends.find((c) => c.key === "d-b")!.t;
    expect(starts[startOf("d-a")].t).toBeGreaterThanOrEqual(endB);
    expect(
      loadState(engine.statePath)!
        .resources.filter((r) => r.custom)
        .map((r) => r.name),
    ).toEqual(["d-keep"]);
  });

  test("destroy deletes everything in reverse dependency order and empties the state", async () => {
    const engine = freshEngine();
    await engine.up(async () => {
      const a = new Fixture("x-a", { key: "x-a", value: "v" });
      const b = new Fixture("x-b", { key: "x-b", value: "v", ref: a.computed });
      new Fixture("x-c", { key: "x-c", value: "v", ref: b.computed });
      return { out: a.computed };
    });
    h.clearCalls();
    const report = await engine.destroy();
    expect(report.ok).toBe(true);
    expect(report.counts.delete).toBe(3);
    expect(trace(h.calls())).toEqual(["delete:x-c", "delete:x-b", "delete:x-a"]);
    const state = loadState(engine.statePath)!;
    expect(state.resources).toEqual([]);
    expect(state.outputs).toEqual({});
  });
});

describe("failures", () => {
  test("check failures abort the resource with property and reason; nothing is created for it or its dependents", async () => {
    const engine = freshEngine();
    const report = await engine.up(async () => {
      const bad = new Fixture("c-bad", { key: "c-bad", value: "v", failCheck: "must be lowercase" });
      new Fixture("c-dep", { key: "c-dep", value: "v", ref: bad.computed });
    });
    expect(report.ok).toBe(false);
    expect(report.errors.join("\n")).toContain(
      "pulumi-nodejs:dynamic/fixture:Fixture resource 'c-bad': property value has a problem: must be lowercase",
    );
    expect(report.steps).toEqual([
      expect.objectContaining({ op: "create", name: "c-bad", error: expect.stringContaining("must be lowercase") }),
    ]);
    expect(trace(h.calls())).toEqual(["check:c-bad"]);
    expect(loadState(engine.statePath)!.resources.filter((r) => r.custom)).toEqual([]);
  });

  test("a partial create (ErrorResourceInitFailed) is recorded with its id and finished by the next up via Update", async () => {
    const engine = freshEngine();
    const prog = (failApply?: string) => async () => {
      new Fixture("p1", { key: "p1", value: "v", ...(failApply ? { failApply } : {}) });
    };
    const first = await engine.up(prog("init"));
    expect(first.ok).toBe(false);
    expect(first.steps[0]).toMatchObject({
      op: "create",
      name: "p1",
      detail: expect.stringContaining("second half failed"),
    });
    const partial = loadState(engine.statePath)!.resources.find((r) => r.name === "p1")!;
    expect(partial.id).toMatch(/^p1-/);
    expect(partial.initErrors).toEqual(["second half failed"]);
    expect(partial.outputs.computed).toBe("partial");
    expect(h.objects()[partial.id]).toMatchObject({ computed: "partial" });

    h.clearCalls();
    const second = await engine.up(prog());
    expect(second.errors).toEqual([]);
    expect(second.counts).toMatchObject({ update: 1, create: 0 });
    expect(trace(h.calls())).toEqual(["check:p1", "diff:p1", "update:p1"]);
    const done = loadState(engine.statePath)!.resources.find((r) => r.name === "p1")!;
    expect(done.id).toBe(partial.id);
    expect(done.initErrors).toBeUndefined();
    expect(done.outputs.computed).toBe("out-p1-v");
  });

  test("a partial update keeps the properties the provider returned, with initErrors, until the next up", async () => {
    const engine = freshEngine();
    const prog = (value: string, failApply?: string) => async () => {
      new Fixture("pu1", { key: "pu1", value, ...(failApply ? { failApply } : {}) });
    };
    await engine.up(prog("v1"));
    const id = loadState(engine.statePath)!.resources.find((r) => r.name === "pu1")!.id;
    const failed = await engine.up(prog("v2", "init"));
    expect(failed.ok).toBe(false);
    expect(failed.steps[0]).toMatchObject({ op: "update", detail: expect.stringContaining("partially updated") });
    const mid = loadState(engine.statePath)!.resources.find((r) => r.name === "pu1")!;
    expect(mid).toMatchObject({ id, initErrors: ["second half failed"] });
    expect(mid.outputs).toMatchObject({ value: "v2", computed: "partial" });
    const fixed = await engine.up(prog("v2"));
    expect(fixed.counts.update).toBe(1);
    const done = loadState(engine.statePath)!.resources.find((r) => r.name === "pu1")!;
    expect(done.initErrors).toBeUndefined();
    expect(done.outputs.computed).toBe("out-pu1-v2");
  });

  test("a plain create error fails the up and leaves nothing in state; no deletes run after a failure", async () => {
    const engine = freshEngine();
    await engine.up(async () => {
      new Fixture("f-old", { key: "f-old", value: "v" });
    });
    const report = await engine.up(async () => {
      new Fixture("f1", { key: "f1", value: "v", failApply: "error" });
    });
    expect(report.ok).toBe(false);
    expect(report.errors.join()).toContain("fixture create refused f1");
    const names = loadState(engine.statePath)!
      .resources.filter((r) => r.custom)
      .map((r) => r.name);
    expect(names).toEqual(["f-old"]);
  });
});

test("a program that throws fails the up; resources it did not get to declare are not deleted", async () => {
  const engine = freshEngine();
  await engine.up(async () => {
    new Fixture("t-1", { key: "t-1", value: "v" });
    new Fixture("t-2", { key: "t-2", value: "v" });
  });
  const report = await engine.up(async () => {
    new Fixture("t-1", { key: "t-1", value: "v" });
    throw new Error("bug in the program");
  });
  expect(report.ok).toBe(false);
  expect(report.errors).toEqual(["the program failed: bug in the program"]);
  expect(report.counts.delete).toBe(0);
  expect(
    loadState(engine.statePath)!
      .resources.filter((r) => r.custom)
      .map((r) => r.name)
      .sort(),
  ).toEqual(["t-1", "t-2"]);
});

test("protect blocks delete; retainOnDelete drops from state without a Delete call", async () => {
  const engine = freshEngine();
  await engine.up(async () => {
    new Fixture("pr-1", { key: "pr-1", value: "v" }, { protect: true });
    new Fixture("rt-1", { key: "rt-1", value: "v" }, { retainOnDelete: true });
  });
  h.clearCalls();
  const report = await engine.destroy();
  expect(report.ok).toBe(false);
  expect(report.errors.join()).toContain("marked for protection");
  expect(report.steps.find((s) => s.name === "rt-1")).toMatchObject({
    op: "delete",
    detail: expect.stringContaining("retained"),
  });
  expect(h.calls().filter((c) => c.op === "delete")).toEqual([]);
  expect(
    loadState(engine.statePath)!
      .resources.filter((r) => r.custom)
      .map((r) => r.name),
  ).toEqual(["pr-1"]);
});

describe("preview", () => {
  test("unknown outputs reach dependents' check as the unknown sentinel, and nothing is applied or written", async () => {
    const engine = freshEngine();
    const report = await engine.preview(async () => {
      const a = new Fixture("u-a", { key: "u-a", value: "v" });
      new Fixture("u-b", { key: "u-b", value: "v", ref: a.computed });
      return { a: a.computed };
    });
    expect(report.errors).toEqual([]);
    expect(report.counts.create).toBe(2);
    const calls = h.calls();
    expect(calls.map((c) => c.op)).toEqual(["check", "check"]);
    expect(calls[1].news!.ref).toBe(UNKNOWN);
    expect(report.outputs.a).toBe(UNKNOWN);
    expect(fs.existsSync(engine.statePath)).toBe(false);
  });

  test("preview of an existing stack shows update/replace/delete without calling create, update or delete", async () => {
    const engine = freshEngine();
    await engine.up(async () => {
      new Fixture("pv-u", { key: "pv-u", value: "v1" });
      new Fixture("pv-r", { key: "pv-r", value: "v1" });
      new Fixture("pv-d", { key: "pv-d", value: "v1" });
    });
    const before = fs.readFileSync(engine.statePath, "utf8");
    h.clearCalls();
    const report = await engine.preview(async () => {
      new Fixture("pv-u", { key: "pv-u", value: "v2" });
      new Fixture("pv-r", { key: "pv-r2", value: "v1" });
    });
    expect(report.counts).toMatchObject({ update: 1, replace: 1, delete: 1 });
    expect(new Set(h.calls().map((c) => c.op))).toEqual(new Set(["check", "diff"]));
    expect(fs.readFileSync(engine.statePath, "utf8")).toBe(before);
  });
});

describe("refresh", () => {
  test("a vanished resource is dropped; changed outputs and inputs are taken into state", async () => {
    const engine = freshEngine();
    await engine.up(async () => {
      new Fixture("rf-gone", { key: "rf-gone", value: "v" });
      new Fixture("rf-drift", { key: "rf-drift", value: "v" });
      new Fixture("rf-same", { key: "rf-same", value: "v" });
    });
    const state = loadState(engine.statePath)!;
    const gone = state.resources.find((r) => r.name === "rf-gone")!;
    const drift = state.resources.find((r) => r.name === "rf-drift")!;
    fs.rmSync(path.join(h.store, "objects", `${gone.id}.json`));
    const file = path.join(h.store, "objects", `${drift.id}.json`);
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, "utf8")), value: "changed-outside" }));

    const report = await engine.refresh();
    expect(report.errors).toEqual([]);
    expect(report.counts).toMatchObject({ "refresh-deleted": 1, "refresh-changed": 1, read: 1 });
    const after = loadState(engine.statePath)!;
    expect(after.resources.find((r) => r.name === "rf-gone")).toBeUndefined();
    const d = after.resources.find((r) => r.name === "rf-drift")!;
    expect(d.outputs.value).toBe("changed-outside");
    expect(d.inputs.value).toBe("changed-outside");
    expect(typeof d.outputs.__provider).toBe("string");
    // pulumi.log.warn without an engine connection goes to the host's stderr, as under the CLI (not a report line).
    expect(h.host.stderr).toContain(`warning: [runtime] fixture ${gone.id} is gone`);

    // the next up brings the drift back and recreates the vanished one
    h.clearCalls();
    const up = await engine.up(async () => {
      new Fixture("rf-gone", { key: "rf-gone", value: "v" });
      new Fixture("rf-drift", { key: "rf-drift", value: "v" });
      new Fixture("rf-same", { key: "rf-same", value: "v" });
    });
    expect(up.counts).toMatchObject({ create: 1, update: 1, same: 1 });
  });
});

describe("concurrency", () => {
  const many =
    (n: number, prefix: string, extra: Partial<FixtureArgs> = {}) =>
    async () => {
      for (let i = 0; i < n; i++)
        new Fixture(`${prefix}${i}`, { key: `${prefix}${i}`, value: "v", delayMs: 250, ...extra });
    };
  // long enough that all registrations (spread over tens of ms on a busy machine) overlap
  const slow = { delayMs: 800 };

  test("unbounded: independent creates are all in flight at once", async () => {
    const report = await freshEngine({ parallel: "unbounded" }).up(many(12, "cu", slow));
    expect(report.counts.create).toBe(12);
    expect(maxInflight(h.calls())).toBeGreaterThanOrEqual(10);
  });

  test("by default as `pulumi up` without -p: 4 × the cores in flight, no more", async () => {
    const engine = freshEngine();
    const workers = 4 * os.availableParallelism();
    expect(engine.parallel).toBe(workers);
    const report = await engine.up(many(workers + 3, "cd", slow));
    expect(report.counts.create).toBe(workers + 3);
    expect(maxInflight(h.calls())).toBe(workers);
  });

  test("parallel=N: never more than N in flight, and more than one", async () => {
    const report = await freshEngine({ parallel: 3 }).up(many(9, "cb"));
    expect(report.counts.create).toBe(9);
    const max = maxInflight(h.calls());
    expect(max).toBeLessThanOrEqual(3);
    expect(max).toBeGreaterThan(1);
  });
});

test("pending() tells what a running operation waits for", async () => {
  const engine = freshEngine();
  const running = engine.up(async () => {
    new Fixture("slow1", { key: "slow1", value: "v", delayMs: 1500 });
  });
  let seen: ReturnType<Engine["pending"]> | undefined;
  for (let i = 0; i < 100 && !seen; i++) {
    await new Promise((r) => setTimeout(r, 20));
    const p = engine.pending();
    if (p.providerCalls.some((c) => c.method === "Create")) seen = p;
  }
  await running;
  expect(seen).toMatchObject({ operation: "up", phase: "program", resources: [urnOf("slow1")] });
  expect(seen!.providerCalls).toEqual([expect.objectContaining({ method: "Create", urn: urnOf("slow1") })]);
  expect(engine.pending()).toEqual({ resources: [], providerCalls: [] });
});

describe("config, secrets and logs", () => {
  test("secret config reaches the program as a secret, is sealed in state and never appears in state or report", async () => {
    const secret = "sk-very-secret-123";
    const engine = freshEngine({
      config: { "fixture:dir": h.store, "quickbi:accessKeySecret": secret },
      secretKeys: ["quickbi:accessKeySecret"],
    });
    let wasSecret: boolean | undefined;
    const report = await engine.up(async () => {
      const cfg = new pulumi.Config("quickbi");
      const s = cfg.requireSecret("accessKeySecret");
      wasSecret = await (s as unknown as { isSecret: Promise<boolean> }).isSecret;
      const r = new Fixture("sec1", { key: "sec1", value: "v", secretNote: s });
      return { note: r.secretNote as unknown as pulumi.Output<string>, key: r.key };
    });
    expect(report.errors).toEqual([]);
    expect(wasSecret).toBe(true);
    expect(report.outputs).toEqual({ note: "[secret]", key: "sec1" });
    expect(fs.readFileSync(engine.statePath, "utf8")).not.toContain(secret);
    expect(JSON.stringify(report)).not.toContain(secret);
    // but the provider did receive the plain value (the engine strips the secret bit)
    expect(h.calls().find((c) => c.op === "check" && c.key === "sec1")!.news!.secretNote).toBe(secret);
    expect(engine.stackOutputs()).toEqual({ outputs: { note: secret, key: "sec1" }, secretKeys: ["note"] });
    // and the next up sees no change, since sealed values are opened for the diff
    const again = await engine.up(async () => {
      new Fixture("sec1", {
        key: "sec1",
        value: "v",
        secretNote: new pulumi.Config("quickbi").requireSecret("accessKeySecret"),
      });
    });
    expect(again.counts).toMatchObject({ same: 1 });
  });

  test("provider logs: pulumi.log comes out under the stack (as the CLI shows it), Log service lines under their resource", async () => {
    const report = await freshEngine().up(async () => {
      new Fixture("log1", { key: "log1", value: "v", engineLogUrn: urnOf("log1") });
    });
    expect(report.logs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ severity: "info", message: "info: [runtime] fixture created log1", urn: "" }),
        expect.objectContaining({ severity: "info", message: "fixture log1 via the engine", urn: urnOf("log1") }),
      ]),
    );
    expect(report.logs).toHaveLength(2);
  });
});

describe("a host that dies mid-apply", () => {
  test("completed steps are in state, the up fails, and a re-run converges without duplicates", async () => {
    const statePath = path.join(h.ws.dir, "state-kill.json");
    const prog = (delayMs: number) => async () => {
      const a = new Fixture("k-fast", { key: "k-fast", value: "v" });
      for (let i = 0; i < 3; i++)
        new Fixture(`k-slow${i}`, { key: `k-slow${i}`, value: "v", delayMs, ref: a.computed });
    };
    let poller: NodeJS.Timeout | undefined;
    // No shared host: each operation spawns its own, as the CLI does, so this one can be killed.
    const killing = new Engine({
      projectDir: h.ws.dir,
      statePath,
      config: { "fixture:dir": h.store },
      onHostStarted: (host) => {
        poller = setInterval(() => {
          const started = h
            .calls()
            .filter((c) => c.op === "create" && c.phase === "start" && String(c.key).startsWith("k-slow"));
          if (started.length === 3) {
            clearInterval(poller);
            void host.kill("SIGKILL");
          }
        }, 20);
      },
    });
    const first = await killing.up(prog(5000));
    clearInterval(poller);
    expect(first.ok).toBe(false);
    expect(
      first.steps
        .filter((s) => s.error)
        .map((s) => s.name)
        .sort(),
    ).toEqual(["k-slow0", "k-slow1", "k-slow2"]);
    expect(first.warnings.join()).toContain("signal SIGKILL");
    const mid = loadState(statePath)!;
    expect(mid.resources.filter((r) => r.custom).map((r) => r.name)).toEqual(["k-fast"]);
    expect(mid.pendingOperations).toEqual([]);

    const second = await h.engine({ statePath }).up(prog(0));
    expect(second.errors).toEqual([]);
    expect(second.counts).toMatchObject({ same: 1, create: 3 });
    const third = await h.engine({ statePath }).up(prog(0));
    expect(third.counts).toMatchObject({ same: 4, create: 0, update: 0 });
    const ids = Object.keys(h.objects()).filter((id) => id.startsWith("k-"));
    expect(ids).toHaveLength(4);
  });
});
