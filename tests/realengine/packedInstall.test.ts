/**
 * As a user installs it: `npm pack` of this repository, the tarball installed in a fresh folder next to the newest
 * `@pulumi/pulumi` from the npm registry, one copy of the SDK, and a TypeScript program there (compiled with this
 * repository's `typescript`) that runs `up` and `destroy` against the emulator through the Automation API and the
 * real CLI. Also: the tarball holds what users need and none of the demo, bench, engine driver or tests.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { z } from "zod";
import { REPO, requireBuilt } from "./fixture";
import { describeWithCli } from "./withCli";

const PackSchema = z.array(z.object({ filename: z.string(), files: z.array(z.object({ path: z.string() })) }));

/** The user's program: a stack with a user and a membership, up then destroy, the emulator in the same process. */
const PROGRAM = `
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import { QuickBIUser, WorkspaceMembership } from "pulumi-quickbi";
import { DEMO_ACCESS_KEY, startEmulator } from "pulumi-quickbi/emulator";

const SALES = "5f3e2c1a-8b7d-4e6f-9a0b-1c2d3e4f5a01";

async function main(): Promise<void> {
  const emu = await startEmulator();
  const cliDir = process.env.PULUMI_QUICKBI_CLI_DIR as string;
  const backend = process.env.BACKEND_DIR as string;
  const stack = await LocalWorkspace.createOrSelectStack(
    {
      projectName: "user-stack",
      stackName: "dev",
      program: async () => {
        const user = new QuickBIUser("zoe", { accountId: "5000000000000201", nickName: "Zoe User", userType: "analyst" });
        new WorkspaceMembership("zoe-sales", { workspaceId: SALES, role: "viewer", userId: user.userId });
        return { userId: user.userId };
      },
    },
    {
      workDir: process.cwd(),
      pulumiCommand: await PulumiCommand.get({ root: path.dirname(cliDir) }),
      projectSettings: { name: "user-stack", runtime: "nodejs", backend: { url: "file://" + backend } },
      envVars: { PULUMI_CONFIG_PASSPHRASE: "user-passphrase", PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_HOME: path.join(backend, ".home") },
    },
  );
  await stack.setAllConfig({
    "quickbi:endpoint": { value: emu.url },
    "quickbi:accessKeyId": { value: DEMO_ACCESS_KEY.accessKeyId },
    "quickbi:accessKeySecret": { value: DEMO_ACCESS_KEY.accessKeySecret, secret: true },
  });
  const up = await stack.up();
  const userId = up.outputs.userId.value as string;
  const afterUp = emu.state();
  const destroy = await stack.destroy();
  const afterDestroy = emu.state();
  await emu.stop();
  console.log(JSON.stringify({
    up: up.summary.resourceChanges,
    destroy: destroy.summary.resourceChanges,
    userAfterUp: afterUp.users.some((u) => u.userId === userId && u.nickName === "Zoe User"),
    memberAfterUp: afterUp.workspaceMembers.some((m) => m.userId === userId && m.workspaceId === SALES && m.roleId === 30),
    userAfterDestroy: afterDestroy.users.some((u) => u.userId === userId && !u.isDeleted),
    memberAfterDestroy: afterDestroy.workspaceMembers.some((m) => m.userId === userId),
  }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
`;

describeWithCli("the packed package, installed as a user installs it", (cli) => {
  let dir: string;
  let tarball: string;
  let packed: string[];

  beforeAll(() => {
    requireBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-quickbi-user-"));
    // bin/ is built by `npm test`; the prepare script would only build it again.
    const out = execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], {
      cwd: REPO,
      encoding: "utf8",
    });
    const [info] = PackSchema.parse(JSON.parse(out));
    tarball = path.join(dir, info.filename);
    packed = info.files.map((f) => f.path);
  }, 120_000);
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("the tarball ships the compiled provider and emulator, the emulator's CLI, the README; no demo, bench, engine driver or tests", () => {
    for (const needed of [
      "package.json",
      "README.md",
      "bin/provider/index.js",
      "bin/provider/index.d.ts",
      "bin/provider/runtime.js",
      "bin/emulator/index.js",
      "bin/emulator/cli.js",
    ]) {
      expect(packed).toContain(needed);
    }
    const outside = packed.filter(
      (p) =>
        !["package.json", "README.md"].includes(p) && !p.startsWith("bin/provider/") && !p.startsWith("bin/emulator/"),
    );
    expect(outside).toEqual([]);
    expect(packed.filter((p) => /(^|\/)(demo|bench|engine|realengine|tests|examples|scripts)\//.test(p))).toEqual([]);
  });

  test("installed next to the newest @pulumi/pulumi: one copy of the SDK; a TypeScript program runs up and destroy on the real CLI", () => {
    const project = path.join(dir, "project");
    fs.mkdirSync(project);
    fs.writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({ name: "user-stack", private: true }, null, 2),
    );
    const install = spawnSync(
      "npm",
      ["install", "--no-audit", "--no-fund", "--loglevel=error", tarball, "@pulumi/pulumi@latest"],
      {
        cwd: project,
        encoding: "utf8",
        timeout: 300_000,
      },
    );
    expect([install.status, install.stderr]).toEqual([0, expect.any(String)]);

    const ls = spawnSync("npm", ["ls", "@pulumi/pulumi", "--all", "--parseable"], { cwd: project, encoding: "utf8" });
    const copies = ls.stdout
      .trim()
      .split("\n")
      .filter((l) => l.trim() !== "");
    expect(copies).toEqual([path.join(fs.realpathSync(project), "node_modules/@pulumi/pulumi")]);
    const sdk = JSON.parse(fs.readFileSync(path.join(project, "node_modules/@pulumi/pulumi/package.json"), "utf8")) as {
      version: string;
    };
    expect(sdk.version).toMatch(/^3\.\d+\.\d+$/);

    fs.writeFileSync(path.join(project, "index.ts"), PROGRAM);
    // moduleResolution "node", as in the tsconfig of Pulumi's TypeScript template (package.json typesVersions serves it).
    const tsc = require.resolve("typescript/bin/tsc", { paths: [REPO] });
    const compile = spawnSync(
      process.execPath,
      [
        tsc,
        "--strict",
        "--esModuleInterop",
        "--skipLibCheck",
        "--module",
        "commonjs",
        "--moduleResolution",
        "node",
        "--target",
        "es2022",
        "--types",
        "node",
        "--typeRoots",
        path.join(REPO, "node_modules/@types"),
        "index.ts",
      ],
      { cwd: project, encoding: "utf8" },
    );
    expect([compile.status, compile.stdout]).toEqual([0, ""]);

    const backend = path.join(dir, "backend");
    fs.mkdirSync(backend);
    const run = spawnSync(process.execPath, ["index.js"], {
      cwd: project,
      encoding: "utf8",
      timeout: 300_000,
      env: { ...process.env, PULUMI_QUICKBI_CLI_DIR: cli.dir, BACKEND_DIR: backend },
    });
    expect([run.status, run.stderr.slice(-2000)]).toEqual([0, expect.any(String)]);
    expect(JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}")).toEqual({
      up: { create: 3 },
      destroy: { delete: 3 },
      userAfterUp: true,
      memberAfterUp: true,
      userAfterDestroy: false,
      memberAfterDestroy: false,
    });
  }, 600_000);
});
