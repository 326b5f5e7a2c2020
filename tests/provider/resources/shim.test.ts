/**
 * The serialized provider (`__provider`) of each resource, as a real program produces it: small, free of config and
 * credentials, and its only dependency is the installed package's runtime, loaded at call time.
 */
import { runProgram } from "../../../engine/program";
import { GroupMembership, QuickBIUser, WorkspaceMembership } from "pulumi-quickbi";

const SECRET = "s3cr3t-AccessKeySecret-do-not-leak";
const KEY_ID = "LTAI-shim-test-key-id";
const ENDPOINT = "http://127.0.0.1:65000";

let texts: Record<string, string>;
let types: Record<string, string>;

beforeAll(async () => {
  process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = SECRET;
  process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = KEY_ID;
  const run = await runProgram(
    () => {
      new QuickBIUser("ana", {
        accountId: "2000000000000007",
        accountName: "ana@example.com",
        nickName: "Ana",
        userType: "developer",
        roleIds: ["member"],
      });
      new WorkspaceMembership("ws", { workspaceId: "ws-1", userIds: ["u1", "u2"], role: "viewer" });
      new GroupMembership("grp", { userGroupId: "g-1", userId: "u1" });
    },
    {
      config: { "quickbi:endpoint": ENDPOINT, "quickbi:accessKeyId": KEY_ID, "quickbi:accessKeySecret": SECRET },
      secretKeys: ["quickbi:accessKeySecret"],
    },
  );
  expect(run.errors).toEqual([]);
  texts = {};
  types = {};
  for (const r of run.registrations.filter((x) => x.custom)) {
    texts[r.name] = String(r.inputs.__provider);
    types[r.name] = r.type;
  }
});

afterAll(() => {
  delete process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  delete process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
});

test("each resource registers with a descriptive type token", () => {
  expect(types).toEqual({
    ana: "pulumi-nodejs:dynamic/quickbi:QuickBIUser",
    ws: "pulumi-nodejs:dynamic/quickbi:WorkspaceMembership",
    grp: "pulumi-nodejs:dynamic/quickbi:GroupMembership",
  });
});

test.each(["ana", "ws", "grp"])("%s: __provider is small and requires only pulumi-quickbi/runtime", (name) => {
  const text = texts[name];
  // One line naming the runtime and the kind (the closure serializer's text was about 3 KB, stored twice per state).
  expect(text.length).toBeLessThan(120);
  const requires = [...text.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
  expect(new Set(requires)).toEqual(new Set(["pulumi-quickbi/runtime"]));
  // Nothing else is pulled in by value: no zod, no client, no SDK.
  expect(text).not.toMatch(/zod|ZodType|openapi|OpenApi|QuickBIClient|Bottleneck/);
});

test.each(["ana", "ws", "grp"])("%s: __provider holds no config value or credential", (name) => {
  const text = texts[name];
  for (const needle of [SECRET, KEY_ID, ENDPOINT, "65000", "ana@example.com"]) expect(text).not.toContain(needle);
});

test.each([
  ["ana", "user"],
  ["ws", "workspaceMembership"],
  ["grp", "groupMembership"],
])("%s: every method delegates to runtime.provider(%j), resolved only when the host loads it", async (name, kind) => {
  const calls: string[] = [];
  let loaded = 0;
  const runtime = {
    provider: (k: string) => {
      loaded++;
      calls.push(`provider:${k}`);
      return new Proxy(
        {},
        {
          get:
            (_t, method: string) =>
            async (...args: unknown[]) => (calls.push(`${method}:${JSON.stringify(args)}`), { method }),
        },
      );
    },
  };
  const mod = { exports: {} as { handler: () => Record<string, (...args: unknown[]) => Promise<unknown>> } };
  new Function("exports", "require", "module", texts[name])(
    mod.exports,
    (n: string) => {
      if (n === "pulumi-quickbi/runtime") return runtime;
      throw new Error(`unexpected require(${n})`);
    },
    mod,
  );
  expect(loaded).toBe(0); // nothing is resolved before the host asks for the provider
  const provider = mod.exports.handler();
  await provider.configure({ config: {} });
  expect(await provider.check({ a: 1 }, { b: 2 })).toEqual({ method: "check" });
  await provider.delete("id1", { p: 1 });
  expect(calls).toEqual([
    `provider:${kind}`,
    'configure:[{"config":{}}]',
    'check:[{"a":1},{"b":2}]',
    'delete:["id1",{"p":1}]',
  ]);
});

test("the entry point of stacks written before 0.2 (runtime.handler) still serves every kind", async () => {
  const { handler } = await import("../../../provider/runtime");
  for (const kind of ["user", "workspaceMembership", "groupMembership", "workspaceMembers", "groupMembers"]) {
    const h = handler(kind);
    for (const m of ["check", "diff", "create", "read", "update", "delete"] as const)
      expect(typeof h[m]).toBe("function");
  }
});
