/**
 * `npm run demo`, run programmatically: the example stack through preview, up, a staged change, out-of-band edits,
 * refresh and destroy against the embedded emulator, with the offline driver (no Pulumi CLI here). One provider host
 * serves all operations to keep the suite short; `npm run demo` starts one per operation, as the CLI does.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import pidtree from "pidtree";
import { plannedOps, runDemo, type DemoResult, type PhaseResult } from "../../demo";
import { BREAK_GLASS } from "../../demo/phases";

const REPO = path.resolve(__dirname, "../..");

let result: DemoResult;
beforeAll(async () => {
  if (!fs.existsSync(path.join(REPO, "bin/provider/runtime.js"))) {
    throw new Error(
      "bin/provider/runtime.js is missing: run `npm run build` first (the provider host loads the built package)",
    );
  }
  result = await runDemo({ quiet: true, engine: "offline", sharedHost: true });
}, 90_000);

function phase(i: number): PhaseResult {
  return result.phases[i];
}

test("every phase ran and every check passed; exit status 0", () => {
  expect(result.failures).toEqual([]);
  expect(result.exitCode).toBe(0);
  expect(result.phases.map((p) => p.operation)).toEqual([
    "preview",
    "up",
    "preview",
    "preview",
    "up",
    "preview",
    "out-of-band",
    "refresh",
    "preview",
    "up",
    "destroy",
  ]);
  for (const p of result.phases)
    for (const c of p.checks) expect(`${p.title}: ${c.name} ${c.ok}`).toBe(`${p.title}: ${c.name} true`);
});

test("the output says plainly which engine ran, first, and why (--engine offline forces the driver)", () => {
  expect(result.engine).toBe("offline-driver");
  expect(result.lines.slice(0, 6).join("\n")).toMatch(/OFFLINE DRIVER[\s\S]*NOT Pulumi[\s\S]*Why: --engine offline/);
});

test("first preview and up: 8 creates, and the up did what the preview said", () => {
  expect(phase(0).report?.counts).toMatchObject({ create: 8, update: 0, replace: 0, delete: 0 });
  expect(plannedOps(phase(1).report!)).toEqual(plannedOps(phase(0).report!));
  expect(phase(1).writes).toBeGreaterThanOrEqual(8);
});

test("previews and the refresh make no writes", () => {
  for (const p of result.phases.filter((x) => x.operation === "preview" || x.operation === "refresh"))
    expect([p.title, p.writes]).toEqual([p.title, 0]);
});

test("the second preview of an unchanged program shows no changes", () => {
  for (const i of [2, 5]) {
    const r = phase(i).report!;
    expect(plannedOps(r)).toEqual([]);
    expect(r.counts.same).toBe(8);
  }
});

test("the staged change previews + create, ~ update, +- replace, - delete, and the up matches it", () => {
  const preview = phase(3).report!;
  expect(preview.counts).toMatchObject({ create: 1, update: 3, replace: 1, delete: 1 });
  const ops = plannedOps(preview);
  expect(ops).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^create .*QuickBIUser::priya$/),
      expect.stringMatching(/^delete .*QuickBIUser::omar$/),
      expect.stringMatching(/^replace .*WorkspaceMembership::grant-lena$/),
      expect.stringMatching(/^update .*WorkspaceMembership::team-sales-analysts$/),
    ]),
  );
  expect(plannedOps(phase(4).report!)).toEqual(ops);
  expect(result.lines.some((l) => /team-sales-analysts\s+update\s+\[role: analyst→viewer\]/.test(l))).toBe(true);
  expect(phase(4).quickbiChanges).toEqual(
    expect.arrayContaining([
      "~ Nora New in Sales Analytics: analyst → viewer",
      "- user Omar Ops",
      "+ Lena Lead joined Finance as admin",
      "- Lena Lead left Sales Analytics (was admin)",
      "+ Priya New joined group Business",
    ]),
  );
});

test("the provider's access report of the staged preview lists each user's change, and is printed for the PR", () => {
  const entry = phase(3).accessReport.find((e) => e.name === "team-sales-analysts");
  expect(entry?.changes.map((c) => [c.nickName, c.from, c.to]).sort()).toEqual([
    ["Arjun Analyst", "analyst", "viewer"],
    ["Nora New", "analyst", "viewer"],
  ]);
  expect(phase(3).accessReport.find((e) => e.name === "team-platform")?.changes).toEqual([
    expect.objectContaining({ nickName: "Omar Ops", from: "developer" }),
  ]);
  expect(result.lines.join("\n")).toContain("**Quick BI access changes**");
});

test("the out-of-band edits are real signed calls, and the refresh reports the drift", () => {
  expect(phase(6).writes).toBe(2);
  expect(phase(6).quickbiChanges).toEqual([
    "~ Nora New in Sales Analytics: viewer → analyst",
    "- Lena Lead left Finance (was admin)",
  ]);
  const refresh = phase(7).report!;
  expect(refresh.counts).toMatchObject({ "refresh-changed": 1, "refresh-deleted": 1 });
  expect(refresh.steps.find((s) => s.op === "refresh-changed")?.name).toBe("team-sales-analysts");
  expect(refresh.steps.find((s) => s.op === "refresh-deleted")?.name).toBe("grant-lena");
  // The next preview puts it back: the grant is created again and the team's role corrected.
  expect(phase(8).report!.counts).toMatchObject({ create: 1, update: 1, replace: 0, delete: 0 });
  expect(phase(9).quickbiChanges.sort()).toEqual([
    "+ Lena Lead joined Finance as admin",
    "~ Nora New in Sales Analytics: analyst → viewer",
  ]);
});

test("destroy deletes every resource and leaves Quick BI as the demo found it", () => {
  const destroy = phase(10);
  expect(destroy.report?.counts.delete).toBe(8);
  expect(destroy.checks.map((c) => [c.name, c.ok])).toEqual(
    expect.arrayContaining([
      ["the stack's state holds no resources", true],
      ["Quick BI is back to how the demo found it", true],
    ]),
  );
});

test("secret config never reaches the printed output", () => {
  const text = result.lines.join("\n");
  expect(text).not.toContain(BREAK_GLASS.accountName);
  expect(text).toContain("accountName=[secret]");
});

test("a failing step makes the demo fail with a non-zero exit status", async () => {
  const failed = await runDemo({
    quiet: true,
    engine: "offline",
    sharedHost: true,
    program: () => {
      throw new Error("boom from the program");
    },
  });
  expect(failed.ok).toBe(false);
  expect(failed.exitCode).toBe(1);
  expect(failed.failures.join("\n")).toMatch(/boom from the program/);
}, 60_000);

/** An environment with no Pulumi CLI and no Go: no PATH entries but node's, an empty CLI cache, no CLI folder. */
function noCliEnv(): NodeJS.ProcessEnv {
  const { PULUMI_QUICKBI_CLI_DIR: _dir, ...rest } = process.env;
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "no-cli-cache-"));
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "node-only-"));
  fs.symlinkSync(process.execPath, path.join(bin, "node"));
  return { ...rest, PATH: `${bin}:/bin`, PULUMI_QUICKBI_CLI_CACHE: cache };
}

