import * as util from "node:util";
import {
  DEFAULTS,
  parseEndpoint,
  resolveSettings,
  type CredentialChain,
  type ConfigSource,
} from "../../../provider/api/settings";
import { QuickBIApiError } from "../../../provider/api/errors";

const cfg = (values: Record<string, string>): ConfigSource => ({ get: (k) => values[k] });
const failingChain: CredentialChain = {
  create: () => ({
    getCredential: async () => {
      throw new Error(
        "unable to get credentials from any of the providers in the chain: nothing at https://creds.example/x?token=SHOULD-NOT-LEAK",
      );
    },
  }),
};
const chainWith = (id: string, secret: string): CredentialChain => ({
  create: () => ({ getCredential: async () => ({ accessKeyId: id, accessKeySecret: secret }) }),
});
const ENV_KEYS = { ALIBABA_CLOUD_ACCESS_KEY_ID: "envId", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "envSecret-XYZ" };

async function configError(p: Promise<unknown>): Promise<QuickBIApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(QuickBIApiError);
    expect((e as QuickBIApiError).code).toBe("ConfigurationError");
    return e as QuickBIApiError;
  }
  throw new Error("expected a configuration error");
}

describe("resolveSettings: order", () => {
  it("stack config wins over env for every key", async () => {
    const s = await resolveSettings(
      cfg({
        "quickbi:endpoint": "http://127.0.0.1:4321",
        "quickbi:region": "ap-southeast-1",
        "quickbi:accessKeyId": "cfgId",
        "quickbi:accessKeySecret": "cfgSecret",
        "quickbi:securityToken": "cfgToken",
        "quickbi:maxQps": "3",
        "quickbi:maxRetries": "2",
        "quickbi:timeoutMs": "1500",
        "quickbi:coalesce": "false",
        "quickbi:batchWindowMs": "7",
      }),
      {
        ...ENV_KEYS,
        QUICKBI_ENDPOINT: "http://10.0.0.1:1",
        ALIBABA_CLOUD_REGION: "cn-hongkong",
        QUICKBI_MAX_QPS: "99",
        QUICKBI_MAX_RETRIES: "9",
        QUICKBI_TIMEOUT_MS: "9999",
        QUICKBI_COALESCE: "true",
        QUICKBI_BATCH_WINDOW_MS: "99",
      },
      { credentialChain: failingChain },
    );
    expect(s).toMatchObject({
      endpoint: "127.0.0.1:4321",
      protocol: "http",
      region: "ap-southeast-1",
      maxQps: 3,
      maxRetries: 2,
      timeoutMs: 1500,
      coalesce: false,
      batchWindowMs: 7,
    });
    expect(s.credentials).toMatchObject({
      kind: "static",
      accessKeyId: "cfgId",
      accessKeySecret: "cfgSecret",
      securityToken: "cfgToken",
    });
    expect(s.sources.credentials).toBe("stack config");
    expect(s.sources.endpoint).toBe("stack config quickbi:endpoint");
  });

  it("falls back to env, then defaults; region maps to the regional endpoint", async () => {
    const s = await resolveSettings(
      undefined,
      { ...ENV_KEYS, ALIBABA_CLOUD_REGION_ID: "eu-central-1" },
      { credentialChain: failingChain },
    );
    expect(s.endpoint).toBe("quickbi-public.eu-central-1.aliyuncs.com");
    expect(s.protocol).toBe("https");
    expect(s.region).toBe("eu-central-1");
    expect(s.credentials).toMatchObject({ kind: "static", accessKeyId: "envId" });
    expect(s.sources.credentials).toBe("env");
    expect(s).toMatchObject(DEFAULTS);
  });

  it("ALIBABA_CLOUD_REGION wins over ALIBABA_CLOUD_REGION_ID; no region at all means cn-hangzhou", async () => {
    const a = await resolveSettings(undefined, {
      ...ENV_KEYS,
      ALIBABA_CLOUD_REGION: "cn-hongkong",
      ALIBABA_CLOUD_REGION_ID: "us-east-1",
    });
    expect(a.region).toBe("cn-hongkong");
    const b = await resolveSettings(cfg({}), ENV_KEYS);
    expect(b.region).toBe("cn-hangzhou");
    expect(b.endpoint).toBe("quickbi-public.cn-hangzhou.aliyuncs.com");
  });

  it("uses the credential chain only when neither config nor env has a key", async () => {
    let asked = 0;
    const chain: CredentialChain = {
      create: () => {
        asked++;
        return chainWith("chainId", "chainSecret").create();
      },
    };
    const fromEnv = await resolveSettings(undefined, ENV_KEYS, { credentialChain: chain });
    expect(asked).toBe(0);
    expect(fromEnv.credentials.kind).toBe("static");
    const fromChain = await resolveSettings(undefined, {}, { credentialChain: chain });
    expect(asked).toBe(1);
    expect(fromChain.credentials).toMatchObject({ kind: "provider", accessKeyId: "chainId" });
    expect(fromChain.sources.credentials).toBe("@alicloud/credentials default chain");
  });

  it("a half-configured key pair is an error, not a silent fallback", async () => {
    const e1 = await configError(resolveSettings(cfg({ "quickbi:accessKeyId": "onlyId" }), ENV_KEYS));
    expect(e1.message).toContain("quickbi:accessKeySecret is missing");
    const e2 = await configError(resolveSettings(undefined, { ALIBABA_CLOUD_ACCESS_KEY_SECRET: "s3cr3t-value" }));
    expect(e2.message).toContain("ALIBABA_CLOUD_ACCESS_KEY_ID is missing");
    expect(e2.message).not.toContain("s3cr3t-value");
  });
});

