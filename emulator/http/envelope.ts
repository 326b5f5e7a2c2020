import { randomUUID } from "node:crypto";
import { STATUS_CODES, type ServerResponse } from "node:http";
import type { QuickBIError } from "../model/errors";

export const PRODUCT = "quickbi-public";

/** Real RequestIds are uppercase UUIDs (e.g. `D787E1A3-A93C-424A-B626-C2B05DF8D885`). */
export function newRequestId(): string {
  return randomUUID().toUpperCase();
}

export interface SuccessBody {
  RequestId: string;
  Success: true;
  Result: unknown;
}

/** The documented batch answer: HTTP 200 but `Success: false`. */
export interface FailureBody {
  RequestId: string;
  Success: false;
  Result: unknown;
}

export interface ErrorBody {
  RequestId: string;
  HostId: string;
  Code: string;
  Message: string;
  Recommend: string;
}

export function errorBody(err: QuickBIError, requestId: string, hostId: string): ErrorBody {
  const recommend =
    `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}` +
    `&product=${PRODUCT}&requestId=${requestId}`;
  return { RequestId: requestId, HostId: hostId, Code: err.code, Message: err.message, Recommend: recommend };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, requestId?: string): void {
  if (res.headersSent || res.destroyed) return;
  const payload = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    "content-type": "application/json;charset=utf-8",
    "content-length": Buffer.byteLength(payload),
  };
  if (requestId) headers["x-acs-request-id"] = requestId;
  res.writeHead(status, headers);
  res.end(payload);
}

/** A whole HTTP/1.1 error response as text, for a socket no ServerResponse exists for (requests node refused). */
export function rawErrorResponse(err: QuickBIError, requestId: string): string {
  const payload = JSON.stringify(errorBody(err, requestId, "quickbi-public.emulator.local"));
  return (
    `HTTP/1.1 ${err.httpStatus} ${STATUS_CODES[err.httpStatus] ?? ""}\r\ncontent-type: application/json;charset=utf-8\r\n` +
    `content-length: ${Buffer.byteLength(payload)}\r\nx-acs-request-id: ${requestId}\r\nconnection: close\r\n\r\n${payload}`
  );
}
