import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface, type Interface } from "node:readline";
import { QUIRK_NAMES } from "../../../emulator";
import { makeClient } from "../helpers";

const CLI = resolve(__dirname, "../../../bin/emulator/cli.js");

/** A running CLI process with its stdout as a queue of lines. */
interface Cli {
  child: ChildProcessWithoutNullStreams;
  nextLine(timeoutMs?: number): Promise<string>;
  exit: Promise<number | null>;
  stderr(): string;
}

function startCli(args: string[]): Cli {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  const lines: string[] = [];
  const waiters: Array<(line: string) => void> = [];
  const rl: Interface = createInterface({ input: child.stdout });
  rl.on("line", (line) => {
    const waiter = waiters.shift();
    if (waiter) waiter(line);
    else lines.push(line);
  });
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
  return {
    child,
    exit,
    stderr: () => err,
    nextLine: (timeoutMs = 10_000) =>
      lines.length > 0
        ? Promise.resolve(lines.shift()!)
        : new Promise<string>((res, rej) => {
            const timer = setTimeout(
              () => rej(new Error(`no stdout line within ${timeoutMs}ms; stderr: ${err}`)),
              timeoutMs,
            );
            waiters.push((line) => {
              clearTimeout(timer);
              res(line);
            });
          }),
  };
}

const running: Cli[] = [];

beforeAll(() => {
  if (!existsSync(CLI)) {
    throw new Error(`${CLI} is missing: build first (npm test runs "tsc -p tsconfig.json" before jest)`);
  }
});

afterAll(async () => {
  for (const cli of running) {
    if (cli.child.exitCode === null) {
      cli.child.kill("SIGKILL");
      await cli.exit;
    }
  }
});

describe("quickbi-emulator CLI", () => {
  it("prints its URL as the first stdout line, logs one line per call, exits 0 on SIGTERM", async () => {
    const cli = startCli(["--port", "0", "--random-seed", "7"]);
    running.push(cli);
    const url = await cli.nextLine();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const body = await makeClient(url)("QueryUserList", { Keyword: "Olivia" });
    expect(body.Success).toBe(true);
    const log = await cli.nextLine();
    expect(log).toMatch(/ QueryUserList OK 200 \d+ms key=LTAIemulatorDemoKey sig=v3 req=[0-9A-F-]{36}$/);
    cli.child.kill("SIGTERM");
    expect(await cli.exit).toBe(0);
  });

  it("--seed, --state and fault flags; SIGINT also exits 0", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qbi-cli-"));
    try {
      const seedPath = join(dir, "seed.json");
      writeFileSync(
        seedPath,
        JSON.stringify({
          accessKeys: [{ accessKeyId: "LTAIcliKey", accessKeySecret: "cli-secret" }],
          users: [
            { userId: "0123456789abcdef0123456789abcdef", nickName: "Cli Owner", userType: 1, roleIds: [111111111] },
          ],
        }),
      );
      const statePath = join(dir, "state.json");
      const cli = startCli(["--seed", seedPath, "--state", statePath, "--qps", "0.5", "--quiet"]);
      running.push(cli);
      const url = await cli.nextLine();
      const call = makeClient(url, { accessKeyId: "LTAIcliKey", accessKeySecret: "cli-secret" });
      await expect(call("QueryUserList")).resolves.toMatchObject({ Success: true });
      await expect(call("QueryUserList")).rejects.toMatchObject({ code: "Throttling.User", statusCode: 400 });
      expect(existsSync(statePath)).toBe(true);
      const state = (await (await fetch(`${url}/__emulator/state`)).json()) as { users: Array<{ nickName: string }> };
      expect(state.users.map((u) => u.nickName)).toEqual(["Cli Owner"]);
      cli.child.kill("SIGINT");
      expect(await cli.exit).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--quirks: an unknown name exits non-zero listing the known ones", async () => {
    const cli = startCli(["--quirks", "string-booleans,whole-batch"]);
    running.push(cli);
    expect(await cli.exit).not.toBe(0);
    expect(cli.stderr()).toContain(`unknown quirk "whole-batch"; known quirks: ${QUIRK_NAMES.join(", ")}`);
  });

  it("--quirks a,b: the answers follow them and the call log records them", async () => {
    const cli = startCli(["--quirks", "string-booleans,errors-http-500", "--quiet"]);
    running.push(cli);
    const url = await cli.nextLine();
    const body = await makeClient(url)("CheckOrganizationMember", { UserId: "ghost-user" });
    expect(body).toMatchObject({ Success: "true", Result: "false" });
    await expect(makeClient(url)("QueryUserInfoByUserId", { UserId: "ghost-user" })).rejects.toMatchObject({
      code: "User.Not.In.Organization",
      statusCode: 500,
    });
    const calls = (await (await fetch(`${url}/__emulator/calls`)).json()) as Array<{ quirks: string[] }>;
    expect(calls.map((c) => c.quirks)).toEqual([
      ["errors-http-500", "string-booleans"],
      ["errors-http-500", "string-booleans"],
    ]);
    expect(cli.stderr()).toContain("quirks in force: string-booleans, errors-http-500");
    cli.child.kill("SIGTERM");
    expect(await cli.exit).toBe(0);
  });

  it("--state naming a file that is not JSON: refused without echoing the file's text (issue 16)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qbi-cli-"));
    try {
      const notState = join(dir, "credentials");
      writeFileSync(notState, "root:x:0:0:canary-secret-line\n");
      const cli = startCli(["--state", notState]);
      running.push(cli);
      expect(await cli.exit).not.toBe(0);
      expect(cli.stderr()).toContain(`state file ${notState}: not a JSON file`);
      expect(cli.stderr()).not.toMatch(/root:|canary/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a bad --faults file: a message naming the field, not zod's raw JSON (issue 16)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qbi-cli-"));
    try {
      const faults = join(dir, "faults.json");
      writeFileSync(faults, JSON.stringify({ rules: [{ errorRate: 3 }], latencyMs: -1 }));
      const cli = startCli(["--faults", faults]);
      running.push(cli);
      expect(await cli.exit).not.toBe(0);
      expect(cli.stderr().trim()).toBe(
        `quickbi-emulator: --faults ${faults}: latencyMs: Number must be greater than or equal to 0; rules.0.errorRate: Number must be less than or equal to 1`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses bad flags with a message and a non-zero exit", async () => {
    const cli = startCli(["--error-rate", "3"]);
    running.push(cli);
    expect(await cli.exit).not.toBe(0);
    expect(cli.stderr()).toMatch(/--error-rate must be between 0 and 1/);
  });
});
