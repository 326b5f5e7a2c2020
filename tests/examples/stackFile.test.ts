/**
 * The files a user copies: the root Pulumi.yaml runs the compiled example, and Pulumi.dev.yaml.example declares the
 * same access the demo's first phase does (so what the docs show is what the demo and tests exercise).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import { createRequire } from "node:module";
import * as path from "node:path";
import { PHASE1, PROJECT } from "../../demo/phases";
import { StackConfigSchema } from "../../examples/stack/config";

const REPO = path.resolve(__dirname, "../..");
// js-yaml is what @pulumi/pulumi itself parses Pulumi.yaml with; borrowed from there rather than added.
const yaml = createRequire(require.resolve("@pulumi/pulumi"))("js-yaml") as { load(text: string): unknown };

const read = (file: string) => yaml.load(fs.readFileSync(path.join(REPO, file), "utf8")) as Record<string, unknown>;

test("Pulumi.yaml names the project and runs the compiled example stack with plain node", () => {
  const project = read("Pulumi.yaml");
  expect(project).toMatchObject({
    name: PROJECT,
    runtime: { name: "nodejs", options: { typescript: false } },
    main: "bin/examples/stack/index.js",
  });
  // tsconfig compiles examples/ into bin/ (rootDir "."), which is where `main` points.
  const tsconfig = JSON.parse(fs.readFileSync(path.join(REPO, "tsconfig.json"), "utf8")) as {
    include: string[];
    compilerOptions: { outDir: string };
  };
  expect(tsconfig.include).toContain("examples/**/*.ts");
  expect(tsconfig.compilerOptions.outDir).toBe("bin");
});

test("npm's prepare hook links node_modules/pulumi-quickbi to the checkout (the provider host requires it), idempotently", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  expect(pkg.scripts.prepare).toBe("node scripts/prepare.js");
  // A throwaway checkout: the script links relative to its own location.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-quickbi-prepare-"));
  try {
    fs.mkdirSync(path.join(dir, "scripts"));
    fs.copyFileSync(path.join(REPO, "scripts/prepare.js"), path.join(dir, "scripts/prepare.js"));
    const run = () =>
      spawnSync(process.execPath, [path.join(dir, "scripts/prepare.js")], {
        env: { ...process.env, PULUMI_QUICKBI_SKIP_BUILD: "1" },
        encoding: "utf8",
      });
    expect(run().status).toBe(0);
    const link = path.join(dir, "node_modules/pulumi-quickbi");
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.realpathSync(link)).toBe(fs.realpathSync(dir));
    const second = run();
    expect(second.status).toBe(0);
    expect(second.stdout).not.toContain("linked");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("Pulumi.dev.yaml.example holds valid config, equal to the demo's first phase", () => {
  const config = (read("Pulumi.dev.yaml.example").config ?? {}) as Record<string, unknown>;
  const program = Object.fromEntries(
    Object.entries(config)
      .filter(([k]) => k.startsWith(`${PROJECT}:`))
      .map(([k, v]) => [k.slice(PROJECT.length + 1), v]),
  );
  expect(StackConfigSchema.safeParse(program).success).toBe(true);
  expect(program).toEqual(PHASE1);
  expect(config).toMatchObject({ "quickbi:endpoint": expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
});
