/**
 * Where the client's endpoint, credentials and knobs come from. Resolved at call time (in the provider host's
 * `configure` or first call), never at module load, so nothing here is frozen into the serialized `__provider` text.
 *
 * Order, per setting: stack config `quickbi:*` → environment → default. Credentials come as a pair from ONE source:
 * stack config, else environment, else the `@alicloud/credentials` default chain (CLI profile, OIDC, ECS RAM role, …).
 */
import * as util from "node:util";
import { z } from "zod";
import { QuickBIApiError, TransportCodes } from "./errors";

export interface ConfigSource {
  get(key: string): string | undefined;
}
export type EnvSource = Readonly<Record<string, string | undefined>>;

/** Credentials as the openapi-client consumes them: a static pair, or a provider it asks before each request. */
export type ResolvedCredentials =
  | {
      readonly kind: "static";
      readonly accessKeyId: string;
      readonly accessKeySecret: string;
      readonly securityToken?: string;
    }
  | {
      readonly kind: "provider";
      /** The access key id seen when the chain was first asked (used to key the shared rate limiter). */
      readonly accessKeyId: string;
      /** An `@alicloud/credentials` Credential; refreshes STS tokens by itself. */
      readonly credential: unknown;
    };

export interface ClientSettings {
  /** `host[:port]`, as openapi-client wants it. */
  readonly endpoint: string;
  readonly protocol: "http" | "https";
  readonly region: string;
  readonly credentials: ResolvedCredentials;
  readonly maxQps: number;
  readonly maxRetries: number;
  readonly timeoutMs: number;
  readonly coalesce: boolean;
  readonly batchWindowMs: number;
  /** First retry backoff ceiling and its cap, ms (full jitter). Optional so hand-built settings keep compiling. */
  readonly retryBaseDelayMs?: number;
  readonly retryMaxDelayMs?: number;
  /** Where each setting came from, e.g. `{endpoint: "env QUICKBI_ENDPOINT", credentials: "stack config"}`. */
  readonly sources: Readonly<Record<string, string>>;
}

export const DEFAULT_REGION = "cn-hangzhou";
export const DEFAULTS = {
  maxQps: 10,
  maxRetries: 6,
  timeoutMs: 10_000,
  coalesce: true,
  batchWindowMs: 60,
  retryBaseDelayMs: 200,
  retryMaxDelayMs: 5_000,
} as const;

