/**
 * Canary secrets across every path: a unique access key secret and STS token (plus a wrong secret and an
 * environment-only secret used to force errors) are given to real programs run through the offline engine and the
 * real provider host against the emulator. None may appear in the serialized `__provider`, the state file, stack
 * outputs, reports (CLI text included), provider logs, the host's stdout/stderr, error messages of every kind
 * (bad signature, throttling, business errors, partial batches, lost connections, missing credentials) or the
 * emulator's introspection. Secret config read by the program stays a secret Output.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as quickbi from "pulumi-quickbi";
import { defaultSeed, startEmulator, type RunningEmulator } from "pulumi-quickbi/emulator";
import { Engine } from "../../engine/engine";
import { ProviderHost } from "../../engine/host";
import { runProgram, type ProgramFn } from "../../engine/program";
import { formatReport, type RunReport } from "../../engine/report";
import { createWorkspace, type Workspace } from "../../engine/workspace";

jest.setTimeout(60_000);
const REPO = path.resolve(__dirname, "../..");
const tag = () => randomBytes(6).toString("hex");
const KEY_ID = `LTAIcanary${tag()}`;
const SECRET = `CANARY-SECRET-${tag()}`;
const TOKEN = `CANARY-TOKEN-${tag()}`;
const WRONG = `CANARY-WRONG-${tag()}`;
const ENV_SECRET = `CANARY-ENV-${tag()}`;
const CANARIES = { SECRET, TOKEN, WRONG, ENV_SECRET };

const SALES = "5f3e2c1a-8b7d-4e6f-9a0b-1c2d3e4f5a01";
const VICTOR = "b8c7d9eafb0c4d5e6db7c8d9eafb0c08";
const PAVEL = "b2e1d3c4f5a6479807b1c2d3e4f5a602";
const SECRET_KEYS = ["quickbi:accessKeySecret", "quickbi:securityToken"];
const NO_CREDENTIAL_ENV = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: undefined,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: undefined,
  ALIBABA_CLOUD_SECURITY_TOKEN: undefined,
  QUICKBI_ENDPOINT: undefined,
};

let emu: RunningEmulator;
let ws: Workspace;
let host: ProviderHost;
/** Everything produced along the way: where it came from, and its text. */
const seen: { where: string; text: string }[] = [];

function record(where: string, value: unknown): void {
  seen.push({ where, text: typeof value === "string" ? value : (JSON.stringify(value) ?? String(value)) });
}
function recordReport(where: string, r: RunReport): void {
  record(`${where}: report`, r);
  record(`${where}: CLI text`, formatReport(r));
}
function leaks(text: string): string[] {
  return Object.entries(CANARIES)
    .filter(([, v]) => text.includes(v))
    .map(([k]) => k);
}

function config(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const all: Record<string, string | undefined> = {
    "quickbi:endpoint": emu.url,
    "quickbi:accessKeyId": KEY_ID,
    "quickbi:accessKeySecret": SECRET,
    "quickbi:securityToken": TOKEN,
    "quickbi:maxRetries": "1",
    "quickbi:retryBaseDelayMs": "5",
    "quickbi:retryMaxDelayMs": "20",
    "quickbi:timeoutMs": "1000",
    ...extra,
  };
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
}

/**
 * `own`: a host of its own for each operation, as the CLI launches it. Needed whenever the config differs from the
 * shared host's: the dynamic-provider host configures each provider once per process.
 */
function engine(name: string, extra: Record<string, string | undefined> = {}, h: ProviderHost | "own" = host): Engine {
  return new Engine({
    projectDir: ws.dir,
    statePath: path.join(ws.dir, `${name}.json`),
    config: config(extra),
    secretKeys: SECRET_KEYS,
    secretsPassphrase: "canary-test",
    ...(h === "own" ? { hostEnv: NO_CREDENTIAL_ENV, callTimeoutMs: 60_000, onHostStarted: watch } : { host: h }),
  });
}

/** Hosts started per operation: their output and logs are audited too. */
const ownHosts: ProviderHost[] = [];
function watch(h: ProviderHost): void {
  ownHosts.push(h);
}

