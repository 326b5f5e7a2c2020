import { QuickBIError } from "../../../emulator/model/errors";
import {
  apiError,
  DEMO_ACCESS_KEY,
  defaultSeed,
  makeClient,
  startTestEmulator,
  type SeedInput,
  type TestEmulator,
} from "../helpers";
import { captureClientRequest, isoSeconds, send, signV2, signV3, type RawRequest } from "./wire";

const OWNER = "a1f0c2d3e4b5468796a0b1c2d3e4f501";
const ANALYST_USER = "f6a5b7c8d9ea4b3c4bf5a6b7c8d9ea06";
const AS_ANALYST = { accessKeyId: "LTAIanalystKey", accessKeySecret: "analyst-secret", userId: ANALYST_USER };
const UUID_UPPER = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

let emu: TestEmulator;
let host: string;

const seed: SeedInput = { ...defaultSeed(), accessKeys: [{ ...DEMO_ACCESS_KEY }, AS_ANALYST] };

beforeAll(async () => {
  emu = await startTestEmulator(seed, {
    actions: {
      // Test-only actions: echo what the HTTP layer hands to a handler, and the non-happy answers.
      EchoParams: (_org, params, ctx) => ({ params, ctx }),
      FailDomain: () => {
        throw new QuickBIError(
          "User.Not.In.Organization",
          "The specified user is not in the organizational unit.",
          400,
        );
      },
      FailBug: () => {
        throw new TypeError("boom");
      },
      BatchFailure: () => ({ success: false, result: { Total: 1, Success: 0, Failure: 1 } }),
    },
  });
  host = emu.endpoint;
});

afterAll(async () => {
  await emu.stop();
});

describe.each(["v3", "v2"] as const)("signature %s through the real client", (signature) => {
  it.each(["POST", "GET"] as const)("%s: success envelope with query and form parameters", async (method) => {
    const call = emu.client({ signature });
    const tricky = "a b!'()*~+&=%/中文";
    const body = await call<{ params: Record<string, string>; ctx: { callerUserId?: string } }>(
      "EchoParams",
      { Keyword: tricky, PageNum: 2 },
      method === "POST" ? { method, body: { RoleIds: "111111111,456" } } : { method },
    );
    expect(body.Success).toBe(true);
    expect(body.RequestId).toMatch(UUID_UPPER);
    const expected: Record<string, string> = { Keyword: tricky, PageNum: "2" };
    if (method === "POST") expected["RoleIds"] = "111111111,456";
    // Protocol fields (Action, Signature, Timestamp...) never reach the handler.
    expect(body.Result.params).toEqual(expected);
    expect(body.Result.ctx).toEqual({ callerUserId: OWNER });
  });

  it("the caller is the key's userId when the seed names one", async () => {
    const call = emu.client({ signature, ...AS_ANALYST });
    const body = await call<{ ctx: { callerUserId?: string } }>("EchoParams");
    expect(body.Result.ctx.callerUserId).toBe(ANALYST_USER);
  });

  it("serves a real action of the model", async () => {
    const body = await emu.client({ signature })<{ UserId: string; NickName: string }>("QueryUserInfoByUserId", {
      UserId: OWNER,
    });
    expect(body.Result).toMatchObject({ UserId: OWNER, NickName: "Olivia Owner" });
  });

  it("wrong secret -> SignatureDoesNotMatch 400", async () => {
    const err = await apiError(emu.client({ signature, accessKeySecret: "not-the-secret" })("EchoParams"));
    expect(err).toMatchObject({ code: "SignatureDoesNotMatch", statusCode: 400 });
    if (signature === "v2") {
      expect(err.data.Message).toContain(" server string to sign is:POST&%2F&");
    }
    expect(err.data.Message).not.toContain(DEMO_ACCESS_KEY.accessKeySecret);
    expect(err.data.Message).not.toContain("not-the-secret");
  });

  it("unknown access key -> InvalidAccessKeyId.NotFound 404", async () => {
    const err = await apiError(emu.client({ signature, accessKeyId: "LTAInobody" })("EchoParams"));
    expect(err).toMatchObject({ code: "InvalidAccessKeyId.NotFound", statusCode: 404 });
    expect(err.data.Message).toBe("Specified access key is not found.");
  });

  it("unknown action -> InvalidAction.NotFound 404", async () => {
    const err = await apiError(emu.client({ signature })("AddUsersToWorkspace"));
    expect(err).toMatchObject({ code: "InvalidAction.NotFound", statusCode: 404 });
  });

  it("wrong version -> InvalidVersion 400", async () => {
    const err = await apiError(emu.client({ signature })("QueryUserList", {}, { version: "2020-08-01" }));
    expect(err).toMatchObject({ code: "InvalidVersion", statusCode: 400 });
  });

  it("error envelope: RequestId, HostId, Code, Message, Recommend", async () => {
    const err = await apiError(emu.client({ signature })("FailDomain"));
    expect(err).toMatchObject({ code: "User.Not.In.Organization", statusCode: 400 });
    const d = err.data;
    expect(d.RequestId).toMatch(UUID_UPPER);
    expect(d.HostId).toBe(host);
    expect(d.Message).toBe("The specified user is not in the organizational unit.");
    expect(d.Recommend).toBe(
      `https://api.aliyun.com/troubleshoot?q=User.Not.In.Organization&product=quickbi-public&requestId=${d.RequestId}`,
    );
  });
});

