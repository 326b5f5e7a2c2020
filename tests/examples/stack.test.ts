/**
 * The example stack (examples/stack) under pulumi.runtime.setMocks: which resources it declares from stack config,
 * with which inputs and dependencies, what it exports, that every resource carries the thin serialized shim as its
 * provider, and that secret config stays secret. The program looks workspaces, groups and existing users up by name
 * (in the program process, not through the mocks), so an emulator with the default organization answers those.
 */
import * as pulumi from "@pulumi/pulumi";
import { DEMO_ACCESS_KEY, startEmulator, type RunningEmulator } from "pulumi-quickbi/emulator";
import { PHASE1, PHASE2, PROJECT, STACK, stackSettings, BREAK_GLASS } from "../../demo/phases";
import { SECRET_SIG, SIG_KEY } from "../../engine/program";

/** Ids of the default organization the names in the phases resolve to. */
const SEED = {
  arjun: "a7b6c8d9eafb4c4d5ca6b7c8d9eafb07",
  diego: "d4c3f5a6b7c8491a29d3e4f5a6b7c804",
  sales: "5f3e2c1a-8b7d-4e6f-9a0b-1c2d3e4f5a01",
  finance: "6a4f3d2b-9c8e-4f70-8b1c-2d3e4f5a6b02",
  sandbox: "7b5a4e3c-0d9f-4a81-9c2d-3e4f5a6b7c03",
  business: "ae8d7b6f-3a2c-4db4-8f5a-6b7c8d9eaf03",
};

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.stop();
});

/** The secret half of the access key, set as secret stack config (the lookups in the program sign with it). */
const SECRET_KEY = DEMO_ACCESS_KEY.accessKeySecret;

interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

let recorded: Recorded[] = [];

/** Ids like Quick BI's (32 hex) so the program's references look real; outputs mirror inputs plus the id. */
function fakeUserId(name: string): string {
  return Buffer.from(name.padEnd(16, "_")).toString("hex").slice(0, 32);
}

pulumi.runtime.setMocks(
  {
    newResource(args) {
      recorded.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
      const id = args.type.endsWith("QuickBIUser") ? fakeUserId(args.name) : `${args.name}-id`;
      const state = args.type.endsWith("QuickBIUser") ? { ...args.inputs, userId: id } : { ...args.inputs };
      return { id, state };
    },
    call: () => ({}),
  },
  PROJECT,
  STACK,
  false,
);

function settings(phase: typeof PHASE1 | typeof PHASE2) {
  const s = stackSettings(emu.url, phase);
  expect(s.secretKeys).toContain("quickbi:accessKeySecret");
  return s;
}

async function runExample(
  phase: typeof PHASE1 | typeof PHASE2,
): Promise<Record<string, pulumi.Output<unknown> | undefined>> {
  recorded = [];
  const s = settings(phase);
  pulumi.runtime.setAllConfig(s.values, s.secretKeys);
  // Loaded per run (jest's registry is reset) so the program sees this run's config, as a fresh `pulumi up` would.
  let program: () => Promise<Record<string, pulumi.Output<unknown> | undefined>> = async () => ({});
  jest.isolateModules(() => {
    program = require("../../examples/stack/index");
  });
  const outputs = await program();
  // Every resource is reachable from the outputs: once they resolve, every registration has reached the mocks.
  await valueOf(pulumi.all(Object.values(outputs).filter((o): o is pulumi.Output<unknown> => o !== undefined)));
  return outputs;
}