test("the `npm run demo` process exits 1 when the requested engine cannot be had, naming both ways out", () => {
  const r = spawnSync(process.execPath, [path.join(REPO, "bin/demo/index.js"), "--engine", "pulumi", "--no-color"], {
    env: noCliEnv(),
    encoding: "utf8",
    timeout: 30_000,
  });
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(
    /--engine pulumi: no Pulumi CLI could be had: no `pulumi` on PATH, no cached build, and no `go` on PATH/,
  );
  expect(r.stderr).toMatch(/install the official Pulumi CLI[\s\S]*install Go >= 1\.25/);
});

test("`npm run demo` with no CLI and no Go falls back to the offline driver and says why in its banner", async () => {
  // Only the banner matters here (the offline run itself is the first test): stop the demo once it is printed.
  const child = spawn(process.execPath, [path.join(REPO, "bin/demo/index.js"), "--no-color"], { env: noCliEnv() });
  let out = "";
  const banner = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (/^Program: /m.test(out)) resolve(out);
    });
    child.on("exit", (code) => reject(new Error(`the demo exited (${code}) before its banner was complete:\n${out}`)));
  }).finally(async () => {
    // The demo may have started a provider host already: end its whole process tree, not only the demo.
    const tree = child.pid === undefined ? [] : await pidtree(child.pid).catch(() => [] as number[]);
    child.kill("SIGKILL");
    for (const pid of tree) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  });
  expect(banner).toMatch(/OFFLINE DRIVER[\s\S]*NOT Pulumi[\s\S]*Why: no Pulumi CLI could be had: no `pulumi` on PATH/);
}, 60_000);

// Last in the file: the abandoned program keeps the SDK's one program slot (engine/program.ts runs one at a time).
test("a step that never finishes fails the demo at its deadline instead of hanging it", async () => {
  const stuck = await runDemo({
    quiet: true,
    engine: "offline",
    sharedHost: true,
    stepDeadlineMs: 3_000,
    program: () => new Promise<never>(() => undefined),
  });
  expect(stuck.exitCode).toBe(1);
  expect(stuck.failures.join("\n")).toMatch(/did not finish within 3 s/);
}, 60_000);