describe("resolveSettings: errors", () => {
  it("lists every place it looked when no credentials exist, without leaking a token from the chain", async () => {
    const e = await configError(resolveSettings(undefined, {}, { credentialChain: failingChain }));
    for (const where of [
      "quickbi:accessKeyId",
      "quickbi:accessKeySecret",
      "ALIBABA_CLOUD_ACCESS_KEY_ID",
      "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
      "@alicloud/credentials default chain",
      "aliyun CLI profile",
      "ECS RAM role",
      "OIDC",
    ]) {
      expect(e.message).toContain(where);
    }
    expect(e.message).toContain("pulumi config set --secret quickbi:accessKeySecret");
    expect(e.message).not.toContain("SHOULD-NOT-LEAK");
  });

  it.each([
    ["quickbi:maxQps", "fast", "maxQps"],
    ["quickbi:maxQps", "0", "maxQps"],
    ["quickbi:maxRetries", "2.5", "maxRetries"],
    ["quickbi:maxRetries", "100", "maxRetries"],
    ["quickbi:timeoutMs", "10", "timeoutMs"],
    ["quickbi:coalesce", "maybe", "coalesce"],
    ["quickbi:batchWindowMs", "-1", "batchWindowMs"],
  ])("%s=%s names the key, the value and the fix", async (key, value) => {
    const e = await configError(resolveSettings(cfg({ [key]: value }), ENV_KEYS));
    expect(e.message).toContain(key);
    expect(e.message).toContain(JSON.stringify(value));
    expect(e.message).toContain(`pulumi config set ${key}`);
  });

  it("a bad env knob names the env variable", async () => {
    const e = await configError(resolveSettings(undefined, { ...ENV_KEYS, QUICKBI_MAX_QPS: "lots" }));
    expect(e.message).toContain("env QUICKBI_MAX_QPS");
  });

  it("rejects a malformed region and endpoint", async () => {
    await configError(resolveSettings(cfg({ "quickbi:region": "Hangzhou!" }), ENV_KEYS));
    await configError(resolveSettings(cfg({ "quickbi:endpoint": "ftp://x" }), ENV_KEYS));
    await configError(resolveSettings(cfg({ "quickbi:endpoint": "http://h/some/path" }), ENV_KEYS));
    await configError(resolveSettings(cfg({ "quickbi:endpoint": "not a host" }), ENV_KEYS));
  });

  it("accepts coalesce spellings", async () => {
    for (const [v, want] of [
      ["TRUE", true],
      ["0", false],
      ["no", false],
      ["1", true],
    ] as const) {
      const s = await resolveSettings(cfg({ "quickbi:coalesce": v }), ENV_KEYS);
      expect(s.coalesce).toBe(want);
    }
  });
});

describe("parseEndpoint", () => {
  it.each([
    ["http://127.0.0.1:8080", { endpoint: "127.0.0.1:8080", protocol: "http" }],
    [
      "https://quickbi-public.cn-hangzhou.aliyuncs.com",
      { endpoint: "quickbi-public.cn-hangzhou.aliyuncs.com", protocol: "https" },
    ],
    [
      "https://quickbi-public.cn-hangzhou.aliyuncs.com/",
      { endpoint: "quickbi-public.cn-hangzhou.aliyuncs.com", protocol: "https" },
    ],
    ["quickbi-public.example.corp", { endpoint: "quickbi-public.example.corp", protocol: "https" }],
    ["localhost:9000", { endpoint: "localhost:9000", protocol: "https" }],
  ])("%s", (raw, want) => {
    expect(parseEndpoint(raw, "test")).toEqual(want);
  });
});

describe("settings never show secrets", () => {
  it("JSON and util.inspect redact the secret and token", async () => {
    const s = await resolveSettings(
      cfg({
        "quickbi:accessKeyId": "LTAIcanaryKeyId1234",
        "quickbi:accessKeySecret": "CANARY-SECRET-abc",
        "quickbi:securityToken": "CANARY-TOKEN-xyz",
      }),
      {},
    );
    for (const text of [
      JSON.stringify(s),
      util.inspect(s, { depth: 10 }),
      JSON.stringify(s.credentials),
      util.inspect(s.credentials),
    ]) {
      expect(text).not.toContain("CANARY-SECRET-abc");
      expect(text).not.toContain("CANARY-TOKEN-xyz");
      expect(text).not.toContain("LTAIcanaryKeyId1234");
    }
    expect(JSON.stringify(s)).toContain("****1234");
    // The real values are still there for the client.
    expect(s.credentials.kind === "static" && s.credentials.accessKeySecret).toBe("CANARY-SECRET-abc");
  });
});
