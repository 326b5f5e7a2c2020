/**
 * `pulumi up` in the repository root, as far as it can be reproduced without the CLI: the program is what Pulumi.yaml's
 * `main` names (bin/examples/stack/index.js), and the real provider host runs with the repository root as its working
 * directory, so the serialized provider's require("pulumi-quickbi/runtime") resolves through the
 * node_modules/pulumi-quickbi link that `npm ci` (prepare) creates — exactly what the CLI's host would do there.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Engine } from "../../engine/engine";
import type { ProgramFn } from "../../engine/program";
import { startEmulator, type RunningEmulator } from "pulumi-quickbi/emulator";
import { PHASE1, PROJECT, STACK, stackSettings } from "../../demo/phases";

const REPO = path.resolve(__dirname, "../..");
const MAIN = path.join(REPO, "bin/examples/stack/index.js");

let emu: RunningEmulator;
let stateDir: string;
beforeAll(async () => {
  for (const [file, fix] of [
    [MAIN, "run `npm run build`"],
    [path.join(REPO, "node_modules/pulumi-quickbi/package.json"), "run `npm run prepare` (npm ci does it)"],
  ]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: ${fix}`);
  }
  emu = await startEmulator();
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-quickbi-root-"));
});
afterAll(async () => {
  await emu?.stop();
  if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
});

test("the root project's program deploys and destroys with the provider host running in the repository root", async () => {
  const settings = stackSettings(emu.url, PHASE1);
  const engine = new Engine({
    projectDir: REPO,
    statePath: path.join(stateDir, "state.json"),
    project: PROJECT,
    stack: STACK,
    config: settings.values,
    secretKeys: settings.secretKeys,
    secretsPassphrase: "test",
    hostEnv: { ALIBABA_CLOUD_ACCESS_KEY_ID: undefined, ALIBABA_CLOUD_ACCESS_KEY_SECRET: undefined },
  });
  // What the nodejs language host does with `main`: require it, and call it when it exports a function.
  const program = require(MAIN) as ProgramFn;
  const up = await engine.up(program);
  expect(up.errors).toEqual([]);
  expect(up.counts.create).toBe(8);
  expect(emu.state().users.some((u) => u.nickName === "Nora New")).toBe(true);
  const destroy = await engine.destroy();
  expect(destroy.errors).toEqual([]);
  expect(destroy.counts.delete).toBe(8);
  expect(emu.state().users.some((u) => u.nickName === "Nora New")).toBe(false);
}, 90_000);
