/**
 * `npm run pulumi-cli` (scripts/pulumi-cli.js): which CLI it settles on — a `pulumi` on PATH, a cached build, a new
 * build, or none — run as the real script in a child process with a controlled PATH and cache folder. The Go build
 * itself is not repeated here (CI runs `npm run pulumi-cli` for real before the tests): a stand-in `go` on PATH
 * records the commands the script runs and answers like the go command, so the wrapper module, the mirrored
 * `replace`, the version stamp and the atomic publication of the cache are checked in seconds.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "../..");
const SCRIPT = path.join(REPO, "scripts/pulumi-cli.js");
const cli = require(SCRIPT) as {
  PULUMI_VERSION: string;
  moduleReplaces(goMod: string): { from: string; to: string }[];
};

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cli-test-"));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** An executable Node script at `file`. */
function writeExe(file: string, body: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!${process.execPath}\n${body}\n`, { mode: 0o755 });
  return file;
}

function fakePulumi(file: string, version = "v3.999.0"): string {
  return writeExe(
    file,
    `if (process.argv[2] === "version") console.log(${JSON.stringify(version)}); else process.exit(2);`,
  );
}

/**
 * A stand-in `go`: answers `env GOVERSION`, `mod init/download/edit`, `get`, `list` (refused like the proxy here) and
 * `build -o OUT` (writes a `pulumi` that prints the version from -ldflags), and logs every call as a JSON line.
 */
function fakeGo(dir: string, opts: { version?: string; failBuild?: boolean; buildMs?: number } = {}): { log: string } {
  fs.mkdirSync(dir, { recursive: true });
  const log = path.join(dir, "go-calls.jsonl");
  const pkgMod = path.join(dir, "pkg.mod");
  fs.writeFileSync(
    pkgMod,
    [
      "module github.com/pulumi/pulumi/pkg/v3",
      "",
      "go 1.26.6",
      "",
      "replace github.com/pulumi/pulumi/sdk/v3 => ../sdk",
      "",
      "replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e",
      "",
      "require github.com/atotto/clipboard v0.1.4",
    ].join("\n"),
  );
  writeExe(
    path.join(dir, "go"),
    `
const fs = require("node:fs"), path = require("node:path");
const a = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args: a, cwd: process.cwd() }) + "\\n");
const is = (...p) => p.every((x, i) => a[i] === x);
if (is("env", "GOVERSION")) { console.log(${JSON.stringify(opts.version ?? "go1.26.0")}); process.exit(0); }
if (is("mod", "init")) { fs.writeFileSync("go.mod", "module " + a[2] + "\\n\\ngo 1.26\\n"); process.exit(0); }
if (is("mod", "download")) { console.log(JSON.stringify({ Path: "x", GoMod: ${JSON.stringify(pkgMod)} })); process.exit(0); }
if (is("mod", "edit")) { fs.appendFileSync("go.mod", "replace " + a[2].slice("-replace=".length) + "\\n"); process.exit(0); }
if (is("get")) { fs.appendFileSync("go.mod", "require " + a[1] + "\\n"); process.exit(0); }
if (is("list")) {
  console.error("go: module github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3: reading https://proxy.example/@v/list: 403 Forbidden");
  process.exit(1);
}
if (is("build")) {
  if (${opts.failBuild === true}) { console.error("compile error: boom"); process.exit(1); }
  const out = a[a.indexOf("-o") + 1];
  const version = /version\\.Version=(\\S+)/.exec(a[a.indexOf("-ldflags") + 1])[1];
  const write = () => {
    fs.writeFileSync(out, "#!${process.execPath}\\nif (process.argv[2] === 'version') console.log(" + JSON.stringify(version) + ");\\n", { mode: 0o755 });
    process.exit(0);
  };
  setTimeout(write, ${opts.buildMs ?? 0});
} else { console.error("fake go: unexpected " + a.join(" ")); process.exit(3); }
`,
  );
  return { log };
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The last stdout line: the folder the script settled on. */
  folder: string;
}

function env(pathDirs: string[], cache: string): NodeJS.ProcessEnv {
  // Only the folders given, plus the system's shell tools: never the machine's own `pulumi` or `go`.
  return { HOME: os.homedir(), PATH: [...pathDirs, "/bin"].join(path.delimiter), PULUMI_QUICKBI_CLI_CACHE: cache };
}

function toRun(r: Pick<SpawnSyncReturns<string>, "status" | "stdout" | "stderr">): Run {
  const lines = r.stdout.trim().split("\n");
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, folder: lines[lines.length - 1] ?? "" };
}

function runScript(pathDirs: string[], cache: string): Run {
  return toRun(spawnSync(process.execPath, [SCRIPT], { env: env(pathDirs, cache), encoding: "utf8", timeout: 60_000 }));
}

function runScriptAsync(pathDirs: string[], cache: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT], { env: env(pathDirs, cache) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve(toRun({ status, stdout, stderr })));
  });
}

const goCalls = (log: string): { args: string[]; cwd: string }[] =>
  fs.existsSync(log)
    ? fs
        .readFileSync(log, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { args: string[]; cwd: string })
    : [];

test("an official install on PATH (bin/ with Pulumi's Node plugin) is used in place, and wins over a cached build", () => {
  const official = path.join(tmp, "home/.pulumi/bin");
  fakePulumi(path.join(official, "pulumi"));
  writeExe(path.join(official, "pulumi-resource-pulumi-nodejs"), "");
  const cache = path.join(tmp, "cache");
  fakePulumi(path.join(cache, cli.PULUMI_VERSION, "bin/pulumi"), cli.PULUMI_VERSION);
  const r = runScript([official], cache);
  expect(r.stderr).toContain("using `pulumi` on PATH");
  expect(r.stderr).toContain("pulumi version: v3.999.0");
  expect([r.status, r.folder]).toEqual([0, official]);
});

test("a `pulumi` on PATH without the plugin: a cache folder links it and holds the plugin scripts, which start the real provider host", async () => {
  const elsewhere = path.join(tmp, "opt/pulumi");
  const exe = fakePulumi(path.join(elsewhere, "pulumi"));
  const cache = path.join(tmp, "cache");
  const r = runScript([elsewhere], cache);
  expect(r.status).toBe(0);
  expect(path.dirname(r.folder)).toMatch(new RegExp(`^${cache}/path-[0-9a-f]{12}$`));
  expect(path.basename(r.folder)).toBe("bin");
  expect(fs.readlinkSync(path.join(r.folder, "pulumi"))).toBe(exe);
  for (const plugin of ["pulumi-resource-pulumi-nodejs", "pulumi-analyzer-policy-nodejs"]) {
    expect(fs.statSync(path.join(r.folder, plugin)).mode & 0o111).not.toBe(0);
  }
  // Second run: the same folder, made once.
  expect(runScript([elsewhere], cache).folder).toBe(r.folder);
  expect(fs.readdirSync(cache)).toEqual([path.basename(path.dirname(r.folder))]);

  // The plugin script is what the engine starts in the project folder: it must run @pulumi/pulumi's dynamic-provider
  // host, which prints its gRPC port first.
  const host = spawn(path.join(r.folder, "pulumi-resource-pulumi-nodejs"), ["127.0.0.1:1"], {
    cwd: REPO,
    env: { PATH: `${path.dirname(process.execPath)}:/bin` },
  });
  try {
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      host.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("\n")) resolve(out.split("\n")[0]);
      });
      host.on("exit", (code) => reject(new Error(`the host exited with ${code}`)));
    });
    expect(port).toMatch(/^\d+$/);
  } finally {
    host.kill("SIGKILL");
  }
});

test("no `pulumi` on PATH: a cached build is used (and gets the plugin scripts if an older run left them out); go is not asked", () => {
  const cache = path.join(tmp, "cache");
  const bin = path.join(cache, cli.PULUMI_VERSION, "bin");
  fakePulumi(path.join(bin, "pulumi"), cli.PULUMI_VERSION);
  const goDir = path.join(tmp, "go/bin");
  const { log } = fakeGo(goDir);
  const r = runScript([goDir], cache);
  expect(r.stderr).toContain("using the cached build");
  expect([r.status, r.folder]).toEqual([0, bin]);
  expect(fs.existsSync(path.join(bin, "pulumi-resource-pulumi-nodejs"))).toBe(true);
  expect(goCalls(log)).toEqual([]);
});

test("neither a CLI nor go: exit 1 and a message naming both ways out", () => {
  const r = runScript([], path.join(tmp, "cache"));
  expect(r.status).toBe(1);
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(/no `pulumi` on PATH, no cached build, and no `go` on PATH/);
  expect(r.stderr).toMatch(/install the official Pulumi CLI/);
  expect(r.stderr).toMatch(/install Go >= 1\.25/);
});

test("a go older than 1.25 is refused with the same two ways out", () => {
  const goDir = path.join(tmp, "go/bin");
  const { log } = fakeGo(goDir, { version: "go1.22.3" });
  const r = runScript([goDir], path.join(tmp, "cache"));
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/go1\.22\.3 is older than Go 1\.25[\s\S]*install the official Pulumi CLI/);
  expect(goCalls(log).map((c) => c.args.join(" "))).toEqual(["env GOVERSION"]);
});

test("no CLI, go present: builds in a wrapper module (pkg's replace mirrored, version stamped), says the language host is not available, publishes the cache whole", () => {
  const goDir = path.join(tmp, "go/bin");
  const { log } = fakeGo(goDir);
  const cache = path.join(tmp, "cache");
  const r = runScript([goDir], cache);
  if (r.status !== 0) throw new Error(r.stderr);
  const bin = path.join(cache, cli.PULUMI_VERSION, "bin");
  expect(r.folder).toBe(bin);
  expect(r.stderr).toContain(`pulumi version: ${cli.PULUMI_VERSION}`);
  expect(r.stderr).toMatch(/step 4\/5: go build/);

  const calls = goCalls(log);
  const cmds = calls.map((c) => c.args.join(" "));
  expect(cmds[0]).toBe("env GOVERSION");
  expect(cmds.slice(1, 4)).toEqual([
    "mod init pulumiquickbi.local/pulumicli",
    `mod download -json github.com/pulumi/pulumi/pkg/v3@${cli.PULUMI_VERSION}`,
    // Only the replace that points at another module; `../sdk` is the pulumi repository's own folder.
    "mod edit -replace=github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e",
  ]);
  expect(cmds[4]).toBe(`get github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@${cli.PULUMI_VERSION}`);
  const buildArgs = calls[5].args;
  expect(buildArgs.slice(0, 4)).toEqual(["build", "-trimpath", "-tags", "osusergo,grpcnotrace"]);
  expect(buildArgs).toContain(
    `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${cli.PULUMI_VERSION}`,
  );
  expect(buildArgs[buildArgs.length - 1]).toBe("github.com/pulumi/pulumi/pkg/v3/cmd/pulumi");
  // Built in a temp folder beside the cache entry, never in the entry itself.
  expect(calls[5].cwd).toMatch(new RegExp(`${cli.PULUMI_VERSION.replace(/\./g, "\\.")}\\.tmp-\\d+-[0-9a-f]+$`));
  expect(cmds[6]).toBe("list -m -json github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@latest");

  expect(r.stderr).toMatch(
    /pulumi-language-nodejs is NOT available here:\n.*`go list -m -json github\.com\/pulumi\/pulumi\/sdk\/nodejs\/cmd\/pulumi-language-nodejs\/v3@latest` failed:\n.*403 Forbidden/,
  );
  expect(fs.readdirSync(cache)).toEqual([cli.PULUMI_VERSION]);
  expect(fs.readdirSync(bin).sort()).toEqual([
    "pulumi",
    "pulumi-analyzer-policy-nodejs",
    "pulumi-resource-pulumi-nodejs",
  ]);
  expect(fs.readFileSync(path.join(cache, cli.PULUMI_VERSION, "go.mod"), "utf8")).toContain(
    "replace github.com/atotto/clipboard=",
  );

  // The next run takes the cache, and repeats the note about the language host without asking the proxy again.
  const again = runScript([goDir], cache);
  expect([again.status, again.folder]).toEqual([0, bin]);
  expect(again.stderr).toContain("pulumi-language-nodejs is NOT available here");
  expect(goCalls(log).length).toBe(calls.length);
});

test("two runs building at once both succeed with the same folder; the cache holds one whole build and no temp folders", async () => {
  const goDir = path.join(tmp, "go/bin");
  fakeGo(goDir, { buildMs: 1500 });
  const cache = path.join(tmp, "cache");
  const [a, b] = await Promise.all([runScriptAsync([goDir], cache), runScriptAsync([goDir], cache)]);
  expect([a.status, b.status]).toEqual([0, 0]);
  expect(a.folder).toBe(path.join(cache, cli.PULUMI_VERSION, "bin"));
  expect(b.folder).toBe(a.folder);
  expect(fs.readdirSync(cache)).toEqual([cli.PULUMI_VERSION]);
  expect(fs.readdirSync(a.folder).sort()).toEqual([
    "pulumi",
    "pulumi-analyzer-policy-nodejs",
    "pulumi-resource-pulumi-nodejs",
  ]);
});

test("a failed build exits 1 with go's error and leaves no cache entry behind", () => {
  const goDir = path.join(tmp, "go/bin");
  fakeGo(goDir, { failBuild: true });
  const cache = path.join(tmp, "cache");
  const r = runScript([goDir], cache);
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/failed: `go build .*` exited with 1:\ncompile error: boom/);
  expect(fs.readdirSync(cache)).toEqual([]);
});

test("moduleReplaces reads single and block replace lines and skips the repository's local paths", () => {
  const mod = [
    "module x",
    "replace a/b => ../b",
    "replace c/d v1.0.0 => e/f v1.2.3 // pinned",
    "replace (",
    "\tg/h => i/j v0.0.0-2024-abc",
    "\tk/l => ./l",
    ")",
  ].join("\n");
  expect(cli.moduleReplaces(mod)).toEqual([
    { from: "c/d@v1.0.0", to: "e/f@v1.2.3" },
    { from: "g/h", to: "i/j@v0.0.0-2024-abc" },
  ]);
});
