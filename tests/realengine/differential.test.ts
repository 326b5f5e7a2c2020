/**
 * Differential test: the same program and phases (`npm run demo`'s: examples/stack with demo/phases.ts) through the
 * offline driver in engine/ and through the real Pulumi CLI, each against its own emulator started from the same
 * seed. After every phase both engines must have taken the same step for every resource, left Quick BI in the same
 * state (compared by account and names: created users get different ids in each run), and made the provider calls in
 * the same shape, read from the provider's own trace (QUICKBI_PROVIDER_TRACE_FILE): check and diff one at a time, one
 * registration after the other, the same calls per resource in the same order, no more creates/updates/deletes/reads
 * at once than `--parallel`. Differences that remain are listed in README, "The offline engine driver".
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import quickbiAccess = require("../../examples/stack/index");
import { OfflineEngine } from "../../demo/offlineEngine";
import { PHASE1, PHASE2, PROJECT, SEED_IDS, STACK, stackSettings } from "../../demo/phases";
import type { RunReport } from "../../engine/report";
import { createClient } from "../../provider/api/client";
import { deleteUserFromWorkspace, updateWorkspaceUserRole } from "../../provider/api/operations";
import { WORKSPACE_ROLES } from "../../provider/api/roles";
import type { CliStack } from "../../realengine";
import { defaultSeed, startEmulator, type RunningEmulator } from "pulumi-quickbi/emulator";
import { accessView, openStack, stepsByResource } from "./fixture";
import {
  callsByResource,
  interleavedRegistrations,
  maxConcurrent,
  overlappingCheckDiff,
  readTrace,
  type TraceCursor,
} from "./providerTrace";
import { TRACE_FILE_ENV } from "../../provider/trace";
import { describeWithCli } from "./withCli";

type Settings = ReturnType<typeof stackSettings>;

interface Side {
  emu: RunningEmulator;
  run(op: "preview" | "up" | "refresh" | "destroy", phase: typeof PHASE1 | typeof PHASE2): Promise<RunReport>;
  settings(phase: typeof PHASE1 | typeof PHASE2): Settings;
  userIds: Record<string, string>;
  trace: TraceCursor;
}

/** The CLI's default --parallel on this machine (4 × GOMAXPROCS), which the driver's default follows. */
const PARALLEL = 4 * os.availableParallelism();

