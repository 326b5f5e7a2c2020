/**
 * The example stack's config in each phase of the demo. Phase 2 is the pull request a team would open: the sales
 * analysts drop to viewer, Omar leaves, Lena's admin grant moves to Finance, Priya joins the Business group.
 * Names and ids are those of the emulator's default organization (emulator/defaultSeed.ts).
 */
import { DEMO_ACCESS_KEY } from "../emulator/defaultSeed";

export const PROJECT = "quickbi-access";
export const STACK = "dev";

export const SEED_IDS = {
  arjun: "a7b6c8d9eafb4c4d5ca6b7c8d9eafb07",
  diego: "d4c3f5a6b7c8491a29d3e4f5a6b7c804",
  sales: "5f3e2c1a-8b7d-4e6f-9a0b-1c2d3e4f5a01",
  finance: "6a4f3d2b-9c8e-4f70-8b1c-2d3e4f5a6b02",
  sandbox: "7b5a4e3c-0d9f-4a81-9c2d-3e4f5a6b7c03",
  business: "ae8d7b6f-3a2c-4db4-8f5a-6b7c8d9eaf03",
} as const;

/** Stack config as the engine receives it: fully qualified keys, string values (objects as JSON). */
export interface StackSettings {
  values: Record<string, string>;
  secretKeys: string[];
}

const account = (name: string) => `demo-corp@aliyun.com:${name}`;

const USERS_V1 = {
  nora: { accountId: "2000000000000001", accountName: account("nora.new"), nickName: "Nora New", userType: "analyst" },
  omar: {
    accountId: "2000000000000002",
    accountName: account("omar.ops"),
    nickName: "Omar Ops",
    userType: "developer",
  },
  lena: {
    accountId: "2000000000000003",
    accountName: account("lena.lead"),
    nickName: "Lena Lead",
    userType: "developer",
  },
};

/** Workspaces, groups and existing users by name, as a team would write them (the program looks them up). */
export const PHASE1 = {
  users: USERS_V1,
  teams: {
    "sales-analysts": { workspace: "Sales Analytics", role: "analyst", members: ["nora", "arjun.analyst"] },
    platform: { workspace: "Data Platform Sandbox", role: "developer", members: ["omar", "diego.dev"] },
  },
  grants: { lena: { workspace: "Sales Analytics", role: "admin", user: "lena" } },
  groups: { business: { group: "Business", members: ["nora", "lena"] } },
};

const { omar: _leaves, ...stayers } = USERS_V1;
export const PHASE2 = {
  users: {
    ...stayers,
    priya: {
      accountId: "2000000000000004",
      accountName: account("priya.new"),
      nickName: "Priya New",
      userType: "analyst",
    },
  },
  teams: {
    "sales-analysts": { ...PHASE1.teams["sales-analysts"], role: "viewer" },
    platform: { ...PHASE1.teams.platform, members: ["diego.dev"] },
  },
  grants: { lena: { ...PHASE1.grants.lena, workspace: "Finance" } },
  groups: { business: { group: "Business", members: ["nora", "lena", "priya"] } },
};

/** The break-glass admin is secret config: it must never show up in the output, the state file or the logs. */
export const BREAK_GLASS = {
  accountId: "2000000000000099",
  accountName: account("break.glass"),
  nickName: "Break Glass",
};

export type ProgramConfig = typeof PHASE1 | typeof PHASE2;

/** The whole stack config of a phase: the provider's keys (endpoint, demo key) plus the program's. */
export function stackSettings(endpoint: string, program: ProgramConfig): StackSettings {
  const values: Record<string, string> = {
    "quickbi:endpoint": endpoint,
    "quickbi:accessKeyId": DEMO_ACCESS_KEY.accessKeyId,
    "quickbi:accessKeySecret": DEMO_ACCESS_KEY.accessKeySecret,
    [`${PROJECT}:breakGlass`]: JSON.stringify(BREAK_GLASS),
  };
  for (const [k, v] of Object.entries(program)) values[`${PROJECT}:${k}`] = JSON.stringify(v);
  return { values, secretKeys: ["quickbi:accessKeySecret", `${PROJECT}:breakGlass`] };
}
