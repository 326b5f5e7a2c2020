import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { emptyState, loadState, ResourceState, State, StateSerializer, StateWriter } from "../../engine/state";

function entry(i: number, extra: Partial<ResourceState> = {}): ResourceState {
  return {
    urn: `urn:pulumi:stack::project::t::r${i}`,
    type: "t",
    name: `r${i}`,
    custom: true,
    parent: "",
    id: `id-${i}`,
    inputs: { __provider: "exports.handler = ...", userIds: [`u${i}`, `v${i}`], role: "viewer" },
    outputs: { __provider: "exports.handler = ...", nested: { a: [1, { b: null }], "quote\"key": "line\nbreak" } },
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

describe("StateWriter", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "quickbi-state-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("flush writes the state as it is then, and the file loads back to the same state", () => {
    const file = path.join(dir, "state.json");
    const state = sampleState();
    const writer = new StateWriter(file, () => state);
    writer.flush();
    state.resources[0] = { ...state.resources[0], id: "id-1b", inputs: { role: "admin" } };
    writer.flush();
    expect(loadState(file)).toEqual(state);
    expect(fs.readdirSync(dir)).toEqual(["state.json"]); // temp files renamed away
  });

  it("changed() coalesces a burst of changes into one write and never leaves the last change unwritten", async () => {
    const file = path.join(dir, "state.json");
    const state = sampleState();
    const writer = new StateWriter(file, () => state, 20);
    for (let i = 10; i < 60; i++) {
      state.resources.push(entry(i));
      writer.changed();
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(writer.writes).toBe(1);
    expect(loadState(file)?.resources).toHaveLength(53);
  });
});
