/**
 * A provider host whose engine is killed (SIGKILL: the CLI, a CI runner) notices it and stops: it sends no new
 * Quick BI request and exits, instead of applying for many seconds writes no state will ever record. The engine here
 * is a process of its own (fixtures/orphanEngine.js) that starts the real dynamic-provider host as its child, as the
 * CLI does, and sends 60 creates at once through a client paced at 5 requests a second.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { benchSeed } from "../../bench/scenario";
import { createWorkspace, type Workspace } from "../../engine/workspace";
import { DEMO_ACCESS_KEY, startEmulator, type RunningEmulator } from "pulumi-quickbi/emulator";

const REPO = path.resolve(__dirname, "../..");
const COUNT = 60;

let emu: RunningEmulator;
let ws: Workspace;
beforeAll(async () => {
  emu = await startEmulator({ seed: benchSeed(COUNT) });
  ws = await createWorkspace({ repoRoot: REPO });
});
afterAll(async () => {
  await emu?.stop();
  await ws?.cleanup();
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const writes = () => emu.calls().filter((c) => c.mutated).length;

test("killing the engine stops the host's writes and the host exits", async () => {
  const config = {
    "quickbi:endpoint": emu.url,
    "quickbi:accessKeyId": DEMO_ACCESS_KEY.accessKeyId,
    "quickbi:accessKeySecret": DEMO_ACCESS_KEY.accessKeySecret,
    // Slow pacing: most creates wait in the client's rate limiter when the engine dies.
    "quickbi:maxQps": "5",
    // One window per create: each is its own write.
    "quickbi:coalesce": "false",
  };
  const child = spawn(
    process.execPath,
    [
      path.join(__dirname, "fixtures/orphanEngine.js"),
      JSON.stringify({ repo: REPO, cwd: ws.dir, config, count: COUNT }),
    ],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const hostPid = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /host (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on("exit", (code) => reject(new Error(`the engine stand-in exited (${code}) before starting its creates`)));
  });
  // Let a few writes land, then kill the engine as a crashed CLI dies.
  while (writes() < 3) await sleep(50);
  child.kill("SIGKILL");
  const atKill = writes();

  // The host notices within a quarter of a second and sends nothing new; what was under way may still land.
  let exitedAfterMs = -1;
  for (let t = 0; t < 10_000; t += 100) {
    if (!alive(hostPid)) {
      exitedAfterMs = t;
      break;
    }
    await sleep(100);
  }
  try {
    expect(exitedAfterMs).toBeGreaterThanOrEqual(0);
    const total = writes();
    // At 5 requests a second, a host that kept going would have sent the other ~55 creates over 11 s.
    expect(total - atKill).toBeLessThanOrEqual(3);
    expect(total).toBeLessThan(COUNT / 2);
  } finally {
    if (alive(hostPid)) process.kill(hostPid, "SIGKILL");
  }
}, 60_000);
