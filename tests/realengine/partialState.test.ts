/**
 * On the real Pulumi engine: a list membership whose users include a visitor-seat user (Quick BI refuses visitors in
 * workspaces) is created in part. The CLI checkpoints what the provider reported for the init-failed resource; the
 * next refresh and destroy load the provider from that record (it carries `__provider`) and work, and Quick BI ends
 * where it started. (The same for every membership resource through the offline engine: tests/reliability.)
 */
import { WorkspaceMembership } from "pulumi-quickbi";
import { defaultSeed, startEmulator, type RunningEmulator } from "pulumi-quickbi/emulator";
import type { CliStack } from "../../realengine";
import { SEED } from "../e2e/harness";
import { openStack, providerConfig } from "./fixture";
import { describeWithCli } from "./withCli";

describeWithCli("a partial create on the real Pulumi engine stays refreshable and destroyable", (cli) => {
  let emu: RunningEmulator;
  let stack: CliStack;

  beforeAll(async () => {
    emu = await startEmulator({ seed: defaultSeed() });
    const program = async () => {
      new WorkspaceMembership("team", {
        workspaceId: SEED.sandbox,
        userIds: [SEED.pavel, SEED.victor],
        role: "viewer",
      });
    };
    stack = await openStack(cli, program, { project: "quickbi-partial" });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await emu?.stop();
  });

  test("up records what was applied; refresh and destroy then work", async () => {
    const inSandbox = () =>
      emu
        .state()
        .workspaceMembers.filter((m) => m.workspaceId === SEED.sandbox)
        .map((m) => m.userId);
    const up = await stack.up(providerConfig(emu));
    expect(up.errors.join("\n")).toMatch(/Viewer\.AddInTo\.Workspace/);
    expect(inSandbox()).toContain(SEED.pavel);
    const recorded = [...(await stack.resources()).values()].find((r) => r.name === "team");
    expect(recorded?.outputs.userIds).toEqual([SEED.pavel]);
    const refresh = await stack.refresh(providerConfig(emu));
    expect(refresh.errors).toEqual([]);
    const destroy = await stack.destroy(providerConfig(emu));
    expect(destroy.errors).toEqual([]);
    expect(inSandbox()).not.toContain(SEED.pavel);
  }, 300_000);
});
