import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { QuickBIError } from "../model/errors";
import { SeedSchema, type Seed, type SeedInput } from "../model/seed";
import { Authenticator, RPC_PROTOCOL_PARAMS, type Authenticated, type KeyRecord } from "./authenticate";
import { BodyBudget } from "./bodyBudget";
import { CallLog, redactParams, type CallRecord } from "./callLog";
import { errorBody, newRequestId, rawErrorResponse, sendJson } from "./envelope";
import { FaultInjector, type FaultPlan, type FaultSettingsInput, type FaultState } from "./faults";
import { gatewayErrors } from "./gatewayErrors";
import { handleIntrospection, introspectionRefusal } from "./introspection";
import { isFormBody, parseUrlEncoded, readBody } from "./requestParams";
import { WireQuirks, type AnswerBody, type Quirk } from "./quirks";
import type { ReceivedRequest } from "./signature";
import { redactSecrets, writeStateAtomic } from "./stateStore";

export const API_VERSION = "2022-01-01";

/** What the HTTP layer needs from the model (docs/ARCHITECTURE.md, "emulator model <-> HTTP layer"). */
export interface OrganizationModel {
  toSeed(): Omit<Seed, "accessKeys">;
}

export interface CallContext {
  callerUserId?: string;
}

export type ActionHandlerOf<O> = (org: O, params: Record<string, string>, ctx: CallContext) => unknown;

export interface ModelBinding<O extends OrganizationModel> {
  fromSeed(seed: Seed): O;
  actions: Readonly<Record<string, ActionHandlerOf<O>>>;
}

export interface EmulatorServerOptions<O extends OrganizationModel> {
  model: ModelBinding<O>;
  seed: Seed;
  /** Persist the full state (secrets included) here after every mutating call. */
  statePath?: string;
  faults?: FaultSettingsInput;
  /** Seed of the fault PRNG when the fault settings carry none. */
  randomSeed?: number;
  /** Allowed clock skew of signed timestamps (default 15 min, as the real gateway). */
  timestampWindowMs?: number;
  /** Serve /__emulator/* to non-loopback clients too (e.g. emulator in a container). Default false. */
  allowRemoteIntrospection?: boolean;
  /** Wire-shape quirks in force (the model's rules come with `model`); recorded in every call record. */
  quirks?: readonly Quirk[];
  maxCallRecords?: number;
  maxBodyBytes?: number;
  /** Bytes of request bodies held at once across all requests (default 32 MiB); beyond it: 503. */
  maxBodyBytesInFlight?: number;
  onCall?: (record: CallRecord) => void;
  now?: () => number;
}

/**
 * Read-only actions never change state and skip the state-file write. Anything else is treated as a write (an
 * unknown verb errs on the side of persisting).
 */
const READ_ONLY_ACTION = /^(Query|List|Get|Check|Describe|Search)/;

/** The documented batch answer `{Success:false, Result}` (nothing persisted). */
interface ActionOutcome {
  success: false;
  result: unknown;
}

function isActionOutcome(value: unknown): value is ActionOutcome {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { success?: unknown }).success === false &&
    "result" in value
  );
}

class ConnectionCut extends Error {}

/**
 * The emulator's wire layer: routing, gateway checks, envelope, faults, introspection and persistence over a
 * synchronous model. Every API call runs its action to completion before the next one starts (the model is
 * synchronous), so calls never interleave inside the model.
 */
export class EmulatorServer<O extends OrganizationModel> {
  private readonly http: Server;
  private readonly auth: Authenticator;
  private readonly faultInjector: FaultInjector;
  private readonly log: CallLog;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly now: () => number;
  private readonly maxBodyBytes: number;
  private readonly bodies: BodyBudget;
  private readonly quirks: WireQuirks;
  private baseSeed: Seed;
  private org!: O;
  private keys = new Map<string, KeyRecord>();
  private ownerUserId: string | undefined;
  private closed = false;

