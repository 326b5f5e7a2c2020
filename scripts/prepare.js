#!/usr/bin/env node
// `npm ci` / `npm install` in a checkout (npm's `prepare` hook): build bin/ and link node_modules/pulumi-quickbi to
// this checkout. The link is what a user's project gets from `npm install pulumi-quickbi`, and the Pulumi provider
// host needs it: the serialized provider in state does `require("pulumi-quickbi/runtime")`, resolved against the
// project directory (here: the repository root, whose Pulumi.yaml runs examples/stack).
// Set PULUMI_QUICKBI_SKIP_BUILD=1 to only link. Plain JS on purpose: it runs before anything is compiled.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
const insideNodeModules = root.split(path.sep).includes("node_modules");

function link() {
  const at = path.join(root, "node_modules", "pulumi-quickbi");
  let existing;
  try {
    existing = fs.lstatSync(at);
  } catch (e) {
    if (e.code !== "ENOENT") throw e;
  }
  if (existing && !existing.isSymbolicLink()) {
    console.warn(`prepare: ${at} is a real directory (an installed pulumi-quickbi?); leaving it alone`);
    return;
  }
  if (existing) {
    if (path.resolve(path.dirname(at), fs.readlinkSync(at)) === root) return;
    fs.unlinkSync(at);
  }
  fs.mkdirSync(path.dirname(at), { recursive: true });
  // Relative, so the checkout can be moved; "junction" lets Windows create it without privileges (ignored elsewhere).
  fs.symlinkSync(process.platform === "win32" ? root : "..", at, "junction");
  console.log("prepare: linked node_modules/pulumi-quickbi -> .");
}

function build() {
  const tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
  const r = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.json")], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error("prepare: the TypeScript build failed (see above)");
    process.exit(r.status ?? 1);
  }
  console.log("prepare: built bin/");
}

// Installed as a git dependency, npm runs prepare in a temporary clone to build it: no self-link there.
if (!insideNodeModules) link();
if (process.env.PULUMI_QUICKBI_SKIP_BUILD !== "1") build();