/** Stack config keys (fully qualified, as the dynamic provider host's `configure` receives them) and env names. */
export const KEYS = {
  endpoint: { config: "quickbi:endpoint", env: ["QUICKBI_ENDPOINT"] },
  region: { config: "quickbi:region", env: ["ALIBABA_CLOUD_REGION", "ALIBABA_CLOUD_REGION_ID"] },
  accessKeyId: { config: "quickbi:accessKeyId", env: ["ALIBABA_CLOUD_ACCESS_KEY_ID"] },
  accessKeySecret: { config: "quickbi:accessKeySecret", env: ["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] },
  securityToken: { config: "quickbi:securityToken", env: ["ALIBABA_CLOUD_SECURITY_TOKEN"] },
  maxQps: { config: "quickbi:maxQps", env: ["QUICKBI_MAX_QPS"] },
  maxRetries: { config: "quickbi:maxRetries", env: ["QUICKBI_MAX_RETRIES"] },
  timeoutMs: { config: "quickbi:timeoutMs", env: ["QUICKBI_TIMEOUT_MS"] },
  coalesce: { config: "quickbi:coalesce", env: ["QUICKBI_COALESCE"] },
  batchWindowMs: { config: "quickbi:batchWindowMs", env: ["QUICKBI_BATCH_WINDOW_MS"] },
  retryBaseDelayMs: { config: "quickbi:retryBaseDelayMs", env: ["QUICKBI_RETRY_BASE_DELAY_MS"] },
  retryMaxDelayMs: { config: "quickbi:retryMaxDelayMs", env: ["QUICKBI_RETRY_MAX_DELAY_MS"] },
  /** The Quick BI user id of the identity the access key belongs to (guards of the authoritative resources). */
  callerUserId: { config: "quickbi:callerUserId", env: ["QUICKBI_CALLER_USER_ID"] },
} as const;
type Knob = keyof typeof KEYS;

/** The credential chain is injectable so tests never touch the real home directory or the ECS metadata service. */
export interface CredentialChain {
  /** Returns an `@alicloud/credentials` Credential-like object with `getCredential()`. */
  create(): { getCredential(): Promise<{ accessKeyId?: string; accessKeySecret?: string }> };
}

export const defaultCredentialChain: CredentialChain = {
  create() {
    // Required here, not at the top: only users who rely on the chain pay for loading it, and nothing about it
    // can end up captured at module level by Pulumi's closure serialization.
    const creds = require("@alicloud/credentials") as typeof import("@alicloud/credentials");
    return new creds.default(null, creds.DefaultCredentialsProvider.builder().build());
  },
};

export interface ResolveOptions {
  readonly credentialChain?: CredentialChain;
}

interface Found {
  readonly value: string;
  readonly source: string;
}

function lookup(knob: Knob, config: ConfigSource | undefined, env: EnvSource): Found | undefined {
  const k = KEYS[knob];
  const fromConfig = config?.get(k.config);
  if (fromConfig !== undefined && fromConfig !== "") return { value: fromConfig, source: `stack config ${k.config}` };
  for (const name of k.env) {
    const v = env[name];
    if (v !== undefined && v !== "") return { value: v, source: `env ${name}` };
  }
  return undefined;
}

function configError(detail: string): QuickBIApiError {
  return new QuickBIApiError({
    action: "Configure",
    code: TransportCodes.ConfigurationError,
    detail,
    retryable: false,
  });
}

const BOOL_WORDS: Readonly<Record<string, boolean>> = {
  true: true,
  false: false,
  "1": true,
  "0": false,
  yes: true,
  no: false,
};

const knobSchemas = {
  maxQps: z.coerce.number().finite().positive().max(10_000),
  maxRetries: z.coerce.number().int().min(0).max(20),
  timeoutMs: z.coerce.number().int().min(100).max(600_000),
  batchWindowMs: z.coerce.number().int().min(0).max(10_000),
  retryBaseDelayMs: z.coerce.number().int().min(1).max(60_000),
  retryMaxDelayMs: z.coerce.number().int().min(1).max(300_000),
  coalesce: z
    .string()
    .transform((s) => s.trim().toLowerCase())
    .refine((s) => s in BOOL_WORDS, "expected true or false")
    .transform((s) => BOOL_WORDS[s]),
} as const;

const KNOB_HINTS: Readonly<Record<keyof typeof knobSchemas, string>> = {
  maxQps: "a number of requests per second > 0 (e.g. 10)",
  maxRetries: "a whole number from 0 to 20 (e.g. 6)",
  timeoutMs: "a whole number of milliseconds from 100 to 600000 (e.g. 10000)",
  batchWindowMs: "a whole number of milliseconds from 0 to 10000 (e.g. 20)",
  retryBaseDelayMs: "a whole number of milliseconds from 1 to 60000 (e.g. 200)",
  retryMaxDelayMs: "a whole number of milliseconds from 1 to 300000 (e.g. 5000)",
  coalesce: "true or false",
};

function knob<K extends keyof typeof knobSchemas>(
  name: K,
  config: ConfigSource | undefined,
  env: EnvSource,
  sources: Record<string, string>,
): z.output<(typeof knobSchemas)[K]> {
  const found = lookup(name, config, env);
  if (found === undefined) {
    sources[name] = "default";
    return DEFAULTS[name] as z.output<(typeof knobSchemas)[K]>;
  }
  const parsed = knobSchemas[name].safeParse(found.value);
  if (!parsed.success) {
    throw configError(
      `${found.source} is ${JSON.stringify(found.value)}, which is not valid: expected ${KNOB_HINTS[name]}. ` +
        `Fix it with \`pulumi config set ${KEYS[name].config} <value>\` or by correcting ${KEYS[name].env[0]}.`,
    );
  }
  sources[name] = found.source;
  return parsed.data as z.output<(typeof knobSchemas)[K]>;
}

const REGION_RE = /^[a-z]{2,}(-[a-z0-9]+)+$/;
const HOST_RE = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** `http://127.0.0.1:1234`, `https://quickbi-public.cn-hangzhou.aliyuncs.com` or a bare host (https). */
export function parseEndpoint(raw: string, source: string): { endpoint: string; protocol: "http" | "https" } {
  const value = raw.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw configError(
        `${source} is ${JSON.stringify(value)}, which is not a valid URL (e.g. http://127.0.0.1:8080).`,
      );
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw configError(
        `${source} uses ${url.protocol.replace(":", "")}; only http and https endpoints are supported.`,
      );
    }
    if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.username || url.password) {
      throw configError(
        `${source} must be a scheme and host[:port] only (Quick BI's RPC API lives at "/"), e.g. https://quickbi-public.cn-hangzhou.aliyuncs.com.`,
      );
    }
    return { endpoint: url.host, protocol: url.protocol === "http:" ? "http" : "https" };
  }
  if (!HOST_RE.test(value)) {
    throw configError(`${source} is ${JSON.stringify(value)}, which is neither a URL nor a host[:port].`);
  }
  return { endpoint: value, protocol: "https" };
}

