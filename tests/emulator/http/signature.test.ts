import { createHash } from "node:crypto";
import fc from "fast-check";
import OpenApiUtil from "@alicloud/openapi-util";
import {
  acs3Canonical,
  acs3Signature,
  acsEncode,
  parseAcs3Authorization,
  rpcSignature,
  rpcStringToSign,
  safeEqual,
  verifyAcs3,
  verifyRpc,
  type ReceivedRequest,
} from "../../../emulator/http/signature";
import { parseUrlEncoded } from "../../../emulator/http/requestParams";
import { captureClientRequest, signV2, signV3, type RawRequest } from "./wire";

const KEY = { accessKeyId: "LTAIvectorKey", accessKeySecret: "vector-secret" };

/** What the server builds from a raw request (same decoders as emulator/http/server.ts). */
function received(raw: RawRequest): ReceivedRequest {
  const q = raw.path.indexOf("?");
  const headers: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(raw.headers)) headers[k.toLowerCase()] = [v];
  const isForm = (raw.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
  return {
    method: raw.method,
    pathname: q < 0 ? raw.path : raw.path.slice(0, q),
    query: parseUrlEncoded(q < 0 ? "" : raw.path.slice(q + 1)),
    form: isForm ? parseUrlEncoded(raw.body.toString("utf8")) : {},
    headers,
    rawBody: raw.body,
  };
}

function acceptsV3(req: ReceivedRequest, secret = KEY.accessKeySecret): boolean {
  const auth = parseAcs3Authorization(req.headers["authorization"]![0]!);
  // As the authenticator does: the Credential names the key whose secret is used.
  return auth !== undefined && auth.accessKeyId === KEY.accessKeyId && verifyAcs3(req, auth, secret);
}

function flipBit(s: string, index: number, bit: number): string {
  return s.slice(0, index) + String.fromCharCode(s.charCodeAt(index) ^ (1 << bit)) + s.slice(index + 1);
}

function* stringFlips(s: string): Generator<string> {
  for (let i = 0; i < s.length; i++) for (let bit = 0; bit < 7; bit++) yield flipBit(s, i, bit);
}

describe("primitives", () => {
  it("acsEncode escapes !'()* and space as %20 but keeps ~ raw (RFC 3986)", () => {
    expect(acsEncode("a b!'()*~-_.")).toBe("a%20b%21%27%28%29%2A~-_.");
    expect(acsEncode("中")).toBe("%E4%B8%AD");
  });

  it("acsEncode agrees with the client's encoder for any string", () => {
    fc.assert(
      fc.property(fc.fullUnicodeString(), (s) => acsEncode(s) === OpenApiUtil.getEncodeParam(s)),
      { numRuns: 300 },
    );
  });

  it("safeEqual is exact", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("abc", "abcd")).toBe(false);
    expect(safeEqual("abc", "ABC")).toBe(false);
  });

  it("parses the Authorization header; malformed ones are undefined", () => {
    expect(parseAcs3Authorization("ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host;x-acs-date,Signature=ff")).toEqual(
      {
        algorithm: "ACS3-HMAC-SHA256",
        accessKeyId: "ak",
        signedHeaders: ["host", "x-acs-date"],
        signature: "ff",
      },
    );
    for (const bad of [
      "",
      "ACS3-HMAC-SHA256",
      "ACS3-HMAC-SHA256 Credential=ak",
      "ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host",
      "Bearer x",
    ]) {
      expect(parseAcs3Authorization(bad)).toBeUndefined();
    }
  });
});

