/**
 * Shared helpers for every test that talks to the Quick BI emulator.
 *
 * Calls go through the REAL `@alicloud/openapi-client` `callApi`, so every test also exercises real signing
 * (ACS3-HMAC-SHA256 by default, HMAC-SHA1 RPC with `signature: "v2"`) and the real client's error mapping.
 */
import OpenApi, * as $OpenApi from "@alicloud/openapi-client";
import * as $Util from "@alicloud/tea-util";
import {
  DEMO_ACCESS_KEY,
  defaultSeed,
  startEmulator,
  type EmulatorOptions,
  type RunningEmulator,
  type SeedInput,
} from "../../emulator";

export { DEMO_ACCESS_KEY, defaultSeed };
export type { EmulatorOptions, RunningEmulator, SeedInput };

export const API_VERSION = "2022-01-01";

export type SignatureVersion = "v3" | "v2";

export interface ClientOptions {
  /** "v3" = ACS3-HMAC-SHA256 (the client's default), "v2" = HMAC-SHA1 RPC signature. */
  signature?: SignatureVersion;
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
  /** Client read timeout in ms (the client's own default otherwise). */
  readTimeout?: number;
  connectTimeout?: number;
}

export type WireValue = string | number | boolean;

export interface CallOptions {
  method?: "GET" | "POST";
  /** Sent as an application/x-www-form-urlencoded body (like AddUser.RoleIds). */
  body?: Record<string, WireValue>;
  /** API version to send (tests of InvalidVersion); defaults to 2022-01-01. */
  version?: string;
}

/** The parsed success body `{RequestId, Success, Result}`. */
export interface ApiBody<R = unknown> {
  RequestId: string;
  Success: boolean;
  Result: R;
  [key: string]: unknown;
}

export type CallFn = <R = unknown>(
  action: string,
  query?: Record<string, WireValue | undefined>,
  options?: CallOptions,
) => Promise<ApiBody<R>>;

/** What the real client throws for a 4xx/5xx answer (tea ResponseError). */
export interface ApiErrorShape {
  code: string;
  statusCode: number;
  message: string;
  data: {
    RequestId?: string;
    HostId?: string;
    Code?: string;
    Message?: string;
    Recommend?: string;
    statusCode?: number;
  };
}

function toWire(values: Record<string, WireValue | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values ?? {})) if (v !== undefined) out[k] = String(v);
  return out;
}

/**
 * A `call(action, query, {method, body})` function bound to an emulator URL and an access key. Uses the same
 * `callApi` parameters as the generated `@alicloud/quickbi-public20220101` client.
 */
export function makeClient(url: string, options: ClientOptions = {}): CallFn {
  const endpoint = new URL(url).host;
  const config = new $OpenApi.Config({
    accessKeyId: options.accessKeyId ?? DEMO_ACCESS_KEY.accessKeyId,
    accessKeySecret: options.accessKeySecret ?? DEMO_ACCESS_KEY.accessKeySecret,
    securityToken: options.securityToken,
    endpoint,
    protocol: "http",
    signatureAlgorithm: options.signature === "v2" ? "v2" : undefined,
    readTimeout: options.readTimeout,
    connectTimeout: options.connectTimeout,
  });
  const client = new OpenApi(config);
  return async <R = unknown>(
    action: string,
    query?: Record<string, WireValue | undefined>,
    callOptions: CallOptions = {},
  ): Promise<ApiBody<R>> => {
    const params = new $OpenApi.Params({
      action,
      version: callOptions.version ?? API_VERSION,
      protocol: "HTTP",
      pathname: "/",
      method: callOptions.method ?? "POST",
      authType: "AK",
      style: "RPC",
      reqBodyType: "formData",
      bodyType: "json",
    });
    const request = new $OpenApi.OpenApiRequest({
      query: toWire(query),
      body: callOptions.body ? toWire(callOptions.body) : undefined,
    });
    // autoretry off: tests must see exactly one request per call.
    const runtime = new $Util.RuntimeOptions({ autoretry: false });
    const response = await client.callApi(params, request, runtime);
    return response.body as ApiBody<R>;
  };
}

/** Resolves with the client error the promise rejects with; fails the test if it resolves. */
export async function apiError(promise: Promise<unknown>): Promise<ApiErrorShape> {
  let value: unknown;
  try {
    value = await promise;
  } catch (err) {
    const e = err as Partial<ApiErrorShape>;
    return {
      code: String(e.code),
      statusCode: Number(e.statusCode),
      message: String(e.message),
      data: (e.data ?? {}) as ApiErrorShape["data"],
    };
  }
  throw new Error(`expected an API error, got success: ${JSON.stringify(value)}`);
}

export interface TestEmulator extends RunningEmulator {
  /** A client for the seed's first access key (or the options' key). */
  client(options?: ClientOptions): CallFn;
}

/**
 * Starts an emulator on 127.0.0.1:0. `seed` defaults to `defaultSeed()`; a seed without access keys gets the
 * demo key so `emu.client()` works.
 */
export async function startTestEmulator(
  seed: SeedInput = defaultSeed(),
  options: Omit<EmulatorOptions, "seed"> = {},
): Promise<TestEmulator> {
  const withKey: SeedInput =
    seed.accessKeys && seed.accessKeys.length > 0 ? seed : { ...seed, accessKeys: [{ ...DEMO_ACCESS_KEY }] };
  const emu = await startEmulator({ host: "127.0.0.1", port: 0, ...options, seed: withKey });
  const firstKey = withKey.accessKeys![0]!;
  return Object.assign(emu, {
    client: (clientOptions: ClientOptions = {}): CallFn =>
      makeClient(emu.url, {
        accessKeyId: firstKey.accessKeyId,
        accessKeySecret: firstKey.accessKeySecret,
        ...clientOptions,
      }),
  });
}

/** Runs `fn` against a fresh emulator and always stops it. */
export async function withEmulator<T>(
  options: EmulatorOptions & { seed?: SeedInput },
  fn: (emu: TestEmulator) => Promise<T>,
): Promise<T> {
  const { seed, ...rest } = options;
  const emu = await startTestEmulator(seed ?? defaultSeed(), rest);
  try {
    return await fn(emu);
  } finally {
    await emu.stop();
  }
}