export function regionEndpoint(region: string): string {
  return `quickbi-public.${region}.aliyuncs.com`;
}

/** Messages from the credential chain can carry a credentials URI; drop query strings so no token leaks. */
function scrub(message: string): string {
  return message.replace(/(https?:\/\/[^\s?]+)\?\S*/g, "$1?…").slice(0, 800);
}

const WHERE_WE_LOOKED = [
  `stack config ${KEYS.accessKeyId.config} + ${KEYS.accessKeySecret.config} (+ ${KEYS.securityToken.config})`,
  `env ${KEYS.accessKeyId.env[0]} + ${KEYS.accessKeySecret.env[0]} (+ ${KEYS.securityToken.env[0]})`,
  "the @alicloud/credentials default chain: env, OIDC (ALIBABA_CLOUD_ROLE_ARN + ALIBABA_CLOUD_OIDC_TOKEN_FILE), " +
    "aliyun CLI profile (~/.aliyun/config.json), ~/.alibabacloud/credentials, ECS RAM role (instance metadata), " +
    "ALIBABA_CLOUD_CREDENTIALS_URI",
];

async function resolveCredentials(
  config: ConfigSource | undefined,
  env: EnvSource,
  chain: CredentialChain,
  sources: Record<string, string>,
): Promise<ResolvedCredentials> {
  const cfgId = config?.get(KEYS.accessKeyId.config);
  const cfgSecret = config?.get(KEYS.accessKeySecret.config);
  if (cfgId || cfgSecret) {
    if (!cfgId || !cfgSecret) {
      const missing = cfgId ? KEYS.accessKeySecret.config : KEYS.accessKeyId.config;
      throw configError(
        `stack config sets only one half of the access key: ${missing} is missing. ` +
          `Set both with \`pulumi config set ${KEYS.accessKeyId.config} <id>\` and ` +
          `\`pulumi config set --secret ${KEYS.accessKeySecret.config} <secret>\`, or set neither.`,
      );
    }
    sources.credentials = "stack config";
    const token = config?.get(KEYS.securityToken.config);
    return {
      kind: "static",
      accessKeyId: cfgId,
      accessKeySecret: cfgSecret,
      ...(token ? { securityToken: token } : {}),
    };
  }
  const envId = env[KEYS.accessKeyId.env[0]];
  const envSecret = env[KEYS.accessKeySecret.env[0]];
  if (envId || envSecret) {
    if (!envId || !envSecret) {
      const missing = envId ? KEYS.accessKeySecret.env[0] : KEYS.accessKeyId.env[0];
      throw configError(
        `the environment sets only one half of the access key: ${missing} is missing. Set both, or neither.`,
      );
    }
    sources.credentials = "env";
    const token = env[KEYS.securityToken.env[0]];
    return {
      kind: "static",
      accessKeyId: envId,
      accessKeySecret: envSecret,
      ...(token ? { securityToken: token } : {}),
    };
  }
  let failure: string;
  try {
    const credential = chain.create();
    const model = await credential.getCredential();
    if (model.accessKeyId && model.accessKeySecret) {
      sources.credentials = "@alicloud/credentials default chain";
      return { kind: "provider", accessKeyId: model.accessKeyId, credential };
    }
    failure = "the chain returned no access key";
  } catch (e) {
    failure = scrub(e instanceof Error ? e.message : String(e));
  }
  throw configError(
    "no Alibaba Cloud credentials found. Looked in, in order: " +
      WHERE_WE_LOOKED.map((w, i) => `(${i + 1}) ${w}`).join("; ") +
      `. The chain said: ${failure}. ` +
      `Fix: \`pulumi config set ${KEYS.accessKeyId.config} <id>\` and ` +
      `\`pulumi config set --secret ${KEYS.accessKeySecret.config} <secret>\`, or export ` +
      `${KEYS.accessKeyId.env[0]} and ${KEYS.accessKeySecret.env[0]}.`,
  );
}

