import { isLoopback, isLoopbackHost } from "../../../emulator/http/introspection";
import { send } from "./wire";
import { CallRecordSchema, SeedSchema } from "../../../emulator";
import { DEMO_ACCESS_KEY, defaultSeed, startTestEmulator, type TestEmulator } from "../helpers";

let emu: TestEmulator;

/** Calls an introspection endpoint; anything but a GET says it is JSON, as the endpoints require. */
async function getJson<T>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(`${emu.url}${path}`, {
    ...init,
    headers: { "content-type": "application/json", ...init?.headers },
  });
  return { status: res.status, body: (await res.json()) as T };
}

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.stop();
});
beforeEach(async () => {
  emu.reset(defaultSeed());
  emu.clearCalls();
});

describe("GET /__emulator/state", () => {
  it("is the current state in seed shape, with access key secrets redacted", async () => {
    await emu.client()("AddUser", { NickName: "State Probe", UserType: 1, AccountId: "3000000000000001" });
    const { status, body } = await getJson<unknown>("/__emulator/state");
    expect(status).toBe(200);
    const state = SeedSchema.parse(body);
    expect(state.users.map((u) => u.nickName)).toContain("State Probe");
    expect(state.accessKeys).toEqual([{ accessKeyId: DEMO_ACCESS_KEY.accessKeyId, accessKeySecret: "REDACTED" }]);
    expect(JSON.stringify(body)).not.toContain(DEMO_ACCESS_KEY.accessKeySecret);
    expect(emu.state()).toEqual(body);
  });
});

describe("GET /__emulator/calls", () => {
  it("lists calls oldest first with action, params (no signature fields), code, status, duration, key", async () => {
    const v2 = emu.client({ signature: "v2" });
    await v2("QueryUserList", { Keyword: "Dana", PageSize: 5 });
    await v2("QueryUserInfoByUserId", { UserId: "nobody" }).catch(() => undefined);
    await fetch(`${emu.url}/__emulator/state`);
    const { body } = await getJson<unknown[]>("/__emulator/calls");
    const calls = body.map((c) => CallRecordSchema.parse(c));
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({
      action: "QueryUserList",
      version: "2022-01-01",
      signature: "v2",
      accessKeyId: DEMO_ACCESS_KEY.accessKeyId,
      params: { Keyword: "Dana", PageSize: "5" },
      code: "OK",
      httpStatus: 200,
      mutated: false,
    });
    expect(calls[1]).toMatchObject({
      action: "QueryUserInfoByUserId",
      code: "User.Not.In.Organization",
      httpStatus: 400,
    });
    expect(calls[0]!.seq).toBeLessThan(calls[1]!.seq);
    expect(Date.parse(calls[0]!.timestamp)).not.toBeNaN();
    for (const c of calls) {
      expect(Object.keys(c.params)).not.toEqual(expect.arrayContaining(["Signature"]));
      for (const protocol of ["Signature", "SignatureNonce", "AccessKeyId", "Timestamp", "Action", "Version"]) {
        expect(c.params).not.toHaveProperty(protocol);
      }
    }
  });

  it("filters by action and since, and DELETE clears the log", async () => {
    const call = emu.client();
    await call("QueryUserList");
    await call("ListOrganizationRoles");
    await call("QueryUserList");
    const { body: only } = await getJson<Array<{ action: string; seq: number }>>(
      "/__emulator/calls?action=QueryUserList",
    );
    expect(only.map((c) => c.action)).toEqual(["QueryUserList", "QueryUserList"]);
    const { body: since } = await getJson<Array<{ seq: number }>>(`/__emulator/calls?since=${only[0]!.seq}`);
    expect(since).toHaveLength(2);
    const { body: cleared } = await getJson<{ cleared: number }>("/__emulator/calls", { method: "DELETE" });
    expect(cleared.cleared).toBe(3);
    expect((await getJson<unknown[]>("/__emulator/calls")).body).toEqual([]);
  });

  it("secret-like business parameters are masked", async () => {
    await emu
      .client()("QueryUserList", { Keyword: "x", ClientSecret: "hush", AuthToken: "t0k" })
      .catch(() => undefined);
    const rec = emu.calls().slice(-1)[0]!;
    expect(rec.params).toMatchObject({ Keyword: "x", ClientSecret: "***", AuthToken: "***" });
  });
});

describe("POST /__emulator/reset", () => {
  it("goes back to the seed", async () => {
    await emu.client()("AddUser", { NickName: "Temp User", UserType: 1, AccountId: "3000000000000002" });
    expect((await getJson<{ ok: boolean }>("/__emulator/reset", { method: "POST" })).body).toEqual({ ok: true });
    expect(emu.state().users.some((u) => u.nickName === "Temp User")).toBe(false);
  });

  it("with a JSON body replaces the seed (also for later resets)", async () => {
    const seed = {
      organization: { ownerUserId: "00000000000000000000000000000001" },
      accessKeys: [{ accessKeyId: "LTAInewKey", accessKeySecret: "new-secret" }],
      users: [
        { userId: "00000000000000000000000000000001", nickName: "Solo Owner", userType: 1, roleIds: [111111111] },
      ],
    };
    const res = await getJson<{ ok: boolean }>("/__emulator/reset", { method: "POST", body: JSON.stringify(seed) });
    expect(res.status).toBe(200);
    // The new keys are live: the old key is unknown now.
    await expect(
      emu.client({ accessKeyId: "LTAInewKey", accessKeySecret: "new-secret" })("QueryUserList"),
    ).resolves.toMatchObject({ Success: true });
    await expect(emu.client()("QueryUserList")).rejects.toMatchObject({ code: "InvalidAccessKeyId.NotFound" });
    await getJson("/__emulator/reset", { method: "POST" });
    expect(emu.state().users.map((u) => u.nickName)).toEqual(["Solo Owner"]);
  });

  it("refuses invalid seeds with 400 and keeps the current state", async () => {
    const before = emu.state();
    expect((await getJson("/__emulator/reset", { method: "POST", body: '{"users": [{"userId": ""}]}' })).status).toBe(
      400,
    );
    expect((await getJson("/__emulator/reset", { method: "POST", body: "{not json" })).status).toBe(400);
    const inconsistent = { organization: { ownerUserId: "ghost" }, users: [] };
    expect((await getJson("/__emulator/reset", { method: "POST", body: JSON.stringify(inconsistent) })).status).toBe(
      400,
    );
    expect(emu.state()).toEqual(before);
    // ... and the start seed is still the old one (timestamps are re-stamped by a reset, so compare content).
    await getJson("/__emulator/reset", { method: "POST" });
    const names = (s: { users: Array<{ userId: string; nickName: string }> }) =>
      s.users.map((u) => [u.userId, u.nickName]);
    expect(names(emu.state())).toEqual(names(before));
    expect(emu.state().accessKeys).toEqual(before.accessKeys);
  });
});