  constructor(private readonly options: EmulatorServerOptions<O>) {
    this.now = options.now ?? Date.now;
    this.maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
    this.bodies = new BodyBudget(options.maxBodyBytesInFlight ?? 32 * 1024 * 1024);
    this.quirks = new WireQuirks(options.quirks ?? []);
    this.baseSeed = options.seed;
    this.load(options.seed);
    this.auth = new Authenticator({
      lookupKey: (id) => this.keys.get(id),
      windowMs: options.timestampWindowMs,
      now: this.now,
    });
    this.faultInjector = new FaultInjector(options.faults ?? {}, this.now, options.randomSeed);
    this.log = new CallLog(options.maxCallRecords);
    // Quick BI sends id lists in the query string; 1000 ids (AddUserGroupMember's documented maximum) are ~33 KB,
    // past node's default 16 KB header limit.
    this.http = createServer({ maxHeaderSize: 256 * 1024 }, (req, res) => {
      this.dispatch(req, res).catch((err: unknown) => this.fail(res, err));
    });
    // Requests node refuses before any handler runs (headers over maxHeaderSize, a malformed request line) get the
    // gateway's JSON envelope too, so a client sees the status and a Code instead of a body it cannot parse.
    this.http.on("clientError", (err: NodeJS.ErrnoException, socket: Socket) => {
      if (!socket.writable || !String(err.code ?? "").startsWith("HPE_")) {
        socket.destroy();
        return;
      }
      const e =
        err.code === "HPE_HEADER_OVERFLOW"
          ? gatewayErrors.headersTooLarge()
          : gatewayErrors.malformedRequest("the HTTP request could not be parsed");
      socket.end(rawErrorResponse(e, newRequestId()));
    });
    this.http.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  listen(port = 0, host = "127.0.0.1"): Promise<{ port: number; url: string }> {
    return new Promise((resolve, reject) => {
      this.http.once("error", reject);
      this.http.listen(port, host, () => {
        this.http.off("error", reject);
        const address = this.http.address() as AddressInfo;
        const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
        resolve({ port: address.port, url: `http://${urlHost}:${address.port}` });
      });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closing = new Promise<void>((resolve) => this.http.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closing;
  }

  /** Current state in seed shape, access key secrets redacted (what GET /__emulator/state answers). */
  state(): Seed {
    return redactSecrets(this.fullState());
  }

  /** Current state with secrets (what the --state file holds). */
  fullState(): Seed {
    return { ...this.org.toSeed(), accessKeys: [...this.keys.values()].map((k) => ({ ...k })) };
  }

  calls(filter?: { action?: string; sinceSeq?: number }): CallRecord[] {
    return this.log.list(filter);
  }

  clearCalls(): number {
    return this.log.clear();
  }

  setFaults(settings: FaultSettingsInput): FaultState {
    this.faultInjector.set(settings);
    return this.faultInjector.state();
  }

  faults(): FaultState {
    return this.faultInjector.state();
  }

  /**
   * Back to the seed, or to `seed` (which then becomes the seed of later resets). With --state the new state is
   * written first: when that fails, the reset throws and nothing changed.
   */
  reset(seed?: SeedInput): void {
    const next = seed === undefined ? this.baseSeed : SeedSchema.parse(seed);
    // The model is built before anything is touched, so a seed the model refuses leaves everything as it was.
    const org = this.options.model.fromSeed(next);
    this.save({ ...org.toSeed(), accessKeys: next.accessKeys });
    this.load(next, org);
    this.baseSeed = next;
  }

  /** Writes the state file now (startup writes it so the file exists from the first moment). */
  persist(): void {
    this.save(this.fullState());
  }

  private save(state: Seed): void {
    if (this.options.statePath !== undefined) writeStateAtomic(this.options.statePath, state);
  }

  private load(seed: Seed, org: O = this.options.model.fromSeed(seed)): void {
    this.org = org;
    this.keys = new Map(seed.accessKeys.map((k) => [k.accessKeyId, { ...k }]));
    this.ownerUserId = org.toSeed().organization?.ownerUserId ?? seed.organization?.ownerUserId;
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    const bodyBudget = this.bodies.open();
    res.once("close", () => bodyBudget.release());
    const body = () => readBody(req, this.maxBodyBytes, bodyBudget);
    if (url.pathname.startsWith("/__emulator/") || url.pathname === "/__emulator") {
      const refused = introspectionRefusal(req, this.options.allowRemoteIntrospection ?? false);
      if (refused) {
        sendJson(res, refused.status, { error: refused.error });
        return;
      }
      await handleIntrospection(this, req, res, url, body);
      return;
    }
    await this.handleApiCall(req, res, url, body);
  }

  private async handleApiCall(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    readRequestBody: () => Promise<Buffer>,
  ): Promise<void> {
    const started = this.now();
    const requestId = newRequestId();
    const hostId = req.headers.host ?? "quickbi-public.emulator.local";
    const record: Omit<CallRecord, "seq"> = {
      timestamp: new Date(started).toISOString(),
      requestId,
      action: null,
      version: null,
      signature: null,
      accessKeyId: null,
      params: {},
      code: "OK",
      httpStatus: 200,
      durationMs: 0,
      faults: [],
      mutated: false,
      quirks: [...this.quirks.quirks],
    };
    const finish = (code: string, httpStatus: number): void => {
      record.code = code;
      record.httpStatus = httpStatus;
      record.durationMs = this.now() - started;
      const full = this.log.add(record);
      this.options.onCall?.(full);
    };
    const answerError = (err: QuickBIError): void => {
      sendJson(res, err.httpStatus, errorBody(err, requestId, hostId), requestId);
      finish(err.code, err.httpStatus);
    };

    try {
      const rawBody = await readRequestBody();
      const received: ReceivedRequest = {
        method: (req.method ?? "GET").toUpperCase(),
        pathname: url.pathname,
        query: parseUrlEncoded(url.search.replace(/^\?/, "")),
        form: isFormBody(req) ? parseUrlEncoded(rawBody.toString("utf8")) : {},
        headers: headersOf(req),
        rawBody,
      };
      const params = businessParams(received);
      record.params = redactParams(params);

      if (url.pathname !== "/" || (received.method !== "GET" && received.method !== "POST")) {
        throw gatewayErrors.actionNotFound();
      }
      const merged = { ...received.query, ...received.form };
      const action = received.headers["x-acs-action"]?.[0] ?? merged["Action"];
      const version = received.headers["x-acs-version"]?.[0] ?? merged["Version"];
      record.action = action ?? null;
      record.version = version ?? null;
      if (!action) throw gatewayErrors.missingParameter("Action");
      if (!version) throw gatewayErrors.missingParameter("Version");
      if (version !== API_VERSION) throw gatewayErrors.invalidVersion();
      const handler = Object.hasOwn(this.options.model.actions, action)
        ? this.options.model.actions[action]
        : undefined;
      if (!handler) throw gatewayErrors.actionNotFound();

      const who: Authenticated = this.auth.authenticate(received);
      record.signature = who.scheme;
      record.accessKeyId = who.key.accessKeyId;

      const plan: FaultPlan = this.faultInjector.plan(action, who.key.accessKeyId);
      record.faults = plan.injected;
      if (plan.delayMs > 0) await this.sleep(plan.delayMs);
      if (plan.resetBefore) throw new ConnectionCut();
      if (plan.reject) throw plan.reject;

      const ctx: CallContext = {};
      const callerUserId = who.key.userId ?? this.ownerUserId;
      if (callerUserId !== undefined) ctx.callerUserId = callerUserId;
      const { status, body, mutated } = this.runAction(action, handler, params, ctx, requestId);
      record.mutated = mutated;

      if (plan.slowMs > 0) await this.sleep(plan.slowMs);
      if (plan.resetAfter) throw new ConnectionCut();
      sendJson(res, status, body, requestId);
      finish(body.Success === false || body.Success === "false" ? "Success:false" : "OK", status);
    } catch (err) {
      if (err instanceof ConnectionCut) {
        res.socket?.destroy();
        res.destroy();
        finish("ConnectionReset", 0);
        return;
      }
      if (this.closed) return;
      answerError(err instanceof QuickBIError ? err : internalError(err));
    }
  }

  /**
   * Runs one action. Atomicity is the model's contract (a method either applies completely or throws and changes
   * nothing; a Success:false batch answer changed nothing). With --state a write runs on a copy of the model (which
   * continues the same id sequence) and the copy replaces the model only once its state is on disk: a write that
   * cannot be saved is refused and not applied, so a client and a restarted emulator never disagree.
   */
  private runAction(
    action: string,
    handler: ActionHandlerOf<O>,
    params: Record<string, string>,
    ctx: CallContext,
    requestId: string,
  ): { status: number; body: AnswerBody; mutated: boolean } {
    const mutating = !READ_ONLY_ACTION.test(action);
    const target =
      mutating && this.options.statePath !== undefined ? this.options.model.fromSeed(this.fullState()) : this.org;
    let value: unknown;
    try {
      value = handler(target, params, ctx);
    } catch (e) {
      throw e instanceof QuickBIError ? this.quirks.actionError(e) : e;
    }
    if (isActionOutcome(value)) {
      const body = { RequestId: requestId, Success: this.quirks.successOfFailedBatch(), Result: value.result };
      return { status: 200, body: this.quirks.answer(action, body), mutated: false };
    }
    if (mutating && target !== this.org) {
      try {
        this.save({ ...target.toSeed(), accessKeys: [...this.keys.values()].map((k) => ({ ...k })) });
      } catch (e) {
        throw stateNotSaved(this.options.statePath!, e);
      }
      this.org = target;
    }
    return {
      status: 200,
      body: this.quirks.answer(action, { RequestId: requestId, Success: true, Result: value }),
      mutated: mutating,
    };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private fail(res: ServerResponse, err: unknown): void {
    if (res.headersSent || this.closed) {
      res.destroy();
      return;
    }
    const requestId = newRequestId();
    const e = err instanceof QuickBIError ? err : internalError(err);
    sendJson(res, e.httpStatus, errorBody(e, requestId, "quickbi-public.emulator.local"), requestId);
  }
}

function stateNotSaved(statePath: string, err: unknown): QuickBIError {
  const base = gatewayErrors.internalError();
  const why = (err as NodeJS.ErrnoException | undefined)?.code ?? "write failed";
  return new QuickBIError(
    base.code,
    `${base.message} (emulator: the state file ${statePath} could not be written (${why}); the call was not applied)`,
    500,
  );
}

function internalError(err: unknown): QuickBIError {
  // Unexpected exceptions are emulator bugs; say so in the message so a test failure points at the cause.
  const base = gatewayErrors.internalError();
  const detail = err instanceof Error ? err.message : String(err);
  return new QuickBIError(base.code, `${base.message} (emulator: ${detail})`, base.httpStatus);
}

function headersOf(req: IncomingMessage): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(req.headersDistinct)) if (values) out[name] = values;
  return out;
}

/** Query + form body minus the V2 protocol fields: what an action handler sees (all strings, as on the wire). */
function businessParams(req: ReceivedRequest): Record<string, string> {
  const params: Record<string, string> = { ...req.query, ...req.form };
  for (const name of RPC_PROTOCOL_PARAMS) delete params[name];
  return params;
}
