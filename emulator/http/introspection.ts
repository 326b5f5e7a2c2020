import type { IncomingMessage, ServerResponse } from "node:http";
import { ZodError } from "zod";
import type { SeedInput } from "../model/seed";
import type { CallRecord } from "./callLog";
import { sendJson } from "./envelope";
import type { FaultSettingsInput, FaultState } from "./faults";
import { readBody } from "./requestParams";

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
  return address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1" || !!address?.startsWith("127.");
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
  maxBodyBytes: number,
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
        const body = await readJson(req, maxBodyBytes);
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
        const body = await readJson(req, maxBodyBytes);
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

async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const raw = (await readBody(req, limit)).toString("utf8").trim();
  return raw === "" ? undefined : (JSON.parse(raw) as unknown);
}