describe("V2 HMAC-SHA1 known vector", () => {
  // The worked example of Alibaba Cloud's RPC signature documentation (ECS DescribeRegions, secret "testsecret").
  const params = {
    AccessKeyId: "testid",
    Action: "DescribeRegions",
    Format: "XML",
    SignatureMethod: "HMAC-SHA1",
    SignatureNonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
    SignatureVersion: "1.0",
    Timestamp: "2016-02-23T12:46:24Z",
    Version: "2014-05-26",
  };

  it("reproduces the documented string to sign and signature", () => {
    const sts = rpcStringToSign("GET", params);
    expect(sts).toBe(
      "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1" +
        "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0" +
        "%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
    );
    expect(rpcSignature("testsecret", sts)).toBe("OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
  });

  it("verifies the documented request and rejects every single-bit change of any parameter", () => {
    const req: ReceivedRequest = {
      method: "GET",
      pathname: "/",
      query: { ...params, Signature: "OLeaidS1JvxuMvnyHOwuJ+uX5qY=" },
      form: {},
      headers: {},
      rawBody: Buffer.alloc(0),
    };
    expect(verifyRpc(req, "testsecret").ok).toBe(true);
    expect(verifyRpc(req, "testsecreT").ok).toBe(false);
    let checked = 0;
    for (const [name, value] of Object.entries(req.query)) {
      for (const flipped of stringFlips(value)) {
        expect(verifyRpc({ ...req, query: { ...req.query, [name]: flipped } }, "testsecret").ok).toBe(false);
        checked++;
      }
      for (const flippedName of stringFlips(name)) {
        const query = { ...req.query, [flippedName]: value };
        delete query[name];
        expect(verifyRpc({ ...req, query }, "testsecret").ok).toBe(false);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

describe("V3 ACS3-HMAC-SHA256 agrees with the client's signer", () => {
  it("a fixed request: our canonical form signs to the client's Authorization", () => {
    const raw = signV3({
      action: "AddUser",
      host: "quickbi-public.cn-hangzhou.aliyuncs.com",
      query: { NickName: "张三 (ops)!", UserType: "1", AccountName: "a@b.com:x*y" },
      form: { RoleIds: "111111111,456" },
      date: "2026-01-02T03:04:05Z",
      nonce: "fixed-nonce",
      ...KEY,
    });
    const req = received(raw);
    const auth = parseAcs3Authorization(raw.headers["authorization"]!)!;
    const { canonicalRequest, stringToSign } = acs3Canonical(req, auth.signedHeaders);
    expect(canonicalRequest.split("\n").slice(0, 3)).toEqual([
      "POST",
      "/",
      "AccountName=a%40b.com%3Ax%2Ay&NickName=%E5%BC%A0%E4%B8%89%20%28ops%29%21&UserType=1",
    ]);
    expect(canonicalRequest.endsWith(createHash("sha256").update("RoleIds=111111111%2C456").digest("hex"))).toBe(true);
    expect(acs3Signature(KEY.accessKeySecret, stringToSign)).toBe(auth.signature);
  });

  it("any query the client can send verifies after the wire round trip (decode, re-encode)", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,11}$/), fc.fullUnicodeString({ maxLength: 20 }), {
          maxKeys: 6,
        }),
        fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,11}$/), fc.fullUnicodeString({ maxLength: 20 }), {
          maxKeys: 3,
        }),
        (query, form) => {
          const v3 = signV3({ action: "X", host: "h:1", query, form, ...KEY });
          const v2 = signV2({ action: "X", host: "h:1", params: query, form, ...KEY });
          return acceptsV3(received(v3)) && verifyRpc(received(v2), KEY.accessKeySecret).ok;
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe.each(["v3", "v2"] as const)("vectors captured from the real client (%s)", (signature) => {
  let raw: RawRequest;

  beforeAll(async () => {
    raw = await captureClientRequest(
      { signature, ...KEY },
      "AddUser",
      { NickName: "Zoë O'Brien (ops)*", UserType: 1, AccountId: "1000000000000042" },
      { body: { RoleIds: "111111111,111111112" } },
    );
  });

  it("is accepted with the right secret, refused with another", () => {
    const req = received(raw);
    if (signature === "v3") {
      expect(acceptsV3(req)).toBe(true);
      expect(acceptsV3(req, "vector-secreT")).toBe(false);
    } else {
      expect(verifyRpc(req, KEY.accessKeySecret).ok).toBe(true);
      expect(verifyRpc(req, "vector-secreT").ok).toBe(false);
    }
  });

  it("every single-bit change of method, parameters, signed headers, body or signature is refused", () => {
    const base = received(raw);
    const accepts = (r: ReceivedRequest) => (signature === "v3" ? acceptsV3(r) : verifyRpc(r, KEY.accessKeySecret).ok);
    const variants: ReceivedRequest[] = [];
    for (const m of stringFlips(base.method)) variants.push({ ...base, method: m });
    // In V3 the form is covered through the raw body bytes (flipped below); the decoded form is derived from them.
    for (const part of signature === "v3" ? (["query"] as const) : (["query", "form"] as const)) {
      for (const [name, value] of Object.entries(base[part])) {
        for (const v of stringFlips(value)) variants.push({ ...base, [part]: { ...base[part], [name]: v } });
        for (const n of stringFlips(name)) {
          const moved = { ...base[part], [n]: value };
          delete moved[name];
          variants.push({ ...base, [part]: moved });
        }
      }
    }
    if (signature === "v3") {
      const auth = parseAcs3Authorization(base.headers["authorization"]![0]!)!;
      for (const name of auth.signedHeaders) {
        for (const v of stringFlips(base.headers[name]![0]!))
          variants.push({ ...base, headers: { ...base.headers, [name]: [v] } });
      }
      for (const v of stringFlips(base.headers["authorization"]![0]!)) {
        variants.push({ ...base, headers: { ...base.headers, authorization: [v] } });
      }
      for (let i = 0; i < base.rawBody.length; i++) {
        for (let bit = 0; bit < 8; bit++) {
          const body = Buffer.from(base.rawBody);
          body[i]! ^= 1 << bit;
          variants.push({ ...base, rawBody: body });
        }
      }
    }
    // Header and body flips can only be refused if the signature covers them: that is what is checked here.
    const acceptedVariants = variants.filter((v) => {
      try {
        return accepts(v);
      } catch {
        return false;
      }
    });
    expect(variants.length).toBeGreaterThan(500);
    expect(acceptedVariants).toEqual([]);
  });
});