describeWithCli(
  "differential: the offline driver and the real Pulumi CLI take the same steps and leave the same Quick BI",
  (cli) => {
    let offline: Side;
    let real: Side;
    let offlineEngine: OfflineEngine;
    let cliStack: CliStack;
    let traceDir: string;

    beforeAll(async () => {
      traceDir = fs.mkdtempSync(path.join(os.tmpdir(), "quickbi-differential-"));
      const traceOf = (side: string) => path.join(traceDir, `${side}.jsonl`);
      const emuOffline = await startEmulator({ seed: defaultSeed() });
      const emuReal = await startEmulator({ seed: defaultSeed() });
      offlineEngine = await OfflineEngine.create(
        {
          program: quickbiAccess,
          project: PROJECT,
          stack: STACK,
          passphrase: crypto.randomBytes(12).toString("base64url"),
          env: { [TRACE_FILE_ENV]: traceOf("offline") },
        },
        "differential test",
      );
      cliStack = await openStack(cli, quickbiAccess, {
        project: PROJECT,
        stack: STACK,
        env: { [TRACE_FILE_ENV]: traceOf("real") },
      });
      offline = {
        emu: emuOffline,
        settings: (p) => stackSettings(emuOffline.url, p),
        run: (op, p) => offlineEngine[op](stackSettings(emuOffline.url, p)),
        userIds: {},
        trace: { file: traceOf("offline"), offset: 0 },
      };
      real = {
        emu: emuReal,
        settings: (p) => stackSettings(emuReal.url, p),
        run: (op, p) => cliStack[op](stackSettings(emuReal.url, p)),
        userIds: {},
        trace: { file: traceOf("real"), offset: 0 },
      };
    }, 60_000);
    afterAll(async () => {
      await offlineEngine?.close();
      await cliStack?.close();
      await offline?.emu.stop();
      await real?.emu.stop();
      if (traceDir) fs.rmSync(traceDir, { recursive: true, force: true });
    });

    /** Runs one phase on both engines (one after the other: one program runs at a time in this process). */
    async function phase(
      op: "preview" | "up" | "refresh" | "destroy",
      p: typeof PHASE1 | typeof PHASE2,
    ): Promise<[RunReport, RunReport]> {
      const a = await offline.run(op, p);
      const b = await real.run(op, p);
      expect({ offline: a.errors, real: b.errors }).toEqual({ offline: [], real: [] });
      expect(stepsByResource(a)).toEqual(stepsByResource(b));
      expect(accessView(offline.emu.state())).toEqual(accessView(real.emu.state()));
      const [ta, tb] = [readTrace(offline.trace), readTrace(real.trace)];
      if (op === "preview" || op === "up") {
        // The step generator's calls (a refresh's diffs run on the workers, like its reads).
        expect({ offline: overlappingCheckDiff(ta), real: overlappingCheckDiff(tb) }).toEqual({
          offline: [],
          real: [],
        });
        expect({ offline: interleavedRegistrations(ta), real: interleavedRegistrations(tb) }).toEqual({
          offline: [],
          real: [],
        });
      }
      expect(callsByResource(ta)).toEqual(callsByResource(tb));
      const writes = ["create", "update", "delete", "read"];
      expect(maxConcurrent(ta, writes)).toBeLessThanOrEqual(PARALLEL);
      expect(maxConcurrent(tb, writes)).toBeLessThanOrEqual(PARALLEL);
      if (op === "preview" || op === "up") expect(ta.length).toBeGreaterThan(0);
      return [a, b];
    }

    test("1 preview of a new stack", async () => {
      const [a] = await phase("preview", PHASE1);
      expect(a.counts.create).toBe(8);
    });

    test("2 up", async () => {
      const [a, b] = await phase("up", PHASE1);
      offline.userIds = a.outputs.userIds as Record<string, string>;
      real.userIds = b.outputs.userIds as Record<string, string>;
    });

    test("3 preview of the same program: no changes", async () => {
      const [a] = await phase("preview", PHASE1);
      expect(a.counts.same).toBe(8);
    });

    test("4 preview of the staged change", async () => {
      const [a] = await phase("preview", PHASE2);
      expect(a.counts).toMatchObject({ create: 1, update: 3, replace: 1, delete: 1 });
    });

    test("5 up of the staged change", async () => {
      const [a, b] = await phase("up", PHASE2);
      offline.userIds = a.outputs.userIds as Record<string, string>;
      real.userIds = b.outputs.userIds as Record<string, string>;
    });

    test("6 preview again: no changes", async () => {
      await phase("preview", PHASE2);
    });

    test("7 the same out-of-band edits, then refresh", async () => {
      for (const side of [offline, real]) {
        const s = side.settings(PHASE2);
        const client = await createClient({ get: (k: string) => s.values[k] }, {});
        await updateWorkspaceUserRole(client, {
          workspaceId: SEED_IDS.sales,
          userId: side.userIds.nora,
          roleId: WORKSPACE_ROLES.analyst,
        });
        await deleteUserFromWorkspace(client, { workspaceId: SEED_IDS.finance, userId: side.userIds.lena });
      }
      const [a] = await phase("refresh", PHASE2);
      expect(a.counts).toMatchObject({ "refresh-changed": 1, "refresh-deleted": 1 });
    });

    test("8 preview and up put the drifted access back", async () => {
      await phase("preview", PHASE2);
      await phase("up", PHASE2);
    });

    test("9 destroy", async () => {
      const [a] = await phase("destroy", PHASE2);
      expect(a.counts.delete).toBe(8);
    });
  },
);
