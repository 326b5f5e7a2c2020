// Shared set-up for the engine tests: a user-like project dir, a store dir for the fixture provider, and readers for
// what the provider recorded.
import * as fs from "node:fs";
import * as path from "node:path";
import { createWorkspace, Workspace } from "../../engine/workspace";
import { Engine, EngineOptions } from "../../engine/engine";
import { ProviderHost } from "../../engine/host";
import type { CallRecord } from "./fixtures/fileProvider";

export interface Harness {
  ws: Workspace;
  store: string;
  host: ProviderHost;
  engine(opts?: Partial<EngineOptions>): Engine;
  calls(): CallRecord[];
  clearCalls(): void;
  objects(): Record<string, Record<string, unknown>>;
  close(): Promise<void>;
}

export async function harness(): Promise<Harness> {
  const ws = await createWorkspace();
  const store = path.join(ws.dir, "store");
  fs.mkdirSync(path.join(store, "objects"), { recursive: true });
  const host = await ProviderHost.start({ cwd: ws.dir });
  const callsFile = path.join(store, "calls.jsonl");
  return {
    ws,
    store,
    host,
    engine: (opts = {}) => new Engine({ projectDir: ws.dir, config: { "fixture:dir": store }, host, ...opts }),
    calls: () =>
      fs.existsSync(callsFile)
        ? fs
            .readFileSync(callsFile, "utf8")
            .trim()
            .split("\n")
            .filter(Boolean)
            .map((l) => JSON.parse(l) as CallRecord)
        : [],
    clearCalls: () => fs.rmSync(callsFile, { force: true }),
    objects: () => {
      const dir = path.join(store, "objects");
      const out: Record<string, Record<string, unknown>> = {};
      for (const f of fs.readdirSync(dir))
        out[f.replace(/\.json$/, "")] = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
      return out;
    },
    close: async () => {
      await host.stop();
      await ws.cleanup();
    },
  };
}

/** "op:key" for provider-side calls, keeping only the start of create/update/delete. */
export function trace(calls: CallRecord[]): string[] {
  return calls.filter((c) => c.phase !== "end").map((c) => `${c.op}:${c.key}`);
}

/** Largest number of create/update/delete calls the provider had in flight at once. */
export function maxInflight(calls: CallRecord[]): number {
  return Math.max(0, ...calls.filter((c) => c.phase === "start").map((c) => c.inflight ?? 0));
}