function valueOf<T>(o: pulumi.Output<T> | undefined): Promise<T | undefined> {
  if (o === undefined) return Promise.resolve(undefined);
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

const byName = (name: string) => {
  const r = recorded.find((x) => x.name === name);
  if (!r) throw new Error(`no resource ${name}; got ${recorded.map((x) => x.name).join(", ")}`);
  return r;
};

function unwrap(v: unknown): unknown {
  if (v !== null && typeof v === "object" && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG)
    return (v as { value: unknown }).value;
  return v;
}

describe("examples/stack under mocks", () => {
  let outputs: Record<string, pulumi.Output<unknown> | undefined>;
  beforeAll(async () => {
    outputs = await runExample(PHASE1);
  });

  test("declares one resource per configured user, team, grant and group, with the dynamic type tokens", () => {
    const names = recorded.map((r) => `${r.type} ${r.name}`).sort();
    expect(names).toEqual(
      [
        "pulumi-nodejs:dynamic/quickbi:GroupMembership group-business",
        "pulumi-nodejs:dynamic/quickbi:QuickBIUser break-glass",
        "pulumi-nodejs:dynamic/quickbi:QuickBIUser lena",
        "pulumi-nodejs:dynamic/quickbi:QuickBIUser nora",
        "pulumi-nodejs:dynamic/quickbi:QuickBIUser omar",
        "pulumi-nodejs:dynamic/quickbi:WorkspaceMembership grant-lena",
        "pulumi-nodejs:dynamic/quickbi:WorkspaceMembership team-platform",
        "pulumi-nodejs:dynamic/quickbi:WorkspaceMembership team-sales-analysts",
      ].sort(),
    );
  });

  test("users get the configured account, nick name and seat type", () => {
    expect(byName("nora").inputs).toMatchObject({
      accountId: "2000000000000001",
      accountName: "demo-corp@aliyun.com:nora.new",
      nickName: "Nora New",
      userType: "analyst",
    });
    expect(byName("omar").inputs).toMatchObject({ userType: "developer" });
  });

  test("memberships take managed users' ids from the user resources and existing users' ids as given", () => {
    const team = byName("team-sales-analysts").inputs;
    // "Sales Analytics" and "arjun.analyst" were looked up in Quick BI by name.
    expect(team).toMatchObject({ workspaceId: SEED.sales, role: "analyst" });
    expect(team.userIds).toEqual([fakeUserId("nora"), SEED.arjun]);
    expect(byName("team-platform").inputs).toMatchObject({
      workspaceId: SEED.sandbox,
      userIds: [fakeUserId("omar"), SEED.diego],
    });
    const grant = byName("grant-lena").inputs;
    expect(grant).toMatchObject({ workspaceId: SEED.sales, role: "admin", userId: fakeUserId("lena") });
    expect(grant.userIds).toBeUndefined();
    expect(byName("group-business").inputs).toMatchObject({
      userGroupId: SEED.business,
      userIds: [fakeUserId("nora"), fakeUserId("lena")],
    });
  });

  test("exports user ids, teams, grants and groups", async () => {
    expect(await valueOf(outputs.userIds)).toEqual({
      nora: fakeUserId("nora"),
      omar: fakeUserId("omar"),
      lena: fakeUserId("lena"),
    });
    expect(await valueOf(outputs.teams)).toMatchObject({
      "sales-analysts": {
        workspaceId: SEED.sales,
        role: "analyst",
        members: [fakeUserId("nora"), SEED.arjun],
        membershipId: "team-sales-analysts-id",
      },
      platform: { role: "developer" },
    });
    expect(await valueOf(outputs.grants)).toEqual({
      lena: { workspaceId: SEED.sales, role: "admin", userId: fakeUserId("lena") },
    });
    expect(await valueOf(outputs.groups)).toMatchObject({ business: { userGroupId: SEED.business } });
  });

  test("every resource's __provider is the thin shim that loads pulumi-quickbi/runtime at call time", () => {
    for (const r of recorded) {
      const text = r.inputs.__provider;
      expect(typeof text).toBe("string");
      expect(text).toContain('require("pulumi-quickbi/runtime")');
      // Captures the resource kind only: no client, schema or config (a captured client weighed 85 KB).
      expect((text as string).length).toBeLessThan(8_000);
      expect(text).not.toMatch(/endpoint|accessKey|127\.0\.0\.1|emulator-demo-secret/);
    }
  });

  test("the access key secret never appears in inputs, __provider or outputs", async () => {
    const everything =
      JSON.stringify(recorded) +
      JSON.stringify(await valueOf(pulumi.all(Object.values(outputs).filter((o) => o !== undefined))));
    expect(everything).not.toContain(SECRET_KEY);
  });

  test("secret config stays secret: the break-glass inputs are secret, and an output derived from them is a secret Output", async () => {
    const bg = byName("break-glass").inputs;
    expect((bg.accountName as Record<string, unknown>)[SIG_KEY]).toBe(SECRET_SIG);
    expect(unwrap(bg.accountName)).toBe(BREAK_GLASS.accountName);
    expect(JSON.stringify(bg.__provider)).not.toContain(BREAK_GLASS.accountName);
    const account = outputs.breakGlassAccount as pulumi.Output<string>;
    expect(await pulumi.isSecret(account)).toBe(true);
    expect(await valueOf(account)).toBe(BREAK_GLASS.accountName);
    // Outputs not derived from secrets stay readable.
    expect(await pulumi.isSecret(outputs.userIds as pulumi.Output<unknown>)).toBe(false);
  });
});

describe("examples/stack config changes", () => {
  test("phase 2: Omar is gone, the team's role is viewer, Lena's grant points at Finance, Priya is a group member", async () => {
    await runExample(PHASE2);
    expect(recorded.some((r) => r.name === "omar")).toBe(false);
    expect(byName("team-sales-analysts").inputs.role).toBe("viewer");
    expect(byName("team-platform").inputs.userIds).toEqual([SEED.diego]);
    expect(byName("grant-lena").inputs.workspaceId).toBe(SEED.finance);
    expect(byName("group-business").inputs.userIds).toEqual([
      fakeUserId("nora"),
      fakeUserId("lena"),
      fakeUserId("priya"),
    ]);
  });

  test("an invalid role is reported with its key before anything is declared", async () => {
    const broken = { ...PHASE1, teams: { ...PHASE1.teams, platform: { ...PHASE1.teams.platform, role: "owner" } } };
    await expect(runExample(broken as unknown as typeof PHASE1)).rejects.toThrow(
      /quickbi-access\.teams\.platform\.role/,
    );
    expect(recorded).toEqual([]);
  });
});
