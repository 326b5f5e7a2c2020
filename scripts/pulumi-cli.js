#!/usr/bin/env node
// `npm run pulumi-cli`: makes a Pulumi CLI available and prints, as its last stdout line, the absolute folder that
// holds `pulumi` and the plugin scripts `pulumi-resource-pulumi-nodejs` / `pulumi-analyzer-policy-nodejs`.
//
// Order: a `pulumi` on PATH (its own folder when Pulumi's plugins are beside it, else a folder of links and scripts in
// the cache) → a cached build → a build from the Go module at PULUMI_VERSION, in a small wrapper module inside the
// cache folder. The cache is `.cache/pulumi-cli/` in the checkout, or $PULUMI_QUICKBI_CLI_CACHE.
//
// Plain CommonJS on purpose: it runs before (and without) the TypeScript build. realengine/cliLocation.ts requires
// the exported functions, so the decision order lives in this one file.
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { spawn, spawnSync } = require("node:child_process");
const which = require("which");

/** Not older than the @pulumi/pulumi SDK this repository tests with; the newest pkg/v3 tag when pinned. */
const PULUMI_VERSION = "v3.276.0";
const CACHE_ENV = "PULUMI_QUICKBI_CLI_CACHE";
const PKG_MODULE = "github.com/pulumi/pulumi/pkg/v3";
const CLI_PACKAGE = `${PKG_MODULE}/cmd/pulumi`;
const LANGUAGE_NODEJS_MODULE = "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3";
/** pkg v3.276.0 says `go 1.26.6`; an older go command fetches that toolchain through the module proxy itself. */
const MIN_GO = [1, 25];
const REPO_ROOT = path.resolve(__dirname, "..");

const RESOURCE_PLUGIN = "pulumi-resource-pulumi-nodejs";
const ANALYZER_PLUGIN = "pulumi-analyzer-policy-nodejs";
/** The engine starts these in the project (or policy pack) folder: Node resolves @pulumi/pulumi from there. */
const PLUGIN_SCRIPTS = {
  [RESOURCE_PLUGIN]: "@pulumi/pulumi/cmd/dynamic-provider",
  [ANALYZER_PLUGIN]: "@pulumi/pulumi/cmd/run-policy-pack",
};

class CliUnavailableError extends Error {}

function log(line) {
  process.stderr.write(`pulumi-cli: ${line}\n`);
}

