/**
 * The emulator's gateway refuses what a real one refuses, over the wire, for both signature schemes: a wrong
 * signature, a signature of another length, a stale or future timestamp, a replayed nonce. A forged request cannot
 * burn a legitimate caller's nonce, no refusal echoes a secret, and the signature comparison goes through
 * crypto.timingSafeEqual (observed by behaviour: the comparison is spied on while the server answers).
 */
import * as crypto from "node:crypto";
import { defaultSeed, startEmulator, type RunningEmulator } from "pulumi-quickbi/emulator";
import { isoSeconds, send, signV2, signV3, type RawRequest } from "../emulator/http/wire";

// The emulator's verifier loads node:crypto through this file's module registry: wrap timingSafeEqual to observe it.
jest.mock("node:crypto", () => {
  const actual = jest.requireActual<typeof import("node:crypto")>("node:crypto");
  return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});
const timingSafeEqual = crypto.timingSafeEqual as jest.MockedFunction<typeof crypto.timingSafeEqual>;

const KEY = { accessKeyId: "LTAIsigCanary01", accessKeySecret: `SIG-CANARY-${crypto.randomBytes(6).toString("hex")}` };
const WRONG = `SIG-WRONG-${crypto.randomBytes(6).toString("hex")}`;
const ACTION = "ListOrganizationRoles";
const MINUTE = 60_000;

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: { ...defaultSeed(), accessKeys: [KEY] } });
});
afterAll(async () => {
  await emu.stop();
});

type Scheme = "v3" | "v2";
function signed(scheme: Scheme, o: { secret?: string; at?: number; nonce?: string } = {}): RawRequest {
  const common = {
    action: ACTION,
    accessKeyId: KEY.accessKeyId,
    accessKeySecret: o.secret ?? KEY.accessKeySecret,
    host: emu.endpoint,
    nonce: o.nonce,
  };
  return scheme === "v3"
    ? signV3({ ...common, date: isoSeconds(o.at ?? Date.now()) })
    : signV2({ ...common, timestamp: isoSeconds(o.at ?? Date.now()) });
}

async function code(raw: RawRequest): Promise<{ status: number; code: string; text: string }> {
  const r = await send(emu.url, raw);
  return { status: r.status, code: r.status === 200 ? "OK" : String(r.json.Code), text: r.text };
}

/** A copy with the signature changed: one character flipped, or cut / extended (another length). */
function withSignature(raw: RawRequest, scheme: Scheme, change: (sig: string) => string): RawRequest {
  if (scheme === "v3") {
    const auth = raw.headers["authorization"];
    return {
      ...raw,
      headers: {
        ...raw.headers,
        authorization: auth.replace(/Signature=([0-9a-f]+)/, (_m, s: string) => `Signature=${change(s)}`),
      },
    };
  }
  const url = new URL(`http://x${raw.path}`);
  url.searchParams.set("Signature", change(url.searchParams.get("Signature")!));
  return { ...raw, path: `/?${url.searchParams.toString()}` };
}
const flip = (s: string) => s.slice(0, -2) + (s.at(-2) === "a" ? "b" : "a") + s.at(-1);

describe.each(["v3", "v2"] as const)("%s", (scheme) => {
  test("a correctly signed request is served (control)", async () => {
    expect(await code(signed(scheme))).toMatchObject({ status: 200, code: "OK" });
  });

  test("a wrong secret, a flipped character and a signature of another length are refused, never a 500", async () => {
    const mismatch = ["SignatureDoesNotMatch"];
    // An empty signature is a malformed request rather than a wrong one.
    const empty = scheme === "v3" ? ["IncompleteSignature"] : ["MissingParameter", "SignatureDoesNotMatch"];
    for (const [raw, codes] of [
      [signed(scheme, { secret: WRONG }), mismatch],
      [withSignature(signed(scheme), scheme, flip), mismatch],
      [withSignature(signed(scheme), scheme, (s) => s.slice(0, -4)), mismatch],
      [withSignature(signed(scheme), scheme, (s) => `${s}AAAA`), mismatch],
      [withSignature(signed(scheme), scheme, () => ""), empty],
    ] as const) {
      const r = await code(raw);
      expect(r.status).toBe(400);
      expect(codes).toContain(r.code);
      expect(r.text).not.toContain(KEY.accessKeySecret);
      expect(r.text).not.toContain(WRONG);
    }
  });

  test("stale and future timestamps (beyond 15 minutes) are refused; within the window they pass", async () => {
    expect((await code(signed(scheme, { at: Date.now() - 16 * MINUTE }))).code).toBe("InvalidTimeStamp.Expired");
    expect((await code(signed(scheme, { at: Date.now() + 16 * MINUTE }))).code).toBe("InvalidTimeStamp.Expired");
    expect((await code(signed(scheme, { at: Date.now() - 10 * MINUTE }))).code).toBe("OK");
  });

  test("a replayed request is refused (SignatureNonceUsed)", async () => {
    const raw = signed(scheme);
    expect((await code(raw)).code).toBe("OK");
    expect((await code(raw)).code).toBe("SignatureNonceUsed");
    // Re-signed with a fresh timestamp but the same nonce: still a replay.
    const nonce = crypto.randomUUID();
    expect((await code(signed(scheme, { nonce }))).code).toBe("OK");
    expect((await code(signed(scheme, { nonce, at: Date.now() + 1000 }))).code).toBe("SignatureNonceUsed");
  });

  test("a forged request cannot burn a legitimate caller's nonce", async () => {
    const nonce = crypto.randomUUID();
    expect((await code(signed(scheme, { nonce, secret: WRONG }))).code).toBe("SignatureDoesNotMatch");
    expect((await code(signed(scheme, { nonce }))).code).toBe("OK");
  });
});

test("signatures are compared with crypto.timingSafeEqual, also when the lengths differ", async () => {
  const spy = timingSafeEqual;
  {
    for (const scheme of ["v3", "v2"] as const) {
      spy.mockClear();
      const good = signed(scheme);
      const expectedSig =
        scheme === "v3"
          ? /Signature=([0-9a-f]+)/.exec(good.headers.authorization)![1]
          : new URL(`http://x${good.path}`).searchParams.get("Signature")!;
      expect((await code(withSignature(good, scheme, flip))).code).toBe("SignatureDoesNotMatch");
      // The received (tampered) signature reached the constant-time comparison.
      const compared = spy.mock.calls.map(([a, b]) => [
        Buffer.from(a as Uint8Array).toString(),
        Buffer.from(b as Uint8Array).toString(),
      ]);
      expect(compared.some(([a, b]) => b === flip(expectedSig) && a.length === b.length)).toBe(true);

      spy.mockClear();
      expect((await code(withSignature(signed(scheme), scheme, (s) => s.slice(0, 10)))).code).toBe(
        "SignatureDoesNotMatch",
      );
      // Unequal lengths still cost one constant-time comparison (of equal-length buffers: timingSafeEqual throws otherwise).
      expect(spy).toHaveBeenCalled();
      for (const [a, b] of spy.mock.calls) expect((a as Uint8Array).length).toBe((b as Uint8Array).length);
    }
  }
});