describe("other endpoints", () => {
  it("health, and 404 with the list of endpoints", async () => {
    expect((await getJson("/__emulator/health")).body).toEqual({ ok: true });
    const res = await getJson<{ endpoints: string[] }>("/__emulator/nope");
    expect(res.status).toBe(404);
    expect(res.body.endpoints.length).toBeGreaterThan(3);
  });

  it("introspection is for loopback clients only", () => {
    expect(isLoopback("127.0.0.1")).toBe(true);
    expect(isLoopback("::1")).toBe(true);
    expect(isLoopback("::ffff:127.0.0.1")).toBe(true);
    expect(isLoopback("10.0.0.5")).toBe(false);
    expect(isLoopback("::ffff:192.168.1.2")).toBe(false);
    expect(isLoopback(undefined)).toBe(false);
  });
});

describe("guards of the unsigned endpoints (issue 16, item 10)", () => {
  const raw = (method: string, path: string, headers: Record<string, string>, body = "") =>
    send(emu.url, { method, path, headers: { host: emu.endpoint, ...headers }, body: Buffer.from(body) });

  it("a POST a web page could send cross-origin (text/plain, no custom header) is refused and changes nothing", async () => {
    await emu.client()("AddUser", { NickName: "Kept User", UserType: 1, AccountId: "3000000000000003" });
    const res = await raw(
      "POST",
      "/__emulator/reset",
      { "content-type": "text/plain;charset=UTF-8" },
      JSON.stringify(defaultSeed()),
    );
    expect(res.status).toBe(415);
    expect(res.json.error).toMatch(/Content-Type: application\/json.*X-QuickBI-Emulator/);
    expect(emu.state().users.some((u) => u.nickName === "Kept User")).toBe(true);
    expect((await raw("DELETE", "/__emulator/faults", {})).status).toBe(415);
    expect(
      (await raw("POST", "/__emulator/faults", { "content-type": "application/x-www-form-urlencoded" }, "errorRate=1"))
        .status,
    ).toBe(415);
  });

  it("a JSON content type or the X-QuickBI-Emulator header is enough", async () => {
    expect(
      (
        await raw(
          "POST",
          "/__emulator/faults",
          { "content-type": "application/json; charset=utf-8" },
          '{"latencyMs": 1}',
        )
      ).status,
    ).toBe(200);
    expect((await raw("DELETE", "/__emulator/faults", { "x-quickbi-emulator": "1" })).status).toBe(200);
    expect((await raw("POST", "/__emulator/reset", { "x-quickbi-emulator": "1" })).status).toBe(200);
  });

  it("a Host that is not loopback (DNS rebinding) is refused, reads included; loopback names are served", async () => {
    const port = new URL(emu.url).port;
    for (const host of [
      `attacker.example:${port}`,
      `127.0.0.1.attacker.example:${port}`,
      `localhost.attacker.example`,
    ]) {
      const res = await raw("GET", "/__emulator/state", { host });
      expect([host, res.status]).toEqual([host, 403]);
      expect(res.text).not.toContain("accessKeys");
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST`, `[::1]:${port}`, "127.0.0.2"]) {
      expect([host, (await raw("GET", "/__emulator/health", { host })).status]).toEqual([host, 200]);
    }
  });

  it("--allow-remote-introspection waives the Host check but not the content-type check", async () => {
    const remote = await startTestEmulator(defaultSeed(), { allowRemoteIntrospection: true });
    try {
      const res = await send(remote.url, {
        method: "GET",
        path: "/__emulator/health",
        headers: { host: "emulator:8080" },
        body: Buffer.alloc(0),
      });
      expect(res.status).toBe(200);
      const post = await send(remote.url, {
        method: "POST",
        path: "/__emulator/reset",
        headers: { host: "emulator:8080", "content-type": "text/plain" },
        body: Buffer.alloc(0),
      });
      expect(post.status).toBe(415);
    } finally {
      await remote.stop();
    }
  });

  it("isLoopbackHost", () => {
    expect(isLoopbackHost(undefined)).toBe(false);
    expect(isLoopbackHost("127.0.0.1")).toBe(true);
    expect(isLoopbackHost("[::1]")).toBe(true);
    expect(isLoopbackHost("[::2]:80")).toBe(false);
    expect(isLoopbackHost("10.0.0.1:80")).toBe(false);
  });
});