describe("answers", () => {
  it("an unexpected exception in a handler is InternalError 500", async () => {
    const err = await apiError(emu.client()("FailBug"));
    expect(err).toMatchObject({ code: "InternalError", statusCode: 500 });
  });

  it("a batch outcome is HTTP 200 with Success:false", async () => {
    const body = await emu.client()("BatchFailure");
    expect(body).toMatchObject({ Success: false, Result: { Total: 1, Failure: 1 } });
  });

  it("content type and the x-acs-request-id header", async () => {
    const res = await send(emu.url, signV3({ action: "EchoParams", host, ...DEMO_ACCESS_KEY }));
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json;charset=utf-8");
    expect(res.headers["x-acs-request-id"]).toBe(res.json["RequestId"]);
  });
});

describe("refused requests (raw HTTP)", () => {
  const key = DEMO_ACCESS_KEY;

  async function expectRefused(raw: RawRequest, code: string, status: number): Promise<void> {
    const res = await send(emu.url, raw);
    expect({ status: res.status, code: res.json["Code"] }).toEqual({ status, code });
    expect(res.json["RequestId"]).toMatch(UUID_UPPER);
  }

  it("unsigned -> IncompleteSignature 400 (GET and POST, with or without Action)", async () => {
    await expectRefused(
      { method: "GET", path: "/?Action=QueryUserList&Version=2022-01-01", headers: { host }, body: Buffer.alloc(0) },
      "IncompleteSignature",
      400,
    );
    await expectRefused(
      {
        method: "POST",
        path: "/",
        headers: { host, "x-acs-action": "QueryUserList", "x-acs-version": "2022-01-01" },
        body: Buffer.alloc(0),
      },
      "IncompleteSignature",
      400,
    );
    const before = emu.calls({ action: "QueryUserList" }).filter((c) => c.code === "OK").length;
    expect(before).toBe(0);
  });

  it("missing Action / Version -> MissingParameter 400", async () => {
    await expectRefused(
      { method: "POST", path: "/?Version=2022-01-01", headers: { host }, body: Buffer.alloc(0) },
      "MissingParameter",
      400,
    );
    await expectRefused(
      { method: "POST", path: "/?Action=QueryUserList", headers: { host }, body: Buffer.alloc(0) },
      "MissingParameter",
      400,
    );
  });

  it("other paths and methods -> InvalidAction.NotFound 404", async () => {
    const ok = signV3({ action: "EchoParams", host, ...key });
    await expectRefused({ ...ok, path: "/other" }, "InvalidAction.NotFound", 404);
    await expectRefused(
      { ...signV3({ action: "EchoParams", host, ...key }), method: "PUT" },
      "InvalidAction.NotFound",
      404,
    );
  });

  for (const scheme of ["v3", "v2"] as const) {
    const sign = (o: {
      timestamp?: string;
      nonce?: string;
      form?: Record<string, string>;
      params?: Record<string, string>;
    }) =>
      scheme === "v3"
        ? signV3({
            action: "EchoParams",
            host,
            ...key,
            ...(o.timestamp ? { date: o.timestamp } : {}),
            ...(o.nonce ? { nonce: o.nonce } : {}),
            ...(o.form ? { form: o.form } : {}),
            query: o.params ?? {},
          })
        : signV2({ action: "EchoParams", host, ...key, ...o });

    it(`${scheme}: hand-signed request is accepted (signer independent of the real client path)`, async () => {
      const res = await send(emu.url, sign({ params: { A: "1" }, form: { B: "2" } }));
      expect(res.status).toBe(200);
      expect(res.json["Result"]).toMatchObject({ params: { A: "1", B: "2" } });
    });

    it(`${scheme}: stale timestamp -> InvalidTimeStamp.Expired 400 (both directions)`, async () => {
      await expectRefused(
        sign({ timestamp: isoSeconds(Date.now() - 16 * 60 * 1000) }),
        "InvalidTimeStamp.Expired",
        400,
      );
      await expectRefused(
        sign({ timestamp: isoSeconds(Date.now() + 16 * 60 * 1000) }),
        "InvalidTimeStamp.Expired",
        400,
      );
      const res = await send(emu.url, sign({ timestamp: isoSeconds(Date.now() - 14 * 60 * 1000) }));
      expect(res.status).toBe(200);
    });

    it(`${scheme}: malformed timestamp -> InvalidTimeStamp.Format 400`, async () => {
      for (const bad of ["2026-11-23 10:00:00", "1700000000", "2026-02-30T10:00:00Z", "yesterday"]) {
        await expectRefused(sign({ timestamp: bad }), "InvalidTimeStamp.Format", 400);
      }
    });

    it(`${scheme}: replayed request -> SignatureNonceUsed 400`, async () => {
      const raw = sign({ params: { A: "1" } });
      expect((await send(emu.url, raw)).status).toBe(200);
      await expectRefused(raw, "SignatureNonceUsed", 400);
      // Same nonce, different request: still a replay.
      const nonce = `n-${scheme}-${Date.now()}`;
      expect((await send(emu.url, sign({ nonce, params: { A: "1" } }))).status).toBe(200);
      await expectRefused(sign({ nonce, params: { A: "2" } }), "SignatureNonceUsed", 400);
    });

    it(`${scheme}: a forged request does not burn the nonce`, async () => {
      const nonce = `forged-${scheme}-${Date.now()}`;
      const raw = sign({ nonce, params: { A: "1" } });
      const forged = { ...raw, path: raw.path.replace("A=1", "A=2") };
      await expectRefused(forged, "SignatureDoesNotMatch", 400);
      expect((await send(emu.url, raw)).status).toBe(200);
    });
  }

  it("v3: an unsigned x-acs-* header is refused (IncompleteSignature)", async () => {
    const raw = signV3({ action: "EchoParams", host, ...key });
    await expectRefused(
      { ...raw, headers: { ...raw.headers, "x-acs-security-token": "smuggled" } },
      "IncompleteSignature",
      400,
    );
  });

  it("v3: body that does not match x-acs-content-sha256 -> SignatureDoesNotMatch", async () => {
    const raw = signV3({ action: "EchoParams", host, ...key, form: { RoleIds: "1" } });
    await expectRefused({ ...raw, body: Buffer.from("RoleIds=2") }, "SignatureDoesNotMatch", 400);
  });

  it("v3: unsupported algorithm -> InvalidSignatureMethod", async () => {
    const raw = signV3({ action: "EchoParams", host, ...key });
    const auth = raw.headers["authorization"]!.replace("ACS3-HMAC-SHA256", "ACS3-HMAC-SM3");
    await expectRefused({ ...raw, headers: { ...raw.headers, authorization: auth } }, "InvalidSignatureMethod", 400);
  });

  it("v2: missing AccessKeyId / SignatureNonce -> MissingParameter", async () => {
    const raw = signV2({ action: "EchoParams", host, ...key });
    await expectRefused({ ...raw, path: raw.path.replace(/&?SignatureNonce=[^&]*/, "") }, "MissingParameter", 400);
    await expectRefused({ ...raw, path: raw.path.replace(/&?AccessKeyId=[^&]*/, "") }, "MissingParameter", 400);
  });

  it("tampering with what the real client sent is detected (query, form body, signed header, method)", async () => {
    for (const signature of ["v3", "v2"] as const) {
      const raw = await captureClientRequest(
        { signature, ...key },
        "EchoParams",
        { UserId: "u1" },
        { body: { RoleIds: "111111113" } },
      );
      expect((await send(emu.url, raw)).status).toBe(200);
      const fresh = () =>
        captureClientRequest({ signature, ...key }, "EchoParams", { UserId: "u1" }, { body: { RoleIds: "111111113" } });
      const q = await fresh();
      await expectRefused({ ...q, path: q.path.replace("UserId=u1", "UserId=u2") }, "SignatureDoesNotMatch", 400);
      const b = await fresh();
      await expectRefused(
        { ...b, body: Buffer.from(b.body.toString().replace("111111113", "111111111")) },
        "SignatureDoesNotMatch",
        400,
      );
      const m = await fresh();
      await expectRefused({ ...m, method: "GET" }, "SignatureDoesNotMatch", 400);
      if (signature === "v3") {
        const h = await fresh();
        await expectRefused(
          { ...h, headers: { ...h.headers, "x-acs-action": "FailDomain" } },
          "SignatureDoesNotMatch",
          400,
        );
      }
    }
  });

  it("the real client's STS token is accepted (and signed) in both schemes", async () => {
    for (const signature of ["v3", "v2"] as const) {
      const body = await makeClient(emu.url, { signature, ...key, securityToken: "sts-token" })("EchoParams");
      expect(body.Success).toBe(true);
    }
    const last = emu.calls().slice(-1)[0]!;
    expect(JSON.stringify(last.params)).not.toContain("sts-token");
  });
});
