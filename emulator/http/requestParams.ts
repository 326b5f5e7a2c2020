import type { IncomingMessage } from "node:http";
import type { BodyReservation } from "./bodyBudget";
import { gatewayErrors } from "./gatewayErrors";

/**
 * Decodes `a=1&b=x%20y` (query string or form body). `+` means space, as in every form decoder; the Alibaba
 * clients never send a raw `+` (they escape it as %2B). Last occurrence of a key wins.
 */
export function parseUrlEncoded(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === "") return out;
  for (const part of raw.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? "" : part.slice(eq + 1);
    try {
      out[decodeURIComponent(rawKey.replace(/\+/g, " "))] = decodeURIComponent(rawValue.replace(/\+/g, " "));
    } catch {
      throw gatewayErrors.malformedRequest(`invalid percent-encoding in "${part.slice(0, 100)}"`);
    }
  }
  return out;
}

export function isFormBody(req: IncomingMessage): boolean {
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  return type === "application/x-www-form-urlencoded";
}

/**
 * Reads the whole body as raw bytes (the V3 payload hash is over these exact bytes). Over `limit`: 413. Over the
 * shared budget of bodies in flight: 503, the client may try again once other requests are done.
 */
export function readBody(req: IncomingMessage, limit: number, budget: BodyReservation): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(gatewayErrors.bodyTooLarge(limit));
        return;
      }
      if (!budget.take(chunk.length)) {
        failed = true;
        reject(gatewayErrors.bodiesInFlight());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on("error", (err) => {
      if (!failed) {
        failed = true;
        reject(err);
      }
    });
  });
}
