/**
 * The Quick BI transport: signs with `@alicloud/openapi-client` (ACS3-HMAC-SHA256), checks the envelope, maps errors,
 * retries what is safe to retry, and paces requests. The SDK's own retry is never used (it does not retry HTTP errors
 * anyway), so every retry decision is made here, where we know whether a call is idempotent.
 */
import OpenApi, * as $OpenApi from "@alicloud/openapi-client";
import * as $Util from "@alicloud/tea-util";
import type Bottleneck from "bottleneck";
import { ExponentialBackoff, fullJitterGenerator, handleWhen, retry } from "cockatiel";
import type { CallOptions, Envelope, QueryParams, QuickBICaller, VerifyOutcome } from "./call";
import { QuickBIApiError, TransportCodes, isThrottling, unsuccessfulError } from "./errors";
import { mapThrown, scrubSecrets, type Delivery } from "./errorMapping";
import { ClientMetrics } from "./metrics";
import { sharedLimiter, slowDown, speedUp } from "./rateLimiter";
import { resolveSettings, type ClientSettings } from "./settings";
import { assertCallsAllowed } from "./shutdown";

export const API_VERSION = "2022-01-01";

/** Structured debug events. They carry action names, codes, request ids and timings, never parameters or secrets. */
export type ClientEvent =
  | { readonly type: "attempt"; readonly action: string; readonly attempt: number }
  | {
      readonly type: "response";
      readonly action: string;
      readonly attempt: number;
      readonly requestId: string;
      readonly success: boolean;
      readonly durationMs: number;
    }
  | {
      readonly type: "failure";
      readonly action: string;
      readonly attempt: number;
      readonly code: string;
      readonly requestId?: string;
      readonly httpStatus?: number;
      readonly retryable: boolean;
      readonly delivery: Delivery;
      readonly durationMs: number;
    }
  | {
      readonly type: "retry";
      readonly action: string;
      readonly attempt: number;
      readonly delayMs: number;
      readonly code: string;
    }
  | {
      readonly type: "verify";
      readonly action: string;
      readonly attempt: number;
      readonly outcome: "applied" | "not-applied" | "failed";
    };

export interface RetryTuning {
  /** First backoff ceiling, ms (full jitter draws in [0, ceiling)). */
  readonly baseDelayMs: number;
  /** Largest backoff ceiling, ms. */
  readonly maxDelayMs: number;
}
export const DEFAULT_RETRY: RetryTuning = { baseDelayMs: 200, maxDelayMs: 5_000 };

export interface QuickBIClientOptions {
  readonly retry?: Partial<RetryTuning>;
  readonly onEvent?: (event: ClientEvent) => void;
  /** Defaults to the per-process limiter shared by (endpoint, access key id). */
  readonly limiter?: Bottleneck;
}

/** Not a QuickBIApiError: the marker cockatiel uses to stop retrying. */
function retryableError(e: unknown): boolean {
  return e instanceof QuickBIApiError && e.retryable;
}

function toWire(params: QueryParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    out[k] = typeof v === "string" ? v : String(v);
  }
  return out;
}

export class QuickBIClient implements QuickBICaller {
  readonly metrics = new ClientMetrics();
  // ES private fields: invisible to util.inspect, JSON.stringify, Object.keys and Pulumi's closure serializer's
  // property walk, so neither the SDK config (which holds the secret) nor the settings can leak through the client.
  readonly #sdk: OpenApi;
  readonly #settings: ClientSettings;
  readonly #secrets: readonly string[];
  readonly #limiter: Bottleneck;
  readonly #retry: RetryTuning;
  readonly #onEvent?: (event: ClientEvent) => void;

