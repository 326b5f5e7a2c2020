import { FaultInjector, FaultSettingsSchema, type FaultSettingsInput } from "../../../emulator/http/faults";
import { apiError, startTestEmulator, type TestEmulator } from "../helpers";

const OWNER = "a1f0c2d3e4b5468796a0b1c2d3e4f501";

function outcomes(injector: FaultInjector, action: string, n: number, key = "k"): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = injector.plan(action, key);
    out.push(
      p.reject?.code ?? (p.resetBefore ? "reset" : p.resetAfter ? "failAfterApply" : p.slowMs > 0 ? "slow" : "ok"),
    );
  }
  return out;
}

describe("FaultInjector (fake clock)", () => {
  let t = 0;
  const clock = () => t;
  beforeEach(() => {
    t = 1_000_000;
  });

  it("QPS per access key is a token bucket answered with Throttling.User", () => {
    const f = new FaultInjector({ qps: 2 }, clock, 1);
    expect(outcomes(f, "QueryUserList", 3, "a")).toEqual(["ok", "ok", "Throttling.User"]);
    // Another key has its own bucket.
    expect(outcomes(f, "QueryUserList", 1, "b")).toEqual(["ok"]);
    t += 499;
    expect(outcomes(f, "QueryUserList", 1, "a")).toEqual(["Throttling.User"]);
    t += 1;
    expect(outcomes(f, "QueryUserList", 2, "a")).toEqual(["ok", "Throttling.User"]);
    const rejected = f.plan("QueryUserList", "a").reject!;
    expect([rejected.httpStatus, rejected.message]).toEqual([400, "Request was denied due to user flow control."]);
  });

  it("burst sets the bucket size", () => {
    const f = new FaultInjector({ qps: 1, burst: 5 }, clock, 1);
    expect(outcomes(f, "X", 6)).toEqual(["ok", "ok", "ok", "ok", "ok", "Throttling.User"]);
  });

  it("the same randomSeed gives the same faults; another seed different ones", () => {
    const settings: FaultSettingsInput = { errorRate: 0.3, resetRate: 0.1, randomSeed: 42 };
    const a = outcomes(new FaultInjector(settings, clock), "X", 200);
    const b = outcomes(new FaultInjector(settings, clock), "X", 200);
    const c = outcomes(new FaultInjector({ ...settings, randomSeed: 43 }, clock), "X", 200);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const errors = a.filter((o) => o === "ServiceUnavailable" || o === "InternalError").length;
    expect(errors).toBeGreaterThan(30);
    expect(errors).toBeLessThan(90);
    expect(a).toContain("ServiceUnavailable");
    expect(a).toContain("InternalError");
    expect(a).toContain("reset");
  });

  it("set() reseeds, so a test can replay a fault sequence", () => {
    const f = new FaultInjector({ errorRate: 0.5, randomSeed: 9 }, clock);
    const first = outcomes(f, "X", 50);
    f.set({ errorRate: 0.5, randomSeed: 9 });
    expect(outcomes(f, "X", 50)).toEqual(first);
  });

  it("a rule scoped to actions with times: 'the next 3 AddWorkspaceUsers calls fail'", () => {
    const f = new FaultInjector(
      { rules: [{ errorRate: 1, errorCode: "ServiceUnavailable", actions: ["AddWorkspaceUsers"], times: 3 }] },
      clock,
      1,
    );
    expect(outcomes(f, "QueryWorkspaceUserList", 2)).toEqual(["ok", "ok"]);
    expect(outcomes(f, "AddWorkspaceUsers", 4)).toEqual([
      "ServiceUnavailable",
      "ServiceUnavailable",
      "ServiceUnavailable",
      "ok",
    ]);
    expect(f.state().rules[0]).toMatchObject({ actions: ["AddWorkspaceUsers"], times: 3, remaining: 0 });
  });

  it("the first deciding rule wins and later rules are not consumed", () => {
    const f = new FaultInjector(
      {
        rules: [
          { errorRate: 1, errorCode: "InternalError", times: 1 },
          { resetRate: 1, times: 1 },
        ],
      },
      clock,
      1,
    );
    expect(outcomes(f, "X", 3)).toEqual(["InternalError", "reset", "ok"]);
  });

  it("latency adds up over matching rules; jitter stays within [0, jitterMs]", () => {
    const f = new FaultInjector(
      { latencyMs: 10, jitterMs: 5, rules: [{ latencyMs: 100, actions: ["Slow"] }] },
      clock,
      3,
    );
    for (let i = 0; i < 50; i++) {
      const d = f.plan("X", "k").delayMs;
      expect(d).toBeGreaterThanOrEqual(10);
      expect(d).toBeLessThanOrEqual(15);
    }
    expect(f.plan("Slow", "k").delayMs).toBeGreaterThanOrEqual(110);
  });

  it("custom error codes, statuses and messages", () => {
    const f = new FaultInjector({ errorRate: 1, errorCode: "Throttling.User" }, clock, 1);
    expect(f.plan("X", "k").reject).toMatchObject({ code: "Throttling.User", httpStatus: 400 });
    f.set({ errorRate: 1, errorCode: "Internal.System.Error" });
    expect(f.plan("X", "k").reject).toMatchObject({ code: "Internal.System.Error", httpStatus: 400 });
    f.set({ errorRate: 1, errorCode: "Custom.Code", errorStatus: 502, errorMessage: "nope" });
    expect(f.plan("X", "k").reject).toMatchObject({ code: "Custom.Code", httpStatus: 502, message: "nope" });
  });

  it("the settings schema refuses unknown fields and impossible rates", () => {
    expect(FaultSettingsSchema.safeParse({ errorRate: 1.5 }).success).toBe(false);
    expect(FaultSettingsSchema.safeParse({ errrorRate: 0.5 }).success).toBe(false);
    expect(FaultSettingsSchema.safeParse({ rules: [{ times: 0 }] }).success).toBe(false);
    expect(
      FaultSettingsSchema.safeParse({ rules: [{ times: 2, actions: ["A"], slowRate: 1, slowMs: 10 }] }).success,
    ).toBe(true);
  });
});

