/**
 * Raw-HTTP tools for the HTTP-layer tests: capture exactly what the real client puts on the wire, replay or tamper
 * with it, and hand-sign requests (with the client's own signing primitives from @alicloud/openapi-util) where a
 * test needs a value the client would never send (an old timestamp, a reused nonce).
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { createHash, randomUUID } from "node:crypto";
import { stringify } from "node:querystring";
import OpenApiUtil from "@alicloud/openapi-util";
import { makeClient, type CallOptions, type ClientOptions, type WireValue } from "../helpers";

export interface RawRequest {
  method: string;
  /** Path + query exactly as sent. */
  path: string;
  /** Lower-cased name -> value, as sent (host included). */
  headers: Record<string, string>;
  body: Buffer;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: Record<string, unknown>;
}

/** Runs one real client call against a server that records the request and answers `{}`. */
export async function captureClientRequest(
  client: ClientOptions,
  action: string,
  query: Record<string, WireValue> = {},
  options: CallOptions = {},
): Promise<RawRequest> {
  let captured: RawRequest | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      captured = { method: req.method ?? "GET", path: req.url ?? "/", headers, body: Buffer.concat(chunks) };
      res.writeHead(200, { "content-type": "application/json;charset=utf-8", connection: "close" });
      res.end('{"RequestId":"X","Success":true,"Result":{}}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await makeClient(url, client)(action, query, options);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  if (!captured) throw new Error("the client sent nothing");
  return captured;
}

/** Sends a raw request to `baseUrl` keeping every header (including Host) exactly as given. */
export function send(baseUrl: string, raw: RawRequest): Promise<RawResponse> {
  const target = new URL(baseUrl);
  // Framing headers describe the original connection, not this one.
  const headers = { ...raw.headers };
  delete headers["transfer-encoding"];
  delete headers["connection"];
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: raw.method,
        path: raw.path,
        headers: { ...headers, "content-length": String(raw.body.length), connection: "close" },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: Record<string, unknown> = {};
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            // non-JSON answers keep json empty; tests assert on text
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on("error", reject);
    req.end(raw.body);
  });
}

/** `YYYY-MM-DDTHH:mm:ssZ` as both signers format it. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export interface HandSignedV2 {
  action: string;
  params?: Record<string, string>;
  form?: Record<string, string>;
  method?: "GET" | "POST";
  accessKeyId: string;
  accessKeySecret: string;
  timestamp?: string;
  nonce?: string;
  version?: string;
  host: string;
}

/** A V2 (HMAC-SHA1) request signed with the client's own getRPCSignature. */
export function signV2(o: HandSignedV2): RawRequest {
  const method = o.method ?? "POST";
  const query: Record<string, string> = {
    Action: o.action,
    Format: "json",
    Version: o.version ?? "2022-01-01",
    Timestamp: o.timestamp ?? isoSeconds(Date.now()),
    SignatureNonce: o.nonce ?? randomUUID(),
    SignatureMethod: "HMAC-SHA1",
    SignatureVersion: "1.0",
    AccessKeyId: o.accessKeyId,
    ...(o.params ?? {}),
  };
  const form = o.form ?? {};
  query["Signature"] = OpenApiUtil.getRPCSignature({ ...query, ...form }, method, o.accessKeySecret);
  const body = Buffer.from(stringify(form));
  const headers: Record<string, string> = { host: o.host };
  if (body.length > 0) headers["content-type"] = "application/x-www-form-urlencoded";
  return { method, path: `/?${stringify(query)}`, headers, body };
}

export interface HandSignedV3 {
  action: string;
  query?: Record<string, string>;
  form?: Record<string, string>;
  method?: "GET" | "POST";
  accessKeyId: string;
  accessKeySecret: string;
  date?: string;
  nonce?: string;
  version?: string;
  host: string;
  extraHeaders?: Record<string, string>;
}

/** A V3 (ACS3-HMAC-SHA256) request signed with the client's own getAuthorization. */
export function signV3(o: HandSignedV3): RawRequest {
  const method = o.method ?? "POST";
  const query = o.query ?? {};
  const body = Buffer.from(o.form ? stringify(o.form) : "");
  const hashed = createHash("sha256").update(body).digest("hex");
  const headers: Record<string, string> = {
    host: o.host,
    "x-acs-version": o.version ?? "2022-01-01",
    "x-acs-action": o.action,
    "x-acs-date": o.date ?? isoSeconds(Date.now()),
    "x-acs-signature-nonce": o.nonce ?? randomUUID(),
    "x-acs-content-sha256": hashed,
    accept: "application/json",
    ...(o.form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
    ...(o.extraHeaders ?? {}),
  };
  const signable = { pathname: "/", method, query, headers } as unknown as Parameters<
    typeof OpenApiUtil.getAuthorization
  >[0];
  headers["authorization"] = OpenApiUtil.getAuthorization(
    signable,
    "ACS3-HMAC-SHA256",
    hashed,
    o.accessKeyId,
    o.accessKeySecret,
  );
  const qs = stringify(query);
  return { method, path: qs ? `/?${qs}` : "/", headers, body };
}