  constructor(settings: ClientSettings, options: QuickBIClientOptions = {}) {
    this.#settings = settings;
    const creds = settings.credentials;
    const config = new $OpenApi.Config({
      endpoint: settings.endpoint,
      protocol: settings.protocol,
      regionId: settings.region,
      readTimeout: settings.timeoutMs,
      connectTimeout: settings.timeoutMs,
    });
    if (creds.kind === "static") {
      config.accessKeyId = creds.accessKeyId;
      config.accessKeySecret = creds.accessKeySecret;
      if (creds.securityToken) config.securityToken = creds.securityToken;
      this.#secrets = [creds.accessKeySecret, creds.securityToken ?? "", creds.accessKeyId];
    } else {
      config.credential = creds.credential as $OpenApi.Config["credential"];
      this.#secrets = [creds.accessKeyId];
    }
    this.#sdk = new OpenApi(config);
    this.#limiter = options.limiter ?? sharedLimiter(settings.endpoint, creds.accessKeyId, settings.maxQps);
    this.#retry = {
      baseDelayMs: settings.retryBaseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
      maxDelayMs: settings.retryMaxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
      ...options.retry,
    };
    this.#onEvent = options.onEvent;
  }

  /** Where this client sends requests (no credentials). */
  get endpoint(): string {
    return `${this.#settings.protocol}://${this.#settings.endpoint}`;
  }

  get settings(): Pick<
    ClientSettings,
    "maxQps" | "maxRetries" | "timeoutMs" | "coalesce" | "batchWindowMs" | "region"
  > {
    const s = this.#settings;
    return {
      maxQps: s.maxQps,
      maxRetries: s.maxRetries,
      timeoutMs: s.timeoutMs,
      coalesce: s.coalesce,
      batchWindowMs: s.batchWindowMs,
      region: s.region,
    };
  }

  toJSON(): Record<string, unknown> {
    return { endpoint: this.endpoint };
  }

  async call(action: string, params: QueryParams, options: CallOptions): Promise<unknown> {
    const env = await this.callEnvelope(action, params, options);
    if (!env.success) {
      const err = unsuccessfulError(action, env);
      this.metrics.bump(action, "errors");
      throw err;
    }
    return env.result;
  }

  async callEnvelope(action: string, params: QueryParams, options: CallOptions): Promise<Envelope> {
    this.metrics.bump(action, "calls");
    const policy = retry(handleWhen(retryableError), {
      maxAttempts: this.#settings.maxRetries,
      backoff: new ExponentialBackoff({
        generator: fullJitterGenerator,
        initialDelay: this.#retry.baseDelayMs,
        maxDelay: this.#retry.maxDelayMs,
      }),
    });
    let lastCode = "";
    const retryListener = policy.onRetry((r) => {
      this.metrics.bump(action, "retries");
      this.emit({ type: "retry", action, attempt: r.attempt, delayMs: r.delay, code: lastCode });
    });
    try {
      return await policy.execute(async ({ attempt }) => {
        try {
          return await this.attemptOnce(action, params, options, attempt + 1);
        } catch (e) {
          if (e instanceof QuickBIApiError) lastCode = e.code;
          throw e instanceof QuickBIApiError ? e.with({ attempts: attempt + 1 }) : e;
        }
      });
    } catch (e) {
      this.metrics.bump(action, "errors");
      throw e;
    } finally {
      retryListener.dispose();
    }
  }

  /** One HTTP attempt, plus the verify step when a write's outcome is unknown. */
  private async attemptOnce(
    action: string,
    params: QueryParams,
    options: CallOptions,
    attempt: number,
  ): Promise<Envelope> {
    const started = Date.now();
    this.metrics.bump(action, "attempts");
    this.emit({ type: "attempt", action, attempt });
    let response: { body?: unknown; statusCode?: number };
    try {
      response = await this.#limiter.schedule(() => this.send(action, params, options));
    } catch (thrown) {
      const durationMs = Date.now() - started;
      this.metrics.bump(action, "latencyMs", durationMs);
      const { error, delivery } = mapThrown(action, thrown, this.#secrets);
      if (isThrottling(error.code)) {
        this.metrics.bump(action, "throttles");
        slowDown(this.#limiter);
      }
      this.emit({
        type: "failure",
        action,
        attempt,
        code: error.code,
        requestId: error.requestId,
        httpStatus: error.httpStatus,
        retryable: error.retryable,
        delivery,
        durationMs,
      });
      if (!error.retryable || options.idempotent || delivery !== "unknown") throw error;
      return this.settleUnknownWrite(action, options, attempt, error);
    }
    const durationMs = Date.now() - started;
    this.metrics.bump(action, "latencyMs", durationMs);
    speedUp(this.#limiter);
    const env = this.readEnvelope(action, response);
    this.emit({ type: "response", action, attempt, requestId: env.requestId, success: env.success, durationMs });
    return env;
  }

  /** A write may have landed: ask the caller's re-read, never resend blindly. */
  private async settleUnknownWrite(
    action: string,
    options: CallOptions,
    attempt: number,
    error: QuickBIApiError,
  ): Promise<Envelope> {
    if (!options.verify) {
      throw error.with({ outcomeUnknown: true, retryable: false });
    }
    this.metrics.bump(action, "verifies");
    let outcome: VerifyOutcome;
    try {
      outcome = await options.verify();
    } catch {
      // The re-read failed too: we cannot tell, so report the original failure as unknown and stop.
      this.emit({ type: "verify", action, attempt, outcome: "failed" });
      throw error.with({ outcomeUnknown: true, retryable: false });
    }
    if (outcome === "not-applied") {
      this.emit({ type: "verify", action, attempt, outcome: "not-applied" });
      // Proven not applied: a resend is safe, so the retry policy may run it.
      throw error;
    }
    this.emit({ type: "verify", action, attempt, outcome: "applied" });
    this.metrics.bump(action, "synthesized");
    return {
      requestId: "",
      success: true,
      result: typeof outcome === "object" ? outcome.result : true,
      synthesized: true,
    };
  }

  private send(
    action: string,
    params: QueryParams,
    options: CallOptions,
  ): Promise<{ body?: unknown; statusCode?: number }> {
    // Checked as the request leaves the rate limiter's queue, so queued writes stop too.
    assertCallsAllowed(action);
    const p = new $OpenApi.Params({
      action,
      version: API_VERSION,
      protocol: this.#settings.protocol.toUpperCase(),
      pathname: "/",
      method: options.method ?? "POST",
      authType: "AK",
      style: "RPC",
      reqBodyType: "formData",
      bodyType: "json",
    });
    const request = new $OpenApi.OpenApiRequest({
      query: toWire(params),
      ...(options.body ? { body: { ...options.body } } : {}),
    });
    const runtime = new $Util.RuntimeOptions({
      autoretry: false,
      readTimeout: this.#settings.timeoutMs,
      connectTimeout: this.#settings.timeoutMs,
    });
    return this.#sdk.callApi(p, request, runtime);
  }

  private readEnvelope(action: string, response: { body?: unknown; statusCode?: number }): Envelope {
    const body = response.body;
    const rec = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : undefined;
    const requestId = typeof rec?.RequestId === "string" ? rec.RequestId : "";
    // Older doc samples show `"Success":"true"`: the string forms count as the booleans they spell.
    const success =
      rec?.Success === true || rec?.Success === "true"
        ? true
        : rec?.Success === false || rec?.Success === "false"
          ? false
          : undefined;
    if (!rec || success === undefined) {
      throw new QuickBIApiError({
        action,
        code: TransportCodes.MalformedResponse,
        detail: "a 2xx response without a boolean Success field",
        requestId: requestId || undefined,
        httpStatus: response.statusCode,
        retryable: false,
      });
    }
    const code = typeof rec.Code === "string" && rec.Code ? rec.Code : undefined;
    const message =
      typeof rec.Message === "string" && rec.Message ? scrubSecrets(rec.Message, this.#secrets) : undefined;
    return {
      requestId,
      success,
      result: rec.Result,
      ...(code ? { code } : {}),
      ...(message ? { message } : {}),
    };
  }

  private emit(event: ClientEvent): void {
    if (!this.#onEvent) return;
    try {
      this.#onEvent(event);
    } catch {
      // A logging hook must never change the outcome of an API call.
    }
  }
}

/** Resolve settings and build a client in one step (what the service layer calls at request time). */
export async function createClient(
  config: { get(key: string): string | undefined } | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
  options: QuickBIClientOptions = {},
): Promise<QuickBIClient> {
  return new QuickBIClient(await resolveSettings(config, env), options);
}
