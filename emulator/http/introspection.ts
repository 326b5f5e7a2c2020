import type { IncomingMessage, ServerResponse } from "node:http";
import { ZodError } from "zod";
import type { SeedInput } from "../model/seed";
import type { CallRecord } from "./callLog";
import { sendJson } from "./envelope";
import type { FaultSettingsInput, FaultState } from "./faults";

/** What the /__emulator/* endpoints operate on (implemented by EmulatorServer). */
export interface IntrospectionTarget {
  state(): unknown;
  calls(filter?: { action?: string; sinceSeq?: number }): CallRecord[];
  clearCalls(): number;
  reset(seed?: SeedInput): void;
  setFaults(settings: FaultSettingsInput): FaultState;
  faults(): FaultState;
}

export function isLoopback(address: string | undefined): boolean {
  return (
    address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1" || !!address?.startsWith("127.")
  );
}

/** A header a browser cannot add to a cross-origin request without a CORS preflight (which is never answered). */
export const INTROSPECTION_HEADER = "x-quickbi-emulator";

/** `Host: 127.0.0.1:PORT`, `[::1]:PORT`, `localhost:PORT`: a page loaded from another name (DNS rebinding) is not. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const h = host.trim().toLowerCase();
  const name = h.startsWith("[") ? h.slice(1, h.indexOf("]")) : h.replace(/:\d*$/, "");
  return name === "localhost" || name === "::1" || /^127(\.\d{1,3}){3}$/.test(name);
}

/**
 * Why a request to /__emulator/* is refused, if it is. The endpoints are unsigned, so: loopback clients only, sent to
 * a loopback `Host` (both waived with `allowRemote`, for an emulator in a container), and anything but a GET must
 * say it is meant for the emulator (a JSON content type or the X-QuickBI-Emulator header) so that a web page cannot
 * send it as a "simple" cross-origin request.
 */
export function introspectionRefusal(
  req: IncomingMessage,
  allowRemote: boolean,
): { status: number; error: string } | undefined {
  if (!allowRemote) {
    if (!isLoopback(req.socket.remoteAddress))
      return { status: 403, error: "introspection is only served to loopback clients" };
    if (!isLoopbackHost(req.headers.host)) {
      return {
        status: 403,
        error: "introspection is only served to requests addressed to a loopback host (127.0.0.1, [::1], localhost)",
      };
    }
  }
  const method = (req.method ?? "GET").toUpperCase();
  if (
    method !== "GET" &&
    method !== "HEAD" &&
    !isJsonType(req.headers["content-type"]) &&
    req.headers[INTROSPECTION_HEADER] === undefined
  ) {
    return {
      status: 415,
      error: `${method} /__emulator/* needs "Content-Type: application/json" or an "X-QuickBI-Emulator" header`,
    };
  }
  return undefined;
}

function isJsonType(contentType: string | undefined): boolean {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase() === "application/json";
}

/**
 * Unsigned test-control endpoints. They bypass signing and faults on purpose: a test must be able to inspect and
 * steer the emulator while the API itself is failing.
 */
export async function handleIntrospection(
  target: IntrospectionTarget,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  readBody: () => Promise<Buffer>,
): Promise<void> {
  const route = `${req.method ?? "GET"} ${url.pathname.replace(/\/+$/, "")}`;
  try {
    switch (route) {
      case "GET /__emulator/health":
        return sendJson(res, 200, { ok: true });
      case "GET /__emulator/state":
        return sendJson(res, 200, target.state());
      case "GET /__emulator/calls": {
        const action = url.searchParams.get("action") ?? undefined;
        const since = url.searchParams.get("since");
        const filter: { action?: string; sinceSeq?: number } = {};
        if (action !== undefined) filter.action = action;
        if (since !== null) filter.sinceSeq = Number(since);
        return sendJson(res, 200, target.calls(filter));
      }
      case "DELETE /__emulator/calls":
        return sendJson(res, 200, { cleared: target.clearCalls() });
      case "POST /__emulator/reset": {
        const body = await readJson(readBody);
        try {
          target.reset(body === undefined ? undefined : (body as SeedInput));
        } catch (err) {
          // The model refuses inconsistent seeds (e.g. an owner that is not a user) with a plain Error.
          if (err instanceof ZodError || !(err instanceof Error)) throw err;
          return sendJson(res, 400, { error: `invalid seed: ${err.message}` });
        }
        return sendJson(res, 200, { ok: true });
      }
      case "GET /__emulator/faults":
        return sendJson(res, 200, target.faults());
      case "POST /__emulator/faults": {
        const body = await readJson(readBody);
        return sendJson(res, 200, target.setFaults((body ?? {}) as FaultSettingsInput));
      }
      case "DELETE /__emulator/faults":
        return sendJson(res, 200, target.setFaults({}));
      default:
        return sendJson(res, 404, {
          error: `unknown introspection endpoint ${route}`,
          endpoints: [
            "GET /__emulator/health",
            "GET /__emulator/state",
            "GET /__emulator/calls[?action=X&since=SEQ]",
            "DELETE /__emulator/calls",
            "POST /__emulator/reset [seed JSON]",
            "GET|POST|DELETE /__emulator/faults",
          ],
        });
    }
  } catch (err) {
    if (err instanceof ZodError) return sendJson(res, 400, { error: "invalid body", issues: err.issues });
    if (err instanceof SyntaxError) return sendJson(res, 400, { error: `invalid JSON: ${err.message}` });
    throw err;
  }
}

async function readJson(readBody: () => Promise<Buffer>): Promise<unknown> {
  const raw = (await readBody()).toString("utf8").trim();
  return raw === "" ? undefined : (JSON.parse(raw) as unknown);
}
