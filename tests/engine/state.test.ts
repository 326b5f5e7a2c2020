import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Checkpoint } from "../../engine/checkpoint";
import { emptyState, loadState, ResourceState, State, StateSerializer } from "../../engine/state";

function entry(i: number, extra: Partial<ResourceState> = {}): ResourceState {
  return {
    urn: `urn:pulumi:stack::project::t::r${i}`,
    type: "t",
    name: `r${i}`,
    custom: true,
    parent: "",
    id: `id-${i}`,
    inputs: { __provider: "exports.handler = ...", userIds: [`u${i}`, `v${i}`], role: "viewer" },
    outputs: { __provider: "exports.handler = ...", nested: { a: [1, { b: null }], 'quote"key': "line\nbreak" } },
    dependencies: [],
    ...extra,
  };
}

function sampleState(): State {
  const s = emptyState("salt");
  s.resources.push(entry(1), entry(2, { initErrors: ["half done"], protect: true }), entry(3, { delete: true }));
  s.outputs = { answer: 42 };
  s.pendingOperations.push({ urn: "urn:x", type: "t", op: "create", startedAt: "2026-11-24T00:00:00.000Z" });
  return s;
}

describe("StateSerializer", () => {
  it("writes exactly what JSON.stringify writes", () => {
    const state = sampleState();
    expect(new StateSerializer().serialize(state)).toBe(JSON.stringify(state));
  });

  it("follows entries as the engine changes them: replaced maps, removed flags, undefined fields, new entries", () => {
    const state = sampleState();
    const serializer = new StateSerializer();
    serializer.serialize(state);
    // A step replaces an entry's maps (entryFor / refresh build new objects) ...
    state.resources[0] = { ...state.resources[0], outputs: { __provider: "exports.handler = ...", role: "analyst" } };
    // ... a failed replace takes the mark back, a field can be left undefined ...
    delete state.resources[2].delete;
    state.resources[1].initErrors = undefined;
    // ... and entries come and go.
    state.resources.push(entry(4));
    state.resources.splice(1, 1);
    state.pendingOperations = [];
    const text = serializer.serialize(state);
    expect(text).toBe(JSON.stringify(state));
    expect(JSON.parse(text).resources[0].outputs.role).toBe("analyst");
  });
});

describe("Checkpoint", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "quickbi-state-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes the state as it is when the write runs; the file loads back to the same state, no temp file left", async () => {
    const file = path.join(dir, "state.json");
    const state = sampleState();
    const cp = new Checkpoint(file, () => state, { persist: true, everyStep: true });
    await cp.mutated();
    state.resources[0] = { ...state.resources[0], id: "id-1b", inputs: { role: "admin" } };
    await cp.close();
    expect(loadState(file)).toEqual(state);
    expect(fs.readdirSync(dir)).toEqual(["state.json"]);
  });

  it("every mutation is a write of its own, one after the other, as the file backend's snapshot manager does", async () => {
    const file = path.join(dir, "state.json");
    const state = sampleState();
    const cp = new Checkpoint(file, () => state, { persist: true, everyStep: true });
    const seen: number[] = [];
    const writes = [];
    for (let i = 10; i < 20; i++) {
      state.resources.push(entry(i));
      writes.push(cp.mutated().then(() => seen.push(cp.writes)));
    }
    await Promise.all(writes);
    expect(cp.writes).toBe(10);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(loadState(file)?.resources).toHaveLength(13);
  });

  it("PULUMI_SKIP_CHECKPOINTS writes only at the end, and a preview never", async () => {
    const skip = new Checkpoint(path.join(dir, "skip.json"), () => sampleState(), { persist: true, everyStep: false });
    await skip.mutated();
    expect(fs.existsSync(path.join(dir, "skip.json"))).toBe(false);
    await skip.close();
    expect(skip.writes).toBe(1);
    const preview = new Checkpoint(path.join(dir, "preview.json"), () => sampleState(), {
      persist: false,
      everyStep: true,
    });
    await preview.mutated();
    await preview.close();
    expect(preview.writes).toBe(0);
    expect(fs.existsSync(path.join(dir, "preview.json"))).toBe(false);
  });
});
