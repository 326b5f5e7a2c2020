import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * Our own verifiers for the two request signatures `@alicloud/openapi-client` produces (quickbi-api.md §6.2/§6.3).
 * Deliberately not shared with the client's code: an emulator that reused the signer would accept whatever the
 * signer got wrong.
 */

export const ACS3_ALGORITHM = "ACS3-HMAC-SHA256";
export const RPC_SIGNATURE_METHOD = "HMAC-SHA1";
export const RPC_SIGNATURE_VERSION = "1.0";

/** What the verifiers need from a received request. Values are as decoded from the wire. */
export interface ReceivedRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** The raw request path, without the query string. */
  pathname: string;
  /** Decoded query string parameters (last occurrence wins). */
  query: Record<string, string>;
  /** Decoded form body parameters (empty unless the body is application/x-www-form-urlencoded). */
  form: Record<string, string>;
  /** Lower-cased header name -> every received value (duplicates kept, Node's headersDistinct). */
  headers: Record<string, string[]>;
  /** The body exactly as received. */
  rawBody: Buffer;
}

/** RFC 3986 percent-encoding as Alibaba Cloud signs it: encodeURIComponent plus `!'()*`. */
export function acsEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

export function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Constant-time comparison; unequal lengths still cost one comparison so length does not leak through timing. */
export function safeEqual(expected: string, received: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(received, "utf8");
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

// ---------------------------------------------------------------------------------------------------------------
// V3: ACS3-HMAC-SHA256 in the Authorization header

export interface Acs3Authorization {
  algorithm: string;
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<a;b>,Signature=<hex>`; undefined when malformed. */
export function parseAcs3Authorization(header: string): Acs3Authorization | undefined {
  const match = /^\s*(\S+)\s+(.*)$/.exec(header);
  if (!match) return undefined;
  const [, algorithm, rest] = match as unknown as [string, string, string];
  const fields = new Map<string, string>();
  for (const part of rest.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) return undefined;
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (!accessKeyId || !signedHeaders || !signature) return undefined;
  return {
    algorithm,
    accessKeyId,
    signedHeaders: signedHeaders.split(";").map((h) => h.trim()),
    signature,
  };
}

export interface Acs3Canonical {
  canonicalRequest: string;
  stringToSign: string;
}

/**
 * Rebuilds the canonical request from what was received: the query re-encoded from its decoded values (the client
 * puts `!'()*` raw on the wire but signs them escaped), the headers the request itself lists in SignedHeaders, and
 * the SHA-256 of the raw body bytes.
 */
export function acs3Canonical(req: ReceivedRequest, signedHeaders: readonly string[]): Acs3Canonical {
  const canonicalUri = req.pathname === "" ? "/" : req.pathname;
  const canonicalQuery = Object.keys(req.query)
    .sort()
    .map((k) => `${k}=${acsEncode(req.query[k]!)}`)
    .join("&");
  const canonicalHeaders = [...signedHeaders]
    .sort()
    .map((name) => {
      const values = (req.headers[name] ?? []).map((v) => v.trim()).sort();
      return `${name}:${values.join(",")}\n`;
    })
    .join("");
  const canonicalRequest = [
    req.method,
    canonicalUri,
    canonicalQuery,
    canonicalHeaders,
    [...signedHeaders].sort().join(";"),
    sha256Hex(req.rawBody),
  ].join("\n");
  return { canonicalRequest, stringToSign: `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}` };
}

export function acs3Signature(accessKeySecret: string, stringToSign: string): string {
  return createHmac("sha256", accessKeySecret).update(stringToSign).digest("hex");
}

export function verifyAcs3(req: ReceivedRequest, auth: Acs3Authorization, accessKeySecret: string): boolean {
  if (auth.algorithm !== ACS3_ALGORITHM) return false;
  const { stringToSign } = acs3Canonical(req, auth.signedHeaders);
  // Exact comparison (the client sends lowercase hex): no received variant other than the expected one passes.
  return safeEqual(acs3Signature(accessKeySecret, stringToSign), auth.signature);
}

// ---------------------------------------------------------------------------------------------------------------
// V2: HMAC-SHA1 RPC signature in the `Signature` parameter

/** The parameters the RPC signature covers: query minus `Signature`, plus the form body. */
export function rpcSignedParams(req: ReceivedRequest): Record<string, string> {
  const params: Record<string, string> = { ...req.query, ...req.form };
  delete params["Signature"];
  return params;
}

export function rpcStringToSign(method: string, params: Record<string, string>): string {
  const canonicalized = Object.keys(params)
    .sort()
    .map((k) => `${acsEncode(k)}=${acsEncode(params[k]!)}`)
    .join("&");
  return `${method}&${acsEncode("/")}&${acsEncode(canonicalized)}`;
}

export function rpcSignature(accessKeySecret: string, stringToSign: string): string {
  return createHmac("sha1", `${accessKeySecret}&`).update(stringToSign).digest("base64");
}

export interface RpcVerification {
  ok: boolean;
  /** Echoed in SignatureDoesNotMatch as the real gateway does (it contains no secret). */
  stringToSign: string;
}

export function verifyRpc(req: ReceivedRequest, accessKeySecret: string): RpcVerification {
  const stringToSign = rpcStringToSign(req.method, rpcSignedParams(req));
  const received = req.query["Signature"] ?? req.form["Signature"] ?? "";
  return { ok: safeEqual(rpcSignature(accessKeySecret, stringToSign), received), stringToSign };
}
