/**
 * What the published package is made of: provider/ and emulator/ (compiled to bin/provider, bin/emulator) must not
 * reach into the repository's tooling (engine/, demo/, bench/, realengine/, examples/, scripts/, tests/), which is
 * not shipped, and every package they import must be a dependency or the peer @pulumi/pulumi — never something that
 * only the tooling's devDependencies bring (grpc, protobuf, ...).
 */
import * as fs from "node:fs";
import { builtinModules } from "node:module";
import * as path from "node:path";
import * as ts from "typescript";

const REPO = path.resolve(__dirname, "../..");
const SHIPPED = ["provider", "emulator"];
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  files: string[];
};

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith(".ts") ? [p] : [];
  });
}

/** Every module specifier a file imports, requires or re-exports (TypeScript's own pre-parser). */
function imports(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

const files = SHIPPED.flatMap((d) => sources(path.join(REPO, d)));

test("the shipped folders are found and import things", () => {
  expect(files.length).toBeGreaterThan(50);
  expect(imports(path.join(REPO, "provider/index.ts")).length).toBeGreaterThan(3);
});

test("provider/ and emulator/ import nothing from the repository's tooling", () => {
  const outside: string[] = [];
  for (const file of files) {
    for (const spec of imports(file).filter((s) => s.startsWith("."))) {
      const target = path.relative(REPO, path.resolve(path.dirname(file), spec));
      if (!SHIPPED.some((d) => target === d || target.startsWith(`${d}${path.sep}`)))
        outside.push(`${path.relative(REPO, file)} → ${spec}`);
    }
  }
  expect(outside).toEqual([]);
});

test("every package they import is a dependency or the peer @pulumi/pulumi, not a devDependency", () => {
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const runtime = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]);
  const missing = new Set<string>();
  for (const file of files) {
    for (const spec of imports(file).filter(
      (s) => !s.startsWith(".") && !builtins.has(s) && !builtins.has(s.split("/")[0]),
    )) {
      const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
      // The package's own entry points (the serialized shim requires "pulumi-quickbi/runtime") are not dependencies.
      if (name !== "pulumi-quickbi" && !runtime.has(name)) missing.add(`${name} (${path.relative(REPO, file)})`);
    }
  }
  expect([...missing]).toEqual([]);
});

test("@pulumi/pulumi is a peer with a range (configure() needs 3.139), pinned only as a devDependency", () => {
  expect(pkg.peerDependencies["@pulumi/pulumi"]).toBe(">=3.139.0 <4");
  expect(pkg.dependencies["@pulumi/pulumi"]).toBeUndefined();
  expect(pkg.devDependencies["@pulumi/pulumi"]).toMatch(/^\d+\.\d+\.\d+$/);
  for (const testOnly of ["@grpc/grpc-js", "google-protobuf", "jest", "typescript", "which", "pidtree"])
    expect(pkg.dependencies[testOnly]).toBeUndefined();
  expect(pkg.files).toEqual(["bin/provider/", "bin/emulator/", "README.md"]);
});