/** A program that also reads the secret config itself and exports it. */
function program(opts: { workspaceId?: string; members?: string[] } = {}): ProgramFn {
  return () => {
    const cfg = new pulumi.Config("quickbi");
    const user = new quickbi.QuickBIUser("canary-user", {
      accountId: "2000000000000077",
      accountName: "demo-corp@aliyun.com:canary",
      nickName: "Canary User",
      userType: "analyst",
    });
    new quickbi.WorkspaceMembership("canary-ws", {
      workspaceId: opts.workspaceId ?? SALES,
      userIds: [user.userId, ...(opts.members ?? [PAVEL])],
      role: "viewer",
    });
    return {
      userId: user.userId,
      key: cfg.requireSecret("accessKeySecret"),
      token: cfg.requireSecret("securityToken"),
    };
  };
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(REPO, "bin/provider/runtime.js"))) throw new Error("run `npm run build` first");
  emu = await startEmulator({
    seed: { ...defaultSeed(), accessKeys: [{ accessKeyId: KEY_ID, accessKeySecret: SECRET }] },
    randomSeed: 3,
  });
  ws = await createWorkspace({ repoRoot: REPO });
  host = await ProviderHost.start({ cwd: ws.dir, env: NO_CREDENTIAL_ENV, callTimeoutMs: 60_000 });
});
afterAll(async () => {
  await host?.stop();
  await emu?.stop();
  await ws?.cleanup();
});

test("the scanner finds a planted canary (the audit below can fail)", () => {
  expect(leaks(`... ${SECRET} ...`)).toEqual(["SECRET"]);
  expect(leaks(JSON.stringify(config()))).toEqual(["SECRET", "TOKEN"]);
});

test("secret config stays secret through the program; __provider holds no credential", async () => {
  let keyOut: pulumi.Output<string> | undefined;
  let matches = false;
  const run = await runProgram(
    () => {
      const cfg = new pulumi.Config("quickbi");
      keyOut = cfg.requireSecret("accessKeySecret");
      pulumi.unsecret(keyOut).apply((v) => {
        matches = v === SECRET;
      });
      new quickbi.QuickBIUser("u", {
        accountId: "2000000000000078",
        accountName: "a:b",
        nickName: "N",
        userType: "developer",
      });
      return { key: keyOut, derived: keyOut.apply((k) => k.length) };
    },
    { config: config(), secretKeys: SECRET_KEYS },
  );
  expect(run.errors).toEqual([]);
  expect(matches).toBe(true);
  expect(await pulumi.isSecret(keyOut!)).toBe(true);
  // Derived values stay secret too, and the stack outputs are marked secret.
  expect(run.secretStackOutputs.sort()).toEqual(["derived", "key"]);
  const provider = run.registrations.find((r) => r.custom)?.inputs.__provider;
  expect(typeof provider).toBe("string");
  expect((provider as string).length).toBeLessThan(20_000);
  record("__provider text", provider);
  record(
    "registrations (inputs, incl. __provider)",
    run.registrations.map((r) => r.inputs),
  );
});

test("a successful lifecycle: preview, up, refresh, destroy", async () => {
  const e = engine("ok");
  const preview = await e.preview(program());
  expect(preview.errors).toEqual([]);
  recordReport("preview", preview);
  const up = await e.up(program());
  expect(up.errors).toEqual([]);
  expect(up.outputs.key).toBe("[secret]");
  expect(up.outputs.token).toBe("[secret]");
  recordReport("up", up);
  record("state file after up", fs.readFileSync(e.statePath, "utf8"));
  // The outputs decrypt to the canary, so the state file does hold them: sealed, not in plain text.
  const outs = e.stackOutputs();
  expect(outs.outputs.key).toBe(SECRET);
  expect(outs.secretKeys.sort()).toEqual(["key", "token"]);
  const refresh = await e.refresh();
  expect(refresh.errors).toEqual([]);
  recordReport("refresh", refresh);
  const destroy = await e.destroy();
  expect(destroy.errors).toEqual([]);
  recordReport("destroy", destroy);
  record("state file after destroy", fs.readFileSync(e.statePath, "utf8"));
});