function cacheRoot(env = process.env) {
  return env[CACHE_ENV] ? path.resolve(env[CACHE_ENV]) : path.join(REPO_ROOT, ".cache", "pulumi-cli");
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function pluginScript(entry) {
  // Pulumi's release archives ship the same three lines (sdk/nodejs/dist/ in the pulumi repository).
  return [
    "#!/bin/sh",
    `entry=$(node -e 'process.stdout.write(require.resolve("${entry}", { paths: [process.cwd()] }))') || exit 1`,
    'exec node "$entry" "$@"',
    "",
  ].join("\n");
}

function writePlugins(dir) {
  for (const [name, entry] of Object.entries(PLUGIN_SCRIPTS)) {
    fs.writeFileSync(path.join(dir, name), pluginScript(entry), { mode: 0o755 });
  }
}

function hasPlugins(dir) {
  return isExecutable(path.join(dir, RESOURCE_PLUGIN));
}

/** A temp folder beside `final`: filled, then renamed, so concurrent runs never see a half-made folder. */
function tempBeside(final) {
  fs.mkdirSync(path.dirname(final), { recursive: true });
  const tmp = `${final}.tmp-${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
  fs.mkdirSync(tmp);
  return tmp;
}

/** Temp folders of builds whose process is gone (killed mid-build). */
function removeAbandoned(final) {
  const prefix = `${path.basename(final)}.tmp-`;
  let names = [];
  try {
    names = fs.readdirSync(path.dirname(final));
  } catch {
    return;
  }
  for (const name of names.filter((n) => n.startsWith(prefix))) {
    const pid = Number(name.slice(prefix.length).split("-")[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid)) {
      fs.rmSync(path.join(path.dirname(final), name), { recursive: true, force: true });
    }
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

function publish(tmp, final) {
  try {
    fs.renameSync(tmp, final);
  } catch (e) {
    // Another run published it first: theirs is as good as ours.
    if (!["EEXIST", "ENOTEMPTY"].includes(e.code) || !fs.existsSync(final)) throw e;
    log(`another run finished ${final} first; using it`);
  }
}

/** `pulumi version` of an executable, or undefined when it does not answer. */
function versionOf(pulumi, env = process.env) {
  const r = spawnSync(pulumi, ["version"], {
    encoding: "utf8",
    env: { ...env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    timeout: 60_000,
  });
  const out = (r.stdout || "").trim();
  return r.status === 0 && out !== "" ? out.split("\n").pop().trim() : undefined;
}

/**
 * A `pulumi` on PATH. Used in place when its folder is called `bin` and holds Pulumi's Node plugin (an official
 * install); otherwise a cache folder `path-<hash>/bin` gets a link to it and our plugin scripts. The Automation API's
 * `PulumiCommand.get({root})` wants `<root>/bin/pulumi`, and the engine finds plugins beside `pulumi` or on PATH.
 */
function fromPath(env = process.env, root = cacheRoot(env)) {
  const found = which.sync("pulumi", { path: env.PATH || "", nothrow: true });
  if (!found) return undefined;
  const pulumi = fs.realpathSync(found);
  const dir = path.dirname(found);
  if (path.basename(dir) === "bin" && hasPlugins(dir)) return { dir, source: "path", pulumi: found };
  const hash = crypto.createHash("sha256").update(pulumi).digest("hex").slice(0, 12);
  const final = path.join(root, `path-${hash}`);
  const bin = path.join(final, "bin");
  if (!(isExecutable(path.join(bin, "pulumi")) && hasPlugins(bin))) {
    const tmp = tempBeside(final);
    try {
      fs.mkdirSync(path.join(tmp, "bin"));
      fs.symlinkSync(pulumi, path.join(tmp, "bin", "pulumi"));
      writePlugins(path.join(tmp, "bin"));
      publish(tmp, final);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  return { dir: bin, source: "path-shim", pulumi };
}

/** A finished build in the cache (the folder appears only once the build succeeded). */
function fromCache(root = cacheRoot(), version = PULUMI_VERSION) {
  const bin = path.join(root, version, "bin");
  if (!isExecutable(path.join(bin, "pulumi"))) return undefined;
  if (!hasPlugins(bin)) writePlugins(bin); // a cache from an older script: add what is missing
  return { dir: bin, source: "cache", pulumi: path.join(bin, "pulumi"), note: readNote(path.join(root, version)) };
}

function readNote(folder) {
  try {
    return fs.readFileSync(path.join(folder, "language-nodejs.txt"), "utf8").trim();
  } catch {
    return undefined;
  }
}

/** The go command's version as [major, minor], or undefined when there is no usable go. */
function goVersion(env = process.env) {
  const go = which.sync("go", { path: env.PATH || "", nothrow: true });
  if (!go) return undefined;
  const r = spawnSync(go, ["env", "GOVERSION"], { encoding: "utf8", env, timeout: 60_000 });
  const m = /^go(\d+)\.(\d+)/.exec((r.stdout || "").trim());
  return r.status === 0 && m ? { go, version: [Number(m[1]), Number(m[2])], text: r.stdout.trim() } : undefined;
}

function unavailableMessage(detail) {
  return [
    `no Pulumi CLI could be had${detail ? `: ${detail}` : ""}.`,
    "Two ways out:",
    "  1. install the official Pulumi CLI (https://www.pulumi.com/docs/install/) so that `pulumi` is on PATH, or",
    `  2. install Go >= ${MIN_GO.join(".")} (https://go.dev/doc/install) and run \`npm run pulumi-cli\` again: it builds`,
    `     Pulumi ${PULUMI_VERSION} from its Go module (about 8 minutes and 3.2 GB of Go caches on a bare machine).`,
  ].join("\n");
}

/** Runs one go command in the wrapper module, streaming its stderr, with a heartbeat while it is silent. */
function run(cmd, args, opts) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let lastOutput = Date.now();
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => {
      stderr += d;
      lastOutput = Date.now();
      if (!opts.quiet) process.stderr.write(d);
    });
    const beat = setInterval(() => {
      if (Date.now() - lastOutput >= 30_000) {
        log(`  … still running (${Math.round((Date.now() - started) / 1000)} s)`);
        lastOutput = Date.now();
      }
    }, 5_000);
    child.on("error", (e) => {
      clearInterval(beat);
      reject(e);
    });
    child.on("close", (code) => {
      clearInterval(beat);
      if (code === 0 || opts.allowFailure) resolve({ code, stdout, stderr });
      else reject(new Error(`\`${[path.basename(cmd), ...args].join(" ")}\` exited with ${code}:\n${stderr.trim()}`));
    });
  });
}