/**
 * `quickbi:callerUserId` (or its environment variable), read when a handler needs it: not a client setting, so a
 * stack without it still reaches Quick BI.
 */
export function resolveCallerUserId(
  config: ConfigSource | undefined,
  env: EnvSource = process.env,
): string | undefined {
  return lookup("callerUserId", config, env)?.value.trim() || undefined;
}

/**
 * Resolves everything the client needs. Throws `QuickBIApiError` with code `ConfigurationError` naming the key, the
 * bad value (never a secret one) and the fix.
 */
export async function resolveSettings(
  config: ConfigSource | undefined,
  env: EnvSource = process.env,
  options: ResolveOptions = {},
): Promise<ClientSettings> {
  const sources: Record<string, string> = {};

  const regionFound = lookup("region", config, env);
  const region = regionFound?.value.trim() ?? DEFAULT_REGION;
  if (!REGION_RE.test(region)) {
    throw configError(
      `${regionFound?.source ?? "region"} is ${JSON.stringify(region)}, which is not a region id (e.g. cn-hangzhou, ap-southeast-1).`,
    );
  }
  sources.region = regionFound?.source ?? "default";

  const endpointFound = lookup("endpoint", config, env);
  let endpoint: string;
  let protocol: "http" | "https";
  if (endpointFound) {
    ({ endpoint, protocol } = parseEndpoint(endpointFound.value, endpointFound.source));
    sources.endpoint = endpointFound.source;
  } else {
    endpoint = regionEndpoint(region);
    protocol = "https";
    sources.endpoint = `region (${sources.region})`;
  }

  const maxQps = knob("maxQps", config, env, sources);
  const maxRetries = knob("maxRetries", config, env, sources);
  const timeoutMs = knob("timeoutMs", config, env, sources);
  const coalesce = knob("coalesce", config, env, sources);
  const batchWindowMs = knob("batchWindowMs", config, env, sources);
  const retryBaseDelayMs = knob("retryBaseDelayMs", config, env, sources);
  const retryMaxDelayMs = knob("retryMaxDelayMs", config, env, sources);

  const credentials = await resolveCredentials(config, env, options.credentialChain ?? defaultCredentialChain, sources);

  return redacted({
    endpoint,
    protocol,
    region,
    credentials,
    maxQps,
    maxRetries,
    timeoutMs,
    coalesce,
    batchWindowMs,
    retryBaseDelayMs,
    retryMaxDelayMs,
    sources,
  });
}

/**
 * Settings live only in the host process. If one is ever logged, JSON-serialized or captured by mistake, it shows
 * the access key id's last 4 characters and no secret.
 */
export function redacted(s: ClientSettings): ClientSettings {
  const safe = (): Record<string, unknown> => ({
    ...s,
    credentials: { kind: s.credentials.kind, accessKeyId: maskKeyId(s.credentials.accessKeyId) },
  });
  const credentials = Object.defineProperties(
    { ...s.credentials },
    {
      toJSON: { value: () => safe().credentials, enumerable: false },
      [util.inspect.custom]: { value: () => safe().credentials, enumerable: false },
    },
  ) as ResolvedCredentials;
  return Object.defineProperties(
    { ...s, credentials },
    {
      toJSON: { value: safe, enumerable: false },
      [util.inspect.custom]: { value: safe, enumerable: false },
    },
  ) as ClientSettings;
}

export function maskKeyId(id: string): string {
  return id.length <= 4 ? "****" : `****${id.slice(-4)}`;
}