describe("errors of every kind carry codes and RequestIds, never a credential", () => {
  async function failingUp(
    name: string,
    p: ProgramFn,
    extra: Record<string, string | undefined> = {},
    expectText: RegExp,
  ): Promise<RunReport> {
    emu.reset();
    const e = engine(name, extra, Object.keys(extra).length > 0 ? "own" : host);
    const r = await e.up(p);
    expect(r.ok).toBe(false);
    expect(r.errors.join("\n")).toMatch(expectText);
    recordReport(name, r);
    if (fs.existsSync(e.statePath)) record(`${name}: state file`, fs.readFileSync(e.statePath, "utf8"));
    return r;
  }

  test("bad signature (wrong secret)", async () => {
    await failingUp(
      "bad signature",
      program(),
      { "quickbi:accessKeySecret": WRONG },
      /SignatureDoesNotMatch.*RequestId/s,
    );
  });

  test("throttling that outlasts the retries", async () => {
    emu.setFaults({ rules: [{ errorRate: 1, errorCode: "Throttling.User" }] });
    try {
      await failingUp("throttling", program(), {}, /Throttling\.User/);
    } finally {
      emu.setFaults({});
    }
  });

  test("business error (a workspace that does not exist)", async () => {
    await failingUp(
      "business error",
      program({ workspaceId: "no-such-workspace" }),
      {},
      /Workspace\.Not\.Exist|Workspace\.NotIn\.Organization/,
    );
  });

  test("a half-applied batch (partial create with properties)", async () => {
    const r = await failingUp("partial batch", program({ members: [PAVEL, VICTOR] }), {}, /Viewer\.AddInTo\.Workspace/);
    expect(r.steps.some((s) => s.detail?.includes("partially created"))).toBe(true);
  });

  test("connections cut before and after applying (outcome unknown)", async () => {
    emu.setFaults({
      rules: [
        { resetRate: 1, actions: ["QueryUserInfoByAccount", "QueryUserList"] },
        { failAfterApplyRate: 1, actions: ["AddUser"] },
      ],
    });
    try {
      await failingUp("connection cut", program(), {}, /ConnectionReset|RequestTimeout|outcome/i);
    } finally {
      emu.setFaults({});
    }
  });

  test("missing credentials: the secret is set but the key id is not", async () => {
    await failingUp(
      "half key in config",
      program(),
      { "quickbi:accessKeyId": undefined },
      /quickbi:accessKeyId is missing/,
    );
  });

  test("missing credentials: only the environment's secret is set (own host)", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "canary-home-"));
    const envHost = await ProviderHost.start({
      cwd: ws.dir,
      env: {
        ...NO_CREDENTIAL_ENV,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: ENV_SECRET,
        HOME: home,
        ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
      },
      callTimeoutMs: 60_000,
    });
    try {
      const e = engine(
        "env half",
        { "quickbi:accessKeyId": undefined, "quickbi:accessKeySecret": undefined, "quickbi:securityToken": undefined },
        envHost,
      );
      const r = await e.up(program());
      expect(r.ok).toBe(false);
      expect(r.errors.join("\n")).toMatch(/ALIBABA_CLOUD_ACCESS_KEY_ID is missing/);
      recordReport("env half", r);
      await envHost.settleLogs().catch(() => undefined);
      record("env host stderr", envHost.stderr);
      record("env host stdout", envHost.stdout);
      record("env host logs", envHost.logs);
    } finally {
      await envHost.stop();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

test("no canary anywhere: reports, state, logs, host output, emulator introspection", async () => {
  await host.settleLogs().catch(() => undefined);
  record("host stderr", host.stderr);
  record("host stdout", host.stdout);
  record("provider logs", host.logs);
  expect(ownHosts.length).toBeGreaterThanOrEqual(2);
  for (const [i, h] of ownHosts.entries()) {
    record(`own host ${i} stderr`, h.stderr);
    record(`own host ${i} stdout`, h.stdout);
    record(`own host ${i} logs`, h.logs);
  }
  for (const p of ["/__emulator/state", "/__emulator/calls", "/__emulator/faults", "/__emulator/health"]) {
    const res = await fetch(`${emu.url}${p}`);
    record(`emulator ${p}`, await res.text());
  }
  // The emulator saw the canary key's calls (the call log names the key id, never its secret or token).
  expect(emu.calls().filter((c) => c.accessKeyId === KEY_ID).length).toBeGreaterThan(20);
  // Every path was exercised.
  expect(seen.length).toBeGreaterThanOrEqual(30);
  const found = seen.map((s) => ({ where: s.where, leaks: leaks(s.text) })).filter((s) => s.leaks.length > 0);
  expect(found).toEqual([]);
});
