/**
 * A QuickBICaller that runs the emulator's action table in-process against an `Organization`: the same rules and the
 * same documented error codes as over HTTP, minus the wire (no signing, no sockets), so property tests can run
 * hundreds of create/diff/update rounds in seconds. Results go through a JSON round trip, as they would on the wire.
 */
import type { CallOptions, Envelope, QueryParams, QuickBICaller } from "../../provider/api/call";
import { QuickBIApiError, unsuccessfulError } from "../../provider/api/errors";
import { actions } from "../../emulator/http/responses";
import { QuickBIError } from "../../emulator/model/errors";
import type { Organization } from "../../emulator/model/organization";

let requestSeq = 0;

export class ModelCaller implements QuickBICaller {
  /** Every action called, in order (for the coalescing/fan-out properties). */
  readonly log: string[] = [];

  constructor(readonly org: Organization) {}

  async callEnvelope(action: string, params: QueryParams, options: CallOptions): Promise<Envelope> {
    this.log.push(action);
    const handler = actions[action];
    if (!handler)
      throw new QuickBIApiError({
        action,
        code: "InvalidAction.NotFound",
        detail: `no action ${action}`,
        retryable: false,
      });
    const wire: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...params, ...options.body })) if (v !== undefined) wire[k] = String(v);
    const requestId = `MODEL-${++requestSeq}`;
    let value: unknown;
    try {
      value = handler(this.org, wire, {});
    } catch (e) {
      if (e instanceof QuickBIError) {
        throw new QuickBIApiError({
          action,
          code: e.code,
          detail: e.message,
          requestId,
          httpStatus: e.httpStatus,
          retryable: false,
        });
      }
      throw e;
    }
    const outcome = value as { success?: unknown; result?: unknown };
    if (typeof value === "object" && value !== null && outcome.success === false && "result" in outcome) {
      return { requestId, success: false, result: JSON.parse(JSON.stringify(outcome.result ?? null)) };
    }
    return { requestId, success: true, result: value === undefined ? undefined : JSON.parse(JSON.stringify(value)) };
  }

  async call(action: string, params: QueryParams, options: CallOptions): Promise<unknown> {
    const env = await this.callEnvelope(action, params, options);
    if (!env.success) throw unsuccessfulError(action, env);
    return env.result;
  }
}
