/**
 * The resources beyond the example stack on the real Pulumi engine: `adopt`, a QuickBIUser's update and replace,
 * and the authoritative WorkspaceMembers / GroupMembers with their drift handling and guards. One inline program
 * whose declarations each test sets; each test builds on the previous one.
 */
import {
  GroupMembers,
  QuickBIUser,
  WorkspaceMembers,
  WorkspaceMembership,
  type WorkspaceMembersArgs,
} from "pulumi-quickbi";
import { addUserToWorkspace } from "../../provider/api/operations";
import { createClient } from "../../provider/api/client";
import { WORKSPACE_ROLES } from "../../provider/api/roles";
import type { CliStack } from "../../realengine";
import { defaultSeed, startEmulator, type RunningEmulator } from "pulumi-quickbi/emulator";
import { SEED } from "../e2e/harness";
import {
  accessView,
  failingOperation,
  lastSeq,
  openStack,
  providerConfig,
  stepsByResource,
  writesSince,
} from "./fixture";
import { describeWithCli } from "./withCli";

interface Declared {
  carol?: { accountId: string; accountName: string; nickName: string };
  adoptAnna?: boolean;
  finance?: WorkspaceMembersArgs["members"];
  engineering?: string[];
}

describeWithCli(
  "adopt, QuickBIUser update/replace, authoritative resources and guards on the real Pulumi engine",
  (cli) => {
    let emu: RunningEmulator;
    let stack: CliStack;
    let declared: Declared = {};

    const program = async () => {
      const d = declared;
      const out: Record<string, unknown> = {};
      if (d.carol) out.carolId = new QuickBIUser("carol", { ...d.carol, userType: "analyst" }).userId;
      if (d.adoptAnna !== undefined) {
        new WorkspaceMembership("anna-sales", {
          workspaceId: SEED.sales,
          role: "analyst",
          userId: SEED.anna,
          adopt: d.adoptAnna,
        });
      }
      if (d.finance) new WorkspaceMembers("finance-exact", { workspaceId: SEED.finance, members: d.finance });
      if (d.engineering)
        new GroupMembers("engineering-exact", { userGroupId: SEED.engineering, userIds: d.engineering });
      return out;
    };

    beforeAll(async () => {
      emu = await startEmulator({ seed: defaultSeed() });
      stack = await openStack(cli, program, { project: "quickbi-resources" });
    }, 60_000);
    afterAll(async () => {
      await stack?.destroy(providerConfig(emu)).catch(() => undefined);
      await stack?.close();
      await emu?.stop();
    });

    const users = () => emu.state().users.filter((u) => !u.isDeleted);
    const roster = (workspaceId: string) =>
      Object.fromEntries(
        emu
          .state()
          .workspaceMembers.filter((m) => m.workspaceId === workspaceId)
          .map((m) => [m.userId, m.roleId]),
      );
    const group = (id: string) =>
      emu
        .state()
        .userGroupMembers.filter((m) => m.userGroupId === id)
        .map((m) => m.userId)
        .sort();

    test("adopt: an existing membership is refused without `adopt: true` (nothing written), taken over with it (no write)", async () => {
      declared = { adoptAnna: false };
      let seq = lastSeq(emu);
      const refused = await failingOperation(() => stack.up(providerConfig(emu)));
      expect(refused.ok).toBe(false);
      expect(refused.errors.join("\n")).toMatch(/already .*member[\s\S]*adopt: true/);
      expect(writesSince(emu, seq)).toEqual([]);

      declared = { adoptAnna: true };
      seq = lastSeq(emu);
      const adopted = await stack.up(providerConfig(emu));
      expect(adopted.errors).toEqual([]);
      expect(stepsByResource(adopted)).toEqual({ "quickbi:WorkspaceMembership::anna-sales": "create" });
      expect(writesSince(emu, seq)).toEqual([]);
      expect((await stack.resources()).size).toBe(1);
    });

    let carolId = "";
    test("QuickBIUser: a new nickname is an in-place UpdateUser; a new account replaces the user (old one deleted first)", async () => {
      declared = {
        adoptAnna: true,
        carol: { accountId: "5000000000000101", accountName: "demo-corp@aliyun.com:carol.c", nickName: "Carol C" },
      };
      const created = await stack.up(providerConfig(emu));
      expect(created.errors).toEqual([]);
      carolId = created.outputs.carolId as string;
      expect(users().find((u) => u.userId === carolId)?.nickName).toBe("Carol C");

      declared = {
        ...declared,
        carol: {
          accountId: "5000000000000101",
          accountName: "demo-corp@aliyun.com:carol.c",
          nickName: "Carol Renamed",
        },
      };
      let seq = lastSeq(emu);
      const updated = await stack.up(providerConfig(emu));
      expect(stepsByResource(updated)).toMatchObject({ "quickbi:QuickBIUser::carol": "update" });
      expect(updated.outputs.carolId).toBe(carolId);
      expect(writesSince(emu, seq)).toEqual([expect.stringMatching(new RegExp(`^UpdateUser .*UserId=${carolId}`))]);
      expect(users().find((u) => u.userId === carolId)?.nickName).toBe("Carol Renamed");

      declared = {
        ...declared,
        carol: {
          accountId: "5000000000000102",
          accountName: "demo-corp@aliyun.com:carol.new",
          nickName: "Carol Renamed",
        },
      };
      seq = lastSeq(emu);
      const replaced = await stack.up(providerConfig(emu));
      expect(replaced.errors).toEqual([]);
      expect(stepsByResource(replaced)).toMatchObject({ "quickbi:QuickBIUser::carol": "replace" });
      const writes = writesSince(emu, seq);
      // Delete before create: the nickname is unique in the organization, so the old user must go first.
      expect(writes.map((w) => w.split(" ")[0])).toEqual(["DeleteUser", "AddUser"]);
      expect(replaced.outputs.carolId).not.toBe(carolId);
      carolId = replaced.outputs.carolId as string;
      expect(
        users()
          .filter((u) => u.nickName === "Carol Renamed")
          .map((u) => u.accountName),
      ).toEqual(["demo-corp@aliyun.com:carol.new"]);
    });

    test("WorkspaceMembers and GroupMembers take over their targets: unlisted members leave, the owner stays", async () => {
      declared = {
        ...declared,
        finance: { [SEED.fatima]: "viewer", [SEED.anna]: "viewer" },
        engineering: [SEED.diego, SEED.fatima],
      };
      const r = await stack.up(providerConfig(emu));
      expect(r.errors).toEqual([]);
      expect(roster(SEED.finance)).toEqual({
        [SEED.dana]: WORKSPACE_ROLES.admin,
        [SEED.fatima]: WORKSPACE_ROLES.viewer,
        [SEED.anna]: WORKSPACE_ROLES.viewer,
      });
      expect(group(SEED.engineering)).toEqual([SEED.diego, SEED.fatima].sort());
    });

    test("authoritative drift: a member added back in the console shows on refresh and the next up removes it", async () => {
      const client = await createClient({ get: (k: string) => providerConfig(emu).values[k] }, {});
      await addUserToWorkspace(client, {
        workspaceId: SEED.finance,
        userId: SEED.arjun,
        roleId: WORKSPACE_ROLES.viewer,
      });
      let seq = lastSeq(emu);
      const refresh = await stack.refresh(providerConfig(emu));
      expect(stepsByResource(refresh)).toMatchObject({ "quickbi:WorkspaceMembers::finance-exact": "refresh-changed" });
      expect(writesSince(emu, seq)).toEqual([]);
      seq = lastSeq(emu);
      const up = await stack.up(providerConfig(emu));
      expect(stepsByResource(up)).toMatchObject({ "quickbi:WorkspaceMembers::finance-exact": "update" });
      expect(writesSince(emu, seq)).toEqual([
        expect.stringMatching(new RegExp(`^DeleteUserFromWorkspace .*UserId=${SEED.arjun}`)),
      ]);
      expect(roster(SEED.finance)[SEED.arjun]).toBeUndefined();
    });

    test("guard: demoting the workspace owner fails the preview and the up, and nothing is written", async () => {
      const safe = declared;
      declared = { ...declared, finance: { [SEED.dana]: "viewer", [SEED.fatima]: "viewer" } };
      const seq = lastSeq(emu);
      const preview = await failingOperation(() => stack.preview(providerConfig(emu)));
      expect(preview.ok).toBe(false);
      expect(preview.errors.join("\n")).toMatch(/owner/i);
      const up = await failingOperation(() => stack.up(providerConfig(emu)));
      expect(up.ok).toBe(false);
      expect(writesSince(emu, seq)).toEqual([]);
      expect(roster(SEED.finance)[SEED.dana]).toBe(WORKSPACE_ROLES.admin);
      declared = safe;
    });

    test("destroy: every resource deleted; adopted and authoritatively managed members leave, the owner stays", async () => {
      const r = await stack.destroy(providerConfig(emu));
      expect(r.errors).toEqual([]);
      expect((await stack.resources()).size).toBe(0);
      const expected = defaultSeed();
      expected.workspaceMembers = (expected.workspaceMembers ?? []).filter(
        (m) =>
          !(m.workspaceId === SEED.sales && m.userId === SEED.anna) &&
          !(m.workspaceId === SEED.finance && m.userId !== SEED.dana),
      );
      expected.userGroupMembers = (expected.userGroupMembers ?? []).filter((m) => m.userGroupId !== SEED.engineering);
      const reference = await startEmulator({ seed: expected });
      try {
        expect(accessView(emu.state())).toEqual(accessView(reference.state()));
      } finally {
        await reference.stop();
      }
    });
  },
);
