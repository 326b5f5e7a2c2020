import * as fs from "node:fs";
import * as path from "node:path";
import { InitFailedError, ProviderError, ProviderHost, UNKNOWN } from "../../engine/host";
import { runProgram, Registration } from "../../engine/program";
import { createWorkspace, findRepoRoot, Workspace } from "../../engine/workspace";
import { Fixture, type CallRecord } from "./fixtures/fileProvider";

let ws: Workspace;
let host: ProviderHost;
let store: string;
let reg: Registration;

beforeAll(async () => {
  ws = await createWorkspace();
  store = path.join(ws.dir, "store");
  fs.mkdirSync(store);
  const run = await runProgram(async () => {
    new Fixture("h1", { key: "h1", value: "v1" });
  });
  reg = run.registrations.find((r) => r.name === "h1")!;
  host = await ProviderHost.start({ cwd: ws.dir, project: "quickbi-access", config: { "fixture:dir": store } });
  await host.configure({ "fixture:dir": store });
});
function readCalls(): CallRecord[] {
  const file = path.join(store, "calls.jsonl");
  return fs.existsSync(file)
    ? fs
        .readFileSync(file, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as CallRecord)
    : [];
}

afterAll(async () => {
  await host?.stop();
  await ws?.cleanup();
});

test("the workspace looks like a user's project: node_modules/pulumi-quickbi links to this repository", () => {
  const link = path.join(ws.dir, "node_modules", "pulumi-quickbi");
  expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
  expect(fs.realpathSync(link)).toBe(fs.realpathSync(findRepoRoot()));
  expect(
    fs.existsSync(path.join(ws.dir, "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js")),
  ).toBe(true);
});

test("check / create / diff / update / read / delete round-trip through the real host", async () => {
  const checked = await host.check(reg.urn, {}, reg.inputs);
  expect(checked.failures).toEqual([]);
  expect(checked.inputs).toMatchObject({ key: "h1", value: "v1" });
  expect(checked.inputs.__provider).toBe(reg.inputs.__provider);

  const created = await host.create(reg.urn, checked.inputs);
  expect(created.id).toMatch(/^h1-/);
  expect(created.properties).toMatchObject({ key: "h1", value: "v1", computed: "out-h1-v1" });

  const same = await host.diff(reg.urn, created.id, created.properties, checked.inputs);
  expect(same).toEqual({ changes: "DIFF_NONE", replaces: [], stables: [], deleteBeforeReplace: false });
  const news = { ...checked.inputs, value: "v2" };
  expect((await host.diff(reg.urn, created.id, created.properties, news)).changes).toBe("DIFF_SOME");
  const rep = await host.diff(reg.urn, created.id, created.properties, { ...news, key: "h1b", dbr: true });
  expect(rep).toMatchObject({ changes: "DIFF_SOME", replaces: ["key"], deleteBeforeReplace: true });

  const updated = await host.update(reg.urn, created.id, created.properties, news);
  expect(updated.properties.computed).toBe("out-h1-v2");

  const read = await host.read(reg.urn, created.id, updated.properties, news);
  expect(read.id).toBe(created.id);
  expect(read.inputs).toMatchObject({ key: "h1", value: "v2" });

  await host.delete(reg.urn, created.id, updated.properties);
  const gone = await host.read(reg.urn, created.id, updated.properties);
  expect(gone.id).toBe("");
});

test("the unknown sentinel passes through check untouched", async () => {
  const checked = await host.check(reg.urn, {}, { ...reg.inputs, ref: UNKNOWN });
  expect(checked.inputs.ref).toBe(UNKNOWN);
});

test("check failures come back as property + reason", async () => {
  const res = await host.check(reg.urn, {}, { ...reg.inputs, failCheck: "nope" });
  expect(res.failures).toEqual([{ property: "value", reason: "nope" }]);
});

test("an error carrying an id surfaces as InitFailedError with the id, properties and reasons from grpc status details", async () => {
  const err = await host.create(reg.urn, { ...reg.inputs, key: "h2", failApply: "init" }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InitFailedError);
  const e = err as InitFailedError;
  expect(e.id).toMatch(/^h2-/);
  expect(e.properties).toMatchObject({ key: "h2", computed: "partial" });
  expect(e.reasons).toEqual(["second half failed"]);
  expect(e.message).toBe("fixture h2 half applied");
  expect(e.method).toBe("Create");
});

test("other failures are ProviderError with the grpc code", async () => {
  const err = await host
    .update(reg.urn, "h3-x", {}, { ...reg.inputs, key: "h3", failApply: "error" })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  expect(err).not.toBeInstanceOf(InitFailedError);
  expect((err as ProviderError).grpcCode).toBe(2);
  expect((err as ProviderError).message).toBe("fixture update refused h3");
});

test("the host is started as the CLI starts it: the engine address last, the project set, no language-host settings", async () => {
  await host.create(reg.urn, { ...reg.inputs, key: "h5" });
  const created = readCalls().find((c) => c.op === "create" && c.key === "h5" && c.phase === "start")!;
  expect(created.host!.argv).toEqual([host.engineAddress]);
  expect(created.host!.env).toEqual({
    PULUMI_NODEJS_ENGINE: null,
    PULUMI_NODEJS_MONITOR: null,
    PULUMI_PROJECT: "quickbi-access",
    PULUMI_NODEJS_PROJECT: "quickbi-access",
    PULUMI_CONFIG: "{}",
  });
});

test("pulumi.log inside the provider prints to the host's stdout, which the engine shows under the stack", async () => {
  const before = host.logs.length;
  await host.create(reg.urn, { ...reg.inputs, key: "h4" });
  // The host's stdout is read apart from the call's answer: on a loaded machine a line can come later, the earlier
  // tests' lines included, so only this create's lines are looked at.
  const ours = () => host.logs.slice(before).filter((l) => l.message.includes("h4"));
  for (const deadline = Date.now() + 5000; ours().length === 0 && Date.now() < deadline;) {
    await new Promise((r) => setTimeout(r, 20));
  }
  await host.settleLogs();
  expect(ours()).toEqual([
    expect.objectContaining({ severity: "info", message: "info: [runtime] fixture created h4", urn: "" }),
  ]);
});

test("a line sent to the engine's Log service at the host's last argument arrives with its URN", async () => {
  const before = host.logs.length;
  await host.create(reg.urn, { ...reg.inputs, key: "h6", engineLogUrn: reg.urn });
  await host.settleLogs();
  expect(host.logs.slice(before)).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ severity: "info", message: "fixture h6 via the engine", urn: reg.urn }),
    ]),
  );
});

test("a killed host reports its exit, and calls fail with ProviderError instead of hanging", async () => {
  const doomed = await ProviderHost.start({ cwd: ws.dir });
  await doomed.configure({ "fixture:dir": store });
  await doomed.kill("SIGKILL");
  expect(doomed.alive).toBe(false);
  expect(doomed.exit).toEqual({ code: null, signal: "SIGKILL" });
  const err = await doomed.check(reg.urn, {}, reg.inputs).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  expect((err as ProviderError).grpcCode).toBe(14); // UNAVAILABLE
  await doomed.stop();
});

test("a provider that cannot be loaded fails with the host's message, and the host's stderr is kept", async () => {
  const broken = {
    ...reg.inputs,
    __provider: 'exports.handler = () => { throw new Error("cannot load provider xyz"); };',
  };
  const err = await host.check(reg.urn, {}, broken).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  expect((err as Error).message).toContain("cannot load provider xyz");
  await new Promise((r) => setTimeout(r, 50));
  expect(host.stderr).toContain("cannot load provider xyz");
});