describe("faults over HTTP", () => {
  let emu: TestEmulator;

  beforeAll(async () => {
    emu = await startTestEmulator(undefined, { randomSeed: 5 });
  });
  afterEach(() => {
    emu.setFaults({});
    emu.reset();
  });
  afterAll(async () => {
    await emu.stop();
  });

  it("QPS limit: Throttling.User 400 through the real client", async () => {
    emu.setFaults({ qps: 0.5 });
    const call = emu.client();
    await expect(call("QueryUserList")).resolves.toMatchObject({ Success: true });
    const err = await apiError(call("QueryUserList"));
    expect(err).toMatchObject({ code: "Throttling.User", statusCode: 400 });
    expect(err.data.Message).toBe("Request was denied due to user flow control.");
  });

  it("error rate with a seed is reproducible call by call", async () => {
    const run = async (): Promise<string[]> => {
      emu.setFaults({ errorRate: 0.5, randomSeed: 1234 });
      const call = emu.client();
      const codes: string[] = [];
      for (let i = 0; i < 16; i++) {
        codes.push(
          await call("QueryUserList").then(
            () => "OK",
            (e: { code: string; statusCode: number }) => `${e.code}/${e.statusCode}`,
          ),
        );
      }
      return codes;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first).toContain("OK");
    expect(first.some((c) => c === "ServiceUnavailable/503" || c === "InternalError/500")).toBe(true);
  });

  it("reset: the connection is cut and nothing is applied", async () => {
    emu.setFaults({ resetRate: 1, actions: ["AddUser"] });
    const err = await apiError(
      emu.client()("AddUser", { NickName: "Reset Victim", UserType: 3, AccountId: "2000000000000001" }),
    );
    expect(err.statusCode).toBeNaN();
    expect(emu.state().users.some((u) => u.nickName === "Reset Victim")).toBe(false);
    expect(emu.calls({ action: "AddUser" }).slice(-1)[0]).toMatchObject({
      code: "ConnectionReset",
      httpStatus: 0,
      mutated: false,
    });
  });

  it("fail after apply: the write lands, the answer never arrives (outcome unknown)", async () => {
    emu.setFaults({ rules: [{ failAfterApplyRate: 1, actions: ["AddUser"], times: 1 }] });
    const call = emu.client();
    const query = { NickName: "Ghost Write", UserType: 3, AccountId: "2000000000000002" };
    const err = await apiError(call("AddUser", query));
    expect(err.statusCode).toBeNaN();
    expect(emu.state().users.some((u) => u.nickName === "Ghost Write")).toBe(true);
    expect(emu.calls({ action: "AddUser" }).slice(-1)[0]).toMatchObject({ code: "ConnectionReset", mutated: true });
    // A blind retry now collides with its own first attempt.
    expect((await apiError(call("AddUser", query))).code).toMatch(/AlreadyIn\.Organization/);
  });

  it("slow: processed, but answered after the client's read timeout", async () => {
    emu.setFaults({ rules: [{ slowRate: 1, slowMs: 1500, actions: ["QueryUserList"], times: 1 }] });
    const started = Date.now();
    const err = await apiError(emu.client({ readTimeout: 200 })("QueryUserList"));
    expect(Date.now() - started).toBeLessThan(1400);
    expect(err.message).toMatch(/timeout/i);
  });

  it("latency delays the call and is visible in the call log", async () => {
    emu.setFaults({ latencyMs: 120 });
    const started = Date.now();
    await emu.client()("QueryUserInfoByUserId", { UserId: OWNER });
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
    const rec = emu.calls({ action: "QueryUserInfoByUserId" }).slice(-1)[0]!;
    expect(rec.durationMs).toBeGreaterThanOrEqual(115);
    expect(rec.faults).toContain("latency:120ms");
  });

  it("faults never touch /__emulator/* and are settable over HTTP", async () => {
    const json = { "content-type": "application/json" };
    const post = await fetch(`${emu.url}/__emulator/faults`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ resetRate: 1, errorRate: 1, latencyMs: 2000 }),
    });
    expect(post.status).toBe(200);
    const started = Date.now();
    const state = await fetch(`${emu.url}/__emulator/state`);
    expect(state.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    const faults = (await (await fetch(`${emu.url}/__emulator/faults`)).json()) as { rules: unknown[] };
    expect(faults.rules).toEqual([{ resetRate: 1, errorRate: 1, latencyMs: 2000 }]);
    expect(
      (await fetch(`${emu.url}/__emulator/faults`, { method: "POST", headers: json, body: '{"errorRate": 2}' })).status,
    ).toBe(400);
    expect(
      (await fetch(`${emu.url}/__emulator/faults`, { method: "DELETE", headers: { "x-quickbi-emulator": "1" } }))
        .status,
    ).toBe(200);
    expect(emu.faults().rules).toEqual([]);
  });

  it("gateway refusals happen before faults (a bad signature is never 'throttled')", async () => {
    emu.setFaults({ errorRate: 1 });
    const err = await apiError(emu.client({ accessKeySecret: "wrong" })("QueryUserList"));
    expect(err.code).toBe("SignatureDoesNotMatch");
  });
});
