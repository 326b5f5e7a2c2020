import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SeedSchema } from "../../../emulator";
import { apiError, DEMO_ACCESS_KEY, defaultSeed, startTestEmulator } from "../helpers";

describe("--state persistence", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "qbi-state-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const readState = (path: string) => SeedSchema.parse(JSON.parse(readFileSync(path, "utf8")) as unknown);

  it("writes at start, after every write, and a restart resumes from it (secrets kept in the file)", async () => {
    const statePath = join(dir, "state.json");
    const first = await startTestEmulator(defaultSeed(), { statePath });
    try {
      expect(readState(statePath).users).toHaveLength(defaultSeed().users!.length);
      const added = await first.client()<{ UserId: string }>("AddUser", {
        NickName: "Persisted Person",
        UserType: 1,
        AccountId: "4000000000000001",
      });
      const onDisk = readState(statePath);
      expect(onDisk.users.find((u) => u.userId === added.Result.UserId)?.nickName).toBe("Persisted Person");
      expect(onDisk.accessKeys).toEqual([{ ...DEMO_ACCESS_KEY }]);
    } finally {
      await first.stop();
    }

    // The restart is given a different seed: the state file wins.
    const second = await startTestEmulator(
      { users: [], accessKeys: [{ accessKeyId: "other", accessKeySecret: "x" }] },
      { statePath },
    );
    try {
      const body = await second.client(DEMO_ACCESS_KEY)<{ Data: Array<{ NickName: string }> }>("QueryUserList", {
        Keyword: "Persisted",
      });
      expect(body.Result.Data.map((u) => u.NickName)).toEqual(["Persisted Person"]);
    } finally {
      await second.stop();
    }
    expect(readdirSync(dir)).toEqual(["state.json"]);
  });

  it("failed and read-only calls do not rewrite the file; reset does", async () => {
    const statePath = join(dir, "state.json");
    const emu = await startTestEmulator(defaultSeed(), { statePath });
    try {
      // Mark the file so a rewrite would be visible.
      const marked = JSON.stringify({ ...readState(statePath), marker: true });
      writeFileSync(statePath, marked);
      const call = emu.client();
      await call("QueryUserList");
      await call("DeleteUser", { UserId: "not-a-user" }).catch(() => undefined);
      expect(readFileSync(statePath, "utf8")).toBe(marked);
      await call("AddUser", { NickName: "Changer", UserType: 3, AccountId: "4000000000000002" });
      expect(readFileSync(statePath, "utf8")).not.toContain("marker");
      emu.reset();
      expect(readState(statePath).users.some((u) => u.nickName === "Changer")).toBe(false);
    } finally {
      await emu.stop();
    }
  });

  it("when the --state folder disappears a write is refused and not applied; a restart agrees with the client (issue 16, item 12)", async () => {
    const folder = join(dir, "state");
    mkdirSync(folder);
    const statePath = join(folder, "state.json");
    const seed = { ...defaultSeed(), organization: { ...defaultSeed().organization, randomSeed: 11 } };
    const emu = await startTestEmulator(seed, { statePath });
    let added: string;
    try {
      const call = emu.client();
      rmSync(folder, { recursive: true, force: true });
      const refused = await apiError(
        call("AddUser", { NickName: "Lost Write", UserType: 1, AccountId: "4000000000000003" }),
      );
      expect([refused.code, refused.statusCode]).toEqual(["InternalError", 500]);
      expect(refused.data.Message).toMatch(/state file .* could not be written \(ENOENT\); the call was not applied/);
      expect(emu.state().users.some((u) => u.nickName === "Lost Write")).toBe(false);
      expect(emu.calls().at(-1)).toMatchObject({ action: "AddUser", code: "InternalError", mutated: false });

      mkdirSync(folder);
      added = (
        await call<{ UserId: string }>("AddUser", {
          NickName: "Lost Write",
          UserType: 1,
          AccountId: "4000000000000003",
        })
      ).Result.UserId;
      expect(readState(statePath).users.find((u) => u.nickName === "Lost Write")?.userId).toBe(added);
    } finally {
      await emu.stop();
    }
    const restarted = await startTestEmulator(seed, { statePath });
    try {
      expect(restarted.state().users.find((u) => u.nickName === "Lost Write")?.userId).toBe(added);
    } finally {
      await restarted.stop();
    }
    // The refused attempt used up nothing: the user got the id a fresh run of the same seed hands out first.
    const fresh = await startTestEmulator(seed);
    try {
      const first = await fresh.client()<{ UserId: string }>("AddUser", {
        NickName: "Lost Write",
        UserType: 1,
        AccountId: "4000000000000003",
      });
      expect(first.Result.UserId).toBe(added);
    } finally {
      await fresh.stop();
    }
  });

  it("a reset whose state cannot be written is refused and changes nothing", async () => {
    const folder = join(dir, "state");
    mkdirSync(folder);
    const emu = await startTestEmulator(defaultSeed(), { statePath: join(folder, "state.json") });
    try {
      await emu.client()("AddUser", { NickName: "Survivor", UserType: 1, AccountId: "4000000000000005" });
      rmSync(folder, { recursive: true, force: true });
      expect(() => emu.reset()).toThrow(/ENOENT/);
      expect(emu.state().users.some((u) => u.nickName === "Survivor")).toBe(true);
    } finally {
      await emu.stop();
    }
  });

  it("a seed file path works as the seed", async () => {
    const seedPath = join(dir, "seed.json");
    writeFileSync(
      seedPath,
      JSON.stringify({
        accessKeys: [{ accessKeyId: "LTAIfileKey", accessKeySecret: "file-secret" }],
        users: [
          { userId: "0123456789abcdef0123456789abcdef", nickName: "File Owner", userType: 1, roleIds: [111111111] },
        ],
        organization: { ownerUserId: "0123456789abcdef0123456789abcdef" },
      }),
    );
    const { startEmulator } = await import("../../../emulator");
    const emu = await startEmulator({ seed: seedPath });
    try {
      expect(emu.state().users.map((u) => u.nickName)).toEqual(["File Owner"]);
      expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await emu.stop();
    }
  });
});