/** `replace` lines of a go.mod that point at another module (local paths like `../sdk` are the repository's own). */
function moduleReplaces(goModText) {
  const out = [];
  const lines = goModText.split("\n").map((l) => l.replace(/\/\/.*$/, "").trim());
  let inBlock = false;
  for (const line of lines) {
    let body;
    if (inBlock) {
      if (line === ")") {
        inBlock = false;
        continue;
      }
      body = line;
    } else if (/^replace\s*\($/.test(line)) {
      inBlock = true;
      continue;
    } else if (line.startsWith("replace ")) {
      body = line.slice("replace ".length).trim();
    } else continue;
    const m = /^(\S+)(?:\s+(\S+))?\s*=>\s*(\S+)(?:\s+(\S+))?$/.exec(body);
    if (!m) continue;
    const [, from, fromVersion, to, toVersion] = m;
    if (to.startsWith(".") || to.startsWith("/") || !toVersion) continue;
    out.push({ from: fromVersion ? `${from}@${fromVersion}` : from, to: `${to}@${toVersion}` });
  }
  return out;
}

/**
 * Builds the CLI at `version` from the Go module proxy: a wrapper module requiring pkg/v3 (whose own `replace`
 * lines do not apply to a dependency, so they are repeated), then `go build` of cmd/pulumi stamped with the version,
 * as Pulumi's release builds do.
 */
async function build(env = process.env, root = cacheRoot(env), version = PULUMI_VERSION) {
  const go = goVersion(env);
  const tooOld = go && (go.version[0] < MIN_GO[0] || (go.version[0] === MIN_GO[0] && go.version[1] < MIN_GO[1]));
  if (!go || tooOld) {
    throw new CliUnavailableError(
      unavailableMessage(
        go
          ? `${go.text} is older than Go ${MIN_GO.join(".")}`
          : "no `pulumi` on PATH, no cached build, and no `go` on PATH",
      ),
    );
  }
  const final = path.join(root, version);
  removeAbandoned(final);
  const started = Date.now();
  log(`building the Pulumi CLI ${version} from its Go module with ${go.text} into ${final}`);
  log("  a first build on a bare 2-core machine takes about 8 minutes and fills ~3.2 GB of Go caches");
  const goEnv = { ...env, GOFLAGS: "-mod=mod", GOWORK: "off" };
  let note;
  const tmp = tempBeside(final);
  try {
    const step = async (n, what, args, opts = {}) => {
      log(`step ${n}/5: ${what}`);
      return run(go.go, args, { cwd: tmp, env: goEnv, ...opts });
    };
    await step(1, "go mod init (the wrapper module)", ["mod", "init", "pulumiquickbi.local/pulumicli"], {
      quiet: true,
    });
    const dl = await step(2, `go mod download ${PKG_MODULE}@${version} (pkg's go.mod, for its replace lines)`, [
      "mod",
      "download",
      "-json",
      `${PKG_MODULE}@${version}`,
    ]);
    const goMod = fs.readFileSync(JSON.parse(dl.stdout).GoMod, "utf8");
    for (const r of moduleReplaces(goMod)) {
      log(`  mirroring pkg's replace ${r.from} => ${r.to}`);
      await run(go.go, ["mod", "edit", `-replace=${r.from}=${r.to}`], { cwd: tmp, env: goEnv });
    }
    await step(3, `go get ${CLI_PACKAGE}@${version} (downloads the module graph)`, [
      "get",
      `${CLI_PACKAGE}@${version}`,
    ]);
    fs.mkdirSync(path.join(tmp, "bin"));
    const ldflags = `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${version}`;
    await step(
      4,
      "go build cmd/pulumi (the long part: about 6 minutes of compiling on 2 cores when the build cache is cold; quiet)",
      [
        "build",
        "-trimpath",
        "-tags",
        "osusergo,grpcnotrace",
        "-ldflags",
        ldflags,
        "-o",
        path.join(tmp, "bin", "pulumi"),
        CLI_PACKAGE,
      ],
    );
    note = await languageHost(go.go, tmp, goEnv, ldflags);
    fs.writeFileSync(path.join(tmp, "language-nodejs.txt"), `${note}\n`);
    writePlugins(path.join(tmp, "bin"));
    const stamped = versionOf(path.join(tmp, "bin", "pulumi"), env);
    if (stamped !== version)
      throw new Error(`the built CLI answers \`pulumi version\` with ${JSON.stringify(stamped)}, expected ${version}`);
    publish(tmp, final);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  log(`built in ${Math.round((Date.now() - started) / 1000)} s: ${path.join(final, "bin", "pulumi")} (${version})`);
  return { dir: path.join(final, "bin"), source: "build", pulumi: path.join(final, "bin", "pulumi"), note };
}

/**
 * `pulumi-language-nodejs` (needed only by a plain `pulumi up` in a project folder) is its own, untagged module.
 * One cheap question to the proxy; when it answers, the host is built beside `pulumi`.
 */
async function languageHost(go, cwd, env, ldflags) {
  const args = ["list", "-m", "-json", `${LANGUAGE_NODEJS_MODULE}@latest`];
  log(`step 5/5: go ${args.join(" ")} (is the language host available?)`);
  const r = await run(go, args, { cwd, env, quiet: true, allowFailure: true });
  if (r.code === 0) {
    const v = JSON.parse(r.stdout).Version;
    try {
      await run(go, ["get", `${LANGUAGE_NODEJS_MODULE}@${v}`], { cwd, env });
      await run(
        go,
        [
          "build",
          "-trimpath",
          "-ldflags",
          ldflags,
          "-o",
          path.join(cwd, "bin", "pulumi-language-nodejs"),
          LANGUAGE_NODEJS_MODULE,
        ],
        { cwd, env },
      );
      return `pulumi-language-nodejs ${v} was built beside pulumi.`;
    } catch (e) {
      return `pulumi-language-nodejs ${v} is listed but did not build: ${e.message}`;
    }
  }
  return [
    "pulumi-language-nodejs is NOT available here:",
    `  \`go ${args.join(" ")}\` failed:`,
    ...r.stderr
      .trim()
      .split("\n")
      .map((l) => `    ${l}`),
    "  A plain `pulumi up` in a project folder needs it; the Automation API's inline programs (this repository's",
    "  tests and demo) do not. An official Pulumi install ships it.",
  ].join("\n");
}

/** The whole decision: PATH → cache → build. `build: false` stops before building. */
async function locate({ env = process.env, root = cacheRoot(env), build: mayBuild = true } = {}) {
  const onPath = fromPath(env, root);
  if (onPath) return onPath;
  const cached = fromCache(root);
  if (cached) return cached;
  if (!mayBuild) return undefined;
  return build(env, root);
}

function describe(found) {
  switch (found.source) {
    case "path":
      return `using \`pulumi\` on PATH: ${found.pulumi}`;
    case "path-shim":
      return `using \`pulumi\` on PATH (${found.pulumi}); Pulumi's Node plugin is not beside it, so ${found.dir} links it and adds the plugin scripts`;
    case "cache":
      return `using the cached build ${found.pulumi}`;
    default:
      return `using the new build ${found.pulumi}`;
  }
}

async function main() {
  try {
    const found = await locate();
    log(describe(found));
    if (found.note) for (const l of found.note.split("\n")) log(l);
    const version = versionOf(path.join(found.dir, "pulumi"));
    if (!version) throw new Error(`${path.join(found.dir, "pulumi")} does not answer \`pulumi version\``);
    log(`pulumi version: ${version}`);
    process.stdout.write(`${found.dir}\n`);
    return 0;
  } catch (e) {
    log(e instanceof CliUnavailableError ? e.message : `failed: ${e && e.message ? e.message : String(e)}`);
    return 1;
  }
}

module.exports = {
  PULUMI_VERSION,
  CACHE_ENV,
  PLUGIN_SCRIPTS,
  cacheRoot,
  fromPath,
  fromCache,
  build,
  locate,
  moduleReplaces,
  versionOf,
  CliUnavailableError,
};

if (require.main === module) {
  main().then((code) => process.exit(code));
}
